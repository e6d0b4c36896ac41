package api

import (
	"github.com/gofiber/fiber/v2"

	"signpost/store"
)

// userChange is the body of POST /admin/users/{username}; absent fields
// stay as they are.
type userChange struct {
	Role     *string `json:"role" enum:"forecaster,admin"`
	Disabled *bool   `json:"disabled"`
}

// adminUserDTO is a user as an admin sees them.
type adminUserDTO struct {
	userDTO
	Disabled bool `json:"disabled"`
}

// updateUser changes a user's role or disables them (audited). The last
// active admin cannot be demoted or disabled (409).
func (s *Server) updateUser(c *fiber.Ctx, in *userChange) (adminUserDTO, error) {
	if in.Role == nil && in.Disabled == nil {
		return adminUserDTO{}, invalid("role", "send role, disabled or both")
	}
	p, _ := caller(c)
	u, err := s.cfg.Store.UpdateUser(c.UserContext(), p.ID, c.Params("username"),
		store.UserChange{Role: in.Role, Disabled: in.Disabled}, s.now())
	if err != nil {
		return adminUserDTO{}, err
	}
	s.accounts.forget(u.ID)
	return adminUserDTO{userDTO: toUserDTO(u), Disabled: u.Disabled}, nil
}
