// Package api translates HTTP into store and scoring calls and errors into
// the API's status codes. The route table (apiRoutes) is the contract: it
// registers typed handlers and generates the OpenAPI 3.1 document served at
// /api/openapi.json. Request and response bodies are DTOs
// of this package; no store row ever reaches JSON.
package api

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/golang-jwt/jwt/v5"

	"signpost/api/crowd"
	"signpost/api/mail"
	"signpost/api/scoreboard"
	"signpost/api/signposts"
	"signpost/store"
)

const (
	maxBody       = 1 << 20
	maxImportBody = 64 << 20
	importPath    = "/api/v1/admin/import"
)

// Config is everything the API needs, passed in explicitly.
type Config struct {
	Store *store.Store
	// Now is the clock; question states and token expiry follow it.
	Now func() time.Time
	// Secret signs tokens (HS256).
	Secret []byte
	// TokenTTL is how long a token lives (default 24 h).
	TokenTTL time.Duration
	// LoginRate is login attempts per minute per IP and per username; 0 turns
	// the limit off.
	LoginRate int
	// RegisterRate is registrations per hour per IP; 0 turns the limit off.
	RegisterRate int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client for the per-address limits (see clientIP); none by default.
	TrustedProxies []netip.Prefix
	// CrowdMin is the fewest forecasters a crowd forecast is shown for
	// (0: 3), so that nobody's own forecast can be read off the crowd;
	// it is used when Crowds is nil.
	CrowdMin int
	// CrowdEstablished, when positive, counts toward CrowdMin only
	// forecasters whose accounts are this old and who have forecast
	// another question (see crowd.Rule); used when Crowds is nil.
	CrowdEstablished time.Duration
	// Crowds are the questions' crowd forecasts (nil: built from Store,
	// Log, CrowdMin and CrowdEstablished).
	Crowds *crowd.Crowds
	// Scoreboard scores questions and keeps the leaderboards (nil: built
	// from Store and Log).
	Scoreboard *scoreboard.Scoreboard
	// BcryptCost for new passwords (default bcrypt.DefaultCost).
	BcryptCost int
	Log        *slog.Logger
	// AccessLog logs one line per request.
	AccessLog bool
	// Frontend is the web UI served at "/" (nil: none).
	Frontend fs.FS
	// Version is reported by /healthz.
	Version string
	// AllowPrivateWebhooks lets webhooks target loopback and private
	// addresses; Metrics turns /metrics on.
	AllowPrivateWebhooks bool
	Metrics              MetricsConfig
	// AllowPrivateFeeds lets data feeds read loopback and private
	// addresses; FetchFeed fetches a feed now (the fetcher's, composed by
	// cmd; nil: the fetch-now operation answers 409).
	AllowPrivateFeeds bool
	FetchFeed         func(ctx context.Context, f store.Feed) (store.Snapshot, error)
	// CoherenceThreshold is the total variation distance above which
	// /me/coherence calls a scenario forecast incoherent (0: 0.2).
	CoherenceThreshold float64
	// ConditionalMin is how many forecasters must answer both branches of
	// a conditional pair before the signpost board uses the crowd's
	// likelihood ratios for that indicator (0: 5).
	ConditionalMin int
	// Mail renders the mails requests put in the outbox (verification,
	// password reset); nil: e-mail is off.
	Mail *mail.Composer
}

// Server holds the fiber app and the state shared by its handlers.
type Server struct {
	cfg    Config
	log    *slog.Logger
	app    *fiber.App
	parser *jwt.Parser
	ids    *requestIDs
	logins *loginGuard
	// registrations limits new accounts per IP per hour.
	registrations *limiter
	// commentWrites limits comments posted or edited per account.
	commentWrites *limiter
	hasher        *hasher
	accounts      accountCache
	drain         drainState
	crowd         *crowd.Crowds
	scores        *scoreboard.Scoreboard
	shapes        sync.Map // question ID -> store.QuestionShape
	questions     sync.Map // question ID -> store.Question, checked against its revision
	signs         *signposts.Service
	tokens        tokenCache
	metrics       *metrics
	doc           func() map[string]any // the OpenAPI document, built on first use

	// mailRequests limits verification mails per account and address.
	mailRequests *limiter
	// resets are the reset mails being written after their answer.
	resets sync.WaitGroup
}

