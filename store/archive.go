package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"signpost/scoring"
)

// ArchiveFormat names the archive document's version. Version 2 added
// the signpost links; ArchiveFormatV1 documents still import, their links
// derived from the questions' signals as the seed's are.
const ArchiveFormat = "signpost-archive/2"

// ArchiveFormatV1 is the first archive format, without links.
const ArchiveFormatV1 = "signpost-archive/1"

// Archive is a tournament's portable document (signpost-archive/1: what export writes
// and import reads, through the API or the command line).
type Archive struct {
	Format     string            `json:"format"`
	Tournament ArchiveTournament `json:"tournament"`
	Questions  []ArchiveQuestion `json:"questions"`
	Users      []ArchiveUser     `json:"users"`
	Teams      []ArchiveTeam     `json:"teams"`
	// Links come before the forecasts: Export streams the forecasts last.
	Links []ArchiveLink `json:"links,omitempty"`
	// Likelihoods are the admin's likelihood tables.
	Likelihoods []ArchiveLikelihoods `json:"likelihoods,omitempty"`
	// Tripwires are the tournament's tripwires with their state.
	Tripwires []ArchiveTripwire `json:"tripwires,omitempty"`
	Forecasts []ArchiveForecast `json:"forecasts"`
}

// ArchiveTournament is the tournament in an archive.
type ArchiveTournament struct {
	Slug        string          `json:"slug"`
	Title       Text            `json:"title"`
	Description Text            `json:"description"`
	StartsAt    string          `json:"starts_at" format:"date-time"`
	EndsAt      string          `json:"ends_at" format:"date-time"`
	Extra       json.RawMessage `json:"extra,omitempty" schema:"tournamentExtra"`
	// ConditionalsOnMain is Tournament.ConditionalsOnMain.
	ConditionalsOnMain bool `json:"conditionals_on_main,omitempty"`
	// CrowdAggregate is Tournament.CrowdAggregate (absent: median).
	CrowdAggregate string `json:"crowd_aggregate,omitempty" enum:"median,mean_logodds,recency_median,skill_weighted,extremized"`
}

// ArchiveQuestion is a question with its resolution.
type ArchiveQuestion struct {
	Slug       string             `json:"slug"`
	Kind       string             `json:"kind" enum:"binary,multiple_choice,ordered"`
	Title      Text               `json:"title"`
	Criteria   Text               `json:"criteria"`
	Options    []Option           `json:"options"`
	Area       string             `json:"area"`
	OpensAt    string             `json:"opens_at" format:"date-time"`
	ClosesAt   string             `json:"closes_at" format:"date-time"`
	Resolution *ArchiveResolution `json:"resolution"`
	Extra      *QuestionExtra     `json:"extra,omitempty"`
	// Condition and Mirrors are set on conditional branches only.
	Condition *ArchiveCondition `json:"condition,omitempty"`
	Mirrors   string            `json:"mirrors,omitempty"` // slug of the scenario question
}

// ArchiveResolution is an outcome or an annulment.
type ArchiveResolution struct {
	Outcome    *int   `json:"outcome,omitempty"`
	ResolvedAt string `json:"resolved_at,omitempty" format:"date-time"`
	Annulled   bool   `json:"annulled,omitempty"`
	Reason     string `json:"reason,omitempty"`
	// ReasonI18n is the annul reason in each language. Archives written
	// before it existed lack it and still import: a reason that holds both
	// languages as JSON is split as LegacyReason says.
	ReasonI18n Text `json:"reason_i18n,omitempty" doc:"the annul reason in each language (en, zh), as the question's resolution.reason_i18n"`
}

// ArchiveUser is a user; Password is only read on import.
type ArchiveUser struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Password    string `json:"password,omitempty"`
}

// ArchiveTeam is a team by name with its members' usernames.
type ArchiveTeam struct {
	Name    string   `json:"name"`
	Members []string `json:"members"`
}

// ArchiveForecast is one forecast by reference.
type ArchiveForecast struct {
	Username      string    `json:"username"`
	QuestionSlug  string    `json:"question_slug"`
	Probabilities []float64 `json:"probabilities"`
	CreatedAt     string    `json:"created_at" format:"date-time"`
	Rationale     string    `json:"rationale,omitempty"`
}

