package main

import (
	"flag"
	"net/netip"
	"strings"

	"signpost/api"
)

// proxyList is the --trusted-proxies flag: CIDRs, checked as they are set,
// so a typo stops the server at start instead of trusting nobody (or the
// wrong network).
type proxyList []netip.Prefix

func (p *proxyList) String() string {
	if p == nil {
		return ""
	}
	s := make([]string, len(*p))
	for i, x := range *p {
		s[i] = x.String()
	}
	return strings.Join(s, ",")
}

func (p *proxyList) Set(v string) error {
	ps, err := api.ParseTrustedProxies(v)
	if err != nil {
		return err
	}
	*p = ps
	return nil
}

// proxyFlags registers --trusted-proxies.
func proxyFlags(fs *flag.FlagSet, c *config, e *envReader) {
	e.parse("SIGNPOST_TRUSTED_PROXIES", (*proxyList)(&c.TrustedProxies).Set)
	fs.Var((*proxyList)(&c.TrustedProxies), "trusted-proxies",
		"comma-separated CIDRs of reverse proxies whose X-Forwarded-For names the client for per-address limits, "+
			"e.g. 127.0.0.1/32; default none: the header is never believed (env SIGNPOST_TRUSTED_PROXIES)")
}