// New builds the server and registers every route.
func New(cfg Config) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = 24 * time.Hour
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s := &Server{cfg: cfg, log: cfg.Log, ids: newRequestIDs(), logins: newLoginGuard(cfg.LoginRate),
		registrations: newLimiter(cfg.RegisterRate, time.Hour, defaultMaxKeys), hasher: newHasher(cfg.BcryptCost),
		commentWrites: newLimiter(commentBurst, commentRefill, defaultMaxKeys),
		mailRequests:  newLimiter(mailRequestsPerHour, time.Hour, defaultMaxKeys)}
	s.parser = newParser(s.now)
	s.doc = sync.OnceValue(s.OpenAPI)
	if s.crowd = cfg.Crowds; s.crowd == nil {
		s.crowd = crowd.New(cfg.Store, s.log, crowd.Rule{Min: cfg.CrowdMin, Established: cfg.CrowdEstablished, Now: cfg.Now})
	}
	s.signs = signposts.New(signposts.Config{Store: cfg.Store, Crowds: s.crowd, Now: s.now,
		ConditionalMin: s.conditionalMin(), CoherenceThreshold: s.coherenceThreshold()})
	if s.scores = cfg.Scoreboard; s.scores == nil && cfg.Store != nil {
		s.scores = scoreboard.New(cfg.Store, s.log)
	}
	s.setupIntegrations()
	s.app = fiber.New(fiber.Config{
		AppName: "signpost",
		// Bodies over BodyLimit are not read before the handlers run but
		// streamed: limitBody refuses them from Content-Length, and only
		// the import route (for an admin) reads one, as a stream.
		BodyLimit:             maxBody,
		StreamRequestBody:     true,
		DisableStartupMessage: true,
		ErrorHandler:          s.errorHandler,
		ReadTimeout:           60 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
	})
	// Answers given while shutting down say "Connection: close" (see Drain).
	s.app.Server().CloseOnShutdown = true
	s.routes()
	return s
}

// App returns the fiber app (for Listen, Test and Shutdown).
func (s *Server) App() *fiber.App { return s.app }

func (s *Server) now() time.Time { return s.cfg.Now().UTC() }

func (s *Server) routes() {
	app := s.app
	s.mountMetrics(app)
	app.Use(s.closeWhenDraining, s.logRequests, recoverPanics, securityHeaders, noStore, limitBody,
		compress.New(compress.Config{Next: notCompressed, Level: compress.LevelBestSpeed}))
	for _, o := range s.systemRoutes() {
		app.Add(o.method, o.path, o.handler())
	}
	api := app.Group("/api/v1", s.authenticate)
	for _, o := range s.apiRoutes() {
		handlers := []fiber.Handler{}
		switch o.auth {
		case "user":
			handlers = append(handlers, s.require(""))
		case "admin":
			handlers = append(handlers, s.require(store.RoleAdmin))
		}
		api.Add(o.method, o.path, append(handlers, o.handler())...)
	}
	api.Use(func(c *fiber.Ctx) error { return notFound("no such API endpoint") })
	if s.cfg.Frontend != nil {
		app.Use("/", filesystem.New(filesystem.Config{Root: http.FS(s.cfg.Frontend), Index: "index.html", MaxAge: 300}))
	}
}

// systemRoutes are served outside /api/v1 and without authentication.
func (s *Server) systemRoutes() []operation {
	return []operation{
		customOp[healthDTO]("GET", "/healthz", "health", "Liveness: 200 when the server and its database answer",
			"", s.healthz).alsoAnswers(fiber.StatusServiceUnavailable).tagged("system"),
		get("/api/openapi.json", "openapi", "This OpenAPI document", s.openAPI).tagged("system"),
		s.metricsRoute(),
	}
}

