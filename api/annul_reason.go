package api

import (
	"strings"
	"unicode/utf8"

	"signpost/store"
)

// reasons validates an annulment's reasons and returns the plain one and
// the one per language. Either may be given alone: the plain reason of a
// bilingual one is its English text (else its Chinese), and a plain
// reason that holds both languages as JSON, as the web UI sent them
// before reason_i18n existed, is split into them.
func (r *annulRequest) reasons() (string, store.Text, error) {
	text := store.Text{}
	for lang, s := range r.ReasonI18n {
		if s = strings.TrimSpace(s); s != "" {
			text[lang] = s
		}
	}
	if err := store.ValidateText("reason_i18n", r.ReasonI18n, false, store.MaxReasonLen); err != nil {
		return "", nil, err
	}
	plain := ""
	if r.Reason != nil {
		plain = strings.TrimSpace(*r.Reason)
	}
	if utf8.RuneCountInString(plain) > store.MaxReasonLen {
		return "", nil, invalid("reason", "reason is longer than 2000 characters")
	}
	if len(text) == 0 {
		if p, t, ok := store.LegacyReason(plain); ok {
			plain, text = p, t
		}
	}
	switch {
	case plain != "":
	case text["en"] != "":
		plain = text["en"]
	case text["zh"] != "":
		plain = text["zh"]
	default:
		return "", nil, invalid("reason", "reason (or reason_i18n) is required")
	}
	return plain, text, nil
}

// automaticReasonsZh are the Chinese words of the reasons the server gives
// when it annuls a conditional branch by itself (stored in English only).
var automaticReasonsZh = map[string]string{
	store.ReasonConditionFailed:   "条件未发生",
	store.ReasonIndicatorAnnulled: "条件所依据的题目已作废",
	store.ReasonScenarioAnnulled:  "情景题目已作废",
}

// reasonI18n is a stored reason per language, with the server's own
// reasons given in both languages.
func reasonI18n(plain string, text store.Text) store.Text {
	if len(text) == 0 {
		if zh, ok := automaticReasonsZh[plain]; ok {
			return store.Text{"en": plain, "zh": zh}
		}
	}
	return text
}
