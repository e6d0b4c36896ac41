package mail

import "fmt"

// texts are the mails' words in each language, by key; a missing
// language falls back to English.
var texts = map[string]map[string]string{
	"en": {
		"verify.subject":     "Confirm your e-mail address for Signpost",
		"verify.hello":       "Hello %s,",
		"verify.body":        "Confirm that this address is yours so that Signpost can send you digests, notifications and password resets.",
		"verify.button":      "Confirm my address",
		"verify.expiry":      "The link works once, within 24 hours. If you did not ask for it, ignore this message.",
		"reset.subject":      "Reset your Signpost password",
		"reset.hello":        "Hello %s,",
		"reset.body":         "Someone, hopefully you, asked to reset the password of your Signpost account %s.",
		"reset.button":       "Choose a new password",
		"reset.expiry":       "The link works once, within one hour; a new password signs out every other session. If you did not ask for it, ignore this message: your password stays as it is.",
		"digest.subject":     "Your Signpost digest",
		"digest.intro":       "Hello %s, here is what changed on your forecasts.",
		"digest.stale":       "Forecasts you have not updated for a while",
		"digest.yours":       "Your forecast (%s): %s",
		"digest.crowd":       "Crowd now: %s",
		"digest.nocrowd":     "Crowd now: not shown yet",
		"digest.reaffirm":    "Still right? Reaffirm it",
		"digest.closing":     "Closing soon",
		"digest.closes":      "Closes %s",
		"digest.resolved":    "Resolved",
		"digest.score":       "Your Brier score: %.3f (crowd %.3f)",
		"digest.noscore":     "Not scored for you",
		"digest.board":       "What moved on the signpost board: %s",
		"digest.notices":     "Other news",
		"digest.open":        "Open the question",
		"footer.why":         "You receive this because your account asked for it in its preferences.",
		"footer.unsubscribe": "Unsubscribe from these e-mails",
		"notice.subject":     "Signpost: %s",
		"notice.open":        "Open Signpost",
		"option.yes":         "yes",
	},
	"zh": {
		"verify.subject":     "确认你在 Signpost 的电子邮箱",
		"verify.hello":       "%s，你好：",
		"verify.body":        "请确认此邮箱属于你，以便 Signpost 向你发送摘要、通知和密码重置邮件。",
		"verify.button":      "确认我的邮箱",
		"verify.expiry":      "此链接仅可使用一次，24 小时内有效。如果不是你本人申请，请忽略此邮件。",
		"reset.subject":      "重置你的 Signpost 密码",
		"reset.hello":        "%s，你好：",
		"reset.body":         "有人（希望是你）申请重置 Signpost 账户 %s 的密码。",
		"reset.button":       "设置新密码",
		"reset.expiry":       "此链接仅可使用一次，一小时内有效；设置新密码后，其他所有会话都会退出。如果不是你本人申请，请忽略此邮件，你的密码不会改变。",
		"digest.subject":     "你的 Signpost 摘要",
		"digest.intro":       "%s，你好：以下是你的预测的最新情况。",
		"digest.stale":       "一段时间未更新的预测",
		"digest.yours":       "你的预测（%s）：%s",
		"digest.crowd":       "当前群体预测：%s",
		"digest.nocrowd":     "当前群体预测：尚未显示",
		"digest.reaffirm":    "仍然成立？一键确认",
		"digest.closing":     "即将截止",
		"digest.closes":      "截止于 %s",
		"digest.resolved":    "已结算",
		"digest.score":       "你的 Brier 分数：%.3f（群体 %.3f）",
		"digest.noscore":     "你在此题没有得分",
		"digest.board":       "路标看板的变化：%s",
		"digest.notices":     "其他消息",
		"digest.open":        "打开问题",
		"footer.why":         "你收到此邮件，是因为你在偏好设置中选择了接收。",
		"footer.unsubscribe": "退订这些邮件",
		"notice.subject":     "Signpost：%s",
		"notice.open":        "打开 Signpost",
		"option.yes":         "是",
	},
}

// tr is a text in lang, formatted with args.
func tr(lang, key string, args ...any) string {
	s, ok := texts[lang][key]
	if !ok {
		s = texts["en"][key]
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// language is lang when the mails have it, else English.
func language(lang string) string {
	if _, ok := texts[lang]; ok {
		return lang
	}
	return "en"
}
