package store

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"signpost/scoring"
)

type questionRow struct {
	ID           int64
	TournamentID int64
	Slug         string
	Position     int
	Kind         string
	Title        string
	Criteria     string
	Options      string
	Area         string
	OpensAt      int64
	ClosesAt     int64
	Outcome      *int
	ResolvedAt   *int64
	CorrectedAt  *int64
	EditedAt     *int64
	Annulled     flag
	AnnulReason  string
	// the annul reason in each language (empty: not given)
	AnnulReasonEn string
	AnnulReasonZh string
	Extra         string
	Revision      int64
	CreatedAt     int64
	// the conditional-pair columns, NULL on ordinary questions
	ConditionQuestionID *int64
	ConditionOutcome    *string
	ConditionThreshold  *int
	Mirrors             *int64
	// filled by the join in questionQuery; read-only, so Create skips it
	TournamentSlug string `gorm:"->"`
}

func (questionRow) TableName() string { return "questions" }

func (r questionRow) toQuestion() (Question, error) {
	kind, err := scoring.ParseKind(r.Kind)
	if err != nil {
		return Question{}, err
	}
	q := Question{ID: r.ID, TournamentID: r.TournamentID, TournamentSlug: r.TournamentSlug, Slug: r.Slug,
		Position: r.Position, Kind: kind, Title: decodeText(r.Title), Criteria: decodeText(r.Criteria),
		Area: r.Area, OpensAt: fromMicros(r.OpensAt), ClosesAt: fromMicros(r.ClosesAt),
		Annulled: bool(r.Annulled), AnnulReason: r.AnnulReason, AnnulReasonText: joinText(r.AnnulReasonEn, r.AnnulReasonZh),
		Revision: r.Revision}
	if err := json.Unmarshal([]byte(r.Options), &q.Options); err != nil {
		return Question{}, err
	}
	if r.Extra != "" {
		if err := json.Unmarshal([]byte(r.Extra), &q.Extra); err != nil {
			return Question{}, err
		}
	}
	if r.EditedAt != nil {
		q.EditedAt = fromMicros(*r.EditedAt)
	}
	if r.Outcome != nil && r.ResolvedAt != nil {
		q.Resolution = &Resolution{Outcome: *r.Outcome, ResolvedAt: fromMicros(*r.ResolvedAt)}
		if r.CorrectedAt != nil {
			q.Resolution.CorrectedAt = fromMicros(*r.CorrectedAt)
		}
	}
	r.readCondition(&q)
	return q, nil
}

func toQuestionRow(q Question, createdAt int64) (questionRow, error) {
	title, err := encodeJSON(q.Title)
	if err != nil {
		return questionRow{}, err
	}
	criteria, err := encodeJSON(orEmpty(q.Criteria))
	if err != nil {
		return questionRow{}, err
	}
	options, err := encodeJSON(q.Options)
	if err != nil {
		return questionRow{}, err
	}
	extra, err := encodeJSON(q.Extra)
	if err != nil {
		return questionRow{}, Invalid("extra", "extra fields are not valid JSON")
	}
	row := questionRow{TournamentID: q.TournamentID, Slug: q.Slug, Position: q.Position, Kind: q.Kind.String(),
		Title: title, Criteria: criteria, Options: options, Area: q.Area, OpensAt: micros(q.OpensAt),
		ClosesAt: micros(q.ClosesAt), Annulled: flag(q.Annulled), AnnulReason: q.AnnulReason,
		AnnulReasonEn: q.AnnulReasonText["en"], AnnulReasonZh: q.AnnulReasonText["zh"], Extra: extra, CreatedAt: createdAt}
	if q.Resolution != nil {
		o, at := q.Resolution.Outcome, micros(q.Resolution.ResolvedAt)
		row.Outcome, row.ResolvedAt = &o, &at
	}
	row.writeCondition(q)
	return row, nil
}

func questionQuery(db *gorm.DB) *gorm.DB {
	return db.Table("questions").
		Select("questions.*, tournaments.slug AS tournament_slug").
		Joins("JOIN tournaments ON tournaments.id = questions.tournament_id")
}

