package mail

import (
	"strconv"
	"time"

	"signpost/store"
)

// noticeFlag is the preference that lets each kind of notice through, as
// its unsubscribe link names it.
var noticeFlag = map[string]string{
	store.NoticeResolved: "resolved", store.NoticeAnnulled: "resolved", store.NoticeReopened: "resolved",
	store.NoticeClosing: "closing", store.NoticeStale: "stale", store.NoticeTripwire: "tripwire",
	store.NoticeReply: "replies", store.NoticeMention: "replies",
}

// Notice is the mail that tells one notification at once, in lang, with
// a link to its question and a one-click unsubscribe from its kind.
func (c *Composer) Notice(n store.Notification, to store.Email, lang string, at time.Time) ([]store.MailToken, store.OutboxMessage, error) {
	lang = language(lang)
	what := NoticeText(n, lang)
	target := c.publicURL + "/#/"
	if n.QuestionID != 0 {
		target += "q/" + strconv.FormatInt(n.QuestionID, 10)
	}
	u := store.User{ID: n.UserID}
	unsubPage, oneClick, tok := c.unsubscribe(u, lang, "notify."+noticeFlag[n.Kind], at)
	b := body{Lang: lang, Title: tr(lang, "notice.subject", what), Paras: []string{what},
		Button: &link{Text: tr(lang, "notice.open"), URL: target}, Footer: []string{tr(lang, "footer.why")},
		Unsubscribe: unsubPage}
	msg, err := c.message(u, store.MailNotification, to.Address, b, at)
	msg.UnsubscribeURL = oneClick
	return []store.MailToken{tok}, msg, err
}
