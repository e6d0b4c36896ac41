package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"gorm.io/gorm"

	"signpost/scoring"
)

// importer carries one import's state inside its transaction. The context
// is passed to each step rather than kept here.
type importer struct {
	tx        *gorm.DB
	now       time.Time
	hash      func(password string) (string, error)
	hashed    map[string]string // username -> hash, made before the transaction
	counts    ImportCounts
	tourney   Tournament
	questions map[string]Question // by slug
	preexist  map[int64]bool      // questions that existed before this import
	users     map[string]int64    // username -> id
	touched   map[int64]bool      // questions whose scores may change
	insert    *sql.Stmt           // a forecast on a question this import created
	insertNew *sql.Stmt           // a forecast on a pre-existing question, unless stored already
	batch     *importBatch        // on PostgreSQL, instead of the two statements
	// latest bounds created_at of every forecast stored in the tournament,
	// before and during the import: a forecast after it cannot be there yet.
	latest int64
}

// Import loads an archive in one transaction: all of it or, on the first
// invalid element, nothing (the error's Field locates it, e.g.
// "forecasts[12].created_at"). It creates what is missing and keeps
// forecast timestamps. hash turns an archived password into a stored hash.
func (s *Store) Import(ctx context.Context, a Archive, now time.Time, actorID int64,
	hash func(string) (string, error)) (ImportCounts, error) {
	if !knownFormat(a.Format) {
		return ImportCounts{}, invalidFormat(a.Format)
	}
	return s.runImport(ctx, now, actorID, hash, a.Users, func(im *importer) error {
		if err := im.importHead(a); err != nil {
			return err
		}
		if err := im.importForecasts(ctx, a.Forecasts); err != nil {
			return err
		}
		return im.importLinks(a)
	})
}

// ImportReader is Import reading the archive from r as it goes: the
// forecasts are validated and inserted one by one while they are decoded,
// so memory does not grow with their number as long as "forecasts" is the
// last key of the document, as Export writes it (otherwise they are
// buffered). All or nothing still holds. A document that is not JSON, or
// whose parts have the wrong JSON type, fails with a *DocumentError
// (errors.Is ErrBadDocument); rule violations with ErrInvalid, as Import.
func (s *Store) ImportReader(ctx context.Context, r io.Reader, now time.Time, actorID int64,
	hash func(string) (string, error)) (ImportCounts, error) {
	ar := newArchiveReader(r)
	streaming, err := ar.readHead()
	if err != nil {
		return ImportCounts{}, err
	}
	if !knownFormat(ar.head.Format) {
		return ImportCounts{}, invalidFormat(ar.head.Format)
	}
	return s.runImport(ctx, now, actorID, hash, ar.head.Users, func(im *importer) error {
		if err := im.importHead(ar.head); err != nil {
			return err
		}
		if !streaming {
			if err := im.importForecasts(ctx, ar.head.Forecasts); err != nil {
				return err
			}
		} else if err := ar.readForecastsAndRest(func(i int, af *ArchiveForecast) error {
			return im.importForecast(ctx, i, af)
		}); err != nil {
			return err
		}
		// Links may follow the forecasts: only now are they all read.
		return im.importLinks(ar.head)
	})
}

func knownFormat(f string) bool { return f == ArchiveFormat || f == ArchiveFormatV1 }

func invalidFormat(got string) error {
	return Invalid("format", "format must be %q or %q (got %q)", ArchiveFormat, ArchiveFormatV1, got)
}

// runImport runs body in the import's one write transaction, then marks
// what changed and audits it.
func (s *Store) runImport(ctx context.Context, now time.Time, actorID int64, hash func(string) (string, error),
	users []ArchiveUser, body func(*importer) error) (ImportCounts, error) {
	im := &importer{now: now, hash: hash, questions: make(map[string]Question), preexist: make(map[int64]bool),
		users: make(map[string]int64), touched: make(map[int64]bool)}
	// bcrypt takes tens of milliseconds a password: done inside the write
	// transaction, 300 of them held every forecast back for 20 s.
	hashed, err := s.hashNewPasswords(ctx, users, hash)
	if err != nil {
		return ImportCounts{}, err
	}
	im.hashed = hashed
	err = s.rawWriteTx(ctx, func(sqlTx *sql.Tx, tx *gorm.DB) error {
		im.tx = tx
		if err := s.holdForecasts(tx); err != nil {
			return err
		}
		closeStmts, err := im.prepare(sqlTx, s.dialect)
		if err != nil {
			return err
		}
		defer closeStmts()
		if err := body(im); err != nil {
			return err
		}
		if err := im.batch.flush(); err != nil {
			return err
		}
		for qid := range im.touched {
			if err := tx.Exec("UPDATE questions SET revision = revision + 1 WHERE id = ?", qid).Error; err != nil {
				return err
			}
		}
		if err := bumpScoreVersion(tx, im.tourney.ID); err != nil {
			return err
		}
		return addAudit(tx, AuditEntry{TournamentID: im.tourney.ID, ActorID: actorID, Action: "import",
			New: rawJSON(im.counts)})
	})
	if err != nil {
		return ImportCounts{}, err
	}
	im.counts.Tournament = im.tourney.Slug
	return im.counts, nil
}

