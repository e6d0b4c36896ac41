package notify

import (
	"strings"
	"testing"

	"signpost/store"
)

func TestTextOfEveryKind(t *testing.T) {
	title := store.Text{"en": "Rain?", "zh": "下雨？"}
	for _, c := range []struct {
		kind, data string
		en, zh     string
	}{
		{store.NoticeResolved, `{"outcome":0,"outcome_label":{"en":"Yes","zh":"是"},"brier":0.0625,"crowd_brier":0.2}`,
			`"Rain?" resolved: Yes. Your Brier score: 0.062 (crowd 0.200; lower is better).`, "“下雨？”已结算：是。你的 Brier 分数：0.062（群体 0.200，越低越好）。"},
		{store.NoticeResolved, `{"outcome":1,"outcome_label":{"en":"No"}}`, `"Rain?" resolved: No.`, "“下雨？”已结算：No。"},
		{store.NoticeAnnulled, `{"reason":"void","reason_i18n":{"zh":"无效"}}`, `"Rain?" was annulled: void.`, "“下雨？”已作废：无效。"},
		{store.NoticeAnnulled, `{}`, `"Rain?" was annulled.`, "“下雨？”已作废。"},
		{store.NoticeReopened, `{}`, `"Rain?" is open for forecasts again.`, "“下雨？”已重新开放预测。"},
		{store.NoticeStale, `{"days":15}`, `Your forecast on "Rain?" is 15 days old.`, "你对“下雨？”的预测已有 15 天未更新。"},
		{store.NoticeReply, `{"author":"kim","excerpt":"Hi"}`, `kim replied on "Rain?": Hi`, "kim 在“下雨？”下回复：Hi"},
		{store.NoticeMention, `{"author":"kim","author_name":"Kim","excerpt":"@pat look"}`, `Kim mentioned you on "Rain?": @pat look`, "Kim 在“下雨？”中提到了你：@pat look"},
		{store.NoticeTripwire, `{}`, `A tripwire you set fired: "Rain?".`, "你设置的触发器已触发：“下雨？”。"},
		{store.NoticeTripwire, `{"text":{"en":"Crowd above 80 %"}}`, "Crowd above 80 %", "Crowd above 80 %"},
	} {
		got := Text(store.Notification{Kind: c.kind, QuestionTitle: title, Data: []byte(c.data)})
		if got["en"] != c.en || got["zh"] != c.zh {
			t.Errorf("Text(%s, %s) = %q / %q; want %q / %q", c.kind, c.data, got["en"], got["zh"], c.en, c.zh)
		}
	}
	if got := Text(store.Notification{Kind: store.NoticeStale, QuestionTitle: store.Text{"en": "Only English"}, Data: []byte(`{"days":1}`)}); !strings.Contains(got["zh"], "Only English") {
		t.Errorf("a title without Chinese reads %q in Chinese; want the English title", got["zh"])
	}
}
