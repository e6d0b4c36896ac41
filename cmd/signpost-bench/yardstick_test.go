package main

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// TestYardstickIsCorrect: the yardstick is a floor only if it does the work
// a forecast POST must do, so it refuses what Signpost refuses and stores
// what it accepts.
func TestYardstickIsCorrect(t *testing.T) {
	secret := []byte("a-secret-of-32-bytes-for-the-test")
	y, err := startYardstick(t.TempDir(), secret, map[int64]int{7: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer y.close()
	good, err := y.token(42)
	if err != nil {
		t.Fatal(err)
	}
	post := func(path, token, body string) int {
		t.Helper()
		req, _ := http.NewRequest("POST", "http://"+y.addr+path, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	cases := []struct {
		name, path, token, body string
		want                    int
	}{
		{"stored", "/forecast/7", good, `{"probabilities":[0.25,0.75]}`, 201},
		{"no token", "/forecast/7", "", `{"probabilities":[0.25,0.75]}`, 401},
		{"forged token", "/forecast/7", good + "x", `{"probabilities":[0.25,0.75]}`, 401},
		{"no such question", "/forecast/8", good, `{"probabilities":[0.25,0.75]}`, 404},
		{"not JSON", "/forecast/7", good, `{`, 400},
		{"bad sum", "/forecast/7", good, `{"probabilities":[0.5,0.75]}`, 422},
	}
	for _, tc := range cases {
		if got := post(tc.path, tc.token, tc.body); got != tc.want {
			t.Errorf("%s: POST %s = %d; want %d", tc.name, tc.path, got, tc.want)
		}
	}
	var n int
	var user int64
	if err := y.db.QueryRow("SELECT COUNT(*), MAX(user_id) FROM forecasts").Scan(&n, &user); err != nil || n != 1 || user != 42 {
		t.Fatalf("stored %d forecasts by user %d (%v); want 1 by user 42", n, user, err)
	}
	resp, err := http.Get("http://" + y.addr + "/ping")
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	body.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || body.String() != "pong" {
		t.Fatalf("GET /ping = %d %q", resp.StatusCode, body.String())
	}
}
