package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"signpost/api/feeds"
	"signpost/api/safehttp"
	"signpost/store"
)

type feedRequest struct {
	URL             *string           `json:"url" required:"true" doc:"http(s) address of a JSON or CSV document"`
	Format          *string           `json:"format" required:"true" enum:"json,csv"`
	Pointer         *string           `json:"pointer" doc:"json: a JSON Pointer (RFC 6901) to the number; with column, to an array of records"`
	Column          *string           `json:"column" doc:"csv: the header of the column holding the number; json: the field of the record row picks"`
	Row             json.RawMessage   `json:"row,omitempty" schema:"feedRow"`
	Every           *string           `json:"every" required:"true" doc:"how often to fetch, a Go duration such as 6h; at least 1s"`
	Rule            json.RawMessage   `json:"rule" required:"true" schema:"feedRule"`
	EarlyYes        *bool             `json:"early_yes" doc:"binary: propose Yes as soon as the rule holds before the close"`
	AutoResolve     *bool             `json:"auto_resolve" doc:"resolve an unchallenged proposal at the end of its window"`
	ChallengeWindow *string           `json:"challenge_window" doc:"how long forecasters may challenge a proposal (default 48h)"`
	Enabled         *bool             `json:"enabled" doc:"fetch on the schedule (default false)"`
	Headers         map[string]string `json:"headers" doc:"Write-only. Request headers (an API key, a User-Agent with a contact); omitted keeps the stored ones, {} removes them"`
}

type snapshotDTO struct {
	ID        int64    `json:"id"`
	Value     *float64 `json:"value" doc:"the number read; null when the fetch failed"`
	FetchedAt string   `json:"fetched_at" format:"date-time"`
	SHA256    string   `json:"sha256" doc:"SHA-256 of the raw body, hex; empty when no body arrived"`
	Status    string   `json:"status" enum:"ok,error"`
	Error     string   `json:"error,omitempty" doc:"why the fetch failed"`
}

type feedDTO struct {
	QuestionID      int64           `json:"question_id"`
	URL             string          `json:"url"`
	Format          string          `json:"format" enum:"json,csv"`
	Pointer         string          `json:"pointer,omitempty"`
	Column          string          `json:"column,omitempty"`
	Row             json.RawMessage `json:"row,omitempty" schema:"feedRow"`
	Every           string          `json:"every"`
	Rule            json.RawMessage `json:"rule" schema:"feedRule"`
	EarlyYes        bool            `json:"early_yes"`
	AutoResolve     bool            `json:"auto_resolve"`
	ChallengeWindow string          `json:"challenge_window"`
	Enabled         bool            `json:"enabled"`
	HeaderNames     []string        `json:"header_names" doc:"the names of the stored headers; their values are never returned"`
	NextFetchAt     string          `json:"next_fetch_at" format:"date-time"`
	Failures        int             `json:"failures" doc:"fetches failed in a row (the backoff grows with them)"`
	Last            *snapshotDTO    `json:"last" doc:"the newest fetch; null before the first"`
}

type snapshotListDTO struct {
	Snapshots  []snapshotDTO `json:"snapshots"`
	NextCursor *string       `json:"next_cursor" doc:"pass as ?cursor= for older snapshots; null on the last page"`
}

// shortDuration prints 6h rather than Go's 6h0m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func toSnapshotDTO(sn store.Snapshot) snapshotDTO {
	out := snapshotDTO{ID: sn.ID, FetchedAt: formatTime(sn.FetchedAt), SHA256: sn.SHA256, Status: sn.Status, Error: sn.Error}
	if sn.Status == store.SnapshotOK {
		v := sn.Value
		out.Value = &v
	}
	return out
}

func toFeedDTO(f store.Feed, last *store.Snapshot) feedDTO {
	out := feedDTO{QuestionID: f.QuestionID, URL: f.URL, Format: f.Extract.Format, Pointer: f.Extract.Pointer,
		Column: f.Extract.Column, Row: f.Extract.Row, Every: shortDuration(f.Every), Rule: f.Rule, EarlyYes: f.EarlyYes,
		AutoResolve: f.AutoResolve, ChallengeWindow: shortDuration(f.ChallengeWindow), Enabled: f.Enabled,
		HeaderNames: f.HeaderNames(), NextFetchAt: formatTime(f.NextFetchAt), Failures: f.Failures}
	if out.HeaderNames == nil {
		out.HeaderNames = []string{}
	}
	if last != nil {
		l := toSnapshotDTO(*last)
		out.Last = &l
	}
	return out
}

// maxFeedHeaders bounds a feed's headers, by count and by size.
const (
	maxFeedHeaders   = 16
	maxFeedHeaderLen = 2000
)

