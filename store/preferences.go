package store

import (
	"context"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Digest frequencies an account may choose.
const (
	DigestOff    = "off"
	DigestDaily  = "daily"
	DigestWeekly = "weekly"
)

// MaxStaleDays bounds Preferences.StaleDays.
const MaxStaleDays = 365

// NotifyFlags say which notices an account wants; a notice whose flag is
// off is never written.
type NotifyFlags struct {
	Resolved bool // a question forecast was resolved, annulled or reopened
	Closing  bool // a question forecast closes soon
	Stale    bool // a standing forecast is older than StaleDays
	Tripwire bool // a tripwire the account owns fired
	Replies  bool // a reply or a mention in comments
}

// Preferences are an account's choices for notifications and e-mail.
type Preferences struct {
	Language string // "en" or "zh": the language of e-mail
	Digest   string // DigestOff, DigestDaily or DigestWeekly
	// StaleDays: a forecast on an open question older than this is stale;
	// 0 counts every standing forecast as stale.
	StaleDays int
	Notify    NotifyFlags
}

// DefaultPreferences are an account's preferences until it changes them
// (the column defaults of user_preferences).
func DefaultPreferences() Preferences {
	return Preferences{Language: "en", Digest: DigestOff, StaleDays: DefaultStaleDays,
		Notify: NotifyFlags{Resolved: true, Closing: true, Stale: true, Tripwire: true, Replies: true}}
}

// PreferencesPatch changes the preferences whose fields are set.
type PreferencesPatch struct {
	Language  *string
	Digest    *string
	StaleDays *int
	Resolved  *bool
	Closing   *bool
	Stale     *bool
	Tripwire  *bool
	Replies   *bool
}

// preferencesRow is a row of user_preferences.
type preferencesRow struct {
	UserID         int64 `gorm:"primaryKey;autoIncrement:false"`
	Language       string
	Digest         string
	StaleDays      int
	NotifyResolved flag
	NotifyClosing  flag
	NotifyStale    flag
	NotifyTripwire flag
	NotifyReplies  flag
	UpdatedAt      int64 `gorm:"autoUpdateTime:false"`
}

func (preferencesRow) TableName() string { return "user_preferences" }

func (r preferencesRow) toPreferences() Preferences {
	return Preferences{Language: r.Language, Digest: r.Digest, StaleDays: r.StaleDays,
		Notify: NotifyFlags{Resolved: bool(r.NotifyResolved), Closing: bool(r.NotifyClosing),
			Stale: bool(r.NotifyStale), Tripwire: bool(r.NotifyTripwire), Replies: bool(r.NotifyReplies)}}
}

func toPreferencesRow(userID int64, p Preferences) preferencesRow {
	return preferencesRow{UserID: userID, Language: p.Language, Digest: p.Digest, StaleDays: p.StaleDays,
		NotifyResolved: flag(p.Notify.Resolved), NotifyClosing: flag(p.Notify.Closing),
		NotifyStale: flag(p.Notify.Stale), NotifyTripwire: flag(p.Notify.Tripwire),
		NotifyReplies: flag(p.Notify.Replies)}
}

// apply validates the patch and applies it to p, naming the first bad field.
func (pp PreferencesPatch) apply(p *Preferences) error {
	if pp.Language != nil {
		if *pp.Language != "en" && *pp.Language != "zh" {
			return Invalid("language", `language must be "en" or "zh"`)
		}
		p.Language = *pp.Language
	}
	if pp.Digest != nil {
		switch *pp.Digest {
		case DigestOff, DigestDaily, DigestWeekly:
		default:
			return Invalid("digest", `digest must be "off", "daily" or "weekly"`)
		}
		p.Digest = *pp.Digest
	}
	if pp.StaleDays != nil {
		if *pp.StaleDays < 0 || *pp.StaleDays > MaxStaleDays {
			return Invalid("stale_days", "stale_days must be between 0 and %d", MaxStaleDays)
		}
		p.StaleDays = *pp.StaleDays
	}
	for _, f := range []struct {
		v   *bool
		dst *bool
	}{{pp.Resolved, &p.Notify.Resolved}, {pp.Closing, &p.Notify.Closing}, {pp.Stale, &p.Notify.Stale},
		{pp.Tripwire, &p.Notify.Tripwire}, {pp.Replies, &p.Notify.Replies}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
	return nil
}

// UserPreferences returns an account's preferences (the defaults when it
// never changed them); a missing account is ErrNotFound.
func (s *Store) UserPreferences(ctx context.Context, userID int64) (Preferences, error) {
	return userPreferences(s.r.WithContext(ctx), userID)
}

func userPreferences(db *gorm.DB, userID int64) (Preferences, error) {
	var n int64
	if err := db.Model(&userRow{}).Where("id = ?", userID).Count(&n).Error; err != nil {
		return Preferences{}, err
	}
	if n == 0 {
		return Preferences{}, notFound("no user %d", userID)
	}
	var rows []preferencesRow
	if err := db.Where("user_id = ?", userID).Limit(1).Find(&rows).Error; err != nil {
		return Preferences{}, err
	}
	if len(rows) == 0 {
		return DefaultPreferences(), nil
	}
	return rows[0].toPreferences(), nil
}

// UpdatePreferences applies patch to an account's preferences and returns
// them; a bad value is ErrInvalid naming its field, and nothing changes.
func (s *Store) UpdatePreferences(ctx context.Context, userID int64, patch PreferencesPatch) (Preferences, error) {
	var out Preferences
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		p, err := userPreferences(tx, userID)
		if err != nil {
			return err
		}
		if err := patch.apply(&p); err != nil {
			return err
		}
		row := toPreferencesRow(userID, p)
		row.UpdatedAt = micros(s.now())
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "user_id"}}, UpdateAll: true}).
			Create(&row).Error; err != nil {
			return translate(err, "")
		}
		out = p
		return nil
	})
	return out, err
}

// UserEmail returns an account's e-mail address and whether it is
// verified. Accounts have no address yet: it returns "" and false until
// e-mail addresses are stored.
func (s *Store) UserEmail(ctx context.Context, userID int64) (email string, verified bool, err error) {
	return "", false, nil
}