// prepare readies the forecast inserts once for the whole import. A
// forecast already stored on a pre-existing question (same question, user
// and time) is skipped, so importing an archive twice adds nothing. The
// check is a probe of forecasts_question_user_time inside the insert, and
// only for forecasts no later than im.latest: an archive in time order, as
// Export writes it, appended to a tournament (the next chunk of a large
// import) needs almost none. Loading the earlier forecasts instead grew
// with every chunk imported into the same tournament.
func (im *importer) prepare(sqlTx *sql.Tx, d *dialect) (closeStmts func(), err error) {
	if d == postgresDialect {
		im.batch = &importBatch{tx: sqlTx, counts: &im.counts}
		return func() {}, nil
	}
	if im.insert, err = sqlTx.Prepare(insertForecastSQL); err != nil {
		return nil, err
	}
	if im.insertNew, err = sqlTx.Prepare(insertUnlessStoredSQL); err != nil {
		im.insert.Close()
		return nil, err
	}
	return func() { im.insert.Close(); im.insertNew.Close() }, nil
}

// importHead imports everything but the forecasts.
func (im *importer) importHead(a Archive) error {
	for _, step := range []func(Archive) error{im.tournament, im.importQuestions, im.importUsers, im.importTeams} {
		if err := step(a); err != nil {
			return err
		}
	}
	// One seek of forecasts_tournament_time.
	var latest sql.NullInt64
	if err := im.tx.Raw("SELECT MAX(created_at) FROM forecasts WHERE tournament_id = ?", im.tourney.ID).
		Scan(&latest).Error; err != nil {
		return err
	}
	im.latest = math.MinInt64
	if latest.Valid {
		im.latest = latest.Int64
	}
	return nil
}

func (im *importer) tournament(a Archive) error {
	t, err := a.Tournament.toTournament()
	if err != nil {
		return err
	}
	existing, err := findTournament(im.tx, "slug = ?", t.Slug)
	switch {
	case err == nil:
		im.tourney = existing
		return nil
	case errors.Is(err, ErrNotFound):
		im.tourney, err = createTournament(im.tx, t)
	}
	return err
}

func (im *importer) importQuestions(a Archive) error {
	var rows []questionRow
	if err := questionQuery(im.tx).Where("questions.tournament_id = ?", im.tourney.ID).Find(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		q, err := r.toQuestion()
		if err != nil {
			return err
		}
		im.questions[q.Slug] = q
		im.preexist[q.ID] = true
	}
	seen := make(map[string]bool)
	for i, aq := range a.Questions {
		q, err := aq.toQuestion(i, im.now)
		if err != nil {
			return err
		}
		if seen[q.Slug] {
			return Invalid(fmt.Sprintf("questions[%d].slug", i), "questions[%d].slug %q appears twice", i, q.Slug)
		}
		seen[q.Slug] = true
		if _, ok := im.questions[q.Slug]; ok {
			continue
		}
		q.TournamentID = im.tourney.ID
		created, err := createQuestion(im.tx, q)
		if err != nil {
			return err
		}
		im.questions[q.Slug] = created
		im.counts.Questions++
	}
	return im.importConditions(a)
}

func (im *importer) importUsers(a Archive) error {
	for i, au := range a.Users {
		at := fmt.Sprintf("users[%d].", i)
		name, err := NormalizeUsername(au.Username)
		if err != nil {
			return prefixField(at, err)
		}
		if _, ok := im.users[name]; ok {
			return Invalid(at+"username", "%susername %q appears twice", at, name)
		}
		var ids []int64
		if err := im.tx.Raw("SELECT id FROM users WHERE username = ?", name).Scan(&ids).Error; err != nil {
			return err
		}
		if len(ids) > 0 {
			im.users[name] = ids[0]
			continue
		}
		hash := "!" // no password: the account cannot sign in
		if au.Password != "" {
			if err := ValidatePassword(au.Password); err != nil {
				return prefixField(at, err)
			}
			if hash = im.hashed[name]; hash == "" {
				if hash, err = im.hash(au.Password); err != nil {
					return err
				}
			}
		}
		display := au.DisplayName
		if display == "" {
			display = name
		}
		row := userRow{Username: name, DisplayName: display, PasswordHash: hash, Role: RoleForecaster, CreatedAt: micros(im.now)}
		if err := im.tx.Create(&row).Error; err != nil {
			return translate(err, "username "+name+" is taken")
		}
		im.users[name] = row.ID
		im.counts.Users++
	}
	return nil
}

