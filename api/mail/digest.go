package mail

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"signpost/api/notify"
	"signpost/scoring"
	"signpost/store"
)

const (
	// maxStale is the most stale forecasts one digest lists.
	maxStale = 10
	// A weekly reader is due once the last digest is this old: runs come
	// daily, at slightly different instants.
	weeklyDue = 6*24*time.Hour + 12*time.Hour
	dailyDue  = 20 * time.Hour
)

// digestRun is what one run builds: who it reached, with the mails and
// the tokens of their links.
type digestRun struct {
	who  []store.DigestRecipient
	toks []store.MailToken
	msgs []store.OutboxMessage
	qs   map[int64]*store.Question
	// board is what moved on the signpost boards since the last run, in a
	// language.
	board func(lang string) []section
}

// buildRun builds a run's digests and records them with the run, in one
// transaction. A scheduled run reaches the readers who are due; one an
// admin asked for reaches every reader of digests. Held-out readers are
// recorded and sent nothing.
func (w *Worker) buildRun(ctx context.Context, r store.DigestRun, now time.Time) error {
	emails, err := w.st.VerifiedEmails(ctx)
	if err != nil {
		return err
	}
	last, err := w.st.LastDigests(ctx)
	if err != nil {
		return err
	}
	board, marks, err := w.boardMoves(ctx, r.TournamentID)
	if err != nil {
		return err
	}
	run := &digestRun{qs: map[int64]*store.Question{}, board: board}
	for _, e := range emails {
		prefs, err := w.st.UserPreferences(ctx, e.UserID)
		if err != nil {
			return err
		}
		if !due(prefs.Digest, r.RequestedBy != 0, last[e.UserID], now) {
			continue
		}
		holdout, err := w.st.DigestHoldout(ctx, e.UserID, w.drawHoldout, now)
		if err != nil {
			return err
		}
		run.who = append(run.who, store.DigestRecipient{UserID: e.UserID, Holdout: holdout})
		if holdout {
			continue
		}
		since := last[e.UserID]
		if since.IsZero() {
			since = now.Add(-period(prefs.Digest))
		}
		if err := w.digest(ctx, run, r, e, prefs, since, now); err != nil {
			return fmt.Errorf("digest of user %d: %w", e.UserID, err)
		}
	}
	return w.st.FinishDigestRun(ctx, r.ID, now, run.who, run.toks, run.msgs, marks)
}

// due says whether a reader gets a digest of this run.
func due(digest string, requested bool, last, now time.Time) bool {
	switch {
	case digest != store.DigestDaily && digest != store.DigestWeekly:
		return false
	case requested || last.IsZero():
		return true
	case digest == store.DigestDaily:
		return now.Sub(last) >= dailyDue
	}
	return now.Sub(last) >= weeklyDue
}

func period(digest string) time.Duration {
	if digest == store.DigestDaily {
		return 24 * time.Hour
	}
	return 7 * 24 * time.Hour
}

func (run *digestRun) question(ctx context.Context, st *store.Store, id int64) (*store.Question, error) {
	if q, ok := run.qs[id]; ok {
		return q, nil
	}
	q, err := st.FindQuestion(ctx, id)
	if err != nil {
		return nil, err
	}
	run.qs[id] = &q
	return &q, nil
}

// digest adds one reader's digest to the run, unless it would be empty.
func (w *Worker) digest(ctx context.Context, run *digestRun, r store.DigestRun, e store.Email, prefs store.Preferences,
	since, now time.Time) error {
	users, err := w.st.UsersByID(ctx, []int64{e.UserID})
	if err != nil {
		return err
	}
	u := users[e.UserID]
	lang := language(prefs.Language)
	standing, err := w.st.StandingForecasts(ctx, e.UserID, r.TournamentID, now)
	if err != nil {
		return err
	}
	var toks []store.MailToken
	var stale, closing section
	stale.Title, closing.Title = tr(lang, "digest.stale"), tr(lang, "digest.closing")
	for _, f := range standing {
		q, err := run.question(ctx, w.st, f.QuestionID)
		if err != nil {
			return err
		}
		if q.ClosesAt.Sub(now) <= period(prefs.Digest)*2 {
			closing.Items = append(closing.Items, item{Text: title(q, lang),
				Detail: tr(lang, "digest.closes", q.ClosesAt.Format("2006-01-02 15:04 UTC")),
				Link:   &link{Text: tr(lang, "digest.open"), URL: w.compose.publicURL + "/#/q/" + strconv.FormatInt(q.ID, 10)}})
		}
		if now.Sub(f.CreatedAt) < time.Duration(prefs.StaleDays)*24*time.Hour || len(stale.Items) >= maxStale {
			continue
		}
		payload, _ := json.Marshal([]int64{q.ID})
		secret, tok := token(u.ID, store.TokenReaffirm, string(payload), now, ReaffirmTTL)
		toks = append(toks, tok)
		it := item{Text: title(q, lang),
			Detail: tr(lang, "digest.yours", f.CreatedAt.Format("2006-01-02"), probabilities(q, f.Probs, lang)) + " · " +
				w.crowdText(q, lang),
			Link: &link{Text: tr(lang, "digest.reaffirm"), URL: w.compose.page("reaffirm", lang, secret)}}
		stale.Items = append(stale.Items, it)
	}
	resolved, err := w.resolved(ctx, run, e.UserID, r.TournamentID, since, now, lang)
	if err != nil {
		return err
	}
	notices, err := w.notices(ctx, e.UserID, since, lang)
	if err != nil {
		return err
	}
	var sections []section
	for _, s := range append([]section{stale, closing, resolved}, append(run.board(lang), notices)...) {
		if len(s.Items) > 0 {
			sections = append(sections, s)
		}
	}
	if len(sections) == 0 {
		return nil
	}
	unsubPage, oneClick, unsubTok := w.compose.unsubscribe(u, lang, "digest", now)
	b := body{Lang: lang, Title: tr(lang, "digest.subject"), Paras: []string{tr(lang, "digest.intro", u.DisplayName)},
		Sections: sections, Footer: []string{tr(lang, "footer.why")}, Unsubscribe: unsubPage}
	msg, err := w.compose.message(u, store.MailDigest, e.Address, b, now)
	if err != nil {
		return err
	}
	msg.UnsubscribeURL = oneClick
	run.toks = append(append(run.toks, toks...), unsubTok)
	run.msgs = append(run.msgs, msg)
	return nil
}

