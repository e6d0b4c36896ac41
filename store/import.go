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
)

// importer carries one import's state. Staging (see import_stage.go)
// fills the plan and the references; the commit point (import_publish.go)
// runs the head steps below inside its transaction, on tx.
type importer struct {
	s         *Store
	opts      ImportOptions
	tx        *gorm.DB
	now       time.Time
	hash      func(password string) (string, error)
	hashed    map[string]string // username -> hash, made before any transaction
	counts    ImportCounts
	tourney   Tournament
	questions map[string]Question // by slug, at the commit point
	preexist  map[int64]bool      // questions that existed before this import
	users     map[string]int64    // username -> id, at the commit point
	plan      importPlan
	stage     *stager
	// latest is the tournament's latest forecast time at the commit point.
	latest int64
}

// ImportOptions are an import's inputs besides the document.
type ImportOptions struct {
	// Now bounds the forecasts' times and dates what the import creates.
	Now time.Time
	// ActorID is the admin the audit entry names (0: the command line).
	ActorID int64
	// Hash turns an archived password into a stored hash.
	Hash func(password string) (string, error)
	// Progress, when set, hears how far the import is: the phase
	// ("staged" while reading, "published" while publishing) and the
	// forecasts done in it, every few thousand forecasts.
	Progress func(phase string, forecasts int64)
}

// Import loads an archive all or nothing: on the first invalid element
// nothing is stored (the error's Field locates it, e.g.
// "forecasts[12].created_at"). It creates what is missing and keeps
// forecast timestamps. hash turns an archived password into a stored hash.
// Other writers wait for one short step of it at a time: see ImportStream.
func (s *Store) Import(ctx context.Context, a Archive, now time.Time, actorID int64,
	hash func(string) (string, error)) (ImportCounts, error) {
	if !knownFormat(a.Format) {
		return ImportCounts{}, invalidFormat(a.Format)
	}
	return s.runImport(ctx, ImportOptions{Now: now, ActorID: actorID, Hash: hash}, &a, func(im *importer) error {
		return im.stageForecasts(ctx, a.Forecasts)
	})
}

// ImportReader is ImportStream with no progress report.
func (s *Store) ImportReader(ctx context.Context, r io.Reader, now time.Time, actorID int64,
	hash func(string) (string, error)) (ImportCounts, error) {
	return s.ImportStream(ctx, r, ImportOptions{Now: now, ActorID: actorID, Hash: hash})
}

// ImportStream is Import reading the archive from r as it goes: the
// forecasts are validated and staged one by one while they are decoded,
// so memory does not grow with their number as long as "forecasts" is the
// last key of the document, as Export writes it (otherwise they are
// buffered). All or nothing still holds: nothing is visible until the whole
// document is read and checked, and a failure before that (a bad element,
// a broken stream, a cancelled ctx) leaves nothing behind. A document that
// is not JSON, or whose parts have the wrong JSON type, fails with a
// *DocumentError (errors.Is ErrBadDocument); rule violations with
// ErrInvalid, as Import.
func (s *Store) ImportStream(ctx context.Context, r io.Reader, o ImportOptions) (ImportCounts, error) {
	ar := newArchiveReader(r)
	streaming, err := ar.readHead()
	if err != nil {
		return ImportCounts{}, err
	}
	if !knownFormat(ar.head.Format) {
		return ImportCounts{}, invalidFormat(ar.head.Format)
	}
	// The head is passed by pointer: links may follow the forecasts, and
	// are only all read when staging ends.
	return s.runImport(ctx, o, &ar.head, func(im *importer) error {
		if !streaming {
			return im.stageForecasts(ctx, ar.head.Forecasts)
		}
		return ar.readForecastsAndRest(func(i int, af *ArchiveForecast) error {
			return im.stageForecast(ctx, i, af)
		})
	})
}

func knownFormat(f string) bool { return f == ArchiveFormat || f == ArchiveFormatV1 }

func invalidFormat(got string) error {
	return Invalid("format", "format must be %q or %q (got %q)", ArchiveFormat, ArchiveFormatV1, got)
}