// hashNewPasswords hashes the passwords of the archive's users that do not
// exist yet, outside any transaction. Invalid entries are left for
// importUsers to report with their field paths.
func (s *Store) hashNewPasswords(ctx context.Context, users []ArchiveUser, hash func(string) (string, error)) (map[string]string, error) {
	out := make(map[string]string)
	for _, au := range users {
		name, err := NormalizeUsername(au.Username)
		if err != nil || au.Password == "" || ValidatePassword(au.Password) != nil {
			continue
		}
		if _, dup := out[name]; dup {
			continue
		}
		if _, err := s.FindUserByUsername(ctx, name); err == nil {
			continue
		} else if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		if out[name], err = hash(au.Password); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// userID resolves a username from the archive or, failing that, the database.
func (im *importer) userID(name string) (int64, bool, error) {
	if id, ok := im.users[name]; ok {
		return id, true, nil
	}
	var ids []int64
	if err := im.tx.Raw("SELECT id FROM users WHERE username = ?", name).Scan(&ids).Error; err != nil {
		return 0, false, err
	}
	if len(ids) == 0 {
		return 0, false, nil
	}
	im.users[name] = ids[0]
	return ids[0], true, nil
}

func (im *importer) importTeams(a Archive) error {
	for i, at := range a.Teams {
		path := fmt.Sprintf("teams[%d].", i)
		if at.Name == "" || len([]rune(at.Name)) > 64 {
			return Invalid(path+"name", "%sname must be 1-64 characters", path)
		}
		var rows []teamRow
		if err := im.tx.Where("tournament_id = ? AND name = ?", im.tourney.ID, at.Name).Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		var team Team
		if len(rows) > 0 {
			team = Team{ID: rows[0].ID, TournamentID: im.tourney.ID, Name: at.Name}
		} else {
			var err error
			if team, err = createTeam(im.tx, im.tourney.ID, at.Name, "", nil); err != nil {
				return err
			}
		}
		for j, member := range at.Members {
			field := fmt.Sprintf("%smembers[%d]", path, j)
			uid, ok, err := im.userID(member)
			if err != nil {
				return err
			}
			if !ok {
				return Invalid(field, "%s: unknown user %q", field, member)
			}
			var current []int64
			if err := im.tx.Raw("SELECT team_id FROM team_members WHERE tournament_id = ? AND user_id = ?",
				im.tourney.ID, uid).Scan(&current).Error; err != nil {
				return err
			}
			if len(current) > 0 {
				if current[0] == team.ID {
					continue
				}
				return Invalid(field, "%s: %q is already in another team of this tournament", field, member)
			}
			if err := joinTeam(im.tx, team, uid); err != nil {
				return err
			}
		}
	}
	return nil
}

func (im *importer) importForecasts(ctx context.Context, fs []ArchiveForecast) error {
	for i := range fs {
		if err := im.importForecast(ctx, i, &fs[i]); err != nil {
			return err
		}
	}
	return nil
}

// importForecast validates and stores the archive's i-th forecast. Field
// paths are only built on error: this runs a million times on a big import.
// The inserts run without ctx, because the SQLite driver watches a
// cancellable context with a goroutine per statement; ctx is checked every
// 4,096 forecasts instead.
func (im *importer) importForecast(ctx context.Context, i int, af *ArchiveForecast) error {
	if i%4096 == 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	q, ok := im.questions[af.QuestionSlug]
	if !ok {
		f := forecastField(i, "question_slug")
		return Invalid(f, "%s: unknown question %q", f, af.QuestionSlug)
	}
	uid, ok, err := im.userID(af.Username)
	if err != nil {
		return err
	}
	if !ok {
		f := forecastField(i, "username")
		return Invalid(f, "%s: unknown user %q", f, af.Username)
	}
	created, ok := archiveTime(af.CreatedAt)
	if !ok {
		f := forecastField(i, "created_at")
		return Invalid(f, "%s must be an RFC 3339 time", f)
	}
	if created.Before(q.OpensAt) || !created.Before(q.ClosesAt) {
		f := forecastField(i, "created_at")
		return Invalid(f, "%s is outside the question's open window [opens_at, closes_at)", f)
	}
	if created.After(im.now) {
		f := forecastField(i, "created_at")
		return Invalid(f, "%s is in the future", f)
	}
	if err := scoring.Validate(af.Probabilities, len(q.Options)); err != nil {
		return Invalid(forecastField(i, "probabilities"), "forecasts[%d].%s", i, err.Error())
	}
	at, probs := micros(created), encodeProbs(af.Probabilities)
	unlessStored := im.preexist[q.ID] && at <= im.latest
	if im.batch != nil {
		if err := im.batch.add(q.ID, im.tourney.ID, uid, probs, af.Rationale, at, unlessStored); err != nil {
			return err
		}
	} else if unlessStored {
		res, err := im.insertNew.Exec(q.ID, im.tourney.ID, uid, probs, af.Rationale, at, q.ID, uid, at)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // n == 0: already there, importing the same archive twice adds nothing
		}
		im.counts.Forecasts++
	} else if _, err := im.insert.Exec(q.ID, im.tourney.ID, uid, probs, af.Rationale, at); err != nil {
		return err
	} else {
		im.counts.Forecasts++
	}
	im.latest = max(im.latest, at)
	im.touched[q.ID] = true
	return nil
}

func forecastField(i int, name string) string {
	return "forecasts[" + strconv.Itoa(i) + "]." + name
}
