package webhook

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// newClient checks the address it actually connects to (after DNS),
// so a name that resolves to a private address is refused as well; it uses
// no proxy, follows no redirect and gives a receiver cfg.Timeout.
func newClient(cfg Config) *http.Client {
	d := &net.Dialer{Timeout: cfg.Timeout}
	if !cfg.AllowPrivate {
		d.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || BlockedIP(net.IP(ap.Addr().AsSlice())) {
				return fmt.Errorf("refused: %s is a loopback or private address", address)
			}
			return nil
		}
	}
	return &http.Client{
		Timeout:       cfg.Timeout,
		Transport:     &http.Transport{Proxy: nil, DialContext: d.DialContext, MaxIdleConnsPerHost: 2, IdleConnTimeout: time.Minute},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// special are address ranges a webhook must not reach besides what net.IP
// knows as loopback, private, link-local, multicast and unspecified.
var special = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"),
}

// BlockedIP reports whether a webhook must not reach ip: loopback,
// private, link-local, multicast, unspecified or another special range.
func BlockedIP(ip net.IP) bool {
	if ip == nil || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return true
	}
	a, ok := netip.AddrFromSlice(ip)
	if !ok {
		return true
	}
	a = a.Unmap()
	for _, p := range special {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// PrivateHost reports whether a URL's host is obviously local: a loopback
// or private literal address, or localhost. The client checks the address
// it actually connects to as well, since a name can resolve anywhere.
func PrivateHost(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && BlockedIP(ip)
}
