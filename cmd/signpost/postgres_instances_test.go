package main

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"signpost/api"
	"signpost/store"
	"signpost/store/storetest"
)

// TestPostgresTwoInstances runs two server processes (the built binary,
// each its own OS process) on one empty PostgreSQL database, started at the
// same moment. Clients spread forecasts over both while an admin resolves and
// annuls on one and leaderboards are read from the other. Afterwards no
// forecast is lost or duplicated, the seed and the admin exist once, a
// token from one works on the other, and both serve the leaderboard the
// scoring engine computes from the database, and the same crowd.
func TestPostgresTwoInstances(t *testing.T) {
	dsn := storetest.PostgresDSN()
	if dsn == "" {
		t.Skip("set SIGNPOST_TEST_POSTGRES_DSN to run several instances on PostgreSQL")
	}
	db := storetest.Schema(t, dsn)
	env := map[string]string{"SIGNPOST_ADMIN_USERNAME": "boss", "SIGNPOST_ADMIN_PASSWORD": "a-long-password",
		"SIGNPOST_PG_POOL": "8"}
	var bases [2]string
	var wg sync.WaitGroup
	for i := range bases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bases[i] = bootProcess(t, db, env)
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	a, b := bases[0], bases[1]

	var tours struct {
		Tournaments []any `json:"tournaments"`
	}
	for _, base := range bases {
		if call(t, "GET", base+"/api/v1/tournaments", "", nil, &tours); len(tours.Tournaments) != 1 {
			t.Fatalf("%s: %d tournaments; the seed must load exactly once", base, len(tours.Tournaments))
		}
	}
	var admin authAnswer
	if code := call(t, "POST", a+"/api/v1/auth/login", "", map[string]string{"username": "boss", "password": "a-long-password"}, &admin); code != 200 {
		t.Fatalf("admin login on A = %d", code)
	}
	var me struct {
		User struct{ Role string } `json:"user"`
	}
	if code := call(t, "GET", b+"/api/v1/me", admin.Token, nil, &me); code != 200 {
		t.Fatalf("A's token on B: GET /me = %d; want 200 (one JWT secret in the database)", code)
	}

	qs := openBinaries(t, a, 4)
	resolved, annulled, late := qs[0], qs[1], qs[2]
	tokens := registerSpread(t, bases, 8)

	var created sync.Map // forecast ID -> user
	var posted, refused atomic.Int64
	halfway := make(chan struct{})
	var once sync.Once
	var clients sync.WaitGroup
	for u, tok := range tokens {
		clients.Add(1)
		go func() {
			defer clients.Done()
			for k := range 30 {
				if k == 15 {
					once.Do(func() { close(halfway) })
				}
				base, q := bases[(u+k)%2], qs[(u+k)%len(qs)]
				var f forecastAnswer
				p := float64(1+(u*31+k*7)%98) / 100
				code := call(t, "POST", fmt.Sprintf("%s/api/v1/questions/%d/forecasts", base, q), tok,
					map[string]any{"probability": p}, &f)
				switch code {
				case 201:
					if _, dup := created.LoadOrStore(f.ID, u); dup {
						t.Errorf("forecast ID %d answered twice", f.ID)
					}
					posted.Add(1)
				case 409:
					refused.Add(1) // the question was resolved or annulled meanwhile
				default:
					t.Errorf("forecast on %s = %d", base, code)
				}
			}
		}()
	}
	stopReading := make(chan struct{})
	reads := readBoards(t, b, stopReading)
	<-halfway
	if code := call(t, "POST", fmt.Sprintf("%s/api/v1/questions/%d/resolve", a, resolved), admin.Token,
		map[string]any{"outcome": 0}, nil); code != 200 {
		t.Fatalf("resolve on A = %d", code)
	}
	if code := call(t, "POST", fmt.Sprintf("%s/api/v1/questions/%d/annul", a, annulled), admin.Token,
		map[string]any{"reason": "ambiguous"}, nil); code != 200 {
		t.Fatalf("annul on A = %d", code)
	}
	clients.Wait()
	close(stopReading)
	if n := <-reads; n == 0 {
		t.Error("no leaderboard was read from B while the admin worked on A")
	}
	if code := call(t, "POST", fmt.Sprintf("%s/api/v1/questions/%d/resolve", a, late), admin.Token,
		map[string]any{"outcome": 1}, nil); code != 200 {
		t.Fatalf("second resolve on A = %d", code)
	}
	checkStored(t, db, &created, posted.Load())
	t.Logf("%d forecasts stored over two instances, %d refused after resolution or annulment", posted.Load(), refused.Load())
	checkBoards(t, db, bases)
	checkSameCrowd(t, bases, qs[3])
}

