package cabi

import (
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
	assert.Len(t, h.idle, maxIdle, "idle states are bounded")
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
}
