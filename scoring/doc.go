// Package scoring implements Signpost's scoring rules (SCORING.md): the
// two-sided Brier score, daily scoring against the crowd median, team
// forecasts, the crowd forecast shown to users, leaderboards and
// calibration.
//
// Everything here is a pure function of plain values: no clock, no
// logging, no database, and only the standard library, so the rules can
// be tested exhaustively and reused by every layer above.
package scoring
