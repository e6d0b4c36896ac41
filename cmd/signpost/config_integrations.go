package main

import (
	"flag"
	"fmt"
	"net/url"
	"time"

	"signpost/api"
	"signpost/api/feeds"
	"signpost/api/tripwires"
	"signpost/api/webhook"
)

// integrations is the configuration of webhooks, data feeds, metrics and
// the tripwire evaluator.
type integrations struct {
	Webhooks  webhook.Config
	Feeds     feeds.Config
	Metrics   api.MetricsConfig
	Tripwires tripwires.Config
}

// integrationFlags registers the flags of webhooks and metrics; the
// metrics token is read from the environment only, like other secrets.
func integrationFlags(fs *flag.FlagSet, c *integrations, e *envReader) {
	fs.DurationVar(&c.Webhooks.RetryBase, "webhook-retry-base", e.duration("SIGNPOST_WEBHOOK_RETRY_BASE", 30*time.Second),
		"wait before a failed webhook delivery's first retry; it doubles each time, for 24 h (env SIGNPOST_WEBHOOK_RETRY_BASE)")
	fs.BoolVar(&c.Webhooks.AllowPrivate, "webhook-allow-private", e.bool("SIGNPOST_WEBHOOK_ALLOW_PRIVATE", false),
		"let webhooks reach loopback and private addresses (env SIGNPOST_WEBHOOK_ALLOW_PRIVATE)")
	fs.Float64Var(&c.Webhooks.CrowdPoints, "webhook-crowd-points", e.float("SIGNPOST_WEBHOOK_CROWD_POINTS", 10),
		"percentage points a crowd must move for crowd.moved (env SIGNPOST_WEBHOOK_CROWD_POINTS)")
	fs.StringVar(&c.Webhooks.PublicURL, "public-url", e.str("SIGNPOST_PUBLIC_URL", ""),
		"the server's address as users reach it, for links in webhook messages, e.g. https://signpost.example.org (env SIGNPOST_PUBLIC_URL)")
	fs.BoolVar(&c.Feeds.AllowPrivate, "feed-allow-private", e.bool("SIGNPOST_FEED_ALLOW_PRIVATE", false),
		"let data feeds read loopback and private addresses (env SIGNPOST_FEED_ALLOW_PRIVATE)")
	fs.BoolVar(&c.Metrics.Enabled, "metrics", e.bool("SIGNPOST_METRICS", false),
		"serve Prometheus metrics at /metrics (env SIGNPOST_METRICS)")
	c.Metrics.Token = e.getenv("SIGNPOST_METRICS_TOKEN")
	fs.DurationVar(&c.Tripwires.Interval, "tripwire-interval", e.duration("SIGNPOST_TRIPWIRE_INTERVAL", time.Minute),
		"how often tripwires are evaluated; a resolution triggers an evaluation at once (env SIGNPOST_TRIPWIRE_INTERVAL)")
}

func (c integrations) validate() error {
	switch {
	case c.Webhooks.RetryBase <= 0:
		return fmt.Errorf("webhook retry base must be positive")
	case c.Webhooks.CrowdPoints <= 0 || c.Webhooks.CrowdPoints > 100:
		return fmt.Errorf("webhook crowd points must be in (0, 100]")
	case c.Tripwires.Interval < time.Second:
		return fmt.Errorf("tripwire interval must be at least 1s")
	case c.Metrics.Token != "" && len(c.Metrics.Token) < 16:
		return fmt.Errorf("SIGNPOST_METRICS_TOKEN must be at least 16 bytes")
	}
	if c.Webhooks.PublicURL != "" {
		u, err := url.Parse(c.Webhooks.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("public URL must be an http(s) address such as https://signpost.example.org")
		}
	}
	return nil
}
