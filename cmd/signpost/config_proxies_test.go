package main

import (
	"io"
	"strings"
	"testing"
)

func TestTrustedProxiesSetting(t *testing.T) {
	parse := func(vars map[string]string, args ...string) (config, error) {
		return parseServeConfig(args, func(k string) string { return vars[k] }, io.Discard)
	}
	if c, err := parse(nil); err != nil || len(c.TrustedProxies) != 0 {
		t.Fatalf("default = %v, %v; want none", c.TrustedProxies, err)
	}
	c, err := parse(map[string]string{"SIGNPOST_TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1,::1/128"})
	if err != nil || (*proxyList)(&c.TrustedProxies).String() != "10.0.0.0/8,127.0.0.1/32,::1/128" {
		t.Fatalf("from the environment = %v, %v", c.TrustedProxies, err)
	}
	c, err = parse(map[string]string{"SIGNPOST_TRUSTED_PROXIES": "10.0.0.0/8"}, "--trusted-proxies", "192.168.1.0/24")
	if err != nil || (*proxyList)(&c.TrustedProxies).String() != "192.168.1.0/24" {
		t.Fatalf("flag over environment = %v, %v", c.TrustedProxies, err)
	}
	for _, bad := range []string{"10.0.0/8", "nginx", "10.0.0.0/33", "*"} {
		_, err := parse(map[string]string{"SIGNPOST_TRUSTED_PROXIES": bad})
		if err == nil || !strings.Contains(err.Error(), "SIGNPOST_TRUSTED_PROXIES") || !strings.Contains(err.Error(), "CIDR") {
			t.Errorf("SIGNPOST_TRUSTED_PROXIES=%q: error %v; want one naming the setting and CIDRs", bad, err)
		}
		if _, err := parse(nil, "--trusted-proxies", bad); err == nil {
			t.Errorf("--trusted-proxies %q accepted", bad)
		}
	}
}
