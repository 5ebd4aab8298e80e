package cabi

import (
	"sync"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSlotPool checks the request-state pool: ids find their slot without a lock, a released
// slot is the next one handed out, and past maxIdle a released slot's C++ state is freed and
// its id reused.
func TestSlotPool(t *testing.T) {
	h := NewHost(ServerConfig{AppPoolName: "SlotPool"})
	defer h.Close()

	a, b := h.acquireSlot(), h.acquireSlot()
	require.NotNil(t, a.state)
	require.NotEqual(t, a.id, b.id)
	assert.Same(t, a, lookupSlot(a.id))
	assert.Same(t, b, lookupSlot(b.id))

	h.releaseSlot(a)
	assert.Same(t, a, h.acquireSlot(), "the idle slot is reused, state and all")
	h.releaseSlot(a)
	h.releaseSlot(b)

	held := make([]*slot, maxIdle+3)
	for i := range held {
		held[i] = h.acquireSlot()
	}
	for _, s := range held {
		h.releaseSlot(s)
	}
	assert.EqualValues(t, maxIdle, h.idle.size.Load(), "idle states are bounded")
	var freed []*slot
	for _, s := range held {
		if s.state == nil {
			freed = append(freed, s)
			assert.Nil(t, lookupSlot(s.id), "a freed slot's id finds nothing")
		}
	}
	require.Len(t, freed, 3)

	drained := make([]*slot, maxIdle)
	for i := range drained {
		drained[i] = h.acquireSlot()
	}
	fresh := h.acquireSlot()
	defer func() { // every state goes back, so Close frees it (LeakSanitizer runs these tests)
		for _, s := range append(drained, fresh) {
			h.releaseSlot(s)
		}
	}()
	reused := false
	for _, s := range freed {
		reused = reused || s.id == fresh.id
	}
	assert.True(t, reused, "a new slot takes a freed id (%d) rather than growing the table", fresh.id)
	assert.Same(t, fresh, lookupSlot(fresh.id))
}

// TestIntern checks that response header names and values modules set most come from the
// table, with no allocation, and others are copied.
func TestIntern(t *testing.T) {
	in := []byte("Content-Type")
	got := intern(commonHeaderNames, in)
	assert.Equal(t, "Content-Type", got)
	assert.Equal(t, unsafe.StringData(commonHeaderNames["Content-Type"]), unsafe.StringData(got), "the table's own string")
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = intern(commonHeaderNames, in) }))

	other := []byte("X-Mine")
	copied := intern(commonHeaderNames, other)
	other[0] = 'Y'
	assert.Equal(t, "X-Mine", copied, "a name not in the table is copied out of C++ memory")
	assert.Equal(t, "text/html; charset=utf-8", intern(commonHeaderValues, []byte("text/html; charset=utf-8")))

	for _, table := range []map[string]string{commonHeaderNames, commonHeaderValues} {
		for k := range table {
			b := []byte(k)
			assert.Equal(t, unsafe.StringData(table[k]), unsafe.StringData(intern(table, b)), "%q comes from the table", k)
		}
	}
	assert.Equal(t, "content-type", intern(commonHeaderNames, []byte("content-type")), "the lookup is exact: another spelling is copied as is")
	assert.Empty(t, intern(commonHeaderValues, nil))
}

// TestSlotPoolConcurrent has goroutines take and return slots at once, several held at a time,
// more than the pool keeps: no slot is handed to two holders at once, and afterwards the pool
// holds each slot once, at most maxIdle of them. Run under -race, it also checks the stack's
// memory ordering.
func TestSlotPoolConcurrent(t *testing.T) {
	h := NewHost(ServerConfig{AppPoolName: "SlotPoolConcurrent"})
	defer h.Close()
	const workers, rounds, hold = 8, 300, maxIdle / 4
	var holders sync.Map // *slot -> worker holding it
	var twice atomic.Int32
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			held := make([]*slot, 0, hold)
			for r := range rounds {
				for range 1 + r%hold {
					s := h.acquireSlot()
					if _, taken := holders.LoadOrStore(s, w); taken {
						twice.Add(1)
					}
					held = append(held, s)
				}
				for _, s := range held {
					holders.Delete(s)
					h.releaseSlot(s)
				}
				held = held[:0]
			}
		}()
	}
	wg.Wait()
	require.Zero(t, twice.Load(), "a slot was handed out while held")

	size := int(h.idle.size.Load())
	assert.LessOrEqual(t, size, maxIdle)
	seen := map[*slot]bool{}
	var popped []*slot
	for s := h.idle.pop(); s != nil; s = h.idle.pop() {
		assert.False(t, seen[s], "slot %d is in the pool twice", s.id)
		assert.NotNil(t, s.state, "a pooled slot keeps its C++ state")
		assert.Same(t, s, lookupSlot(s.id))
		seen[s] = true
		popped = append(popped, s)
	}
	assert.Len(t, popped, size, "the count matches the stack")
	assert.Zero(t, h.idle.size.Load())
	for _, s := range popped {
		h.releaseSlot(s) // back, so Close frees them
	}
}
