package api

import (
	"github.com/gofiber/fiber/v2"

	"signpost/api/tripwires"
	"signpost/store"
)

// tripwireRequest is an admin's new tripwire.
type tripwireRequest struct {
	Name       store.Text `json:"name" required:"true" doc:"in each language (en, zh), up to 200 characters each"`
	Kind       *string    `json:"kind" required:"true" enum:"feed,crowd,implied,evidence" doc:"feed: the latest value of the question's data feed; crowd: the crowd's probability of an option, as shown (nothing below the crowd minimum); implied, evidence: a scenario's probability on the signpost board (the question must be the board's scenario question)"`
	QuestionID *int64     `json:"question_id" required:"true"`
	Option     *int       `json:"option,omitempty" doc:"the option watched, from 0; required except for a feed (none) and a binary question's crowd (default 0, Yes)"`
	Op         *string    `json:"op" required:"true" enum:">=,<="`
	Value      *float64   `json:"value" required:"true" doc:"the threshold: a probability in [0, 1] for crowd, implied and evidence; the feed's unit for feed"`
	Owner      *string    `json:"owner" required:"true" doc:"the username of whoever owns the action"`
	Action     store.Text `json:"action" required:"true" doc:"the action committed to, in each language (en, zh), up to 2000 characters each"`
}

// tripwireDTO is a tripwire with its state.
type tripwireDTO struct {
	ID         int64      `json:"id"`
	Name       store.Text `json:"name"`
	Kind       string     `json:"kind" enum:"feed,crowd,implied,evidence"`
	QuestionID int64      `json:"question_id"`
	Option     *int       `json:"option" doc:"null for a feed"`
	Op         string     `json:"op" enum:">=,<="`
	Value      float64    `json:"value"`
	Owner      string     `json:"owner" doc:"username"`
	Action     store.Text `json:"action"`
	State      string     `json:"state" enum:"armed,fired" doc:"fired once the value crossed the threshold; armed again once it is back on the other side"`
	FiredAt    *string    `json:"fired_at" format:"date-time" doc:"the last firing; null if it never fired"`
	FiredValue *float64   `json:"fired_value" doc:"the value that last fired it"`
	CreatedAt  string     `json:"created_at" format:"date-time"`
}

type tripwireListDTO struct {
	Tripwires []tripwireDTO `json:"tripwires"`
}

func toTripwireDTO(w store.Tripwire) tripwireDTO {
	out := tripwireDTO{ID: w.ID, Name: orText(w.Name), Kind: w.Kind, QuestionID: w.QuestionID, Option: w.Option, Op: w.Op,
		Value: w.Value, Owner: w.Owner, Action: orText(w.Action), State: w.State, FiredValue: w.FiredValue,
		CreatedAt: formatTime(w.CreatedAt)}
	if w.FiredAt != nil {
		at := formatTime(*w.FiredAt)
		out.FiredAt = &at
	}
	return out
}

// orText is t, or an empty text instead of null.
func orText(t store.Text) store.Text {
	if t == nil {
		return store.Text{}
	}
	return t
}

func (r *tripwireRequest) toTripwire(tournamentID int64) (store.Tripwire, error) {
	switch {
	case r.Kind == nil:
		return store.Tripwire{}, invalid("kind", "kind is required")
	case r.QuestionID == nil:
		return store.Tripwire{}, invalid("question_id", "question_id is required")
	case r.Op == nil:
		return store.Tripwire{}, invalid("op", "op is required")
	case r.Value == nil:
		return store.Tripwire{}, invalid("value", "value is required")
	case r.Owner == nil:
		return store.Tripwire{}, invalid("owner", "owner is required")
	}
	return store.Tripwire{TournamentID: tournamentID, Name: r.Name, Kind: *r.Kind, QuestionID: *r.QuestionID,
		Option: r.Option, Op: *r.Op, Value: *r.Value, Owner: *r.Owner, Action: r.Action}, nil
}

// tripwireRoutes are the endpoints of tripwires.
func (s *Server) tripwireRoutes() []operation {
	return []operation{
		get("/tournaments/:slug/tripwires", "listTripwires", "The tournament's tripwires, armed and fired", s.listTripwires).
			tagged("signposts"),
		post("/tournaments/:slug/tripwires", "createTripwire", "Set a tripwire: a threshold with an owner and an action (audited)",
			s.createTripwire).admin().created().tagged("signposts").describe(tripwireDoc),
		action(fiber.MethodDelete, "/tournaments/:slug/tripwires/:id", "deleteTripwire", "Remove a tripwire (audited)",
			s.deleteTripwire).admin().tagged("signposts"),
	}
}

const tripwireDoc = "A tripwire fires once when its value crosses the threshold (`op` `value`), sending the " +
	"`tripwire.fired` webhook event, and re-arms only once the value is back on the other side. The server " +
	"evaluates tripwires every SIGNPOST_TRIPWIRE_INTERVAL and at once after a resolution."

func (s *Server) listTripwires(c *fiber.Ctx) (tripwireListDTO, error) {
	t, err := s.cfg.Store.FindTournamentBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return tripwireListDTO{}, err
	}
	ws, err := s.cfg.Store.ListTripwires(c.UserContext(), t.ID)
	if err != nil {
		return tripwireListDTO{}, err
	}
	out := tripwireListDTO{Tripwires: make([]tripwireDTO, len(ws))}
	for i, w := range ws {
		out.Tripwires[i] = toTripwireDTO(w)
	}
	return out, nil
}

func (s *Server) createTripwire(c *fiber.Ctx, in *tripwireRequest) (tripwireDTO, error) {
	ctx := c.UserContext()
	t, err := s.cfg.Store.FindTournamentBySlug(ctx, c.Params("slug"))
	if err != nil {
		return tripwireDTO{}, err
	}
	w, err := in.toTripwire(t.ID)
	if err != nil {
		return tripwireDTO{}, err
	}
	if err := tripwires.Check(ctx, s.cfg.Store, s.TripwireSources(), t, w); err != nil {
		return tripwireDTO{}, err
	}
	p, _ := caller(c)
	if w, err = s.cfg.Store.CreateTripwire(ctx, w, p.ID); err != nil {
		return tripwireDTO{}, err
	}
	return toTripwireDTO(w), nil
}

func (s *Server) deleteTripwire(c *fiber.Ctx) error {
	t, err := s.cfg.Store.FindTournamentBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p, _ := caller(c)
	return s.cfg.Store.DeleteTripwire(c.UserContext(), t.ID, id, p.ID)
}

// TripwireSources gives the tripwire evaluator what it reads from the
// server's caches: the crowds as shown and the signpost board.
func (s *Server) TripwireSources() tripwires.Sources {
	return tripwires.Sources{SyncCrowds: s.crowd.Sync, Crowd: s.crowd.Shown, Board: s.signs.Board}
}