// validateFeed checks a feed request against its question; each error
// names the field.
func (s *Server) validateFeed(q store.Question, in *feedRequest) (store.Feed, error) {
	if in.URL == nil {
		return store.Feed{}, invalid("url", "url is required")
	}
	u, err := url.Parse(strings.TrimSpace(*in.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil || len(*in.URL) > 2000 {
		return store.Feed{}, invalid("url", "url must be an http or https address without credentials")
	}
	if !s.cfg.AllowPrivateFeeds && safehttp.PrivateHost(u.Hostname()) {
		return store.Feed{}, invalid("url", "url points to a loopback or private address; the operator has not allowed that")
	}
	f := store.Feed{QuestionID: q.ID, URL: u.String(), Headers: in.Headers}
	if in.Format == nil {
		return store.Feed{}, invalid("format", `format is required: "json" or "csv"`)
	}
	f.Extract = store.FeedExtract{Format: *in.Format, Pointer: deref(in.Pointer), Column: deref(in.Column)}
	if len(in.Row) > 0 && string(in.Row) != "null" {
		f.Extract.Row = in.Row
	}
	if field, err := feeds.CheckExtract(f.Extract); err != nil {
		return store.Feed{}, invalid(field, err.Error())
	}
	if f.Every, err = feedDuration("every", in.Every, 0); err != nil {
		return store.Feed{}, err
	}
	if f.ChallengeWindow, err = feedDuration("challenge_window", in.ChallengeWindow, store.DefaultChallengeWindow); err != nil {
		return store.Feed{}, err
	}
	if len(in.Rule) == 0 {
		return store.Feed{}, invalid("rule", "rule is required")
	}
	rule, err := feeds.ParseRule(in.Rule, q.Kind, len(q.Options))
	if err != nil {
		return store.Feed{}, invalid("rule", err.Error())
	}
	if f.Rule, err = json.Marshal(rule); err != nil {
		return store.Feed{}, err
	}
	f.EarlyYes, f.AutoResolve, f.Enabled = derefBool(in.EarlyYes), derefBool(in.AutoResolve), derefBool(in.Enabled)
	if f.EarlyYes && rule.Op == "" {
		return store.Feed{}, invalid("early_yes", "early_yes is for binary questions")
	}
	if len(in.Headers) > maxFeedHeaders {
		return store.Feed{}, invalid("headers", "at most 16 headers")
	}
	for k, v := range in.Headers {
		if k == "" || len(k)+len(v) > maxFeedHeaderLen || strings.ContainsAny(k+v, "\r\n") || http.CanonicalHeaderKey(k) == "Host" {
			return store.Feed{}, invalid("headers", "header "+strconv.Quote(k)+" is not a valid request header")
		}
	}
	return f, nil
}

// feedDuration reads a Go duration of at least a second; def when absent
// (0: required).
func feedDuration(field string, v *string, def time.Duration) (time.Duration, error) {
	if v == nil {
		if def == 0 {
			return 0, invalid(field, field+" is required, a duration such as 6h")
		}
		return def, nil
	}
	d, err := time.ParseDuration(*v)
	if err != nil || d < time.Second || d%time.Second != 0 {
		return 0, invalid(field, field+" must be a duration of whole seconds, at least 1s, such as 6h")
	}
	return d, nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func derefBool(p *bool) bool { return p != nil && *p }

func (s *Server) putFeed(c *fiber.Ctx, in *feedRequest) (feedDTO, error) {
	q, err := s.loadQuestion(c)
	if err != nil {
		return feedDTO{}, err
	}
	f, err := s.validateFeed(q, in)
	if err != nil {
		return feedDTO{}, err
	}
	p, _ := caller(c)
	if f, err = s.cfg.Store.PutFeed(c.UserContext(), f, p.ID); err != nil {
		return feedDTO{}, err
	}
	return s.feedView(c.UserContext(), f)
}

func (s *Server) feedView(ctx context.Context, f store.Feed) (feedDTO, error) {
	last, err := s.cfg.Store.LatestSnapshot(ctx, f.QuestionID)
	switch {
	case err == nil:
		return toFeedDTO(f, &last), nil
	case errors.Is(err, store.ErrNotFound):
		return toFeedDTO(f, nil), nil
	}
	return feedDTO{}, err
}

func (s *Server) getFeed(c *fiber.Ctx) (feedDTO, error) {
	q, err := s.loadQuestion(c)
	if err != nil {
		return feedDTO{}, err
	}
	f, err := s.cfg.Store.FindFeed(c.UserContext(), q.ID)
	if err != nil {
		return feedDTO{}, err
	}
	return s.feedView(c.UserContext(), f)
}

func (s *Server) deleteFeed(c *fiber.Ctx) error {
	q, err := s.loadQuestion(c)
	if err != nil {
		return err
	}
	p, _ := caller(c)
	return s.cfg.Store.DeleteFeed(c.UserContext(), q.ID, p.ID)
}

func (s *Server) fetchFeed(c *fiber.Ctx) (snapshotDTO, error) {
	q, err := s.loadQuestion(c)
	if err != nil {
		return snapshotDTO{}, err
	}
	f, err := s.cfg.Store.FindFeed(c.UserContext(), q.ID)
	if err != nil {
		return snapshotDTO{}, err
	}
	if s.cfg.FetchFeed == nil {
		return snapshotDTO{}, conflict("this server runs no feed fetcher")
	}
	sn, err := s.cfg.FetchFeed(c.UserContext(), f)
	if err != nil {
		return snapshotDTO{}, err
	}
	return toSnapshotDTO(sn), nil
}

func (s *Server) listSnapshots(c *fiber.Ctx) (snapshotListDTO, error) {
	q, err := s.loadQuestion(c)
	if err != nil {
		return snapshotListDTO{}, err
	}
	limit, err := strconv.Atoi(c.Query("limit", "20"))
	if err != nil || limit < 1 || limit > 100 {
		return snapshotListDTO{}, invalid("limit", "limit must be from 1 to 100")
	}
	before, err := strconv.ParseInt(c.Query("cursor", "0"), 10, 64)
	if err != nil || before < 0 {
		return snapshotListDTO{}, invalid("cursor", "cursor must be a next_cursor from an earlier page")
	}
	sns, err := s.cfg.Store.ListSnapshots(c.UserContext(), q.ID, before, limit+1)
	if err != nil {
		return snapshotListDTO{}, err
	}
	out := snapshotListDTO{Snapshots: []snapshotDTO{}}
	for i, sn := range sns {
		if i == limit {
			next := strconv.FormatInt(sns[i-1].ID, 10)
			out.NextCursor = &next
			break
		}
		out.Snapshots = append(out.Snapshots, toSnapshotDTO(sn))
	}
	return out, nil
}
