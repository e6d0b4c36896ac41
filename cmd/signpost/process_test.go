package main

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// signpostBinary builds this command once per test run, for tests that need
// real, separate server processes.
func signpostBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "signpost-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "signpost")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = &buildError{out: string(out), err: err}
		}
	})
	if binErr != nil {
		t.Fatalf("building signpost: %v", binErr)
	}
	return binPath
}

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// bootProcess starts the server as its own OS process on 127.0.0.1 (a free
// port) and returns its base URL once it listens; it is stopped with
// SIGTERM at the end of the test.
func bootProcess(t *testing.T, db string, env map[string]string) string {
	t.Helper()
	cmd := exec.Command(signpostBinary(t))
	cmd.Env = append(os.Environ(), "SIGNPOST_ADDR=127.0.0.1:0", "SIGNPOST_DB="+db, "SIGNPOST_BCRYPT_COST=4",
		"SIGNPOST_ACCESS_LOG=false", "SIGNPOST_LOGIN_RATE=0",
		// Test accounts are minutes old: every one counts toward the crowd minimum.
		"SIGNPOST_CROWD_ESTABLISHED=0")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, errOut := &syncBuffer{}, &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		// Go's transport may have dialled a connection it then never used
		// (another became free first); fasthttp counts a connection that has
		// not sent its first request as active until ReadTimeout, so such a
		// connection held the graceful shutdown past its 15 s. Closing the
		// client's idle connections first leaves only real requests.
		http.DefaultClient.CloseIdleConnections()
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
			if waitErr != nil && !t.Failed() {
				t.Errorf("server process ended with %v; stderr:\n%s", waitErr, errOut.String())
			}
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("server process did not stop within 30 s after SIGTERM")
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		select {
		case <-exited:
			t.Fatalf("server process exited before listening: %v\nstderr:\n%s", waitErr, errOut.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("server process did not listen within 60 s; stdout:\n%s\nstderr:\n%s", out.String(), errOut.String())
	return ""
}
