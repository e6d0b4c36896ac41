package main

import (
	"io"
	"testing"
)

func TestMailSettings(t *testing.T) {
	parse := func(vars map[string]string, args ...string) (config, error) {
		return parseServeConfig(args, func(k string) string { return vars[k] }, io.Discard)
	}
	c, err := parse(nil)
	if err != nil || c.Mail.On() || c.Mail.HoldoutPercent != 0 {
		t.Fatalf("default = %+v, %v; want e-mail off, no holdout", c.Mail, err)
	}
	full := map[string]string{"SIGNPOST_SMTP_URL": "smtps://u:p@mail.example.org", "SIGNPOST_MAIL_FROM": "Signpost <s@example.org>",
		"SIGNPOST_PUBLIC_URL": "https://signpost.example.org", "SIGNPOST_DIGEST_HOLDOUT": "20"}
	if c, err = parse(full); err != nil || !c.Mail.On() || c.Mail.HoldoutPercent != 20 {
		t.Fatalf("configured = %+v, %v", c.Mail, err)
	}
	if got := smtpDisplay(full["SIGNPOST_SMTP_URL"]); got != "smtps://mail.example.org:465" {
		t.Errorf("the logged server = %q; want it without the password", got)
	}
	for name, change := range map[string][2]string{
		"no sender":      {"SIGNPOST_MAIL_FROM", ""},
		"bad sender":     {"SIGNPOST_MAIL_FROM", "not an address"},
		"no public URL":  {"SIGNPOST_PUBLIC_URL", ""},
		"bad scheme":     {"SIGNPOST_SMTP_URL", "http://mail.example.org"},
		"holdout of 101": {"SIGNPOST_DIGEST_HOLDOUT", "101"},
		"holdout typo":   {"SIGNPOST_DIGEST_HOLDOUT", "ten"},
	} {
		vars := map[string]string{}
		for k, v := range full {
			vars[k] = v
		}
		vars[change[0]] = change[1]
		if _, err := parse(vars); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
