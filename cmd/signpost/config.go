package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"signpost/store"
)

// config is the server's configuration: flags, falling back to the
// environment, falling back to defaults. Parsed and validated once.
type config struct {
	Addr         string
	DB           string
	Sync         string
	JWTSecret    string
	TokenTTL     time.Duration
	LoginRate    int
	RegisterRate int
	CrowdMin     int
	// CrowdEstablished is how old an account must be, with a forecast on
	// another question, to count toward CrowdMin (0: every account).
	CrowdEstablished time.Duration
	BcryptCost       int
	AccessLog        bool
	Seed             bool
	AdminUsername    string
	AdminPassword    string
	Pprof            string
	Integrations     integrations
	Migrate          bool
	Postgres         store.PostgresOptions
	// Now is the clock the server, the store and imports run on.
	Now func() time.Time
	// CoherenceThreshold is the distance above which a scenario forecast
	// is flagged as not matching the forecaster's indicator forecasts.
	CoherenceThreshold float64
	// ConditionalMin is how many forecasters must answer both branches of
	// a conditional pair before the board uses the crowd's likelihood
	// ratios in place of the admin's strengths.
	ConditionalMin int
	// TrustedProxies may name the client in X-Forwarded-For.
	TrustedProxies []netip.Prefix
	// Mail is the e-mail configuration (off without an SMTP URL).
	Mail mailSettings
}

// parseFlags is every sub-command's flag parsing, written once: the
// database flags they all share, plus what extra registers, each falling
// back to its environment variable; a value that does not parse, in a flag
// or in the environment, is an error rather than a default.
func parseFlags(name string, args []string, getenv env, stderr io.Writer,
	extra func(*flag.FlagSet, *config, *envReader)) (config, *flag.FlagSet, error) {
	c := config{Now: time.Now}
	e := &envReader{getenv: getenv}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.DB, "db", e.str("SIGNPOST_DB", "signpost.db"),
		"SQLite database file, or a PostgreSQL address postgres://user:password@host:port/database (env SIGNPOST_DB)")
	fs.StringVar(&c.Sync, "sync", e.str("SIGNPOST_SQLITE_SYNC", "NORMAL"),
		"SQLite synchronous level, NORMAL or FULL (env SIGNPOST_SQLITE_SYNC)")
	fs.IntVar(&c.BcryptCost, "bcrypt-cost", e.int("SIGNPOST_BCRYPT_COST", 10),
		"bcrypt cost for new passwords, 4-31 (env SIGNPOST_BCRYPT_COST)")
	if name != "migrate" {
		fs.BoolVar(&c.Migrate, "migrate", e.bool("SIGNPOST_MIGRATE", true),
			"apply pending migrations on start; false refuses a database whose schema differs from this binary's "+
				"(then run 'signpost migrate') (env SIGNPOST_MIGRATE)")
	}
	postgresFlags(fs, &c, e)
	if extra != nil {
		extra(fs, &c, e)
	}
	if err := fs.Parse(args); err != nil {
		return c, nil, err
	}
	if err := errors.Join(e.errs...); err != nil {
		return c, nil, err
	}
	return c, fs, nil
}

func parseServeConfig(args []string, getenv env, stderr io.Writer) (config, error) {
	c, fs, err := parseFlags("serve", args, getenv, stderr, serveFlags)
	if err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("serve: unexpected arguments %q", fs.Args())
	}
	c.JWTSecret = getenv("SIGNPOST_JWT_SECRET")
	c.AdminUsername = getenv("SIGNPOST_ADMIN_USERNAME")
	c.AdminPassword = getenv("SIGNPOST_ADMIN_PASSWORD")
	return c, c.validate()
}

