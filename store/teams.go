package store

import (
	"context"
	"crypto/rand"

	"gorm.io/gorm"
)

type teamRow struct {
	ID           int64
	TournamentID int64
	Name         string
	InviteCode   string
	CreatedBy    *int64
	CreatedAt    int64
}

func (teamRow) TableName() string { return "teams" }

type teamMemberRow struct {
	TeamID       int64
	TournamentID int64
	UserID       int64
	JoinedAt     int64
}

func (teamMemberRow) TableName() string { return "team_members" }

// inviteAlphabet leaves out look-alikes (0/O, 1/I/L) so codes survive being read aloud.
const inviteAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

func newInviteCode() (string, error) {
	buf := make([]byte, 10)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	for i, b := range buf {
		buf[i] = inviteAlphabet[int(b)%len(inviteAlphabet)]
	}
	return string(buf), nil
}

// CreateTeam creates a team in a tournament and makes the creator its first
// member. A taken name, or a creator already in a team there, is ErrConflict.
func (s *Store) CreateTeam(ctx context.Context, tournamentID int64, name string, creatorID int64) (Team, error) {
	var out Team
	ctx, announce := s.trackScoreMoves(ctx)
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		out, err = createTeam(tx, tournamentID, name, "", nullableID(creatorID))
		if err != nil {
			return err
		}
		if creatorID != 0 {
			if err := joinTeam(tx, out, creatorID); err != nil {
				return err
			}
			out.Members = []int64{creatorID}
		}
		return bumpScoreVersion(tx, tournamentID)
	})
	announce(err)
	return out, err
}

func createTeam(tx *gorm.DB, tournamentID int64, name, code string, creator *int64) (Team, error) {
	if code == "" {
		var err error
		if code, err = newInviteCode(); err != nil {
			return Team{}, err
		}
	}
	row := teamRow{TournamentID: tournamentID, Name: name, InviteCode: code, CreatedBy: creator,
		CreatedAt: clock(tx)}
	if err := tx.Create(&row).Error; err != nil {
		return Team{}, translate(err, "team name "+name+" is taken in this tournament")
	}
	return Team{ID: row.ID, TournamentID: tournamentID, Name: name, InviteCode: code}, nil
}

func joinTeam(tx *gorm.DB, t Team, userID int64) error {
	m := teamMemberRow{TeamID: t.ID, TournamentID: t.TournamentID, UserID: userID, JoinedAt: clock(tx)}
	if err := tx.Create(&m).Error; err != nil {
		return translate(err, "already in a team in this tournament")
	}
	return nil
}

// JoinTeam adds a user to the team with the invite code in a tournament.
// An unknown code is ErrNotFound; a user already in a team there ErrConflict.
func (s *Store) JoinTeam(ctx context.Context, tournamentID int64, inviteCode string, userID int64) (Team, error) {
	var out Team
	ctx, announce := s.trackScoreMoves(ctx)
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var r teamRow
		if err := tx.Where("tournament_id = ? AND invite_code = ?", tournamentID, inviteCode).
			Take(&r).Error; err != nil {
			return missing(err, "no team with that invite code in this tournament")
		}
		out = Team{ID: r.ID, TournamentID: r.TournamentID, Name: r.Name, InviteCode: r.InviteCode}
		if err := joinTeam(tx, out, userID); err != nil {
			return err
		}
		if err := tx.Raw("SELECT user_id FROM team_members WHERE team_id = ? ORDER BY user_id", r.ID).
			Scan(&out.Members).Error; err != nil {
			return err
		}
		return bumpScoreVersion(tx, tournamentID)
	})
	announce(err)
	return out, err
}

// UserTeam is a user's membership, with the tournament's slug.
type UserTeam struct {
	Team
	TournamentSlug string
}

// TeamsOfUser returns the teams a user belongs to.
func (s *Store) TeamsOfUser(ctx context.Context, userID int64) ([]UserTeam, error) {
	var rows []struct {
		ID             int64
		TournamentID   int64
		Name           string
		InviteCode     string
		TournamentSlug string
	}
	err := s.r.WithContext(ctx).Table("teams").
		Select("teams.*, tournaments.slug AS tournament_slug").
		Joins("JOIN team_members ON team_members.team_id = teams.id").
		Joins("JOIN tournaments ON tournaments.id = teams.tournament_id").
		Where("team_members.user_id = ?", userID).Order("teams.id").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]UserTeam, len(rows))
	for i, r := range rows {
		out[i] = UserTeam{Team: Team{ID: r.ID, TournamentID: r.TournamentID, Name: r.Name, InviteCode: r.InviteCode},
			TournamentSlug: r.TournamentSlug}
	}
	return out, nil
}

// TournamentTeams returns a tournament's teams with their members.
func (s *Store) TournamentTeams(ctx context.Context, tournamentID int64) ([]Team, error) {
	var rows []teamRow
	if err := s.r.WithContext(ctx).Where("tournament_id = ?", tournamentID).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	var members []teamMemberRow
	if err := s.r.WithContext(ctx).Where("tournament_id = ?", tournamentID).Order("team_id, user_id").
		Find(&members).Error; err != nil {
		return nil, err
	}
	byTeam := make(map[int64][]int64)
	for _, m := range members {
		byTeam[m.TeamID] = append(byTeam[m.TeamID], m.UserID)
	}
	out := make([]Team, len(rows))
	for i, r := range rows {
		out[i] = Team{ID: r.ID, TournamentID: r.TournamentID, Name: r.Name, InviteCode: r.InviteCode, Members: byTeam[r.ID]}
	}
	return out, nil
}
