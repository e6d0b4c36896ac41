package scoreboard

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"sync"
)

// Board is one leaderboard ready to be cut into pages: every entry is
// Page once (when the board is built for a score version), so a page
// is a slice of bytes between two offsets, and a page once answered is
// kept Page and gzipped for the next reader of the same page.
type Board struct {
	body []byte // the entries' JSON objects, comma-separated: e0,e1,…
	ends []int  // ends[i] is where entry i ends in body
	ids  []int64
	// tail is extra JSON members for the last page (",\"unscored_teams\":[…]"),
	// or empty.
	tail []byte

	posOnce sync.Once
	pos     map[int64]int // id → index, built on the first around=me

	mu     sync.RWMutex
	pages  map[pageKey]Page
	used   int // memory held by pages (see heldBy)
	budget int // most memory pages may hold: pageBudget
}

// pageKey names a cached page. The board key is part of it because one
// Board can serve two boards (humans and everyone, without bots), and
// a page's next_cursor names its board.
type pageKey struct {
	board         string
	offset, limit int
}

// pageBudget bounds the memory of the pages one board keeps: enough
// for every page of a 10,000-row board at the default size and the
// neighbourhoods readers jump to; past it pages are Page per request.
const pageBudget = 8 << 20

// newBoard encodes entries (any slice of JSON-encodable rows) with
// id(i) naming the user or team of row i.
func newBoard[E any](entries []E, id func(i int) int64) (*Board, error) {
	p := &Board{ends: make([]int, len(entries)), ids: make([]int64, len(entries)), budget: pageBudget}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i := range entries {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(&entries[i]); err != nil {
			return nil, err
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
		p.ends[i], p.ids[i] = buf.Len(), id(i)
	}
	p.body = buf.Bytes()
	return p, nil
}

// Total is the number of rows.
func (p *Board) Total() int { return len(p.ends) }

// IDs are the user or team of each row, best first.
func (p *Board) IDs() []int64 { return p.ids }

// indexOf is the position of the row of id, or -1.
func (p *Board) IndexOf(id int64) int {
	p.posOnce.Do(func() {
		p.pos = make(map[int64]int, len(p.ids))
		for i, v := range p.ids {
			p.pos[v] = i
		}
	})
	if i, ok := p.pos[id]; ok {
		return i
	}
	return -1
}

// around is the offset of a page of limit rows that holds row i roughly
// in its middle. Offsets snap to a quarter of the limit so that readers
// near each other share (cached) pages; the row stays within the middle
// half of the page except at the board's ends.
func (p *Board) Around(i, limit int) int {
	step := max(limit/4, 1)
	off := (i - limit/2 + step/2) / step * step
	if i-limit/2+step/2 < 0 {
		off = 0
	}
	return max(0, min(off, p.Total()-limit))
}

// page answers rows [offset, offset+limit) of the board named key, with
// the cursor of the next page, from the cache when it can.
func (p *Board) Page(key string, offset, limit int, next func(offset int) string) (Page, error) {
	k := pageKey{key, offset, limit}
	p.mu.RLock()
	e, ok := p.pages[k]
	p.mu.RUnlock()
	if ok {
		return e, nil
	}
	plain := p.plain(offset, limit, next)
	p.mu.RLock()
	full := p.used+len(plain)+pageOverhead > p.budget
	p.mu.RUnlock()
	if full {
		// Over budget: answer this one uncompressed rather than spend a
		// gzip per request on it.
		return Page{Plain: plain, ETag: etagOf(plain)}, nil
	}
	e, err := encodeBytes(plain) // outside the lock: readers of other pages do not wait
	if err != nil {
		return Page{}, err
	}
	// Kept, the page holds its buffers as allocated: trimmed, they hold
	// about what they encode.
	e.Plain, e.Gzipped = bytes.Clone(e.Plain), bytes.Clone(e.Gzipped)
	p.mu.Lock()
	defer p.mu.Unlock()
	if prev, ok := p.pages[k]; ok {
		return prev, nil // Page meanwhile by another reader
	}
	held := heldBy(k, e)
	if p.used+held > p.budget {
		return e, nil
	}
	if p.pages == nil {
		p.pages = make(map[pageKey]Page)
	}
	p.pages[k] = e
	p.used += held
	return e, nil
}

// pageOverhead is the memory a cached page holds besides its bytes: its
// map entry (key and Page, with the map's spare room), ETag and the
// allocations' rounding up to size classes: about 200 bytes measured
// with one-row pages (TestPageBudgetCountsMemory), counted generously.
const pageOverhead = 320

// heldBy is the memory the cached page e under k holds: what its slices
// hold as allocated, not just what they encode, and pageOverhead.
func heldBy(k pageKey, e Page) int {
	return cap(e.Plain) + cap(e.Gzipped) + len(e.ETag) + len(k.board) + pageOverhead
}

// plain writes one page's JSON: {"entries":[…],"total":N,"offset":O,"next_cursor":…}.
func (p *Board) plain(offset, limit int, next func(offset int) string) []byte {
	n := p.Total()
	from, to := min(offset, n), min(offset+limit, n)
	var b bytes.Buffer
	b.WriteString(`{"entries":[`)
	if from < to {
		start := 0
		if from > 0 {
			start = p.ends[from-1] + 1 // past the comma
		}
		b.Write(p.body[start:p.ends[to-1]])
	}
	b.WriteString(`],"total":`)
	b.WriteString(strconv.Itoa(n))
	b.WriteString(`,"offset":`)
	b.WriteString(strconv.Itoa(offset))
	b.WriteString(`,"next_cursor":`)
	if to < n {
		b.WriteString(strconv.Quote(next(to)))
	} else {
		b.WriteString("null")
		b.Write(p.tail)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// encodeBytes is a prepared JSON answer: plain, gzipped and its ETag.
func encodeBytes(plain []byte) (Page, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	if err != nil {
		return Page{}, err
	}
	if _, err := zw.Write(plain); err != nil {
		return Page{}, err
	}
	if err := zw.Close(); err != nil {
		return Page{}, err
	}
	return Page{Plain: plain, Gzipped: buf.Bytes(), ETag: etagOf(plain)}, nil
}

func etagOf(plain []byte) string {
	sum := sha256.Sum256(plain)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}
