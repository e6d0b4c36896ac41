package store

import (
	"encoding/json"
	"strings"
)

// joinText is a Text from its per-language columns, without the empty ones.
func joinText(en, zh string) Text {
	return onlyNonEmpty(Text{"en": en, "zh": zh})
}

// onlyNonEmpty drops the languages with no text, so that a reason given in
// one language reads back as exactly that (nil when none is left).
func onlyNonEmpty(t Text) Text {
	var out Text
	for lang, s := range t {
		if s == "" {
			continue
		}
		if out == nil {
			out = Text{}
		}
		out[lang] = s
	}
	return out
}

// LegacyReason reads a reason written before the reason had a field per
// language, when the web UI sent both languages as JSON inside the one
// string: {"en":"…","zh":"…"}. If reason is such an object (only the keys
// en and zh, string values, one of them not blank), it returns the plain
// reason (its English text, else its Chinese) and the text per language;
// otherwise reason is plain text and ok is false. Migration 0008 applies
// the same rule to the rows already stored; archive import applies it to
// archives exported before.
func LegacyReason(reason string) (plain string, text Text, ok bool) {
	if !strings.HasPrefix(reason, "{") {
		return reason, nil, false
	}
	var fields map[string]any
	if json.Unmarshal([]byte(reason), &fields) != nil {
		return reason, nil, false
	}
	t := Text{}
	for k, v := range fields {
		s, isString := v.(string)
		if (k != "en" && k != "zh") || !isString {
			return reason, nil, false
		}
		t[k] = s
	}
	en, zh := t["en"], t["zh"]
	switch {
	case strings.Trim(en, " ") != "":
		plain = en
	case strings.Trim(zh, " ") != "":
		plain = zh
	default:
		return reason, nil, false
	}
	return plain, onlyNonEmpty(t), true
}

// MaxReasonLen is the longest annul reason, in characters, in any one
// language.
const MaxReasonLen = 2000