// apiRoutes is the API under /api/v1: one line per operation.
func (s *Server) apiRoutes() []operation {
	return append([]operation{
		post("/auth/register", "register", "Create an account", s.register).created().errors(409, 429),
		post("/auth/login", "login", "Sign in", s.login).errors(403, 429).
			describe("A disabled account answers 403 once its password is right."),
		get("/me", "getMe", "The signed-in user with their teams", s.me).user(),
		post("/me/password", "changePassword", "Change my password; every older session token and every API token is revoked", s.changePassword).
			user().noContent().errors(403, 429).
			describe("Only from a signed-in session: an API token of any scope is refused (403). Wrong current passwords are limited like logins (429)."),
		action("POST", "/me/sign-out-everywhere", "signOutEverywhere", "Revoke every session token issued to me so far and every API token",
			s.signOutEverywhere).user(),
		post("/admin/users/:username", "updateUser", "Change a user's role or disable them (audited)", s.updateUser).
			admin().errors(409).describe("The last active admin can be neither demoted nor disabled (409)."),
		get("/me/scores", "listMyScores", "My scores per resolved question of a tournament", s.myScores).user().
			withQuery("tournament", "string", "tournament slug (default: the default tournament)").errors(404),
		get("/me/calibration", "getMyCalibration", "My calibration bins in a tournament", s.myCalibration).user().
			withQuery("tournament", "string", "tournament slug (default: the default tournament)").errors(404),
		get("/tournaments", "listTournaments", "List tournaments", s.listTournaments),
		post("/tournaments", "createTournament", "Create a tournament", s.createTournament).admin().created().errors(409),
		get("/tournaments/:slug", "getTournament", "A tournament with its questions", s.getTournament),
		post("/tournaments/:slug/questions", "createQuestion", "Create a question", s.createQuestion).admin().created().errors(409),
		customOp[boardPageDTO]("GET", "/tournaments/:slug/leaderboard", "getLeaderboard",
			"Individual (or ?by=team) leaderboard", "", s.leaderboard).
			withQuery("by", "string", "user (default) or team", "user", "team").
			withQuery("participants", "string", "all (default), humans or bots: who the individual board ranks",
				scoreboard.Participants...).
			withQuery("kind", "string", "main (default: every question but conditional branches, unless the tournament counts them there too: conditionals_on_main) or conditional (the branches only)",
				"main", "conditional").
			withQuery("limit", "integer", "rows per page, 1 to 1000 (default 100)").
			withQuery("cursor", "string", "the next_cursor of the previous page (opaque)").
			withQuery("offset", "integer", "position of the first row, from 0 (default 0)").
			withQuery("around", "string", "me: the page around the signed-in caller's row", "me").
			describe(leaderboardDoc),
		post("/tournaments/:slug/teams", "createTeam", "Create a team and join it", s.createTeam).user().created().errors(409),
		post("/tournaments/:slug/teams/join", "joinTeam", "Join a team by invite code", s.joinTeam).user().errors(409),
		customOp[store.Archive]("GET", "/tournaments/:slug/export", "exportArchive",
			"Export the tournament's archive (streamed)", "", s.exportArchive).admin(),
		get("/tournaments/:slug/audit", "listAudit", "The tournament's audit trail", s.audit).admin(),
		customOp[store.ImportCounts]("POST", "/admin/import", "importArchive", "Import an archive (all or nothing)",
			"", s.importArchive).body(typeOf[store.Archive]()).admin().errors(400, 413),
		get("/questions/:id", "getQuestion", "A question", s.getQuestion),
		post("/questions/:id/resolve", "resolveQuestion", "Resolve or correct a question", s.resolveQuestion).admin().errors(409).
			describe("Without resolved_at, a first resolution is dated now and a correction keeps the current resolved_at."),
		post("/questions/:id/annul", "annulQuestion", "Annul a question", s.annulQuestion).admin().errors(409),
		post("/questions/:id/forecasts", "createForecast", "Submit a forecast", s.createForecast).user().created().errors(409),
		get("/questions/:id/forecasts/mine", "listMyForecasts", "My forecasts, oldest first", s.myForecasts).user(),
		get("/questions/:id/crowd", "getCrowdSeries", "Daily crowd forecast series", s.crowdSeries).
			withQuery("aggregate", "string", "which aggregate's series (default: the tournament's crowd_aggregate); the same crowd minimum hides the same days",
				"median", "mean_logodds", "recency_median", "skill_weighted", "extremized"),
		get("/questions/:id/scores", "listQuestionScores", "Scores of a resolved question", s.questionScores).errors(409),
		// People's reasoning, profiles, accounts, the resolution queue
		get("/questions/:id/comments", "listComments", "Comments on a question, newest first", s.listComments).
			withQuery("limit", "integer", "1-100 (default 20)").
			withQuery("cursor", "string", "next_cursor of the previous page"),
		post("/questions/:id/comments", "createComment", "Comment on a question", s.createComment).user().created().errors(429),
		patch("/comments/:id", "editComment", "Edit my comment (within 10 minutes of posting)", s.editComment).user().
			tagged("questions").errors(403, 409, 429),
		action("DELETE", "/comments/:id", "deleteComment", "Remove a comment (its author, or an admin hiding it)",
			s.deleteComment).user().tagged("questions").errors(403).
			describe("An admin removing someone else's comment is recorded in the tournament's audit trail."),
		get("/questions/:id/forecasts", "listQuestionForecasts", "Everyone's forecasts once the question is resolved",
			s.questionForecasts).errors(409),
		get("/users/:username", "getProfile", "A forecaster's track record in a tournament", s.userProfile).
			withQuery("tournament", "string", "tournament slug (default: the default tournament)").
			describe("A hidden profile is 404 except to its owner and admins."),
		patch("/me", "updateMe", "Change my display name or profile visibility", s.updateMe).user(),
		action("DELETE", "/tournaments/:slug/teams/mine", "leaveTeam", "Leave my team in the tournament", s.leaveTeam).user(),
		get("/tournaments/:slug/teams/:id", "getTeam", "A team with its members", s.getTeam),
		patch("/questions/:id", "editQuestion", "Edit a question's wording, or its sources and close date before any forecast",
			s.editQuestion).admin().errors(409),
		get("/admin/resolution-queue", "getResolutionQueue", "Questions awaiting resolution, oldest close first",
			s.resolutionQueue).admin(),
		get("/questions/:id/scores/:user_id/days", "listUserDays", "A user's per-day scores on a resolved question",
			s.userDays).errors(409),
	}, slices.Concat(s.signpostRoutes(), s.integrationRoutes(), s.conditionalRoutes(), s.notificationRoutes(),
		s.feedRoutes(), s.aggregateRoutes(), s.mailRoutes(),
		s.tripwireRoutes())...)
}

