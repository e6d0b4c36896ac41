package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Result is everything one run measured; -json prints it as is.
type Result struct {
	Setup     Setup         `json:"setup"`
	Import    *ImportResult `json:"import,omitempty"`
	Scenarios []Stats       `json:"scenarios"`
	// ColdStartMs is opening the existing database to the first 200 from
	// /healthz (in-process only).
	ColdStartMs *float64 `json:"cold_start_ms,omitempty"`
	// FirstQuestionMs is from opening the database to the first answer to
	// GET /api/v1/questions/{id} of an open question, with its crowd
	// (in-process only).
	FirstQuestionMs *float64 `json:"first_question_ms,omitempty"`
	// RawRead is reading every scored question's forecasts through the
	// store's scoring reader, after the cold leaderboard (in-process only).
	RawRead *RawRead `json:"raw_read,omitempty"`
	// FirstViewMs is the first GET of the tournament (every question with
	// its crowd) after start-up.
	FirstViewMs *float64 `json:"first_view_ms,omitempty"`
	// RestartFirstViewMs is the same after the server stopped (saving its
	// crowds) and started again, at the end of the run (in-process only).
	RestartFirstViewMs *float64 `json:"restart_first_view_ms,omitempty"`
	// LeaderboardColdMs is the first leaderboard GET after start-up: every
	// resolved question scored from the database.
	LeaderboardColdMs  *float64 `json:"leaderboard_cold_ms,omitempty"`
	LeaderboardEntries int      `json:"leaderboard_entries"`
	// LeaderboardBytes is the size of the first page (default limit), as
	// sent uncompressed.
	LeaderboardBytes int `json:"leaderboard_bytes"`
	// Recompute is the time from a resolution correction's answer until the
	// leaderboard shows it, and from its request until then.
	Recompute *Recompute `json:"recompute,omitempty"`
	// RecomputeFullMs is the same after a team change (only the teams whose
	// members changed are rescored).
	RecomputeFullMs *float64 `json:"recompute_full_ms,omitempty"`
	// MetricsCost compares the forecast POST with metrics off and on.
	MetricsCost *MetricsCost `json:"metrics_cost,omitempty"`
	// Yardstick compares with the minimal server of -yardstick.
	Yardstick   *Yardstick `json:"yardstick,omitempty"`
	Soak        *Soak      `json:"soak,omitempty"`
	Memory      Memory     `json:"memory"`
	Database    *DBSize    `json:"database,omitempty"`
	Profiles    []string   `json:"profiles,omitempty"`
	WallSeconds float64    `json:"wall_seconds"`
	Finished    time.Time  `json:"finished"`
}

// RawRead is the floor under a cold leaderboard: the rows it scores, read
// and decoded one question after another.
type RawRead struct {
	Ms   float64 `json:"ms"`
	Rows int     `json:"rows"`
}

// Setup is what was measured, on what.
type Setup struct {
	Mode string `json:"mode"`
	// Database is the engine of the in-process run: SQLite, or the
	// PostgreSQL server and schema of -db.
	Database    string `json:"database,omitempty"`
	Import      string `json:"import"`
	Order       string `json:"order"`
	Users       int    `json:"users"`
	Questions   int    `json:"questions"`
	Open        int    `json:"open_questions"`
	PerUser     int    `json:"forecasts_per_user_per_question"`
	Forecasts   int64  `json:"forecasts"`
	Teams       int    `json:"teams"`
	Tokens      int    `json:"tokens"`
	Seed        uint64 `json:"seed"`
	Concurrency int    `json:"concurrency"`
	Duration    string `json:"duration"`
	Warmup      string `json:"warmup"`
	GOMAXPROCS  int    `json:"gomaxprocs"`
	NumCPU      int    `json:"num_cpu"`
	GoVersion   string `json:"go_version"`
	// Revision is the VCS revision the binary was built from, when stamped;
	// Modified says the working tree had uncommitted changes.
	Revision string `json:"revision,omitempty"`
	Modified bool   `json:"modified,omitempty"`
}

// ImportResult is the import through the real path.
type ImportResult struct {
	Documents int     `json:"documents"`
	Users     int     `json:"users"`
	Questions int     `json:"questions"`
	Forecasts int     `json:"forecasts"`
	Seconds   float64 `json:"seconds"`
	PerSecond float64 `json:"forecasts_per_second"`
	// CrowdsSeconds is the saving of every crowd that follows an import
	// through store.Import, as `signpost import` does (not in Seconds).
	CrowdsSeconds float64 `json:"crowds_seconds,omitempty"`
}