// CreateQuestion inserts a question at the end of its tournament, recording
// the action in the audit log. A slug taken in the tournament is ErrConflict.
func (s *Store) CreateQuestion(ctx context.Context, q Question, actorID int64) (Question, error) {
	var out Question
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if out, err = createQuestion(tx, q); err != nil {
			return err
		}
		return addAudit(tx, AuditEntry{TournamentID: out.TournamentID, QuestionID: out.ID, ActorID: actorID,
			Action: "create_question", New: rawJSON(map[string]any{"slug": out.Slug, "kind": out.Kind.String(), "title": out.Title})})
	})
	return out, err
}

func createQuestion(tx *gorm.DB, q Question) (Question, error) {
	if q.Position == 0 {
		var pos int
		if err := tx.Raw("SELECT COALESCE(MAX(position), 0) + 1 FROM questions WHERE tournament_id = ?",
			q.TournamentID).Scan(&pos).Error; err != nil {
			return Question{}, err
		}
		q.Position = pos
	}
	if q.Slug == "" {
		// A slug is the question's stable name in archives; derive one.
		q.Slug = "q" + itoa(int64(q.Position))
	}
	row, err := toQuestionRow(q, clock(tx))
	if err != nil {
		return Question{}, err
	}
	if err := tx.Create(&row).Error; err != nil {
		return Question{}, translate(err, "question slug "+q.Slug+" is taken in this tournament")
	}
	return findQuestion(tx, row.ID)
}

// FindQuestion looks a question up by ID.
func (s *Store) FindQuestion(ctx context.Context, id int64) (Question, error) {
	return findQuestion(s.r.WithContext(ctx), id)
}

func findQuestion(db *gorm.DB, id int64) (Question, error) {
	var row questionRow
	if err := questionQuery(db).Where("questions.id = ?", id).Take(&row).Error; err != nil {
		return Question{}, missing(err, "no question %d", id)
	}
	return row.toQuestion()
}

// ListQuestions returns a tournament's questions in their order.
func (s *Store) ListQuestions(ctx context.Context, tournamentID int64) ([]Question, error) {
	var rows []questionRow
	if err := questionQuery(s.r.WithContext(ctx)).Where("questions.tournament_id = ?", tournamentID).
		Order("questions.position, questions.id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Question, 0, len(rows))
	for _, r := range rows {
		q, err := r.toQuestion()
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, nil
}

// ResolveQuestion sets (or corrects) a question's outcome. The caller has
// validated outcome and resolvedAt against the question; an annulled
// question is ErrConflict. Scores follow: the tournament's score version moves.
func (s *Store) ResolveQuestion(ctx context.Context, id int64, r Resolution, actorID int64) (Question, error) {
	return s.changeQuestion(ctx, id, actorID, "resolve", func(_ *gorm.DB, q *Question) (map[string]any, error) {
		if q.Condition != nil {
			return nil, conflict("question %d is a conditional branch: it resolves with its scenario question", id)
		}
		if q.Resolution == nil {
			r.CorrectedAt = time.Time{} // a first resolution corrects nothing
		}
		q.Resolution = &r
		return map[string]any{"outcome": r.Outcome, "resolved_at": r.ResolvedAt}, nil
	})
}

// AnnulQuestion annuls a question with a plain reason; annulling twice is
// ErrConflict.
func (s *Store) AnnulQuestion(ctx context.Context, id int64, reason string, actorID int64) (Question, error) {
	return s.AnnulQuestionIn(ctx, id, reason, nil, actorID)
}

// AnnulQuestionIn annuls a question with a plain reason and the reason in
// each language (text, which may be empty).
func (s *Store) AnnulQuestionIn(ctx context.Context, id int64, reason string, text Text, actorID int64) (Question, error) {
	return s.changeQuestion(ctx, id, actorID, "annul", func(tx *gorm.DB, q *Question) (map[string]any, error) {
		if err := checkBranchAnnul(tx, *q); err != nil {
			return nil, err
		}
		q.Annulled, q.AnnulReason, q.AnnulReasonText = true, reason, onlyNonEmpty(text)
		v := map[string]any{"annulled": true, "reason": reason}
		if len(q.AnnulReasonText) > 0 {
			v["reason_i18n"] = q.AnnulReasonText
		}
		return v, nil
	})
}

// changeQuestion runs one admin change of a question's outcome in a
// transaction: it refuses annulled questions, applies change, bumps the
// revisions that caches key on and writes the audit row with old and new
// (and the reason, when the change annulled the question).
func (s *Store) changeQuestion(ctx context.Context, id, actorID int64, action string,
	change func(*gorm.DB, *Question) (map[string]any, error)) (Question, error) {
	var out Question
	ctx, announce := s.trackScoreMoves(ctx)
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q, err := findQuestion(tx, id)
		if err != nil {
			return err
		}
		if q.Annulled {
			return conflict("question %d is annulled", id)
		}
		old := resolutionValue(q)
		newValue, err := change(tx, &q)
		if err != nil {
			return err
		}
		upd := map[string]any{"annulled": flag(q.Annulled), "annul_reason": q.AnnulReason,
			"annul_reason_en": q.AnnulReasonText["en"], "annul_reason_zh": q.AnnulReasonText["zh"],
			"revision": gorm.Expr("revision + 1")}
		if q.Resolution != nil {
			upd["outcome"], upd["resolved_at"] = q.Resolution.Outcome, micros(q.Resolution.ResolvedAt)
			if at := q.Resolution.CorrectedAt; !at.IsZero() {
				upd["corrected_at"] = micros(at)
			}
		}
		if err := tx.Model(&questionRow{}).Where("id = ?", id).Updates(upd).Error; err != nil {
			return err
		}
		if err := bumpScoreVersion(tx, q.TournamentID); err != nil {
			return err
		}
		if err := addAudit(tx, AuditEntry{TournamentID: q.TournamentID, QuestionID: id, ActorID: actorID,
			Action: action, Old: old, New: rawJSON(newValue), Reason: q.AnnulReason, ReasonText: q.AnnulReasonText}); err != nil {
			return err
		}
		if err := s.deriveBranches(tx, id); err != nil {
			return err
		}
		if out, err = findQuestion(tx, id); err != nil {
			return err
		}
		return s.questionEvent(tx, questionEvents[action], out)
	})
	announce(err)
	return out, err
}