// serveFlags are the flags only serve has.
func serveFlags(fs *flag.FlagSet, c *config, e *envReader) {
	fs.StringVar(&c.Addr, "addr", e.str("SIGNPOST_ADDR", "127.0.0.1:8080"), "listen address (env SIGNPOST_ADDR)")
	fs.DurationVar(&c.TokenTTL, "token-ttl", e.duration("SIGNPOST_TOKEN_TTL", 24*time.Hour),
		"lifetime of issued tokens (env SIGNPOST_TOKEN_TTL)")
	fs.IntVar(&c.LoginRate, "login-rate", e.int("SIGNPOST_LOGIN_RATE", 10),
		"login attempts per minute per IP and per username; 0 turns the limit off (env SIGNPOST_LOGIN_RATE)")
	fs.IntVar(&c.RegisterRate, "register-rate", e.int("SIGNPOST_REGISTER_RATE", 20),
		"new accounts per hour per IP; 0 turns the limit off (env SIGNPOST_REGISTER_RATE)")
	fs.IntVar(&c.CrowdMin, "crowd-min", e.int("SIGNPOST_CROWD_MIN", 3),
		"fewest forecasters a crowd forecast is shown for (env SIGNPOST_CROWD_MIN)")
	fs.DurationVar(&c.CrowdEstablished, "crowd-established", e.duration("SIGNPOST_CROWD_ESTABLISHED", 24*time.Hour),
		"how old an account must be, with a forecast on another question, to count toward the crowd minimum; 0 counts every account (env SIGNPOST_CROWD_ESTABLISHED)")
	fs.BoolVar(&c.AccessLog, "access-log", e.bool("SIGNPOST_ACCESS_LOG", true),
		"log one line per request (env SIGNPOST_ACCESS_LOG)")
	fs.BoolVar(&c.Seed, "seed", e.bool("SIGNPOST_SEED", true),
		"load the default tournament into an empty database (env SIGNPOST_SEED)")
	integrationFlags(fs, &c.Integrations, e)
	proxyFlags(fs, c, e)
	mailFlags(fs, &c.Mail, e)
	fs.Float64Var(&c.CoherenceThreshold, "coherence-threshold", e.float("SIGNPOST_COHERENCE_THRESHOLD", 0.2),
		"total variation distance above which a scenario forecast is flagged as incoherent with the forecaster's indicators (env SIGNPOST_COHERENCE_THRESHOLD)")
	fs.IntVar(&c.ConditionalMin, "conditional-min", e.int("SIGNPOST_CONDITIONAL_MIN", 5),
		"forecasters who must answer both branches of a conditional pair before the signpost board takes that indicator's likelihood table from the crowd; at least -crowd-min (env SIGNPOST_CONDITIONAL_MIN)")
	fs.StringVar(&c.Pprof, "pprof", e.str("SIGNPOST_PPROF", ""),
		"serve net/http/pprof on this loopback address, e.g. 127.0.0.1:6060 (env SIGNPOST_PPROF)")
}

func (c config) validate() error {
	switch {
	case c.TokenTTL <= 0:
		return fmt.Errorf("token TTL must be positive")
	case c.LoginRate < 0:
		return fmt.Errorf("login rate must be 0 (off) or positive")
	case c.RegisterRate < 0:
		return fmt.Errorf("register rate must be 0 (off) or positive")
	case c.CrowdMin < 1:
		return fmt.Errorf("crowd minimum must be at least 1")
	case c.BcryptCost < 4 || c.BcryptCost > 31:
		return fmt.Errorf("bcrypt cost must be 4-31")
	case c.JWTSecret != "" && len(c.JWTSecret) < 16:
		return fmt.Errorf("SIGNPOST_JWT_SECRET must be at least 16 bytes")
	case (c.AdminUsername == "") != (c.AdminPassword == ""):
		return fmt.Errorf("set both SIGNPOST_ADMIN_USERNAME and SIGNPOST_ADMIN_PASSWORD, or neither")
	case !(c.CoherenceThreshold > 0 && c.CoherenceThreshold < 1):
		return fmt.Errorf("coherence threshold must be between 0 and 1 (exclusive)")
	case c.CrowdEstablished < 0:
		return fmt.Errorf("crowd-established must be 0 (off) or positive")
	case c.ConditionalMin < c.CrowdMin:
		// Fewer would show a branch's crowd for fewer forecasters than
		// any crowd is shown for: one person's branch forecasts.
		return fmt.Errorf("conditional minimum (%d) must be at least the crowd minimum (%d)", c.ConditionalMin, c.CrowdMin)
	case c.Pprof != "" && !strings.HasPrefix(c.Pprof, "127.0.0.1:") && !strings.HasPrefix(c.Pprof, "localhost:"):
		return fmt.Errorf("pprof must listen on loopback (127.0.0.1:PORT)")
	}
	if err := c.Mail.validate(c.Integrations.Webhooks.PublicURL); err != nil {
		return err
	}
	return c.Integrations.validate()
}

// envReader reads typed settings from the environment and remembers any
// value it could not parse, so a typo is an error rather than a default.
type envReader struct {
	getenv env
	errs   []error
}

func (e *envReader) str(key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}

func (e *envReader) parse(key string, parse func(string) error) {
	if v := e.getenv(key); v != "" {
		if err := parse(v); err != nil {
			e.errs = append(e.errs, fmt.Errorf("%s=%q: %w", key, v, err))
		}
	}
}

func (e *envReader) int(key string, def int) int {
	e.parse(key, func(v string) (err error) { def, err = strconv.Atoi(v); return })
	return def
}

func (e *envReader) float(key string, def float64) float64 {
	e.parse(key, func(v string) (err error) { def, err = strconv.ParseFloat(v, 64); return })
	return def
}

func (e *envReader) bool(key string, def bool) bool {
	e.parse(key, func(v string) (err error) { def, err = strconv.ParseBool(v); return })
	return def
}

func (e *envReader) duration(key string, def time.Duration) time.Duration {
	e.parse(key, func(v string) (err error) { def, err = time.ParseDuration(v); return })
	return def
}