// ImportCounts says what an import created.
type ImportCounts struct {
	Users     int `json:"users"`
	Questions int `json:"questions"`
	Forecasts int `json:"forecasts"`
	// Tournament is the slug of the tournament imported into (created or
	// not), for callers that only had the document as a stream.
	Tournament string `json:"-"`
}

func parseArchiveTime(field, v string) (time.Time, error) {
	t, ok := archiveTime(v)
	if !ok {
		return time.Time{}, Invalid(field, "%s must be an RFC 3339 time", field)
	}
	return t, nil
}

// archiveTime parses a time without naming a field, for the per-forecast
// path where a field path is only worth building on error.
func archiveTime(v string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC().Truncate(time.Microsecond), true
}

func (at ArchiveTournament) toTournament() (Tournament, error) {
	starts, err := parseArchiveTime("tournament.starts_at", at.StartsAt)
	if err != nil {
		return Tournament{}, err
	}
	ends, err := parseArchiveTime("tournament.ends_at", at.EndsAt)
	if err != nil {
		return Tournament{}, err
	}
	t := Tournament{Slug: at.Slug, Title: at.Title, Description: at.Description, StartsAt: starts, EndsAt: ends, Extra: at.Extra,
		ConditionalsOnMain: at.ConditionalsOnMain, CrowdAggregate: at.CrowdAggregate}
	if err := ValidateTournament(t); err != nil {
		return Tournament{}, prefixField("tournament.", err)
	}
	return t, nil
}

// toQuestion validates an archived question; field paths name its index.
func (aq ArchiveQuestion) toQuestion(i int, now time.Time) (Question, error) {
	at := fmt.Sprintf("questions[%d].", i)
	kind, err := scoring.ParseKind(aq.Kind)
	if err != nil {
		return Question{}, Invalid(at+"kind", "%skind must be binary, multiple_choice or ordered", at)
	}
	if aq.Slug == "" {
		return Question{}, Invalid(at+"slug", "%sslug is required", at)
	}
	opens, err := parseArchiveTime(at+"opens_at", aq.OpensAt)
	if err != nil {
		return Question{}, err
	}
	closes, err := parseArchiveTime(at+"closes_at", aq.ClosesAt)
	if err != nil {
		return Question{}, err
	}
	q := Question{Slug: aq.Slug, Kind: kind, Title: aq.Title, Criteria: aq.Criteria, Options: aq.Options,
		Area: aq.Area, OpensAt: opens, ClosesAt: closes}
	if aq.Extra != nil {
		q.Extra = *aq.Extra
	}
	if err := ValidateQuestion(&q); err != nil {
		return Question{}, prefixField(at, err)
	}
	if r := aq.Resolution; r != nil {
		switch {
		case r.Annulled:
			if err := r.annulment(&q); err != nil {
				return Question{}, prefixField(at+"resolution.", err)
			}
		case r.Outcome != nil:
			if *r.Outcome < 0 || *r.Outcome >= len(q.Options) {
				return Question{}, Invalid(at+"resolution.outcome", "%sresolution.outcome is not an option index", at)
			}
			resolved, err := parseArchiveTime(at+"resolution.resolved_at", r.ResolvedAt)
			if err != nil {
				return Question{}, err
			}
			if resolved.After(now) {
				return Question{}, Invalid(at+"resolution.resolved_at", "%sresolution.resolved_at is in the future", at)
			}
			if resolved.Before(opens) {
				return Question{}, Invalid(at+"resolution.resolved_at", "%sresolution.resolved_at is before opens_at", at)
			}
			q.Resolution = &Resolution{Outcome: *r.Outcome, ResolvedAt: resolved}
		default:
			return Question{}, Invalid(at+"resolution", "%sresolution needs an outcome or annulled", at)
		}
	}
	return q, nil
}

// annulment sets an archived annulment's reasons on q.
func (r *ArchiveResolution) annulment(q *Question) error {
	if err := ValidateText("reason_i18n", r.ReasonI18n, false, MaxReasonLen); err != nil {
		return err
	}
	q.Annulled, q.AnnulReason, q.AnnulReasonText = true, r.Reason, onlyNonEmpty(r.ReasonI18n)
	if len(q.AnnulReasonText) == 0 {
		if plain, text, ok := LegacyReason(r.Reason); ok {
			q.AnnulReason, q.AnnulReasonText = plain, text
		}
	}
	return nil
}