// questionEvents name the webhook event of each admin change.
var questionEvents = map[string]string{"resolve": EventQuestionResolved, "annul": EventQuestionAnnulled}

func resolutionValue(q Question) json.RawMessage {
	switch {
	case q.Annulled:
		return rawJSON(map[string]any{"annulled": true, "reason": q.AnnulReason})
	case q.Resolution != nil:
		return rawJSON(map[string]any{"outcome": q.Resolution.Outcome, "resolved_at": q.Resolution.ResolvedAt})
	}
	return nil
}

// QuestionShape is what never changes about a question once created: enough
// to validate a forecast without loading the whole question.
type QuestionShape struct {
	ID           int64
	TournamentID int64
	Kind         scoring.Kind
	Options      int
}

// FindQuestionShape loads a question's shape with a lean query.
func (s *Store) FindQuestionShape(ctx context.Context, id int64) (QuestionShape, error) {
	var row struct {
		TournamentID int64
		Kind         string
		Options      string
	}
	if err := s.r.WithContext(ctx).Raw("SELECT tournament_id, kind, options FROM questions WHERE id = ?", id).
		Take(&row).Error; err != nil {
		return QuestionShape{}, missing(err, "no question %d", id)
	}
	kind, err := scoring.ParseKind(row.Kind)
	if err != nil {
		return QuestionShape{}, err
	}
	var opts []json.RawMessage
	if err := json.Unmarshal([]byte(row.Options), &opts); err != nil {
		return QuestionShape{}, err
	}
	return QuestionShape{ID: id, TournamentID: row.TournamentID, Kind: kind, Options: len(opts)}, nil
}

// QuestionRevision returns a question's revision, which moves on every
// change to it: caches of whole questions key on it.
func (s *Store) QuestionRevision(ctx context.Context, id int64) (int64, error) {
	row, err := s.queryRow(ctx, "SELECT revision FROM questions WHERE id = ?", id)
	if err != nil {
		return 0, err
	}
	var rev int64
	if err := row.Scan(&rev); err != nil {
		return 0, missing(err, "no question %d", id)
	}
	return rev, nil
}
