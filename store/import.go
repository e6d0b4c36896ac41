package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gorm.io/gorm"

	"signpost/scoring"
)

// importer carries one import's state inside its transaction.
type importer struct {
	tx        *gorm.DB
	now       time.Time
	hash      func(password string) (string, error)
	counts    ImportCounts
	tourney   Tournament
	questions map[string]Question // by slug
	preexist  map[int64]bool      // questions that existed before this import
	users     map[string]int64    // username -> id
	touched   map[int64]bool      // questions whose scores may change
}

// Import loads an archive in one transaction: all of it or, on the first
// invalid element, nothing (the error's Field locates it, e.g.
// "forecasts[12].created_at"). It creates what is missing and keeps
// forecast timestamps. hash turns an archived password into a stored hash.
func (s *Store) Import(ctx context.Context, a Archive, now time.Time, actorID int64,
	hash func(string) (string, error)) (ImportCounts, error) {
	if a.Format != ArchiveFormat {
		return ImportCounts{}, Invalid("format", "format must be %q (got %q)", ArchiveFormat, a.Format)
	}
	im := &importer{now: now, hash: hash, questions: make(map[string]Question), preexist: make(map[int64]bool),
		users: make(map[string]int64), touched: make(map[int64]bool)}
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		im.tx = tx
		steps := []func(Archive) error{im.tournament, im.importQuestions, im.importUsers, im.importTeams, im.importForecasts}
		for _, step := range steps {
			if err := step(a); err != nil {
				return err
			}
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
	return im.counts, nil
}

func (im *importer) tournament(a Archive) error {
	t, err := a.Tournament.toTournament()
	if err != nil {
		return err
	}
	existing, err := findTournament(im.tx, "slug = ?", t.Slug)
	if err == nil {
		im.tourney = existing
		return nil
	}
	im.tourney, err = createTournament(im.tx, t)
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
	return nil
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
			if hash, err = im.hash(au.Password); err != nil {
				return err
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

type forecastKey struct {
	question, user, at int64
}

func (im *importer) importForecasts(a Archive) error {
	existing, err := im.existingForecastKeys()
	if err != nil {
		return err
	}
	sqlTx, ok := im.tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return fmt.Errorf("import: not in a transaction")
	}
	stmt, err := sqlTx.Prepare(`INSERT INTO forecasts (question_id, tournament_id, user_id, probabilities, rationale, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i, af := range a.Forecasts {
		at := fmt.Sprintf("forecasts[%d].", i)
		q, ok := im.questions[af.QuestionSlug]
		if !ok {
			return Invalid(at+"question_slug", "%squestion_slug: unknown question %q", at, af.QuestionSlug)
		}
		uid, ok, err := im.userID(af.Username)
		if err != nil {
			return err
		}
		if !ok {
			return Invalid(at+"username", "%susername: unknown user %q", at, af.Username)
		}
		created, err := parseArchiveTime(at+"created_at", af.CreatedAt)
		if err != nil {
			return err
		}
		if created.Before(q.OpensAt) || !created.Before(q.ClosesAt) {
			return Invalid(at+"created_at", "%screated_at is outside the question's open window [opens_at, closes_at)", at)
		}
		if created.After(im.now) {
			return Invalid(at+"created_at", "%screated_at is in the future", at)
		}
		if err := scoring.Validate(af.Probabilities, len(q.Options)); err != nil {
			return Invalid(at+"probabilities", "%s%s", at, err.Error())
		}
		key := forecastKey{q.ID, uid, micros(created)}
		if existing[key] {
			continue // already there: importing the same archive twice adds nothing
		}
		if _, err := stmt.Exec(q.ID, im.tourney.ID, uid, encodeProbs(af.Probabilities), af.Rationale, micros(created)); err != nil {
			return err
		}
		if im.preexist[q.ID] {
			existing[key] = true
		}
		im.touched[q.ID] = true
		im.counts.Forecasts++
	}
	return nil
}

// existingForecastKeys lists the forecasts already stored on questions that
// existed before the import, so a repeated import skips them.
func (im *importer) existingForecastKeys() (map[forecastKey]bool, error) {
	keys := make(map[forecastKey]bool)
	for qid := range im.preexist {
		rows, err := im.tx.Raw("SELECT user_id, created_at FROM forecasts WHERE question_id = ?", qid).Rows()
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			k := forecastKey{question: qid}
			if err := rows.Scan(&k.user, &k.at); err != nil {
				rows.Close()
				return nil, err
			}
			keys[k] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return keys, nil
}
