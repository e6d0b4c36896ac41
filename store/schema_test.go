package store

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"signpost/store/storetest"
)

// TestSchemasMatch migrates a SQLite file and a PostgreSQL schema and
// compares what the migrations made: tables, columns (normalised types,
// NOT NULL, defaults), primary keys, indexes, unique keys, foreign keys and
// the number of CHECK constraints. A migration written for one database
// only fails it.
func TestSchemasMatch(t *testing.T) {
	dsn := storetest.PostgresDSN()
	if dsn == "" {
		t.Skip("set SIGNPOST_TEST_POSTGRES_DSN to compare with PostgreSQL")
	}
	lite := openStoreAt(t, filepath.Join(t.TempDir(), "schema.db"))
	pg := openStoreAt(t, storetest.Schema(t, dsn))
	ls, err := describeSQLite(lite)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := describePostgres(pg)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) < 9 {
		t.Fatalf("SQLite schema has %d tables; want every table of the migrations", len(ls))
	}
	for _, table := range union(keys(ls), keys(ps)) {
		l, p := ls[table], ps[table]
		if !slices.Equal(l, p) {
			t.Errorf("table %s differs:\nSQLite:     %q\nPostgreSQL: %q", table, l, p)
		}
	}
}

// Normalised column types: SQLite's INTEGER is 64 bits, like BIGINT; its
// REAL is an 8-byte float, like DOUBLE PRECISION.
var typeNames = map[string]string{
	"integer": "int", "bigint": "int", "text": "text", "blob": "bytes", "bytea": "bytes",
	"real": "float64", "double precision": "float64",
}

func normType(t string) string {
	if n, ok := typeNames[strings.ToLower(t)]; ok {
		return n
	}
	return "?" + t
}

// normDefault drops PostgreSQL's casts of literals ('{}'::text).
func normDefault(d *string) string {
	if d == nil {
		return "-"
	}
	return strings.TrimSuffix(*d, "::text")
}

func column(name, typ string, notNull bool, dflt *string) string {
	return fmt.Sprintf("column %s %s notnull=%t default=%s", name, normType(typ), notNull, normDefault(dflt))
}

func keys(m map[string][]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func union(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

func describeSQLite(s *Store) (map[string][]string, error) {
	var tables []struct{ Name, SQL string }
	if err := s.r.Raw(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).
		Scan(&tables).Error; err != nil {
		return nil, err
	}
	out := make(map[string][]string)
	for _, tb := range tables {
		facts, err := sqliteTable(s, tb.Name, tb.SQL)
		if err != nil {
			return nil, err
		}
		slices.Sort(facts)
		out[tb.Name] = facts
	}
	return out, nil
}

var checkRE = regexp.MustCompile(`\bCHECK\s*\(`)

func sqliteTable(s *Store, table, ddl string) ([]string, error) {
	var cols []struct {
		Name, Type string
		NotNull    bool
		DfltValue  *string
		PK         int
	}
	if err := s.r.Raw("SELECT name, type, \"notnull\" AS not_null, dflt_value, pk FROM pragma_table_info(?)", table).
		Scan(&cols).Error; err != nil {
		return nil, err
	}
	var facts, pk []string
	for _, c := range cols {
		facts = append(facts, column(c.Name, c.Type, c.NotNull || c.PK > 0, c.DfltValue))
		if c.PK > 0 {
			pk = append(pk, c.Name)
		}
	}
	facts = append(facts, "primary key "+strings.Join(pk, ","))
	var idx []struct {
		Name   string
		Unique bool
		Origin string
	}
	if err := s.r.Raw(`SELECT name, "unique", origin FROM pragma_index_list(?)`, table).Scan(&idx).Error; err != nil {
		return nil, err
	}
	for _, ix := range idx {
		var cols []string
		if err := s.r.Raw("SELECT COALESCE(name, 'expr') FROM pragma_index_info(?) ORDER BY seqno", ix.Name).Scan(&cols).Error; err != nil {
			return nil, err
		}
		switch ix.Origin {
		case "pk":
		case "u":
			facts = append(facts, "unique "+strings.Join(cols, ","))
		default:
			facts = append(facts, fmt.Sprintf("index %s unique=%t %s", ix.Name, ix.Unique, strings.Join(cols, ",")))
		}
	}
	var fks []struct{ From, Table, To string }
	if err := s.r.Raw(`SELECT "from", "table", "to" FROM pragma_foreign_key_list(?)`, table).Scan(&fks).Error; err != nil {
		return nil, err
	}
	for _, fk := range fks {
		facts = append(facts, fmt.Sprintf("foreign key %s -> %s(%s)", fk.From, fk.Table, fk.To))
	}
	return append(facts, fmt.Sprintf("checks %d", len(checkRE.FindAllString(ddl, -1)))), nil
}

func describePostgres(s *Store) (map[string][]string, error) {
	var tables []string
	if err := s.r.Raw(`SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`).Scan(&tables).Error; err != nil {
		return nil, err
	}
	out := make(map[string][]string)
	for _, tb := range tables {
		facts, err := postgresTable(s, tb)
		if err != nil {
			return nil, err
		}
		slices.Sort(facts)
		out[tb] = facts
	}
	return out, nil
}

func postgresTable(s *Store, table string) ([]string, error) {
	ctx := context.Background()
	db := s.r.WithContext(ctx)
	var cols []struct {
		ColumnName, DataType, IsNullable string
		ColumnDefault                    *string
	}
	if err := db.Raw(`SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = ?`, table).Scan(&cols).Error; err != nil {
		return nil, err
	}
	var facts []string
	for _, c := range cols {
		facts = append(facts, column(c.ColumnName, c.DataType, c.IsNullable == "NO", c.ColumnDefault))
	}
	var idx []struct {
		Name            string
		Unique, Primary bool
		Constraint      bool
		Columns         string
	}
	if err := db.Raw(`SELECT i.relname AS name, ix.indisunique AS "unique", ix.indisprimary AS "primary",
			EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid AND c.contype = 'u') AS "constraint",
			array_to_string(ARRAY(SELECT COALESCE(a.attname, 'expr') FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n)
				LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum ORDER BY k.n), ',') AS columns
		FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
		WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ?`, table).Scan(&idx).Error; err != nil {
		return nil, err
	}
	for _, ix := range idx {
		switch {
		case ix.Primary:
			facts = append(facts, "primary key "+ix.Columns)
		case ix.Constraint:
			facts = append(facts, "unique "+ix.Columns)
		default:
			facts = append(facts, fmt.Sprintf("index %s unique=%t %s", ix.Name, ix.Unique, ix.Columns))
		}
	}
	var fks []struct{ From, Table, To string }
	if err := db.Raw(`SELECT a.attname AS "from", rt.relname AS "table", ra.attname AS "to"
		FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class rt ON rt.oid = c.confrelid
		JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
		JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
		WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace AND t.relname = ?`, table).
		Scan(&fks).Error; err != nil {
		return nil, err
	}
	for _, fk := range fks {
		facts = append(facts, fmt.Sprintf("foreign key %s -> %s(%s)", fk.From, fk.Table, fk.To))
	}
	var checks int
	if err := db.Raw(`SELECT COUNT(*) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
		WHERE c.contype = 'c' AND t.relnamespace = current_schema()::regnamespace AND t.relname = ?`, table).
		Scan(&checks).Error; err != nil {
		return nil, err
	}
	return append(facts, fmt.Sprintf("checks %d", checks)), nil
}
