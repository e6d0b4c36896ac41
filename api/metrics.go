package api

import (
	"crypto/subtle"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// MetricsConfig turns the Prometheus endpoint on.
type MetricsConfig struct {
	// Enabled serves /metrics.
	Enabled bool
	// Token, when set, is the bearer token /metrics requires.
	Token string
}

// forecastRoute is the route whose 201 answers count accepted forecasts.
const forecastRoute = "/api/v1/questions/:id/forecasts"

// metrics are the server's Prometheus metrics, in a registry of their own
// (no global state, so several servers in one test process do not clash).
// A nil *metrics records nothing: metrics are off.
type metrics struct {
	reg        *prometheus.Registry
	token      string
	requests   *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	forecasts  prometheus.Counter
	recompute  prometheus.Histogram
	deliveries *prometheus.CounterVec
	scrape     fiber.Handler
}

func newMetrics(cfg MetricsConfig) *metrics {
	if !cfg.Enabled {
		return nil
	}
	m := &metrics{reg: prometheus.NewRegistry(), token: cfg.Token,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "signpost_http_requests_total",
			Help: "HTTP requests by route template, method and status."}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "signpost_http_request_duration_seconds",
			Help: "HTTP request duration by route template.", Buckets: prometheus.DefBuckets}, []string{"route"}),
		forecasts: prometheus.NewCounter(prometheus.CounterOpts{Name: "signpost_forecasts_accepted_total",
			Help: "Forecasts accepted (201)."}),
		recompute: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "signpost_score_recompute_seconds",
			Help: "Time to recompute a tournament's leaderboards after its scores changed.", Buckets: prometheus.DefBuckets}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "signpost_webhook_deliveries_total",
			Help: "Webhook delivery attempts by format and result (delivered, retry, failed)."}, []string{"format", "result"}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.forecasts, m.recompute, m.deliveries,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// mountMetrics installs the metrics middleware first, so it sees every
// request's final status, when metrics are on.
func (s *Server) mountMetrics(app *fiber.App) {
	if s.metrics == nil {
		return
	}
	s.metrics.scrape = adaptor.HTTPHandler(promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
	app.Use(s.metrics.middleware)
}

// serveMetrics answers a scrape: 404 while metrics are off, 401 without
// the configured token.
func (s *Server) serveMetrics(c *fiber.Ctx) error {
	m := s.metrics
	if m == nil {
		return notFound("metrics are off (SIGNPOST_METRICS=true turns them on)")
	}
	if m.token != "" {
		got, _ := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
		if subtle.ConstantTimeCompare([]byte(got), []byte(m.token)) != 1 {
			return unauthorized("metrics need Authorization: Bearer <SIGNPOST_METRICS_TOKEN>")
		}
	}
	return m.scrape(c)
}

// middleware counts and times each request under its route template
// (c.Route().Path after routing), never the raw path, so labels stay few.
func (m *metrics) middleware(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	m.record(c.Route().Path, methodLabel(c.Method()), c.Response().StatusCode(), time.Since(start))
	return err
}

// record counts one request: all a request pays for metrics besides two
// clock reads.
func (m *metrics) record(route, method string, status int, took time.Duration) {
	m.requests.WithLabelValues(route, method, statusText(status)).Inc()
	m.duration.WithLabelValues(route).Observe(took.Seconds())
	if status == fiber.StatusCreated && route == forecastRoute && method == fiber.MethodPost {
		m.forecasts.Inc()
	}
}

// methodLabel maps a request's method onto a constant: fiber's method
// string points into a reused buffer, and a label keeps the string it is given.
func methodLabel(m string) string {
	for _, known := range []string{fiber.MethodGet, fiber.MethodPost, fiber.MethodDelete, fiber.MethodPut,
		fiber.MethodPatch, fiber.MethodHead, fiber.MethodOptions} {
		if m == known {
			return known
		}
	}
	return "other"
}

// statusTexts avoids formatting the common statuses per request.
var statusTexts = func() map[int]string {
	out := make(map[int]string)
	for code := 100; code < 600; code++ {
		out[code] = strconv.Itoa(code)
	}
	return out
}()

func statusText(code int) string {
	if s, ok := statusTexts[code]; ok {
		return s
	}
	return strconv.Itoa(code)
}

func (m *metrics) observeRecompute(d time.Duration) {
	if m != nil {
		m.recompute.Observe(d.Seconds())
	}
}

func (m *metrics) delivery(format, result string) {
	if m != nil {
		m.deliveries.WithLabelValues(format, result).Inc()
	}
}
