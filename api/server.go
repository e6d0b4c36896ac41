// Package api translates HTTP (API.md) into store and scoring calls and
// errors into API.md's status codes. Request and response bodies are DTOs
// of this package; no store row ever reaches JSON.
package api

import (
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/golang-jwt/jwt/v5"

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
	// CrowdMin is the fewest forecasters a crowd forecast is shown for
	// (0: 3), so that nobody's own forecast can be read off the crowd.
	CrowdMin int
	// BcryptCost for new passwords (default bcrypt.DefaultCost).
	BcryptCost int
	Log        *slog.Logger
	// AccessLog logs one line per request.
	AccessLog bool
	// Frontend is the web UI served at "/" (nil: none).
	Frontend fs.FS
	// Version is reported by /healthz.
	Version string
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
	hasher        *hasher
	accounts      accountCache
	drain         drainState
	crowd         *crowdCache
	boards        *boardCache
	shapes        sync.Map // question ID -> store.QuestionShape
	questions     sync.Map // question ID -> store.Question, checked against its revision
	tokens        tokenCache
	versions      *versionCache
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
		registrations: newLimiter(cfg.RegisterRate, time.Hour, defaultMaxKeys), hasher: newHasher(cfg.BcryptCost)}
	s.parser = newParser(s.now)
	s.crowd = newCrowdCache(cfg.Store)
	s.boards = newBoardCache(cfg.Store)
	s.versions = newVersionCache(time.Millisecond)
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

// route is one API endpoint; the table drives both fiber's router and the
// OpenAPI document, so the two cannot drift apart.
type route struct {
	method, path string
	auth         string // "", "user" or "admin"
	summary      string
	handler      fiber.Handler
}

func (s *Server) routes() {
	app := s.app
	app.Use(s.closeWhenDraining, s.logRequests, securityHeaders, noStore, limitBody,
		compress.New(compress.Config{Next: notCompressed, Level: compress.LevelBestSpeed}))
	app.Get("/healthz", s.healthz)
	app.Get("/api/openapi.json", s.openAPI)
	api := app.Group("/api/v1", s.authenticate)
	for _, r := range s.apiRoutes() {
		handlers := []fiber.Handler{}
		switch r.auth {
		case "user":
			handlers = append(handlers, s.require(""))
		case "admin":
			handlers = append(handlers, s.require(store.RoleAdmin))
		}
		api.Add(r.method, r.path, append(handlers, r.handler)...)
	}
	api.Use(func(c *fiber.Ctx) error { return notFound("no such API endpoint") })
	if s.cfg.Frontend != nil {
		app.Use("/", filesystem.New(filesystem.Config{Root: http.FS(s.cfg.Frontend), Index: "index.html", MaxAge: 300}))
	}
}

func (s *Server) apiRoutes() []route {
	return []route{
		{"POST", "/auth/register", "", "Create an account", s.register},
		{"POST", "/auth/login", "", "Sign in", s.login},
		{"GET", "/me", "user", "The signed-in user with their teams", s.me},
		{"POST", "/me/password", "user", "Change my password (revokes every older token)", withBody(204, s.changePassword)},
		{"POST", "/me/sign-out-everywhere", "user", "Revoke every token issued to me so far", noBody(204, s.signOutEverywhere)},
		{"POST", "/admin/users/:username", "admin", "Change a user's role or disable them", withBody(200, s.updateUser)},
		{"GET", "/me/scores", "user", "My scores per resolved question of a tournament", s.myScores},
		{"GET", "/me/calibration", "user", "My calibration bins in a tournament", s.myCalibration},
		{"GET", "/tournaments", "", "List tournaments", s.listTournaments},
		{"POST", "/tournaments", "admin", "Create a tournament", s.createTournament},
		{"GET", "/tournaments/:slug", "", "A tournament with its questions", s.getTournament},
		{"POST", "/tournaments/:slug/questions", "admin", "Create a question", s.createQuestion},
		{"GET", "/tournaments/:slug/leaderboard", "", "Individual (or ?by=team) leaderboard", s.leaderboard},
		{"POST", "/tournaments/:slug/teams", "user", "Create a team and join it", s.createTeam},
		{"POST", "/tournaments/:slug/teams/join", "user", "Join a team by invite code", s.joinTeam},
		{"GET", "/tournaments/:slug/export", "admin", "Export the tournament's archive", s.exportArchive},
		{"GET", "/tournaments/:slug/audit", "admin", "The tournament's audit trail", s.audit},
		{"POST", "/admin/import", "admin", "Import an archive", s.importArchive},
		{"GET", "/questions/:id", "", "A question", s.getQuestion},
		{"POST", "/questions/:id/resolve", "admin", "Resolve or correct a question", s.resolveQuestion},
		{"POST", "/questions/:id/annul", "admin", "Annul a question", s.annulQuestion},
		{"POST", "/questions/:id/forecasts", "user", "Submit a forecast", s.createForecast},
		{"GET", "/questions/:id/forecasts/mine", "user", "My forecasts, oldest first", s.myForecasts},
		{"GET", "/questions/:id/crowd", "", "Daily crowd forecast series", s.crowdSeries},
		{"GET", "/questions/:id/scores", "", "Scores of a resolved question", s.questionScores},
		{"GET", "/questions/:id/scores/:user_id/days", "", "A user's per-day scores on a resolved question", s.userDays},
	}
}

func (s *Server) healthz(c *fiber.Ctx) error {
	if err := s.cfg.Store.Ping(c.UserContext()); err != nil {
		return c.Status(503).JSON(fiber.Map{"status": "unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ok", "version": s.cfg.Version})
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