// runImport stages the forecasts (body) and publishes the import. The
// passwords are hashed first: bcrypt takes tens of milliseconds a password,
// and 300 of them inside the write transaction once held every forecast
// back for 20 s.
func (s *Store) runImport(ctx context.Context, o ImportOptions, head *Archive, body func(*importer) error) (ImportCounts, error) {
	if err := checkArchiveText(head); err != nil {
		return ImportCounts{}, err
	}
	im := &importer{s: s, opts: o, now: o.Now, hash: o.Hash}
	hashed, err := s.hashNewPasswords(ctx, head.Users, o.Hash)
	if err != nil {
		return ImportCounts{}, err
	}
	im.hashed = hashed
	if err := im.planHead(ctx, head); err != nil {
		return ImportCounts{}, err
	}
	if im.stage, err = s.startStaging(ctx, o.ActorID, o.Progress); err != nil {
		return ImportCounts{}, err
	}
	defer im.stage.close()
	committed := false
	err = body(im)
	if err == nil {
		err = im.stage.flush(ctx)
	}
	if err == nil {
		committed, err = s.publish(ctx, im, head)
	}
	if err != nil && !committed {
		// Nothing was published: drop what was staged, whatever ctx says.
		return ImportCounts{}, errors.Join(err, s.dropStaged(context.WithoutCancel(ctx), im.stage.importID))
	}
	return im.counts, err
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
	if err := im.createQuestions(im.plan.archived); err != nil {
		return err
	}
	return im.importConditions(a)
}