type healthDTO struct {
	Status  string `json:"status" enum:"ok,unavailable"`
	Version string `json:"version,omitempty"`
}

func (s *Server) healthz(c *fiber.Ctx) error {
	if err := s.cfg.Store.Ping(c.UserContext()); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).JSON(healthDTO{Status: "unavailable"})
	}
	return c.JSON(healthDTO{Status: "ok", Version: s.cfg.Version})
}

// notCompressed skips compression on the small, hot API answers, where it
// would cost more CPU than it saves bytes; the UI's files and the large
// tournament document are compressed.
func notCompressed(c *fiber.Ctx) bool {
	p := c.Path()
	if !strings.HasPrefix(p, "/api/") {
		return false
	}
	rest, ok := strings.CutPrefix(p, "/api/v1/tournaments/")
	return !ok || c.Method() != fiber.MethodGet || strings.Contains(rest, "/")
}

// Warm loads the in-memory crowds and leaderboards in the background after
// start-up, so the first visitor does not pay for them: the crowds first,
// open questions before the others, then every tournament's boards; then
// it saves the crowds it had to read, for the next start.
func (s *Server) Warm(ctx context.Context) {
	s.crowd.Warm(ctx, s.now())
	s.scores.Warm(ctx)
	s.crowd.Save(ctx)
}

// SaveCrowds saves the crowds that changed since the start, so the next
// start reads them instead of the forecasts: call it at shutdown, after
// the last request (and after Warm has returned).
func (s *Server) SaveCrowds(ctx context.Context) { s.crowd.Save(ctx) }
