package store

import (
	"database/sql"
	"sync"
	"time"
)

// checkpointer moves WAL pages into the database file from its own
// connection, off the commit path. In WAL mode with synchronous=NORMAL the
// only fsync is the checkpoint's, and SQLite's automatic checkpoint runs it
// inside whichever commit crosses the threshold: that commit's caller (a
// forecast POST) waits for it. A passive checkpoint here never blocks the
// writer or readers; the writer's automatic checkpoint is turned off while
// this runs (Open does that).
type checkpointer struct {
	db   *sql.DB
	stop chan struct{}
	wg   sync.WaitGroup
}

func startCheckpointer(db *sql.DB, every time.Duration) *checkpointer {
	c := &checkpointer{db: db, stop: make(chan struct{})}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-c.stop:
				return
			case <-t.C:
				// A failed passive checkpoint is retried on the next tick.
				_, _ = c.db.Exec("PRAGMA wal_checkpoint(PASSIVE)")
			}
		}
	}()
	return c
}

func (c *checkpointer) close() error {
	close(c.stop)
	c.wg.Wait()
	return c.db.Close()
}
