package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"signpost/scoring"
)

// orMedian reads an unset aggregate as the median, every tournament's
// crowd before the setting existed.
func orMedian(name string) string {
	if name == "" {
		return scoring.AggregateMedian.String()
	}
	return name
}

// omitMedian leaves the default out of an archive, so that archives of
// tournaments that never chose are unchanged.
func omitMedian(name string) string {
	if name == scoring.AggregateMedian.String() {
		return ""
	}
	return name
}

// ValidateCrowdAggregate checks the name of a tournament's crowd
// aggregate (ErrInvalid naming crowd_aggregate).
func ValidateCrowdAggregate(name string) error {
	if _, err := scoring.ParseAggregate(name); err != nil {
		return Invalid("crowd_aggregate", "crowd_aggregate must be one of median, mean_logodds, recency_median, skill_weighted, extremized")
	}
	return nil
}

// SetCrowdAggregate sets which aggregate the tournament's crowd is. A
// change is audited; setting the current value changes nothing. Scores
// do not move (no forecaster is scored against the crowd forecast), so
// the score version stays.
func (s *Store) SetCrowdAggregate(ctx context.Context, tournamentID int64, name string, actorID int64) (Tournament, error) {
	if err := ValidateCrowdAggregate(name); err != nil {
		return Tournament{}, err
	}
	var out Tournament
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := findTournament(tx, "id = ?", tournamentID)
		if err != nil || t.CrowdAggregate == name {
			out = t
			return err
		}
		if err := tx.Model(&tournamentRow{}).Where("id = ?", tournamentID).Update("crowd_aggregate", name).Error; err != nil {
			return err
		}
		if err := addAudit(tx, AuditEntry{TournamentID: tournamentID, ActorID: actorID, Action: "edit_tournament",
			Old: rawJSON(map[string]string{"crowd_aggregate": t.CrowdAggregate}),
			New: rawJSON(map[string]string{"crowd_aggregate": name})}); err != nil {
			return err
		}
		out, err = findTournament(tx, "id = ?", tournamentID)
		return err
	})
	return out, err
}

// EvaluateAggregates runs scoring.EvaluateAggregates over the
// tournament's scored questions (resolved, not annulled), from their
// stored forecasts: what the crowd's skill_weighted and extremized read
// of the past, and each aggregate's scores. The server and `signpost
// score` both call it, so an archive reproduces the server's figures.
func (s *Store) EvaluateAggregates(ctx context.Context, tournamentID int64) (*scoring.AggregatePast, []scoring.AggregateScores, error) {
	qs, err := s.ListQuestions(ctx, tournamentID)
	if err != nil {
		return nil, nil, err
	}
	var in []scoring.AggregateQuestion
	for i := range qs {
		q := &qs[i]
		if !q.Scored() {
			continue
		}
		fs, err := s.ScoringForecasts(ctx, q.ID)
		if err != nil {
			return nil, nil, err
		}
		res, err := scoring.ScoreQuestion(q.ScoringQuestion(), fs, nil)
		if err != nil {
			// As ScoreQuestion: stored data the scorer refuses is a server fault.
			return nil, nil, fmt.Errorf("scoring question %d: %v", q.ID, err)
		}
		in = append(in, scoring.AggregateQuestion{ID: q.ID, Question: q.ScoringQuestion(), Forecasts: fs, Result: res})
	}
	past, scores := scoring.EvaluateAggregates(in)
	return past, scores, nil
}
