package webhook

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"signpost/api/safehttp"
	"signpost/store"
)

// Language is the language of a tournament's messages: its extra
// "language" ("en" or "zh") when set, else English when its title has
// English, else Chinese.
func Language(t store.Tournament) string {
	var extra struct {
		Language string `json:"language"`
	}
	if json.Unmarshal(t.Extra, &extra) == nil && (extra.Language == "en" || extra.Language == "zh") {
		return extra.Language
	}
	if t.Title["en"] != "" {
		return "en"
	}
	return "zh"
}

// pick returns text in lang, falling back to the other language.
func pick(t store.Text, lang string) string {
	if v := t[lang]; v != "" {
		return v
	}
	for _, l := range store.Languages {
		if t[l] != "" {
			return t[l]
		}
	}
	return ""
}

// message renders an event's chat text in the tournament's language.
func message(ev store.Event, base string) string {
	lang := Language(ev.Tournament)
	question, detail := "", ""
	if q := ev.Question; q != nil {
		question = pick(q.Title, lang) + " " + questionURL(base, q.ID)
		switch ev.Name {
		case QuestionClosing:
			detail = q.ClosesAt.UTC().Format("2006-01-02 15:04 UTC")
		case QuestionResolved:
			if q.Resolution != nil && q.Resolution.Outcome < len(q.Options) {
				detail = pick(q.Options[q.Resolution.Outcome].Label, lang)
			}
		case QuestionProposed:
			if p, ok := ev.Detail.(store.Proposal); ok {
				detail = proposalText(q, p, lang)
			}
		case QuestionAnnulled:
			detail = q.AnnulReason
			if len(q.AnnulReasonText) > 0 {
				detail = pick(q.AnnulReasonText, lang)
			}
		case CrowdMoved:
			var from *store.Crowd
			if m, ok := ev.Detail.(crowdMove); ok {
				from = m.From
			}
			detail = crowdText(q, from, ev.Crowd, lang)
		case TripwireFired:
			if t, ok := ev.Detail.(store.Tripwire); ok {
				detail = tripwireText(t, lang)
			}
		}
	}
	if ev.Name == TopChanged {
		var parts []string
		top, _ := ev.Detail.([]TopEntry)
		for _, e := range top {
			parts = append(parts, fmt.Sprintf("%d. %s (%.3f)", e.Rank, e.DisplayName, e.Brier))
		}
		detail = strings.Join(parts, ", ")
	}
	return fmt.Sprintf(texts[lang][ev.Name], pick(ev.Tournament.Title, lang), question, detail)
}

// crowdText lists each option's crowd probability, before -> after.
func crowdText(q *store.Question, prev, now *store.Crowd, lang string) string {
	if now == nil {
		return ""
	}
	var parts []string
	for i, p := range now.Probabilities {
		label := strconv.Itoa(i + 1)
		if i < len(q.Options) {
			label = pick(q.Options[i].Label, lang)
		}
		if prev != nil && i < len(prev.Probabilities) {
			parts = append(parts, fmt.Sprintf("%s %.0f%% → %.0f%%", label, 100*prev.Probabilities[i], 100*p))
		} else {
			parts = append(parts, fmt.Sprintf("%s %.0f%%", label, 100*p))
		}
	}
	sep := ", "
	if lang == "zh" {
		sep = "，"
	}
	return strings.Join(parts, sep)
}

// proposalText says what was proposed, from which number and source, and
// until when it may be challenged.
func proposalText(q *store.Question, p store.Proposal, lang string) string {
	answer := strconv.Itoa(p.Outcome)
	if p.Outcome < len(q.Options) {
		answer = pick(q.Options[p.Outcome].Label, lang)
	}
	value, until := store.FormatValue(p.Value), p.ChallengeUntil.UTC().Format("2006-01-02 15:04 UTC")
	if lang == "zh" {
		return fmt.Sprintf("%s（数值 %s，来源 %s；可在 %s 前提出异议）", answer, value, safehttp.Redact(p.URL), until)
	}
	return fmt.Sprintf("%s (value %s from %s; open to challenges until %s)", answer, value, safehttp.Redact(p.URL), until)
}
