package scoring

import "testing"

func TestKind(t *testing.T) {
	for _, k := range []Kind{Binary, MultipleChoice, Ordered} {
		got, err := ParseKind(k.String())
		if err != nil || got != k {
			t.Errorf("ParseKind(%q) = %v, %v; want %v", k.String(), got, err, k)
		}
	}
	for _, s := range []string{"", "Binary", "multiple-choice", "numeric"} {
		if _, err := ParseKind(s); err == nil {
			t.Errorf("ParseKind(%q) succeeded; want an error", s)
		}
	}
	if got := Kind(0).String(); got != "Kind(0)" {
		t.Errorf("Kind(0).String() = %q; want %q", got, "Kind(0)")
	}
}
