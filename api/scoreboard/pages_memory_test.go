package scoreboard

import (
	"fmt"
	"runtime"
	"testing"
)

// TestPageBudgetCountsMemory: the page budget bounds the memory the cached
// pages hold, not the length of what they encode. Anonymous readers
// asking for one-row pages at every offset fill the cache; the heap it
// holds stays within the budget (a little slack for the runtime).
func TestPageBudgetCountsMemory(t *testing.T) {
	p := testBoard(t, 10_000)
	const budget = 1 << 20
	p.budget = budget
	cursor := func(o int) string { return fmt.Sprint("c", o) }
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for off := range p.Total() {
		if _, err := p.Page("mall", off, 1, cursor); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	held := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	runtime.KeepAlive(p)
	if held > budget*5/4 {
		t.Fatalf("%d pages cached: the cache holds %.1f MB for a %.1f MB budget (it counted %.1f MB)",
			len(p.pages), float64(held)/(1<<20), float64(budget)/(1<<20), float64(p.used)/(1<<20))
	}
	t.Logf("%d pages cached: %.1f MB held, %.1f MB counted, budget %.1f MB", len(p.pages), float64(held)/(1<<20), float64(p.used)/(1<<20), float64(budget)/(1<<20))
}
