// Package notify turns stored notices into the text people read, in each
// language, and sweeps for the notices the clock brings (questions closing
// soon, stale forecasts). The store writes notices as facts (a kind and
// its data); everything a reader sees of them is written here.
package notify

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"signpost/store"
)

// Languages are the languages every notice is written in.
var Languages = []string{"en", "zh"}

// data is what the store's notices carry, by kind (see store.Notice…).
type data struct {
	Text         store.Text `json:"text"` // given by the writer: used as it is
	OutcomeLabel store.Text `json:"outcome_label"`
	Brier        *float64   `json:"brier"`
	CrowdBrier   *float64   `json:"crowd_brier"`
	Reason       string     `json:"reason"`
	ReasonText   store.Text `json:"reason_i18n"`
	ClosesAt     time.Time  `json:"closes_at"`
	Days         int        `json:"days"`
	Author       string     `json:"author"`
	AuthorName   string     `json:"author_name"`
	Excerpt      string     `json:"excerpt"`
}

// Text is a notice's text in each language of Languages.
func Text(n store.Notification) store.Text {
	var d data
	_ = json.Unmarshal(n.Data, &d) // unknown or missing facts leave their words out
	if d.Text["en"] != "" || d.Text["zh"] != "" {
		return store.Text{"en": pick(d.Text, "en"), "zh": pick(d.Text, "zh")}
	}
	out := store.Text{}
	for _, lang := range Languages {
		out[lang] = render(n.Kind, d, lang, pick(n.QuestionTitle, lang))
	}
	return out
}

// pick is t in lang, or in the other language when lang is missing.
func pick(t store.Text, lang string) string {
	if v := strings.TrimSpace(t[lang]); v != "" {
		return v
	}
	for _, other := range Languages {
		if v := strings.TrimSpace(t[other]); v != "" {
			return v
		}
	}
	return ""
}

// quote puts a title in the quotation marks of lang.
func quote(lang, title string) string {
	if lang == "zh" {
		return "“" + title + "”"
	}
	return `"` + title + `"`
}

func score(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }

func render(kind string, d data, lang, title string) string {
	zh := lang == "zh"
	q := quote(lang, title)
	author := d.AuthorName
	if author == "" {
		author = d.Author
	}
	switch kind {
	case store.NoticeResolved:
		label := pick(d.OutcomeLabel, lang)
		s := fmt.Sprintf("%s resolved: %s.", q, label)
		if zh {
			s = fmt.Sprintf("%s已结算：%s。", q, label)
		}
		if d.Brier != nil && d.CrowdBrier != nil {
			if zh {
				return s + fmt.Sprintf("你的 Brier 分数：%s（群体 %s，越低越好）。", score(*d.Brier), score(*d.CrowdBrier))
			}
			return s + fmt.Sprintf(" Your Brier score: %s (crowd %s; lower is better).", score(*d.Brier), score(*d.CrowdBrier))
		}
		return s
	case store.NoticeAnnulled:
		// The reason in lang, else the plain one, else in another language.
		reason := strings.TrimSpace(d.ReasonText[lang])
		if reason == "" {
			reason = d.Reason
		}
		if reason == "" {
			reason = pick(d.ReasonText, lang)
		}
		if zh {
			return strings.TrimSuffix(fmt.Sprintf("%s已作废：%s", q, reason), "：") + "。"
		}
		return strings.TrimSuffix(fmt.Sprintf("%s was annulled: %s", q, reason), ": ") + "."
	case store.NoticeReopened:
		if zh {
			return q + "已重新开放预测。"
		}
		return q + " is open for forecasts again."
	case store.NoticeClosing:
		at := d.ClosesAt.UTC().Format("2006-01-02 15:04")
		if zh {
			return fmt.Sprintf("%s将于 %s（UTC）截止：如有需要，请更新你的预测。", q, at)
		}
		return fmt.Sprintf("%s closes %s UTC: update your forecast if it needs it.", q, at)
	case store.NoticeStale:
		if zh {
			return fmt.Sprintf("你对%s的预测已有 %d 天未更新。", q, d.Days)
		}
		return fmt.Sprintf("Your forecast on %s is %d days old.", q, d.Days)
	case store.NoticeTripwire:
		if title == "" && zh {
			return "你设置的触发器已触发。"
		}
		if title == "" {
			return "A tripwire you set fired."
		}
		if zh {
			return "你设置的触发器已触发：" + q + "。"
		}
		return "A tripwire you set fired: " + q + "."
	case store.NoticeReply:
		if zh {
			return fmt.Sprintf("%s 在%s下回复：%s", author, q, d.Excerpt)
		}
		return fmt.Sprintf("%s replied on %s: %s", author, q, d.Excerpt)
	case store.NoticeMention:
		if zh {
			return fmt.Sprintf("%s 在%s中提到了你：%s", author, q, d.Excerpt)
		}
		return fmt.Sprintf("%s mentioned you on %s: %s", author, q, d.Excerpt)
	}
	return q
}
