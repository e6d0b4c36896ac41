// Package safehttp is the guarded HTTP client of the server's outgoing
// requests (webhook deliveries, feed fetches): it refuses loopback,
// private and link-local addresses, checked on the address it actually
// connects to, follows no redirect, and bounds time and body size.
package safehttp

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// DefaultTimeout is how long a remote end gets when the caller says
// nothing.
const DefaultTimeout = 10 * time.Second

// MaxBody is the most a response body may hold: 1 MiB.
const MaxBody = 1 << 20

// ErrTooLarge is ReadBody's error for a body over its limit.
var ErrTooLarge = errors.New("response body over 1 MiB")

// NewClient checks the address it actually connects to (after DNS),
// so a name that resolves to a private address is refused as well (unless
// allowPrivate); it uses no proxy, follows no redirect (a redirect's
// response is answered as it is) and gives the remote end timeout
// (DefaultTimeout when zero).
func NewClient(timeout time.Duration, allowPrivate bool) *http.Client {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	d := &net.Dialer{Timeout: timeout}
	if !allowPrivate {
		d.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || BlockedIP(net.IP(ap.Addr().AsSlice())) {
				return fmt.Errorf("refused: %s is a loopback or private address", address)
			}
			return nil
		}
	}
	return &http.Client{
		Timeout:       timeout,
		Transport:     &http.Transport{Proxy: nil, DialContext: d.DialContext, MaxIdleConnsPerHost: 2, IdleConnTimeout: time.Minute},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// ReadBody reads a response body of at most MaxBody bytes; a longer one is
// ErrTooLarge, never silently cut.
func ReadBody(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxBody+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxBody {
		return nil, ErrTooLarge
	}
	return b, nil
}

// special are address ranges an outgoing request must not reach besides what net.IP
// knows as loopback, private, link-local, multicast and unspecified.
var special = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"),
}

// BlockedIP reports whether an outgoing request must not reach ip: loopback,
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
