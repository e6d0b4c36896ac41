package store

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"time"
)

// Export writes a tournament's archive to w. Forecasts are streamed in time
// order straight from the database, so memory stays flat however many there are.
func (s *Store) Export(ctx context.Context, tournamentID int64, w io.Writer) error {
	t, err := s.FindTournamentByID(ctx, tournamentID)
	if err != nil {
		return err
	}
	qs, err := s.ListQuestions(ctx, tournamentID)
	if err != nil {
		return err
	}
	head := Archive{Format: ArchiveFormat, Tournament: ArchiveTournament{Slug: t.Slug, Title: t.Title,
		Description: t.Description, StartsAt: formatArchiveTime(t.StartsAt), EndsAt: formatArchiveTime(t.EndsAt), Extra: t.Extra,
		ConditionalsOnMain: t.ConditionalsOnMain, CrowdAggregate: omitMedian(t.CrowdAggregate)}}
	slugByID := make(map[int64]string, len(qs))
	for i := range qs {
		head.Questions = append(head.Questions, toArchiveQuestion(&qs[i]))
		slugByID[qs[i].ID] = qs[i].Slug
	}
	exportConditions(head.Questions, qs, slugByID)
	if head.Links, err = exportLinks(s.r.WithContext(ctx), tournamentID, slugByID); err != nil {
		return err
	}
	if head.Likelihoods, err = exportLikelihoods(s.r.WithContext(ctx), tournamentID, slugByID); err != nil {
		return err
	}
	if head.Tripwires, err = exportTripwires(s.r.WithContext(ctx), tournamentID, slugByID); err != nil {
		return err
	}
	if head.Users, err = s.exportUsers(ctx, tournamentID); err != nil {
		return err
	}
	teams, err := s.TournamentTeams(ctx, tournamentID)
	if err != nil {
		return err
	}
	names, err := s.usernames(ctx, tournamentID)
	if err != nil {
		return err
	}
	for _, tm := range teams {
		at := ArchiveTeam{Name: tm.Name, Members: []string{}}
		for _, u := range tm.Members {
			at.Members = append(at.Members, names[u])
		}
		head.Teams = append(head.Teams, at)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := writeArchiveHead(bw, head); err != nil {
		return err
	}
	if err := s.streamForecasts(ctx, tournamentID, slugByID, names, bw); err != nil {
		return err
	}
	if _, err := bw.WriteString("]}\n"); err != nil {
		return err
	}
	return bw.Flush()
}

// writeArchiveHead writes everything but the forecasts, leaving the
// "forecasts" array open for streaming.
func writeArchiveHead(w *bufio.Writer, head Archive) error {
	if head.Questions == nil {
		head.Questions = []ArchiveQuestion{}
	}
	if head.Users == nil {
		head.Users = []ArchiveUser{}
	}
	if head.Teams == nil {
		head.Teams = []ArchiveTeam{}
	}
	b, err := json.Marshal(head)
	if err != nil {
		return err
	}
	// The marshalled document ends in `"forecasts":null}`: cut that off.
	const tail = `"forecasts":null}`
	b = b[:len(b)-len(tail)]
	if _, err := w.Write(b); err != nil {
		return err
	}
	_, err = w.WriteString(`"forecasts":[`)
	return err
}

func (s *Store) streamForecasts(ctx context.Context, tournamentID int64, slugs map[int64]string,
	names map[int64]string, w *bufio.Writer) error {
	rows, err := s.r.WithContext(ctx).Raw(`SELECT question_id, user_id, probabilities, rationale, created_at
		FROM forecasts WHERE tournament_id = ? ORDER BY created_at, id`, tournamentID).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	enc := json.NewEncoder(w)
	first := true
	var blob []byte
	for rows.Next() {
		var qid, uid, at int64
		var af ArchiveForecast
		if err := rows.Scan(&qid, &uid, &blob, &af.Rationale, &at); err != nil {
			return err
		}
		if af.Probabilities, err = decodeProbs(blob); err != nil {
			return err
		}
		af.Username, af.QuestionSlug, af.CreatedAt = names[uid], slugs[qid], formatArchiveTime(fromMicros(at))
		if !first {
			if err := w.WriteByte(','); err != nil {
				return err
			}
		}
		first = false
		if err := enc.Encode(af); err != nil {
			return err
		}
	}
	return rows.Err()
}

func toArchiveQuestion(q *Question) ArchiveQuestion {
	aq := ArchiveQuestion{Slug: q.Slug, Kind: q.Kind.String(), Title: q.Title, Criteria: q.Criteria, Options: q.Options,
		Area: q.Area, OpensAt: formatArchiveTime(q.OpensAt), ClosesAt: formatArchiveTime(q.ClosesAt)}
	extra := q.Extra
	aq.Extra = &extra
	switch {
	case q.Annulled:
		aq.Resolution = &ArchiveResolution{Annulled: true, Reason: q.AnnulReason, ReasonI18n: q.AnnulReasonText}
	case q.Resolution != nil:
		o := q.Resolution.Outcome
		aq.Resolution = &ArchiveResolution{Outcome: &o, ResolvedAt: formatArchiveTime(q.Resolution.ResolvedAt)}
	}
	return aq
}

// exportUsers lists the users who forecast in, belong to a team of or own
// a tripwire of the tournament.
func (s *Store) exportUsers(ctx context.Context, tournamentID int64) ([]ArchiveUser, error) {
	var rows []userRow
	err := s.r.WithContext(ctx).Raw(`SELECT * FROM users WHERE id IN (
		SELECT DISTINCT user_id FROM forecasts WHERE tournament_id = ?
		UNION SELECT user_id FROM team_members WHERE tournament_id = ?
		UNION SELECT owner_id FROM tripwires WHERE tournament_id = ?) ORDER BY id`, tournamentID, tournamentID, tournamentID).
		Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]ArchiveUser, len(rows))
	for i, r := range rows {
		out[i] = ArchiveUser{Username: r.Username, DisplayName: r.DisplayName}
	}
	return out, nil
}

func (s *Store) usernames(ctx context.Context, tournamentID int64) (map[int64]string, error) {
	var rows []struct {
		ID       int64
		Username string
	}
	err := s.r.WithContext(ctx).Raw(`SELECT id, username FROM users WHERE id IN (
		SELECT DISTINCT user_id FROM forecasts WHERE tournament_id = ?
		UNION SELECT user_id FROM team_members WHERE tournament_id = ?)`, tournamentID, tournamentID).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Username
	}
	return out, nil
}

func formatArchiveTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
