package store

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// mention is an @username in a comment's text (usernames are a-z 0-9 _ . -,
// compared without case), not inside a word: mail@example.com names no one.
var mention = regexp.MustCompile(`(?:^|[^A-Za-z0-9_.\-])@([A-Za-z0-9_.\-]{3,32})`)

// maxMentions bounds the accounts one comment notifies by name, so a
// comment cannot page the whole tournament.
const maxMentions = 20

// excerptRunes is how much of a comment its notices quote.
const excerptRunes = 140

// mentionedNames are the distinct usernames a comment's body mentions, at
// most maxMentions; a sentence's final dot is not part of a name.
func mentionedNames(body string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range mention.FindAllStringSubmatch(body, -1) {
		name := strings.ToLower(strings.TrimRight(m[1], "."))
		if len(name) < 3 || seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, name)
		if len(out) == maxMentions {
			break
		}
	}
	return out
}

// excerpt is the start of a comment's text, for its notices.
func excerpt(body string) string {
	if utf8.RuneCountInString(body) <= excerptRunes {
		return body
	}
	return string([]rune(body)[:excerptRunes]) + "…"
}

// noticeComment tells the accounts a new comment mentions, and everyone
// else who commented on the question before, inside the comment's
// transaction: a mention, or else a reply. The author hears of neither.
func (s *Store) noticeComment(tx *gorm.DB, c Comment) error {
	key := "comment:" + strconv.FormatInt(c.ID, 10)
	data := map[string]any{"comment_id": c.ID, "author": c.Username, "author_name": c.DisplayName,
		"excerpt": excerpt(c.Body)}
	var ns []NewNotification
	told := map[int64]bool{c.UserID: true}
	tell := func(ids []int64, kind string) {
		for _, id := range ids {
			if !told[id] {
				told[id] = true
				ns = append(ns, NewNotification{UserID: id, Kind: kind, QuestionID: c.QuestionID, Key: key, Data: data})
			}
		}
	}
	if names := mentionedNames(c.Body); len(names) > 0 {
		var ids []int64
		if err := tx.Model(&userRow{}).Where("username IN ?", names).Order("id").Pluck("id", &ids).Error; err != nil {
			return err
		}
		tell(ids, NoticeMention)
	}
	var earlier []int64
	if err := tx.Model(&commentRow{}).Distinct("user_id").
		Where("question_id = ? AND id < ? AND removed_at IS NULL", c.QuestionID, c.ID).
		Order("user_id").Pluck("user_id", &earlier).Error; err != nil {
		return err
	}
	tell(earlier, NoticeReply)
	return s.notifyTx(tx, ns...)
}
