package mail

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"signpost/store"
)

// Share is one scenario's probability on a tournament's signpost board.
type Share struct {
	Label       store.Text `json:"label"`
	Probability float64    `json:"p"`
}

// boardMove is the least change in a scenario's probability a digest
// reports.
const boardMove = 0.01

// boardMarkKey is where a run leaves a tournament's board for the next
// run to compare with.
func boardMarkKey(slug string) string { return "digest.board:" + slug }

// boardMoves reads every tournament's board (or the run's one), returns
// what moved since the last run as one section per tournament builder,
// and the marks that record the boards now.
func (w *Worker) boardMoves(ctx context.Context, tournamentID int64) (func(lang string) []section, map[string]string, error) {
	if w.src.Board == nil {
		return func(string) []section { return nil }, nil, nil
	}
	ts, err := w.st.ListTournaments(ctx)
	if err != nil {
		return nil, nil, err
	}
	type moved struct {
		title    store.Text
		from, to []Share
	}
	var moves []moved
	marks := map[string]string{}
	for _, t := range ts {
		if tournamentID != 0 && t.ID != tournamentID {
			continue
		}
		now, err := w.src.Board(ctx, t.Slug)
		if err != nil {
			return nil, nil, fmt.Errorf("board of %s: %w", t.Slug, err)
		}
		if len(now) == 0 {
			continue
		}
		raw, _ := json.Marshal(now)
		marks[boardMarkKey(t.Slug)] = string(raw)
		prev, _, ok, err := w.st.Mark(ctx, boardMarkKey(t.Slug))
		if err != nil {
			return nil, nil, err
		}
		var before []Share
		if !ok || json.Unmarshal([]byte(prev), &before) != nil || len(before) != len(now) {
			continue
		}
		for i := range now {
			if math.Abs(now[i].Probability-before[i].Probability) >= boardMove {
				moves = append(moves, moved{title: t.Title, from: before, to: now})
				break
			}
		}
	}
	return func(lang string) []section {
		out := make([]section, 0, len(moves))
		for _, m := range moves {
			s := section{Title: tr(lang, "digest.board", pick(m.title, lang))}
			for i, sh := range m.to {
				if math.Abs(sh.Probability-m.from[i].Probability) < boardMove {
					continue
				}
				s.Items = append(s.Items, item{Text: pick(sh.Label, lang),
					Detail: fmt.Sprintf("%.0f%% → %.0f%%", 100*m.from[i].Probability, 100*sh.Probability)})
			}
			out = append(out, s)
		}
		return out
	}, marks, nil
}
