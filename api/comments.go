package api

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"signpost/store"
)

const (
	maxCommentBody   = 5000
	commentEditGrace = 10 * time.Minute
	defaultComments  = 20
	maxComments      = 100
	// An account may post or edit commentBurst comments at once and then
	// one every commentRefill/commentBurst (two a minute): plenty for a
	// discussion, too slow to bury a question or fill the database.
	commentBurst  = 20
	commentRefill = 10 * time.Minute
)

// commentAllowed takes one of the caller's comment writes, or answers 429.
func (s *Server) commentAllowed(c *fiber.Ctx, p principal) error {
	if ok, wait := s.commentWrites.allow(s.now(), strconv.FormatInt(p.ID, 10)); !ok {
		return rateLimited(c, wait, "too many comments from this account; retry later")
	}
	return nil
}

type commentDTO struct {
	ID         int64         `json:"id"`
	QuestionID int64         `json:"question_id"`
	User       publicUserDTO `json:"user"`
	Body       string        `json:"body" doc:"plain text; clients render URLs as links and nothing else"`
	Forecast   *[]float64    `json:"forecast" doc:"the author's current forecast on the question (one probability per option), null if they have none"`
	CreatedAt  string        `json:"created_at" format:"date-time"`
	EditedAt   *string       `json:"edited_at" format:"date-time"`
}

type commentListDTO struct {
	Comments   []commentDTO `json:"comments" doc:"newest first"`
	NextCursor *string      `json:"next_cursor" doc:"pass as ?cursor= for older comments; null on the last page"`
}

type commentRequest struct {
	Body *string `json:"body" required:"true" doc:"1-5000 characters"`
}

// commentBody validates a comment's text: trimmed, 1-5000 characters.
func (r commentRequest) commentBody() (string, error) {
	if r.Body == nil || strings.TrimSpace(*r.Body) == "" {
		return "", invalid("body", "body is required")
	}
	body := strings.TrimSpace(*r.Body)
	if utf8.RuneCountInString(body) > maxCommentBody {
		return "", invalid("body", "body is longer than 5000 characters")
	}
	// Comments sit beside other people's: no hidden direction changes.
	return body, store.CheckVisible("body", body)
}

func (s *Server) listComments(c *fiber.Ctx) (commentListDTO, error) {
	limit, err := queryInt(c, "limit", defaultComments, 1, maxComments)
	if err != nil {
		return commentListDTO{}, err
	}
	before, err := strconv.ParseInt(c.Query("cursor", "0"), 10, 64)
	if err != nil || before < 0 {
		return commentListDTO{}, invalid("cursor", "cursor must be a next_cursor from an earlier page")
	}
	q, err := s.loadQuestion(c)
	if err != nil {
		return commentListDTO{}, err
	}
	// One more than asked tells whether an older page exists.
	cs, err := s.cfg.Store.QuestionComments(c.UserContext(), q.ID, before, limit+1)
	if err != nil {
		return commentListDTO{}, err
	}
	out := commentListDTO{Comments: []commentDTO{}}
	if len(cs) > limit {
		cs = cs[:limit]
		next := strconv.FormatInt(cs[limit-1].ID, 10)
		out.NextCursor = &next
	}
	if err := s.crowd.Sync(c.UserContext()); err != nil {
		return commentListDTO{}, err
	}
	for _, cm := range cs {
		out.Comments = append(out.Comments, s.toCommentDTO(cm))
	}
	return out, nil
}

// toCommentDTO shows the comment beside its author's latest forecast on
// the question, as of the crowd cache's last sync.
func (s *Server) toCommentDTO(cm store.Comment) commentDTO {
	out := commentDTO{ID: cm.ID, QuestionID: cm.QuestionID, Body: cm.Body, CreatedAt: formatTime(cm.CreatedAt),
		User: publicUserDTO{ID: cm.UserID, Username: cm.Username, DisplayName: cm.DisplayName}}
	if ps := s.crowd.LatestProbs(cm.QuestionID, cm.UserID); ps != nil {
		out.Forecast = &ps
	}
	if cm.EditedAt != nil {
		at := formatTime(*cm.EditedAt)
		out.EditedAt = &at
	}
	return out
}

func (s *Server) createComment(c *fiber.Ctx, req *commentRequest) (commentDTO, error) {
	body, err := req.commentBody()
	if err != nil {
		return commentDTO{}, err
	}
	q, err := s.loadQuestion(c)
	if err != nil {
		return commentDTO{}, err
	}
	p, _ := caller(c)
	if err := s.commentAllowed(c, p); err != nil {
		return commentDTO{}, err
	}
	return s.commentAnswer(c)(s.cfg.Store.CreateComment(c.UserContext(), store.Comment{QuestionID: q.ID, UserID: p.ID,
		Body: body, CreatedAt: s.now()}))
}

// commentAnswer turns a stored comment (or the error storing it) into the
// answer, with its author's forecast as of now.
func (s *Server) commentAnswer(c *fiber.Ctx) func(store.Comment, error) (commentDTO, error) {
	return func(cm store.Comment, err error) (commentDTO, error) {
		if err == nil {
			err = s.crowd.Sync(c.UserContext())
		}
		if err != nil {
			return commentDTO{}, err
		}
		return s.toCommentDTO(cm), nil
	}
}

func (s *Server) editComment(c *fiber.Ctx, req *commentRequest) (commentDTO, error) {
	body, err := req.commentBody()
	if err != nil {
		return commentDTO{}, err
	}
	cm, err := s.loadComment(c)
	if err != nil {
		return commentDTO{}, err
	}
	p, _ := caller(c)
	if cm.UserID != p.ID {
		return commentDTO{}, forbidden("only the author may edit a comment")
	}
	now := s.now()
	if now.Sub(cm.CreatedAt) > commentEditGrace {
		return commentDTO{}, conflict("a comment can be edited for 10 minutes after it is posted")
	}
	if err := s.commentAllowed(c, p); err != nil {
		return commentDTO{}, err
	}
	return s.commentAnswer(c)(s.cfg.Store.EditComment(c.UserContext(), cm.ID, body, now))
}

// deleteComment removes a comment: its author at any time, or an admin,
// whose removal is audited as hiding it.
func (s *Server) deleteComment(c *fiber.Ctx) error {
	cm, err := s.loadComment(c)
	if err != nil {
		return err
	}
	p, _ := caller(c)
	if cm.UserID != p.ID && !p.admitsAdmin() {
		return forbidden("only the author or an admin may remove a comment")
	}
	return s.cfg.Store.RemoveComment(c.UserContext(), cm.ID, p.ID, s.now())
}

func (s *Server) loadComment(c *fiber.Ctx) (store.Comment, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return store.Comment{}, notFound("no such comment")
	}
	return s.cfg.Store.FindComment(c.UserContext(), id)
}

// queryInt reads an optional integer query parameter within [lo, hi].
func queryInt(c *fiber.Ctx, name string, def, lo, hi int) (int, error) {
	v := c.Query(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, invalid(name, name+" must be an integer from "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi))
	}
	return n, nil
}
