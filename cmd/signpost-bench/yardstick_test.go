package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"signpost/store/storetest"
)

// TestYardstickIsCorrect: the yardstick is a floor only if it does the work
// a forecast POST must do, so it refuses what Signpost refuses, and a 201
// means the forecast is committed: another connection sees it at once.
func TestYardstickIsCorrect(t *testing.T) {
	engines := map[string]func(t *testing.T) yardDB{
		"sqlite": func(t *testing.T) yardDB {
			db, err := openYardSQLite(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return db
		},
		"postgres": func(t *testing.T) yardDB {
			dsn := storetest.PostgresDSN()
			if dsn == "" {
				t.Skip(storetest.EnvDSN + " is not set")
			}
			db, err := openYardPostgres(context.Background(), storetest.Schema(t, dsn))
			if err != nil {
				t.Fatal(err)
			}
			return db
		},
	}
	for name, open := range engines {
		t.Run(name, func(t *testing.T) { checkYardstick(t, open(t)) })
	}
}

func checkYardstick(t *testing.T, db yardDB) {
	secret := []byte("a-secret-of-32-bytes-for-the-test")
	y, err := startYardstick(db, secret, map[int64]int{7: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := y.close(); err != nil {
			t.Error(err)
		}
	}()
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
	stored := 0
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
		{"stored again", "/forecast/7", good, `{"probabilities":[0.5,0.5]}`, 201},
	}
	for _, tc := range cases {
		if got := post(tc.path, tc.token, tc.body); got != tc.want {
			t.Errorf("%s: POST %s = %d; want %d", tc.name, tc.path, got, tc.want)
		}
		if tc.want == 201 {
			stored++
		}
		// Right after the answer, from a connection of its own: a 201
		// must already be committed.
		n, user, err := db.count(context.Background())
		if err != nil || n != stored || (n > 0 && user != 42) {
			t.Fatalf("after %s: %d forecasts by user %d (%v); want %d by user 42", tc.name, n, user, err, stored)
		}
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
