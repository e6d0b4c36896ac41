package store

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// sizeBatcher stands in for the database in tests of the writer's queue:
// it records the size of each batch it is given and stores nothing.
type sizeBatcher struct {
	mu    sync.Mutex
	sizes []int
}

func (b *sizeBatcher) insertBatch(batch []*forecastJob) (*forecastJob, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sizes = append(b.sizes, len(batch))
	return nil, nil
}

func (b *sizeBatcher) close() {}

func (b *sizeBatcher) got() []int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.sizes)
}

// TestWriterGathersReturningCallers: after a batch of four, the writer
// waits (up to gather) for four again, so callers arriving one by one
// within the window share one commit; when only one comes, it is committed
// at the deadline, and the batch after it expects one and does not wait.
func TestWriterGathersReturningCallers(t *testing.T) {
	const gather = 300 * time.Millisecond
	b := &sizeBatcher{}
	w := &forecastWriter{batcher: b, queue: make(chan *forecastJob, 16), maxBatch: 16, gather: gather,
		closing: make(chan struct{})}
	jobs := make([]*forecastJob, 4)
	for i := range jobs { // queued before the loop starts: one batch of four
		jobs[i] = &forecastJob{done: make(chan struct{})}
		w.queue <- jobs[i]
	}
	w.wg.Add(1)
	go w.loop()
	defer w.close()
	for _, j := range jobs {
		<-j.done
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(i) * 20 * time.Millisecond)
			if _, err := w.submit(ctx, Forecast{}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := b.got(); !slices.Equal(got, []int{4, 4}) {
		t.Fatalf("batches = %v; want [4 4]: callers arriving within the window share one commit", got)
	}
	t0 := time.Now()
	if _, err := w.submit(ctx, Forecast{}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(t0); d < gather {
		t.Fatalf("a lone forecast after a batch of four was committed after %v; want the wait of %v", d, gather)
	}
	t0 = time.Now()
	if _, err := w.submit(ctx, Forecast{}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(t0); d >= gather {
		t.Fatalf("a lone forecast after a batch of one waited %v; want no wait", d)
	}
	if got := b.got(); !slices.Equal(got, []int{4, 4, 1, 1}) {
		t.Fatalf("batches = %v; want [4 4 1 1]", got)
	}
}
