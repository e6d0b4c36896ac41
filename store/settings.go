package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

type settingRow struct {
	Key   string `gorm:"primaryKey"`
	Value string
}

func (settingRow) TableName() string { return "settings" }

// Secret returns the persisted value of a named secret, generating 32 random
// bytes on first use. The insert-or-ignore makes concurrent first starts
// (several instances on one database) agree on one value.
func (s *Store) Secret(ctx context.Context, name string) (string, error) {
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	var value string
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row := settingRow{Key: name, Value: hex.EncodeToString(buf)}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return err
		}
		return tx.Raw("SELECT value FROM settings WHERE key = ?", name).Scan(&value).Error
	})
	return value, err
}