// prefixField puts a path in front of a validation error's field.
func prefixField(prefix string, err error) error {
	if e, ok := err.(*Error); ok && e.Kind == ErrInvalid {
		return &Error{Kind: ErrInvalid, Field: prefix + e.Field, Message: prefix + e.Message}
	}
	return err
}

// ErrBadDocument: an archive is not well-formed JSON, or a part of it has the
// wrong JSON type. Unlike ErrInvalid, no rule of the data is at fault: the
// document cannot be read. The api package answers it with 400 bad_request.
var ErrBadDocument = errors.New("bad archive document")

// DocumentError says where an archive stopped being readable. errors.Is
// matches it to ErrBadDocument; it wraps the decoder's error
// (*json.SyntaxError, *json.UnmarshalTypeError, io.ErrUnexpectedEOF).
type DocumentError struct {
	Field   string // where, when known: "forecasts[12].probabilities"
	Message string // client-safe
	Err     error
}

func (e *DocumentError) Error() string        { return e.Message }
func (e *DocumentError) Unwrap() error        { return e.Err }
func (e *DocumentError) Is(target error) bool { return target == ErrBadDocument }

func badDocument(field string, err error, format string, a ...any) error {
	return &DocumentError{Field: field, Message: fmt.Sprintf(format, a...), Err: err}
}

// Top-level keys of an archive, as bits of archiveReader.seen.
const (
	keyFormat = 1 << iota
	keyTournament
	keyQuestions
	keyUsers
	keyTeams
	keyForecasts
	keyLinks
	keyLikelihoods
	keyTripwires

	keysHead = keyFormat | keyTournament | keyQuestions | keyUsers | keyTeams
)

var archiveKeys = map[string]int{"format": keyFormat, "tournament": keyTournament, "questions": keyQuestions,
	"users": keyUsers, "teams": keyTeams, "forecasts": keyForecasts, "links": keyLinks,
	"likelihoods": keyLikelihoods, "tripwires": keyTripwires}

// archiveReader reads an archive token by token so that its forecasts, nearly
// all of a large archive, pass one at a time instead of being held in memory.
// That needs everything else first, as Export writes it; an archive whose
// "forecasts" come before one of the other keys has its forecasts buffered.
type archiveReader struct {
	dec  *json.Decoder
	head Archive // Forecasts only when buffered
	seen int
}

func newArchiveReader(r io.Reader) *archiveReader {
	return &archiveReader{dec: json.NewDecoder(r)}
}

// readHead reads up to the forecasts, or to the end if the rest of the head
// comes after them. streaming reports the former: readForecastsAndRest must
// follow.
func (ar *archiveReader) readHead() (streaming bool, err error) {
	tok, err := ar.dec.Token()
	if err != nil {
		return false, ar.docErr("", err)
	}
	if tok != json.Delim('{') {
		return false, badDocument("", nil, "the archive must be a JSON object")
	}
	for ar.dec.More() {
		key, err := ar.key()
		if err != nil {
			return false, err
		}
		if key == "forecasts" && ar.seen&keysHead == keysHead {
			return true, nil
		}
		if err := ar.value(key, func(i int, af *ArchiveForecast) error {
			ar.head.Forecasts = append(ar.head.Forecasts, *af)
			return nil
		}); err != nil {
			return false, err
		}
	}
	return false, ar.end()
}

// readForecastsAndRest streams the forecasts to each, then reads whatever
// follows them.
func (ar *archiveReader) readForecastsAndRest(each func(i int, af *ArchiveForecast) error) error {
	if err := ar.forecasts(each, true); err != nil {
		return err
	}
	for ar.dec.More() {
		key, err := ar.key()
		if err != nil {
			return err
		}
		if err := ar.value(key, nil); err != nil {
			return err
		}
	}
	return ar.end()
}

// key reads an object key and rejects a repeated one: the head may already
// have been imported when it comes again.
func (ar *archiveReader) key() (string, error) {
	tok, err := ar.dec.Token()
	if err != nil {
		return "", ar.docErr("", err)
	}
	key, _ := tok.(string) // the decoder only hands out strings as keys
	if bit := archiveKeys[key]; bit != 0 {
		if ar.seen&bit != 0 {
			return "", badDocument(key, nil, "%q appears twice in the archive", key)
		}
		ar.seen |= bit
	}
	return key, nil
}

