package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads one dialect's migrations (the folder named after
// it) in version order.
func loadMigrations(d *dialect) ([]migration, error) {
	dir := "migrations/" + d.name
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		v, err := migrationVersion(e.Name())
		if err != nil {
			return nil, err
		}
		body, err := fs.ReadFile(migrationFiles, dir+"/"+e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// migrationVersion is the number a migration's file name starts with.
func migrationVersion(name string) (int, error) {
	num, _, ok := strings.Cut(name, "_")
	v, err := strconv.Atoi(num)
	if !ok || err != nil {
		return 0, fmt.Errorf("migration %s: name must start with a number and '_'", name)
	}
	return v, nil
}

// SchemaVersion returns the newest migration this binary knows (the same
// for both databases: a test keeps their migrations in step).
func SchemaVersion() int {
	ms, err := loadMigrations(sqliteDialect)
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// Migrate applies the migrations the database lacks, each in its own
// transaction, and records them. It refuses a database whose schema is newer
// than this binary, rather than run old code on a new schema.
func (s *Store) Migrate(ctx context.Context) (applied []string, err error) {
	ms, err := loadMigrations(s.dialect)
	if err != nil {
		return nil, err
	}
	// Instances starting together on one PostgreSQL database take turns:
	// the second finds the work done.
	err = s.exclusively(ctx, lockMigrate, func(db *gorm.DB) error {
		applied, err = migrate(db, s.dialect, ms)
		return err
	})
	if err != nil {
		return applied, err
	}
	return applied, s.recoverImports(ctx)
}

func migrate(db *gorm.DB, d *dialect, ms []migration) (applied []string, err error) {
	if err := db.Exec(d.createMigrations).Error; err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	current, err := schemaVersion(db)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if latest := ms[len(ms)-1].version; current > latest {
		return nil, errNewerSchema(current, latest)
	}
	sqlite := d == sqliteDialect // PostgreSQL alters tables in place, keys on
	if sqlite {
		if err := foreignKeys(db, false); err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
		defer foreignKeys(db, true)
	}
	for _, m := range ms {
		if m.version <= current {
			continue
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec(m.sql).Error; err != nil {
				return err
			}
			if sqlite {
				if err := checkForeignKeys(tx); err != nil {
					return err
				}
			}
			return tx.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, clock(tx)).Error
		})
		if err != nil {
			return applied, fmt.Errorf("migration %s: %w", m.name, err)
		}
		applied = append(applied, m.name)
	}
	return applied, nil
}

// foreignKeys turns enforcement on or off for the writer's one connection.
// Migrations run with it off, as SQLite's procedure for rebuilding a table
// requires (DROP TABLE would otherwise check or cascade into the rows that
// reference it); checkForeignKeys then proves nothing was left dangling
// before each migration commits. The pragma is a no-op inside a
// transaction, hence outside.
func foreignKeys(db *gorm.DB, on bool) error {
	v := "OFF"
	if on {
		v = "ON"
	}
	return db.Exec("PRAGMA foreign_keys = " + v).Error
}

func checkForeignKeys(tx *gorm.DB) error {
	var rows []struct {
		Table  string
		Rowid  int64
		Parent string
	}
	if err := tx.Raw("PRAGMA foreign_key_check").Scan(&rows).Error; err != nil {
		return err
	}
	if len(rows) > 0 {
		return fmt.Errorf("foreign key check: row %d of %s refers to a missing %s", rows[0].Rowid, rows[0].Table, rows[0].Parent)
	}
	return nil
}

func errNewerSchema(current, known int) error {
	return fmt.Errorf("database schema version %d is newer than this binary's %d: upgrade signpost", current, known)
}

// schemaVersion is the newest migration applied to the database, 0 for a
// database never migrated.
func schemaVersion(db *gorm.DB) (int, error) {
	if !db.Migrator().HasTable("schema_migrations") {
		return 0, nil
	}
	var current int
	err := db.Raw(`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current).Error
	return current, err
}

// CheckSchema refuses a database whose schema is not exactly the one this
// binary knows, naming both versions: for servers that must not migrate at
// start-up (several instances, or operators who migrate as a separate
// step), so old code never runs on a new schema nor new code on an old one.
func (s *Store) CheckSchema(ctx context.Context) error {
	current, err := schemaVersion(s.r.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("reading the schema version: %w", err)
	}
	known := SchemaVersion()
	switch {
	case current < known:
		return fmt.Errorf("database schema version %d is older than this binary's %d: run 'signpost migrate' first", current, known)
	case current > known:
		return errNewerSchema(current, known)
	}
	return nil
}
