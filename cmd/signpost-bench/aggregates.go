package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"signpost/scoring"
)

// aggregateScenario is one synthetic tournament shape of -aggregates.
type aggregateScenario struct {
	name string
	opts scoring.SimOptions
}

// aggregateScenarios vary the crowd's size, the spread of its skill and
// how often it updates; every one has several hundred questions.
var aggregateScenarios = []aggregateScenario{
	{"base: 40 forecasters", scoring.SimOptions{Forecasters: 40, Questions: 400, Days: 12, Stride: 2}},
	{"small crowd: 10", scoring.SimOptions{Forecasters: 10, Questions: 400, Days: 12, Stride: 2}},
	{"large crowd: 150", scoring.SimOptions{Forecasters: 150, Questions: 300, Days: 12, Stride: 2}},
	{"wide skill: noise 0.1-3", scoring.SimOptions{Forecasters: 40, Questions: 400, Days: 12, Stride: 2, Noise: [2]float64{0.1, 3}}},
	{"narrow skill: noise 1-1.3", scoring.SimOptions{Forecasters: 40, Questions: 400, Days: 12, Stride: 2, Noise: [2]float64{1, 1.3}}},
	{"rare updates: 2-10 %", scoring.SimOptions{Forecasters: 40, Questions: 400, Days: 12, Stride: 2, Update: [2]float64{0.02, 0.1}}},
	{"daily updates: 60-100 %", scoring.SimOptions{Forecasters: 40, Questions: 400, Days: 12, Stride: 2, Update: [2]float64{0.6, 1}}},
}

// aggregateRow is one scenario's result, averaged over seeds: each
// aggregate's Brier over the median's on the second half of the
// questions, the truth's (the floor), and the default the first half's
// evidence picks (scoring.Recommend) with its ratio on the second half,
// on average and on its worst seed.
type aggregateRow struct {
	scenario string
	ratio    []float64 // by aggregate
	truth    float64
	picks    map[scoring.Aggregate]int
	chosen   float64 // the picked default's ratio, the median's (1) when none is picked
	worst    float64
}

// runAggregates runs every scenario over seeds and prints the table.
func runAggregates(ctx context.Context, seeds int, first uint64, stdout, progress io.Writer) error {
	var rows []aggregateRow
	for _, sc := range aggregateScenarios {
		row := aggregateRow{scenario: sc.name, ratio: make([]float64, len(scoring.Aggregates)), picks: map[scoring.Aggregate]int{}}
		for s := range seeds {
			if err := ctx.Err(); err != nil {
				return err
			}
			o := sc.opts
			o.Seed = first + uint64(s)
			fmt.Fprintf(progress, "aggregates: %s, seed %d\n", sc.name, o.Seed)
			qs, truth, err := scoring.SimulateTournament(o)
			if err != nil {
				return err
			}
			// Every day reads only the questions resolved before it: the
			// scores are out of sample for skills and d alike.
			_, scores := scoring.EvaluateAggregates(qs)
			half := len(scores) / 2
			before, after := scoring.AggregateBoard(scores[:half]), scoring.AggregateBoard(scores[half:])
			for a := range scoring.Aggregates {
				row.ratio[a] += after[a].Brier / after[a].Median / float64(seeds)
			}
			var floor float64
			for _, s := range scores[half:] {
				q := qs[s.ID-1].Question
				floor += scoring.Brier(q.Kind, truth[s.ID-1], q.Outcome) / float64(len(scores)-half)
			}
			row.truth += floor / after[scoring.AggregateMedian].Brier / float64(seeds)
			pick, _ := scoring.Recommend(before)
			row.picks[pick]++
			r := after[pick].Brier / after[pick].Median
			row.chosen += r / float64(seeds)
			row.worst = max(row.worst, r)
		}
		rows = append(rows, row)
	}
	writeAggregates(stdout, rows, seeds)
	return nil
}

func writeAggregates(w io.Writer, rows []aggregateRow, seeds int) {
	fmt.Fprintf(w, "Brier / median's Brier on the second half of the questions, mean of %d seeds (lower is better)\n", seeds)
	fmt.Fprintf(w, "%-26s", "scenario")
	for _, a := range scoring.Aggregates {
		fmt.Fprintf(w, " %14s", a)
	}
	fmt.Fprintf(w, " %7s  %s\n", "truth", "default picked on the first half (seeds) → its ratio, worst seed")
	for _, r := range rows {
		fmt.Fprintf(w, "%-26s", r.scenario)
		for _, x := range r.ratio {
			fmt.Fprintf(w, " %14.3f", x)
		}
		var picks []string
		for _, a := range scoring.Aggregates {
			if n := r.picks[a]; n > 0 {
				picks = append(picks, fmt.Sprintf("%v %d", a, n))
			}
		}
		fmt.Fprintf(w, " %7.3f  %s → %.3f, %.3f\n", r.truth, strings.Join(picks, ", "), r.chosen, r.worst)
	}
}