// Recompute summarises the resolution corrections.
type Recompute struct {
	RunsMs   []float64 `json:"runs_ms"`
	MinMs    float64   `json:"min_ms"`
	MedianMs float64   `json:"median_ms"`
	MaxMs    float64   `json:"max_ms"`
	// VisibleMs is from sending each correction until another client,
	// polling from that moment, sees the board change.
	VisibleMs       []float64 `json:"visible_ms"`
	VisibleMedianMs float64   `json:"visible_median_ms"`
}

// Memory is peak resident memory (VmHWM) of Scope. The peak is reset after
// the import when the kernel allows it (Split), so ServePeakMB covers only
// serving: in-process from the cold start on.
type Memory struct {
	Scope        string  `json:"scope,omitempty"`
	ImportPeakMB float64 `json:"import_peak_mb,omitempty"`
	ServePeakMB  float64 `json:"serve_peak_mb,omitempty"`
	Split        bool    `json:"split"`
}

// DBSize is the database on disk while the server runs.
type DBSize struct {
	FileBytes int64 `json:"file_bytes"`
	WALBytes  int64 `json:"wal_bytes"`
}

func writeJSON(w io.Writer, r *Result) error {
	r.Finished = time.Now().UTC()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func writeTable(w io.Writer, r *Result) error {
	s := r.Setup
	bw := bufio.NewWriter(w)
	if s.Database != "" {
		s.Mode += " on " + s.Database
	}
	fmt.Fprintf(bw, "signpost-bench: %s server; %s users x %d questions (%d open) x %d = %s forecasts; seed %d\n",
		s.Mode, thousands(int64(s.Users)), s.Questions, s.Open, s.PerUser, thousands(s.Forecasts), s.Seed)
	fmt.Fprintf(bw, "load: -c %d, %s per scenario after %s warm-up; %d CPUs, GOMAXPROCS %d, %s",
		s.Concurrency, s.Duration, s.Warmup, s.NumCPU, s.GOMAXPROCS, s.GoVersion)
	if s.Revision != "" {
		dirty := ""
		if s.Modified {
			dirty = " (modified)"
		}
		fmt.Fprintf(bw, ", revision %.12s%s", s.Revision, dirty)
	}
	fmt.Fprint(bw, "\n\n")
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tclients\trequests\treq/s\tp50 ms\tp90 ms\tp99 ms\tmax ms\terrors\tCPU us/req\t")
	for _, st := range r.Scenarios {
		cpu := "-"
		if st.CPUus > 0 {
			cpu = fmt.Sprintf("%.0f", st.CPUus)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%.1f\t%d\t%s\t\n", st.Name, st.Workers, st.Requests,
			st.RPS, st.P50ms, st.P90ms, st.P99ms, st.MaxMs, st.Errors, cpu)
	}
	tw.Flush()
	fmt.Fprintln(bw)
	kv := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	if im := r.Import; im != nil {
		fmt.Fprintf(kv, "import (%s, %s order)\t%s forecasts, %d users, %d questions in %.1f s = %s forecasts/s (%d documents)\n",
			s.Import, s.Order, thousands(int64(im.Forecasts)), im.Users, im.Questions, im.Seconds, thousands(int64(im.PerSecond)), im.Documents)
		if im.CrowdsSeconds > 0 {
			fmt.Fprintf(kv, "saving the crowds after the import\t%.1f s (as signpost import does)\n", im.CrowdsSeconds)
		}
	}
	if r.ColdStartMs != nil {
		fmt.Fprintf(kv, "cold start\t%.0f ms from opening the database to /healthz 200\n", *r.ColdStartMs)
	}
	if r.FirstQuestionMs != nil {
		fmt.Fprintf(kv, "first question\t%.0f ms from opening the database to an open question with its crowd\n", *r.FirstQuestionMs)
	}
	if r.FirstViewMs != nil {
		fmt.Fprintf(kv, "first tournament view\t%.0f ms (first GET of the tournament with every question's crowd after the import or start: crowd cache catch-up)\n", *r.FirstViewMs)
	}
	if r.RestartFirstViewMs != nil {
		fmt.Fprintf(kv, "first view after a restart\t%.0f ms (the same GET after the server stopped, saving its crowds, and started again)\n", *r.RestartFirstViewMs)
	}
	if r.LeaderboardColdMs != nil {
		fmt.Fprintf(kv, "leaderboard cold\t%.0f ms (first GET after start: every resolved question scored; %d entries; a page of the default size is %s bytes)\n",
			*r.LeaderboardColdMs, r.LeaderboardEntries, thousands(int64(r.LeaderboardBytes)))
	}
	if rr := r.RawRead; rr != nil {
		ratio := ""
		if r.LeaderboardColdMs != nil && rr.Ms > 0 {
			ratio = fmt.Sprintf("; leaderboard cold = %.2fx this", *r.LeaderboardColdMs/rr.Ms)
		}
		fmt.Fprintf(kv, "raw read\t%.0f ms for the %s forecasts of the scored questions, one question after another%s\n",
			rr.Ms, thousands(int64(rr.Rows)), ratio)
	}
	if rc := r.Recompute; rc != nil {
		fmt.Fprintf(kv, "recompute (resolve)\tmin %.0f / median %.0f / max %.0f ms over %d corrections, from the answer until the board shows it\n",
			rc.MinMs, rc.MedianMs, rc.MaxMs, len(rc.RunsMs))
		fmt.Fprintf(kv, "resolution visible\tmedian %.0f ms from sending the correction until another client sees the board change\n",
			rc.VisibleMedianMs)
	}
	if r.RecomputeFullMs != nil {
		fmt.Fprintf(kv, "recompute (team change)\t%.0f ms (a user without a team creates one: that team scored, warm server)\n", *r.RecomputeFullMs)
	}
	switch m := r.Memory; {
	case m.ServePeakMB > 0 && m.Split:
		fmt.Fprintf(kv, "peak RSS\t%.0f MB serving, %.0f MB up to the end of the import (%s)\n",
			m.ServePeakMB, m.ImportPeakMB, m.Scope)
	case m.ServePeakMB > 0:
		fmt.Fprintf(kv, "peak RSS\t%.0f MB for the whole run, import included (%s)\n", m.ServePeakMB, m.Scope)
	}
	if d := r.Database; d != nil {
		fmt.Fprintf(kv, "database\t%.1f MB file + %.1f MB WAL = %.1f MB\n", mb(d.FileBytes), mb(d.WALBytes), mb(d.FileBytes+d.WALBytes))
	}
	if mc := r.MetricsCost; mc != nil {
		fmt.Fprintf(kv, "metrics cost (post-forecast)\toff %.0f req/s, %.0f CPU us/req; on %.0f req/s, %.0f CPU us/req: "+
			"throughput x%.3f, CPU per request x%.3f (medians of %d alternating rounds)\n",
			mc.OffRPS, mc.OffCPUus, mc.OnRPS, mc.OnCPUus, mc.RPSRatio, mc.CPURatio, mc.Rounds)
	}
	for _, p := range r.Profiles {
		fmt.Fprintf(kv, "profile\t%s\n", p)
	}
	writeYardstick(kv, r.Yardstick)
	fmt.Fprintf(kv, "wall time\t%.1f s\n", r.WallSeconds)
	kv.Flush()
	writeSoak(bw, r.Soak)
	return bw.Flush()
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

// thousands writes n with comma separators.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// vmHWM reads a process's peak resident set in MB (0 when unknown).
func vmHWM(pid string) float64 { return procStatusMB(pid, "VmHWM:") }

// resetHWM resets a process's VmHWM to its current RSS (Linux 4.0+; needs
// the right to write its clear_refs).
func resetHWM(pid string) bool {
	return os.WriteFile("/proc/"+pid+"/clear_refs", []byte("5"), 0) == nil
}

// cpuTime is a process's user+system CPU time from /proc/PID/stat.
func cpuTime(pid string) (time.Duration, bool) {
	if pid == "0" {
		return 0, false
	}
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0, false
	}
	// Fields after the command name (which may hold spaces) start at ")".
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	const clkTck = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / clkTck, true
}

// dbSize stats the database file and its WAL.
func dbSize(path string) *DBSize {
	d := &DBSize{}
	if fi, err := os.Stat(path); err == nil {
		d.FileBytes = fi.Size()
	}
	if fi, err := os.Stat(path + "-wal"); err == nil {
		d.WALBytes = fi.Size()
	}
	return d
}