// createQuestions creates the archive's questions that do not exist yet,
// at the end of the tournament, in multi-row INSERTs. It runs inside the
// commit point: one question at a time (its position, its INSERT, reading
// it back) held the writer for 16 s on a 10,000-question archive.
func (im *importer) createQuestions(qs []Question) error {
	var last int
	if err := im.tx.Raw("SELECT COALESCE(MAX(position), 0) FROM questions WHERE tournament_id = ?",
		im.tourney.ID).Scan(&last).Error; err != nil {
		return err
	}
	var rows []questionRow
	for _, q := range qs {
		if _, ok := im.questions[q.Slug]; ok {
			continue
		}
		last++
		q.TournamentID, q.Position = im.tourney.ID, last
		row, err := toQuestionRow(q, clock(im.tx))
		if err != nil {
			return err
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil
	}
	if err := im.tx.CreateInBatches(&rows, questionsPerStatement).Error; err != nil {
		return translate(err, "a question slug of the archive is taken in this tournament")
	}
	for _, r := range rows {
		if r.ID == 0 {
			return fmt.Errorf("question %q created without an ID", r.Slug)
		}
		r.TournamentSlug = im.tourney.Slug
		q, err := r.toQuestion()
		if err != nil {
			return err
		}
		im.questions[q.Slug] = q
	}
	im.counts.Questions += len(rows)
	return nil
}

// questionsPerStatement bounds the questions in one INSERT of
// createQuestions (about 30 parameters a question stay under both
// databases' limits).
const questionsPerStatement = 200

// importUsers creates the archive's users that do not exist yet. It runs
// inside the commit point, so it works in bulk: one query per
// usersPerStatement names to find the existing ones, one multi-row INSERT
// per usersPerStatement new ones (10,000 users one by one held the writer
// for half a second).
// archiveQuestions checks the archive's questions, each slug once.
func archiveQuestions(aqs []ArchiveQuestion, now time.Time) ([]Question, error) {
	out := make([]Question, 0, len(aqs))
	seen := make(map[string]bool)
	for i, aq := range aqs {
		q, err := aq.toQuestion(i, now)
		if err != nil {
			return nil, err
		}
		if seen[q.Slug] {
			return nil, Invalid(fmt.Sprintf("questions[%d].slug", i), "questions[%d].slug %q appears twice", i, q.Slug)
		}
		seen[q.Slug] = true
		out = append(out, q)
	}
	return out, nil
}

func (im *importer) importUsers(a Archive) error {
	names := make([]string, len(a.Users))
	for i, au := range a.Users {
		at := fmt.Sprintf("users[%d].", i)
		name, err := NormalizeUsername(au.Username)
		if err != nil {
			return prefixField(at, err)
		}
		if _, ok := im.users[name]; ok {
			return Invalid(at+"username", "%susername %q appears twice", at, name)
		}
		im.users[name], names[i] = 0, name
	}
	if err := im.findUsers(names); err != nil {
		return err
	}
	var rows []userRow
	for i, au := range a.Users {
		name := names[i]
		if im.users[name] != 0 {
			continue
		}
		hash := "!" // no password: the account cannot sign in
		if au.Password != "" {
			at := fmt.Sprintf("users[%d].", i)
			if err := ValidatePassword(au.Password); err != nil {
				return prefixField(at, err)
			}
			if hash = im.hashed[name]; hash == "" {
				var err error
				if hash, err = im.hash(au.Password); err != nil {
					return err
				}
			}
		}
		display, err := NormalizeDisplayName(au.DisplayName, name)
		if err != nil {
			return prefixField(fmt.Sprintf("users[%d].", i), err)
		}
		rows = append(rows, userRow{Username: name, DisplayName: display, PasswordHash: hash, Role: RoleForecaster,
			CreatedAt: micros(im.now)})
	}
	if len(rows) == 0 {
		return nil
	}
	if err := im.tx.CreateInBatches(&rows, usersPerStatement).Error; err != nil {
		return translate(err, "a username of the archive is taken")
	}
	for _, r := range rows {
		if r.ID == 0 {
			return fmt.Errorf("user %q created without an ID", r.Username)
		}
		im.users[r.Username] = r.ID
	}
	im.counts.Users += len(rows)
	return nil
}

// usersPerStatement bounds the names in one statement of importUsers (9
// parameters a user stays under both databases' limits).
const usersPerStatement = 500

// findUsers sets the ID of every name that exists already.
func (im *importer) findUsers(names []string) error {
	for len(names) > 0 {
		n := min(len(names), usersPerStatement)
		var found []struct {
			ID       int64
			Username string
		}
		if err := im.tx.Raw("SELECT id, username FROM users WHERE username IN ?", names[:n]).Scan(&found).Error; err != nil {
			return err
		}
		for _, f := range found {
			im.users[f.Username] = f.ID
		}
		names = names[n:]
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

// importTeams creates the archive's missing teams and memberships. It runs
// inside the commit point, so it reads the tournament's teams and
// memberships once rather than once per member: a query per member of an
// archive with 4,000 members held the writer for over 100 ms on SQLite,
// and made 4,000 round trips on PostgreSQL, for every document of a
// chunked import.
func (im *importer) importTeams(a Archive) error {
	teams, memberOf, err := im.tournamentTeams()
	if err != nil {
		return err
	}
	for i, at := range a.Teams {
		path := fmt.Sprintf("teams[%d].", i)
		if at.Name == "" || len([]rune(at.Name)) > 64 {
			return Invalid(path+"name", "%sname must be 1-64 characters", path)
		}
		team, ok := teams[at.Name]
		if !ok {
			if team, err = createTeam(im.tx, im.tourney.ID, at.Name, "", nil); err != nil {
				return err
			}
			teams[at.Name] = team
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
			if current, ok := memberOf[uid]; ok {
				if current == team.ID {
					continue
				}
				return Invalid(field, "%s: %q is already in another team of this tournament", field, member)
			}
			if err := joinTeam(im.tx, team, uid); err != nil {
				return err
			}
			memberOf[uid] = team.ID
		}
	}
	return nil
}

// tournamentTeams reads the tournament's teams by name (unique in a
// tournament) and its members' teams by user ID.
func (im *importer) tournamentTeams() (map[string]Team, map[int64]int64, error) {
	var rows []teamRow
	if err := im.tx.Where("tournament_id = ?", im.tourney.ID).Find(&rows).Error; err != nil {
		return nil, nil, err
	}
	teams := make(map[string]Team, len(rows))
	for _, r := range rows {
		teams[r.Name] = Team{ID: r.ID, TournamentID: im.tourney.ID, Name: r.Name}
	}
	var members []struct{ UserID, TeamID int64 }
	if err := im.tx.Raw("SELECT user_id, team_id FROM team_members WHERE tournament_id = ?", im.tourney.ID).
		Scan(&members).Error; err != nil {
		return nil, nil, err
	}
	memberOf := make(map[int64]int64, len(members))
	for _, m := range members {
		memberOf[m.UserID] = m.TeamID
	}
	return teams, memberOf, nil
}

func forecastField(i int, name string) string {
	return "forecasts[" + strconv.Itoa(i) + "]." + name
}