// registerSpread registers n users, each on one instance, and logs each in
// on the other: every token was minted by the instance that did not
// create the account.
func registerSpread(t *testing.T, bases [2]string, n int) []string {
	t.Helper()
	tokens := make([]string, n)
	for i := range tokens {
		cred := map[string]string{"username": fmt.Sprintf("user%d", i), "password": "correct horse"}
		if code := call(t, "POST", bases[i%2]+"/api/v1/auth/register", "", cred, nil); code != 201 {
			t.Fatalf("register on instance %d = %d", i%2, code)
		}
		var login authAnswer
		if code := call(t, "POST", bases[(i+1)%2]+"/api/v1/auth/login", "", cred, &login); code != 200 {
			t.Fatalf("login on the other instance = %d", code)
		}
		tokens[i] = login.Token
	}
	return tokens
}

// readBoards reads the leaderboard from base until stop closes, then sends
// how many reads succeeded.
func readBoards(t *testing.T, base string, stop chan struct{}) chan int {
	out := make(chan int, 1)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				out <- n
				return
			default:
			}
			if code := call(t, "GET", base+"/api/v1/tournaments/"+store.DefaultTournamentSlug+"/leaderboard", "", nil, nil); code != 200 {
				t.Errorf("leaderboard on B = %d", code)
			}
			n++
		}
	}()
	return out
}

// checkStored compares what the database holds with what the clients were
// told: every forecast answered 201 is stored once, and nothing else is.
func checkStored(t *testing.T, db string, created *sync.Map, posted int64) {
	t.Helper()
	ctx := context.Background()
	st, tour := openDefault(t, db)
	stored := 0
	created.Range(func(k, v any) bool {
		if _, err := st.FindForecast(ctx, k.(int64)); err != nil {
			t.Errorf("forecast %d answered 201 is not stored: %v", k, err)
		}
		return true
	})
	for u := range 8 {
		user, err := st.FindUserByUsername(ctx, fmt.Sprintf("user%d", u))
		if err != nil {
			t.Fatal(err)
		}
		fs, err := st.TournamentUserForecasts(ctx, tour.ID, user.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if owner, ok := created.Load(f.ID); !ok || owner.(int) != u {
				t.Errorf("stored forecast %d of user%d was never answered 201 to that user", f.ID, u)
			}
		}
		stored += len(fs)
	}
	if int64(stored) != posted {
		t.Errorf("%d forecasts stored; %d answered 201", stored, posted)
	}
}

// checkBoards waits (up to 2 s) for both instances to serve the leaderboard
// the scoring engine computes from the database, without any cache.
func checkBoards(t *testing.T, db string, bases [2]string) {
	t.Helper()
	ctx := context.Background()
	st, tour := openDefault(t, db)
	lb, err := st.Leaderboards(ctx, tour.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(lb.Users) == 0 {
		t.Fatal("the scoring engine ranks nobody; the test would prove nothing")
	}
	raw, err := json.Marshal(api.LeaderboardBody(lb, false))
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]any
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for i, base := range bases {
		for {
			// The served board is a page (the first 100 rows, far more
			// than this test ranks): its entries and total must match.
			var got map[string]any
			call(t, "GET", base+"/api/v1/tournaments/"+store.DefaultTournamentSlug+"/leaderboard", "", nil, &got)
			if reflect.DeepEqual(got["entries"], want["entries"]) && got["total"] == float64(len(lb.Users)) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("instance %d serves\n%v\nthe scoring engine says\n%v", i, got, want)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// checkSameCrowd compares the crowd forecast both instances show on a
// question that stayed open.
func checkSameCrowd(t *testing.T, bases [2]string, question int64) {
	t.Helper()
	var crowds [2]any
	for i, base := range bases {
		var q struct {
			Crowd any `json:"crowd"`
		}
		call(t, "GET", fmt.Sprintf("%s/api/v1/questions/%d", base, question), "", nil, &q)
		if q.Crowd == nil {
			t.Fatalf("instance %d shows no crowd on question %d", i, question)
		}
		crowds[i] = q.Crowd
	}
	if !reflect.DeepEqual(crowds[0], crowds[1]) {
		t.Errorf("crowds differ: A %v, B %v", crowds[0], crowds[1])
	}
}

// openDefault opens the instances' database beside them, closed when the
// test ends, with the default tournament.
func openDefault(t *testing.T, db string) (*store.Store, store.Tournament) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	tour, err := st.FindTournamentBySlug(ctx, store.DefaultTournamentSlug)
	if err != nil {
		t.Fatal(err)
	}
	return st, tour
}