// value reads the value of key; each takes the forecasts (nil only once they
// cannot come, the key being then a repeat).
func (ar *archiveReader) value(key string, each func(int, *ArchiveForecast) error) error {
	var dst any
	switch key {
	case "format":
		dst = &ar.head.Format
	case "tournament":
		dst = &ar.head.Tournament
	case "questions":
		dst = &ar.head.Questions
	case "users":
		dst = &ar.head.Users
	case "teams":
		dst = &ar.head.Teams
	case "links":
		dst = &ar.head.Links
	case "likelihoods":
		dst = &ar.head.Likelihoods
	case "tripwires":
		dst = &ar.head.Tripwires
	case "forecasts":
		return ar.forecasts(each, false)
	default:
		dst = new(json.RawMessage) // unknown keys are ignored, as json.Unmarshal does
	}
	if err := ar.dec.Decode(dst); err != nil {
		return ar.docErr(key, err)
	}
	return nil
}

// forecasts reads the forecasts array, handing each element over as it is
// decoded. With reuse the element's probabilities slice is recycled, so each
// must not keep it.
func (ar *archiveReader) forecasts(each func(int, *ArchiveForecast) error, reuse bool) error {
	tok, err := ar.dec.Token()
	if err != nil {
		return ar.docErr("forecasts", err)
	}
	if tok == nil { // null
		return nil
	}
	if tok != json.Delim('[') {
		return badDocument("forecasts", nil, "forecasts must be an array")
	}
	probs := make([]float64, 0, maxOptions)
	for i := 0; ar.dec.More(); i++ {
		if !reuse {
			probs = make([]float64, 0, maxOptions)
		}
		af := ArchiveForecast{Probabilities: nullSentinels(probs)}
		if err := ar.dec.Decode(&af); err != nil {
			return ar.docErr("forecasts["+strconv.Itoa(i)+"]", err)
		}
		if err := each(i, &af); err != nil {
			return err
		}
		if reuse {
			probs = af.Probabilities[:0]
		}
	}
	if _, err := ar.dec.Token(); err != nil { // ]
		return ar.docErr("forecasts", err)
	}
	return nil
}

// maxOptions is the most options a question has: a longer probabilities
// array fails validation whatever it holds.
const maxOptions = 20

// nullSentinels fills p's whole capacity with NaN and returns it empty.
// encoding/json leaves an element it reads as null untouched, so a null
// probability would otherwise keep what the slice held before (the
// previous forecast's value, or 0): as NaN, validation refuses it.
func nullSentinels(p []float64) []float64 {
	p = p[:cap(p)]
	for i := range p {
		p[i] = math.NaN()
	}
	return p[:0]
}

// end reads the closing brace and makes sure nothing follows it.
func (ar *archiveReader) end() error {
	if _, err := ar.dec.Token(); err != nil { // }
		return ar.docErr("", err)
	}
	if _, err := ar.dec.Token(); err != io.EOF {
		if err != nil {
			return ar.docErr("", err)
		}
		return badDocument("", nil, "the archive has data after its closing brace (byte %d)", ar.dec.InputOffset())
	}
	return nil
}

// docErr turns a decoder error met at path into a DocumentError; read
// errors of the underlying reader pass through.
func (ar *archiveReader) docErr(path string, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return badDocument(path, err, "the archive is not valid JSON (byte %d: %s)", se.Offset, se.Error())
	case errors.As(err, &te):
		field := path
		if te.Field != "" {
			field = joinPath(path, te.Field)
		}
		if field == "" {
			return badDocument("", err, "the archive has a %s where an object was expected", te.Value)
		}
		return badDocument(field, err, "%s has the wrong type (%s)", field, te.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return badDocument(path, io.ErrUnexpectedEOF, "the archive ends early (byte %d): it is not valid JSON", ar.dec.InputOffset())
	}
	return fmt.Errorf("read archive: %w", err)
}

func joinPath(prefix, field string) string {
	if prefix == "" {
		return field
	}
	return prefix + "." + field
}
