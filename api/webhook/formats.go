package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"signpost/store"
)

// Webhook formats.
const (
	FormatJSON     = "json"
	FormatSlack    = "slack"
	FormatFeishu   = "feishu"
	FormatDingTalk = "dingtalk"
)

// Formats lists the formats a webhook may use.
var Formats = []string{FormatJSON, FormatSlack, FormatFeishu, FormatDingTalk}

// signJSON is the generic format's signature header value: the hex HMAC-SHA256
// of the raw body keyed with the webhook's secret.
func signJSON(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// signFeishu is Feishu/Lark's custom bot signature: HMAC-SHA256 keyed with
// timestamp + "\n" + secret over an empty message, in base64.
func signFeishu(secret string, timestamp int64) string {
	m := hmac.New(sha256.New, []byte(strconv.FormatInt(timestamp, 10)+"\n"+secret))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// signDingTalk is DingTalk's custom robot signature: HMAC-SHA256 keyed with
// the secret over timestamp (ms) + "\n" + secret, in base64 (URL-encoded
// by the caller).
func signDingTalk(secret string, timestampMs int64) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(timestampMs, 10) + "\n" + secret))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

type feishuText struct {
	Text string `json:"text"`
}

type feishuBody struct {
	Timestamp string     `json:"timestamp,omitempty"`
	Sign      string     `json:"sign,omitempty"`
	MsgType   string     `json:"msg_type"`
	Content   feishuText `json:"content"`
}

type dingTalkText struct {
	Content string `json:"content"`
}

type dingTalkBody struct {
	MsgType string       `json:"msgtype"`
	Text    dingTalkText `json:"text"`
}

// buildDelivery builds the HTTP request of a delivery in its webhook's
// format; signatures that carry a time use now.
func buildDelivery(ctx context.Context, d store.DueDelivery, now time.Time) (*http.Request, error) {
	w := d.Webhook
	target := w.URL
	body := []byte(d.Payload)
	var err error
	switch w.Format {
	case FormatJSON:
	case FormatSlack:
		body, err = json.Marshal(map[string]string{"text": d.Message})
	case FormatFeishu:
		fb := feishuBody{MsgType: "text", Content: feishuText{Text: d.Message}}
		if w.Secret != "" {
			ts := now.Unix()
			fb.Timestamp, fb.Sign = strconv.FormatInt(ts, 10), signFeishu(w.Secret, ts)
		}
		body, err = json.Marshal(fb)
	case FormatDingTalk:
		body, err = json.Marshal(dingTalkBody{MsgType: "text", Text: dingTalkText{Content: d.Message}})
		if w.Secret != "" {
			target, err = signedDingTalkURL(w.URL, w.Secret, now.UnixMilli())
		}
	default:
		return nil, fmt.Errorf("unknown webhook format %q", w.Format)
	}
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "Signpost-Webhook/1")
	req.Header.Set("X-Signpost-Event", d.Event)
	req.Header.Set("X-Signpost-Delivery", strconv.FormatInt(d.ID, 10))
	if w.Format == FormatJSON && w.Secret != "" {
		req.Header.Set("X-Signpost-Signature", signJSON(w.Secret, body))
	}
	return req, nil
}

func signedDingTalkURL(raw, secret string, ms int64) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("timestamp", strconv.FormatInt(ms, 10))
	q.Set("sign", signDingTalk(secret, ms))
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// chatError reads the error a chat platform reports inside a 200 answer:
// Feishu says {"code": non-zero, "msg"}, DingTalk {"errcode": non-zero,
// "errmsg"}.
func chatError(format string, body []byte) error {
	var r struct {
		Code    *int   `json:"code"`
		Msg     string `json:"msg"`
		ErrCode *int   `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if json.Unmarshal(body, &r) != nil {
		return nil
	}
	switch {
	case format == FormatFeishu && r.Code != nil && *r.Code != 0:
		return errors.New("feishu error " + strconv.Itoa(*r.Code) + ": " + r.Msg)
	case format == FormatDingTalk && r.ErrCode != nil && *r.ErrCode != 0:
		return errors.New("dingtalk error " + strconv.Itoa(*r.ErrCode) + ": " + r.ErrMsg)
	}
	return nil
}