// resolved lists the reader's questions resolved since the last digest,
// with their scores.
func (w *Worker) resolved(ctx context.Context, run *digestRun, userID, tournamentID int64, since, now time.Time,
	lang string) (section, error) {
	s := section{Title: tr(lang, "digest.resolved")}
	ids, err := w.st.ResolvedSince(ctx, userID, tournamentID, since, now)
	if err != nil {
		return s, err
	}
	for _, id := range ids {
		q, err := run.question(ctx, w.st, id)
		if err != nil {
			return s, err
		}
		detail := tr(lang, "digest.noscore")
		if w.src.Score != nil {
			brier, crowd, ok, err := w.src.Score(ctx, q, userID)
			if err != nil {
				return s, err
			}
			if ok {
				detail = tr(lang, "digest.score", brier, crowd)
			}
		}
		s.Items = append(s.Items, item{Text: title(q, lang), Detail: detail})
	}
	return s, nil
}

// notices lists the reader's notifications since the last digest that
// other sections do not cover (a fired tripwire, a reply), in their
// words.
func (w *Worker) notices(ctx context.Context, userID int64, since time.Time, lang string) (section, error) {
	s := section{Title: tr(lang, "digest.notices")}
	ns, err := w.st.UserNotifications(ctx, userID, 0, 50, false)
	if err != nil {
		return s, err
	}
	for _, n := range ns {
		if n.CreatedAt.Before(since) {
			break // newest first
		}
		switch n.Kind {
		case store.NoticeTripwire, store.NoticeReply, store.NoticeMention:
		default:
			continue
		}
		if text := NoticeText(n, lang); text != "" {
			s.Items = append(s.Items, item{Text: text})
		}
	}
	return s, nil
}

// NoticeText is a notification's text in lang, as the app shows it
// (package notify writes every notice's words).
func NoticeText(n store.Notification, lang string) string {
	if t := pick(notify.Text(n), lang); t != "" {
		return t
	}
	return pick(n.QuestionTitle, lang)
}

func (w *Worker) crowdText(q *store.Question, lang string) string {
	if w.src.Crowd == nil {
		return tr(lang, "digest.nocrowd")
	}
	p, _ := w.src.Crowd(q.ID)
	if p == nil {
		return tr(lang, "digest.nocrowd")
	}
	return tr(lang, "digest.crowd", probabilities(q, p, lang))
}

func pick(t store.Text, lang string) string {
	if s := t[lang]; s != "" {
		return s
	}
	return t["en"]
}

func title(q *store.Question, lang string) string { return pick(q.Title, lang) }

// probabilities writes a forecast for people: "yes 62%" for a binary
// question, every option's share otherwise.
func probabilities(q *store.Question, p []float64, lang string) string {
	if q.Kind == scoring.Binary && len(p) == 2 {
		return fmt.Sprintf("%s %.0f%%", tr(lang, "option.yes"), 100*p[0])
	}
	parts := make([]string, 0, len(p))
	for i, v := range p {
		label := strconv.Itoa(i + 1)
		if i < len(q.Options) {
			if l := pick(q.Options[i].Label, lang); l != "" {
				label = l
			}
		}
		parts = append(parts, fmt.Sprintf("%s %.0f%%", label, 100*v))
	}
	return strings.Join(parts, " · ")
}
