// Package scoring implements Signpost's scoring rules: the two-sided Brier
// score, daily scoring against the crowd median, team forecasts, the crowd
// forecast shown to users, leaderboards and calibration. This comment is
// the definition of those rules (version 1); every number the server
// reports matches it to within 1e-9. Lower is better everywhere.
//
// Signpost scores as Good Judgment Open does: the original (1950) Brier
// score, one score per day a question is open, compared each day with the
// median of the crowd's scores.
//
// Everything here is a pure function of plain values: no clock, no
// logging, no database, and only the standard library, so the rules can
// be tested exhaustively and reused by every layer above. The worked
// examples below are tests of this package (TestBrierWorkedExamples,
// TestScoreQuestionWorkedExample, ExampleBrier, ExampleScoreQuestion,
// ExampleBoard), and a slow reference implementation written straight from
// these rules is checked against the fast one on random questions.
//
// # 1. The Brier score of one forecast
//
// A forecast is a probability vector p over the question's K options: K
// numbers in [0, 1] that sum to 1 within [SumTolerance] (see [Validate]).
// A binary question has K = 2, and index 0 is Yes. The option that
// happened is j. [Brier] computes:
//
//   - binary and multiple_choice: B(p, j) = Σ_k (p_k − [k = j])², from 0
//     (certain and right) to 2 (certain and wrong). This is the original
//     two-sided score: a binary 70 % Yes that resolves No scores
//     0.7² + 0.7² = 0.98, twice the one-sided (p − o)² some textbooks use.
//   - ordered (ordered buckets): the mean of the K − 1 cumulative binary
//     Brier scores, below. Probability put near the realised bucket costs
//     less than probability put far from it. With K = 2 it equals the
//     plain score.
//
// For the ordered kind, each cut s = 0 … K−2 splits the buckets into "at
// most s" and "above s"; with P_s = p_0 + … + p_s, and o_s = 1 if j ≤ s,
// else 0:
//
//	B(p, j) = (1 / (K−1)) · Σ_s [ (P_s − o_s)² + ((1 − P_s) − (1 − o_s))² ]
//
// Worked examples:
//
//	kind                         forecast                  realised   Brier
//	multiple_choice (4 options)  0.40, 0.30, 0.20, 0.10    option 0   0.50
//	binary                       Yes 0.70                  No         0.98
//	ordered                      0.25, 0.25, 0.30, 0.20    bucket 1   0.235
//	ordered                      0.15, 0.45, 0.25, 0.15    bucket 2   0.27
//	multiple_choice              0.15, 0.45, 0.25, 0.15    option 2   0.81
//
// The last two rows are the same forecast: as ordered buckets its near
// miss costs 0.27, where the plain score would charge 0.81. For the first
// ordered row the cuts give P = 0.25, 0.50, 0.80 against o = 0, 1, 1, so
// B = (2·0.25² + 2·0.50² + 2·0.20²) / 3 = 0.705 / 3 = 0.235.
//
// # 2. The scoring window and its days
//
//   - The window is [opens_at, E) with E = min(closes_at, resolved_at)
//     ([Question.End]). A forecast made at or after E is never scored:
//     once the answer is known, forecasting it earns nothing.
//   - Days are UTC calendar days. A question's days are every UTC day that
//     overlaps the window, from the day of opens_at to the day holding the
//     last instant before E; their count is N (days_total, [Question.Days]).
//     If E is exactly midnight, that day is not in the window.
//   - A user's standing forecast on day d is their latest forecast made
//     strictly before min(end of day d, E). The last forecast of a day
//     counts for that whole day, and on the final, possibly partial, day
//     the standing forecast is read at E.
//   - A user's active days run from the day of their first scored forecast
//     to the last day of the window; their count is n_u (days_forecast).
//
// # 3. Scores on one question
//
// For each day d and each user u with a standing forecast on d:
//
//   - the daily Brier score b_u(d) = B(standing forecast, j);
//   - the daily crowd median m(d) = the median of b_u(d) over every user
//     with a standing forecast on d (the mean of the two middle values when
//     their count is even). It is a median of scores, not the score of a
//     median forecast.
//
// For each user u with at least one active day, [ScoreQuestion] reports a
// [UserScore]:
//
//	field          definition
//	brier          mean of b_u(d) over u's active days
//	crowd_brier    mean of m(d) over u's active days
//	relative       (1/N) · Σ over active d of (b_u(d) − m(d))
//	               = (brier − crowd_brier) · n_u / N
//	days_forecast  n_u
//	days_total     N
//
// relative is Good Judgment Open's Accuracy Score with one decision made
// explicit: the crowd median is averaged over the user's own active days,
// so a day a user did not forecast counts exactly as if they had scored
// the median (zero). Joining late neither helps nor hurts for the days
// missed; only forecasts better than the crowd's make relative negative.
//
// A user whose every forecast is at or after E has no score on the
// question. Annulled and unresolved questions have no scores at all.
//
// # Worked example: an election
//
// Options [Clinton, Trump]; opens 2016-11-01T00:00Z, closes
// 2016-11-08T00:00Z, resolved Trump (index 1) at 2016-11-09T05:00Z, so
// E is the close and N = 7. George (user 1) forecasts Clinton 0.7 on 11-01
// at 10:00, 0.5 on 11-03 at 09:09 and 0.6 on 11-03 at 21:42 (the last of
// that day is the one that stands). Kramer (user 2) forecasts Clinton 0.4
// on 11-02 at 12:00 and 0.3 on 11-05 at 12:00. Daily Brier scores and
// crowd medians:
//
//	day     George  Kramer  median
//	11-01   0.98    -       0.98
//	11-02   0.98    0.32    0.65
//	11-03   0.72    0.32    0.52
//	11-04   0.72    0.32    0.52
//	11-05   0.72    0.18    0.45
//	11-06   0.72    0.18    0.45
//	11-07   0.72    0.18    0.45
//
//	George  brier 5.56/7 = 0.794286  crowd_brier 4.02/7 = 0.574286  relative +0.22  days 7/7
//	Kramer  brier 1.50/6 = 0.25      crowd_brier 3.04/6 = 0.506667  relative −0.22  days 6/7
//
// George's relative is (5.56 − 4.02) / 7 = +0.22: worse than the crowd.
// Kramer's is (1.50 − 3.04) / 7 = −0.22: better, although he missed a day.
//
// The same forecasts with the question resolved early, at
// 2016-11-05T06:00Z: now E is the resolution, N = 5, and Kramer's 11-05
// 12:00 forecast comes after E and is ignored, so on 11-05 his 0.32 still
// stands and the median is 0.52:
//
//	George  brier 0.824  crowd_brier 0.638   relative +0.186  days 5/5
//	Kramer  brier 0.32   crowd_brier 0.5525  relative −0.186  days 4/5
//
// # 4. Leaderboards
//
// Over a tournament's resolved, non-annulled questions ([Board]):
//
//   - An individual entry has questions = the number of questions on which
//     the user has a score, brier = the mean of those questions' brier,
//     and relative = the sum of those questions' relative. Entries are
//     ordered by relative ascending, then brier ascending, then username.
//     Entries equal in both relative and brier share a rank (1, 2, 2, 4).
//   - A team's forecast on a day is the per-option median of its members'
//     standing forecasts (members who have one), renormalised to sum to 1.
//     It is scored exactly like a user's, against the same daily crowd
//     median m(d) of individuals: the team's brier on a question is the
//     mean over its active days (days on which at least one member has a
//     standing forecast), its relative is (1/N) · Σ (b_team(d) − m(d))
//     ([TeamScore]). A team entry sums relative and averages brier over
//     the questions where the team has a score, with members = the team's
//     size, ordered as above by team name. Since m(d) is a median of
//     individuals, a member joining or leaving moves no individual score
//     and no m(d): [ScoreTeams] rescores only the teams concerned, from
//     their members' forecasts and the kept medians, with the same result.
//
// Annulling a question removes it from every score. Resolving again
// replaces the previous resolution, and every score follows.
//
// # 5. The crowd forecast shown to users
//
// The crowd forecast at an instant is the per-option median of every
// user's latest forecast made before that instant, renormalised to sum to
// 1, or uniform if every median is 0 ([Crowd], [Standing]). The daily crowd
// series ([CrowdSeries]) uses each day's standing forecasts, read as in
// section 2.
//
// # 6. Calibration
//
// A user's calibration table ([Calibration]) puts every probability of
// their forecasts made before E on resolved, non-annulled questions (one
// sample per option) into equal-width bins over [0, 1],
// and reports per bin how often those options happened: a well-calibrated
// forecaster's observed frequency is close to their mean forecast in
// every bin. It is shown to users; it does not enter any score.
//
// # 7. Signposts: likelihood tables, evidence, expected and implied
//
// A scenario question (K mutually exclusive futures S_1…S_K) is linked
// to indicator questions. What an indicator says about the scenarios is
// its likelihood table: for the indicator's trigger (a Yes; for an
// ordered question a bucket, or the upper or lower half of the buckets;
// see [Trigger]), P(trigger | S_k) for every scenario k, "if this future
// is unfolding, how likely is this signpost?". Every entry is kept within
// [LikelihoodMin, LikelihoodMax] = [0.01, 0.99], so that no single
// indicator can rule a scenario out.
//
// Table. A table comes from one of three sources, in this order of
// precedence: an admin enters it ([LikelihoodGiven]); the crowd gives it
// through a conditional pair (section 8) answered in full by enough
// forecasters ([LikelihoodFromBranches], by Bayes: P(trigger | S_k) =
// q·P(S_k | Yes) / (q·P(S_k | Yes) + (1 − q)·P(S_k | No)), q the crowd's
// probability of the trigger); or it is derived from the admin's links
// ([LikelihoodFromStrengths]). A link says that the trigger raises
// (direction +1) or lowers (−1) one scenario with a strength read as a
// likelihood ratio L (weak 1.5, moderate 2.5, strong 5):
//
//	logit P_k = logit(½) + Σ over links to k of direction · ln L
//
// Worked example (ExampleLikelihoodFromStrengths): four scenarios; the
// trigger raises S2 and S3 moderately and lowers S1 moderately. S1's
// odds are 1 : 2.5, so P_1 = 1/3.5 = 0.2857; S2 and S3 have odds 2.5 : 1,
// P = 0.7143; S4 is named by no link and keeps the base rate 0.5.
//
// Evidence. Resolved indicators update a prior over the scenarios (the
// scenario question's reference forecast, or uniform without one; never
// the crowd) by exact Bayes ([Posterior]):
//
//	P(S_k | resolved) ∝ prior_k · Π over resolved indicators of P(outcome | S_k)
//
// with P(outcome | S_k) the table entry if the trigger happened and one
// minus it if not. This is hard evidence, and it takes the indicators to
// be independent given the scenario. Worked example (ExamplePosterior):
// prior 25/20/15/40; indicator A with the table above resolved Yes,
// indicator B with table 0.8/0.4/0.6/0.2 resolved No. The weights are
// 0.25·0.2857·0.2, 0.20·0.7143·0.6, 0.15·0.7143·0.4 and 0.40·0.5·0.8 =
// 0.01429, 0.08571, 0.04286 and 0.16, so the evidence posterior is
// 4.7 %, 28.3 %, 14.2 % and 52.8 %.
//
// Expected. For an open indicator, what a scenario forecast p predicts
// for its trigger is Σ_k p_k · P(trigger | S_k) ([ExpectedTrigger]). The
// gap between what the crowd's scenario forecast expects and the crowd's
// own probability of the trigger is the news: there the crowd's
// indicator and scenario forecasts disagree. Worked example
// (ExampleExpectedTrigger): the crowd's 25/20/15/40 and the table
// 0.2857/0.7143/0.7143/0.5 expect 0.25·0.2857 + 0.20·0.7143 +
// 0.15·0.7143 + 0.40·0.5 = 0.5214.
//
// Implied. An open indicator's crowd forecast is not independent
// evidence: it is a consequence of what the crowd believes about the
// scenarios, so multiplying it onto the crowd's scenario forecast would
// count the same belief twice. Instead [ImpliedByForecasts] reads the
// open indicators' forecasts q_I back into the scenario distribution that
// explains them best, the p on the simplex maximising
//
//	Σ_I [ q_I ln a_I(p) + (1 − q_I) ln(1 − a_I(p)) ],  a_I(p) = Σ_k p_k · P(trigger_I | S_k)
//
// with ties and directions the indicators leave open settled toward the
// evidence posterior (with no open-indicator forecasts, implied is the
// evidence posterior). A crowd whose every indicator forecast is what its
// scenario forecast expects gets its scenario forecast back whenever the
// tables determine the scenarios. Worked example
// (ExampleImpliedByForecasts): two scenarios, uniform evidence, one
// indicator with table 0.8/0.2 forecast at 0.62: 0.8·p_1 + 0.2·(1 − p_1)
// = 0.62 gives p_1 = 0.7, so the implied distribution is 70/30.
// [ImpliedRange] gives its 10th–90th percentiles over a seeded bootstrap
// of the forecasters (ExampleImpliedRange).
//
// Coherence. [TableCoherenceOf] applies the same rule to one
// forecaster's own indicator forecasts and measures the total variation
// distance (half the sum of absolute differences) between what they
// imply and the forecaster's scenario forecast; above a threshold (0.2 by
// default) the forecaster is shown a note naming the indicators whose
// forecast differs most from what their scenario forecast expects
// (ExampleTableCoherenceOf). [Ledger] breaks a question score into days:
// each day's Brier of the standing forecast, the crowd median's Brier and
// their difference, which sum to the question's relative score.
//
// The earlier rule, [Implied] with [CoherenceOf] (the crowd as prior and
// each link's evidence e = 2q − 1 as a likelihood-ratio power), stays in
// the package for comparison; the board no longer uses it.
//
// # 8. Conditional pairs
//
// A conditional pair asks a scenario question twice, on the assumption
// that an indicator resolves Yes and on the assumption that it resolves No
// (for an ordered indicator: at or above a bucket, or below it). Each
// branch is an ordinary multiple-choice question scored by sections 1 to
// 4, from its opening to its own end: the branch whose condition fails is
// annulled, the other resolves with the scenario question. No new scoring
// rule is needed.
//
// From the crowds of the two branches (section 5) [LikelihoodRatios]
// derives, per scenario, P(S | Yes) / P(S | No), and
// [LikelihoodFromBranches] the crowd's likelihood table (section 7), which
// the signpost board uses in place of the admin's links once enough
// forecasters answered both branches; [TotalProbability] gives P(I)·P(S | Yes) + (1 − P(I))·P(S
// | No) to set beside the direct scenario forecast. The worked example is
// on [LikelihoodRatios] (ExampleLikelihoodRatios).
//
// # 9. Aggregates
//
// The crowd of section 5 is one way of pooling a question-day's standing
// forecasts; [Aggregate] names five ([ParseAggregate] reads the API
// spelling), each a pure function of that day's [StandingForecast]s
// with its formula and worked example on its own function:
//
//   - median: the crowd of section 5 ([Crowd]).
//   - mean_logodds: the normalised geometric mean, each probability
//     first clamped to [0.001, 0.999]; for binary questions the mean of
//     log-odds ([MeanLogOdds]).
//   - recency_median: a weighted median, the i-th oldest of n forecasts
//     weighing e^√i, per option, then normalised ([RecencyMedian]).
//   - skill_weighted: mean_logodds weighted by each forecaster's mean
//     relative score on questions resolved before the day, shrunk toward
//     a newcomer's weight 1 ([SkillWeight], [SkillWeighted]).
//   - extremized: skill_weighted with each probability raised to d and
//     normalised (binary: log-odds times d), d fitted on the questions
//     resolved before the day, 1 until ExtremizeMinQuestions have
//     resolved ([Extremize], [FitExtremizing]).
//
// A question's daily series of an aggregate ([AggregateSeries]) reads
// each day's standing forecasts as section 2 reads them, with the track
// records and d of the questions resolved (by resolved_at) strictly
// before that day's start ([AggregatePast]): a question's own outcome
// never weighs its forecasters nor fits its d, so every aggregate is
// scored out of sample. [EvaluateAggregates] walks a tournament's
// resolved questions in the order they resolved, building that past and
// scoring each aggregate as a forecaster ([ScoreSeries]): its daily
// Brier against the humans' daily median m(d) of section 3, which it
// does not move; brier and relative as a user's. The d of a day is
// [FitExtremizing] of the skill_weighted series of every question
// resolved before it.
//
// [CompareToMedian] sets an aggregate's question scores beside the
// median's, with a seeded bootstrap interval over questions; an
// aggregate beats the median only when the whole interval is below 0.
// [AggregateBoard] compares every aggregate so, and [Recommend] names the
// best of those that beat the median over at least RecommendMinQuestions
// questions, or none, and the median stays. [SimulateTournament] makes
// tournaments whose truth is known, to measure all of this on.
//
// # Why these choices
//
//   - The two-sided Brier score (0 to 2) and daily averaging: Good Judgment
//     Open, Cultivate/INFER and Fatebook use them, so users of those
//     platforms read Signpost's numbers without translation.
//   - Relative to the daily median: being right early is rewarded, and
//     waiting until the answer is obvious gains nothing.
//   - Ordered buckets use Good Judgment's cumulative rule, so a near miss
//     costs less than a far miss.
//   - Scoring ends at min(closes_at, resolved_at): no one earns points for
//     forecasting an event after it happened.
package scoring
