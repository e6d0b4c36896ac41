package scoring

// The bootstrap of the aggregates board: a fixed seed, so that the server
// and an archive scored offline give the same intervals.
const (
	AggregateSeed      = 1
	AggregateResamples = 1000
)

// AggregateBoard compares every aggregate's question Brier scores
// (EvaluateAggregates's) with the median's on the same questions
// ([CompareToMedian], seeded with AggregateSeed): one Comparison per
// aggregate, in the order of Aggregates; all zero without questions.
func AggregateBoard(scores []AggregateScores) []Comparison {
	out := make([]Comparison, len(Aggregates))
	if len(scores) == 0 {
		return out
	}
	brier := make([][]float64, len(Aggregates))
	for _, s := range scores {
		for a := range Aggregates {
			brier[a] = append(brier[a], s.Scores[a].Brier)
		}
	}
	for a := range Aggregates {
		// Same lengths, at least one question and resamples: no error.
		out[a], _ = CompareToMedian(brier[a], brier[AggregateMedian], AggregateSeed, AggregateResamples)
	}
	return out
}

// RecommendMinQuestions is how many scored questions a recommendation
// needs: a bootstrap over a handful of questions is far narrower than
// the truth (over one question it has no width at all).
const RecommendMinQuestions = 20

// Recommend returns the aggregate a tournament's crowd should be, from
// its board: of the aggregates that beat the median by more than their
// interval ([Comparison.Beats]) over at least RecommendMinQuestions
// questions, the one with the lowest Brier; false if none does, and the
// median stays.
func Recommend(board []Comparison) (Aggregate, bool) {
	best, found := AggregateMedian, false
	for a, c := range board {
		if Aggregate(a) != AggregateMedian && c.Questions >= RecommendMinQuestions && c.Beats() &&
			(!found || c.Brier < board[best].Brier) {
			best, found = Aggregate(a), true
		}
	}
	return best, found
}
