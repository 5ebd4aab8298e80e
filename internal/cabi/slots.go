package cabi

/*
#include "bridge.h"
*/
import "C"

import (
	"bufio"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// slot pairs one C++ request state with the Go objects its callbacks need. Slots are reused
// through a bounded free list (not sync.Pool, which would drop C++ memory without freeing it).
type slot struct {
	id    uintptr
	state *C.iis_request
	host  *Host
	w     http.ResponseWriter
	r     *http.Request
	meta  C.iis_request_meta
	buf   []byte
	// ioTimeout is the request's site's connectionTimeout (Route.IOTimeout), else the host's.
	ioTimeout time.Duration
	// raw is the hijacked connection once a module suppressed the headers: the body is written
	// to it as is, and it closes after the final send since nothing frames the response.
	raw    net.Conn
	rawBuf *bufio.ReadWriter
	resume chan struct{} // signalled when a parked request's completion arrives
	// nextIdle is the id+1 of the slot under this one in its host's idle stack (0: none).
	nextIdle atomic.Uint64
	// ioActive is set while a body read or a send runs for the request, on any goroutine;
	// ioCancel asks it to stop (IHttpContext::CancelIo). readBroken records that a cancelled
	// read broke the connection's read side, which also ends the request's context.
	ioActive, ioCancel, readBroken atomic.Bool
	cancelMu                       sync.Mutex
	// badBody records that the client's body broke its framing (a malformed chunk, or fewer
	// bytes than Content-Length): the response becomes a 400 if it has not started, and the
	// connection closes either way.
	badBody bool
	// up is the connection after a 101 (upgrade.go); module threads reach it too.
	up atomic.Pointer[upgraded]
	// abandoned is set while the request is abandoned and waits for a late completion; held is
	// the bytes it was counted with (abandon.go).
	abandoned atomic.Bool
	held      int64
	// req is r for the watchdog's goroutine (watchdog.go), nil between requests; started
	// (unix nanoseconds) and site are the request's, for the status page (Host.InFlight).
	req     atomic.Pointer[http.Request]
	started atomic.Int64
	site    atomic.Int32
	// For Host.OnComplete alone: the request's body bytes each way, and the record handed
	// over (completed.go).
	bytesSent, bytesReceived atomic.Int64
	done                     Completed
	outcome                  C.iis_request_outcome
}

const (
	chunkBits = 10
	chunkSize = 1 << chunkBits
	maxIdle   = 1024 // idle request states kept per host
)

// slotTable finds a slot by id without locks: ids index fixed-size chunks. Entries are atomic
// because the idle stack may look up an id while another goroutine frees its slot.
var slotTable struct {
	chunks [chunkSize]atomic.Pointer[[chunkSize]atomic.Pointer[slot]]
	next   atomic.Uintptr
	mu     sync.Mutex
	spare  []uintptr // ids of freed slots, for reuse
}

func lookupSlot(id uintptr) *slot {
	return slotTable.chunks[id>>chunkBits].Load()[id&(chunkSize-1)].Load()
}

// idleStack is a host's bounded free list of request states: a lock-free stack, so that
// requests on different cores never meet on a lock, and the state reused next is the one
// released last, still in cache. head packs a generation (upper 32 bits) with the top slot's
// id+1 (lower 32; 0 is empty). Every push and pop moves the generation on, so a pop that read
// a head which has since been popped and pushed back fails its swap instead of installing a
// stale next (the ABA problem; a stalled pop would need exactly 2^32 operations to miss it).
type idleStack struct {
	head atomic.Uint64
	size atomic.Int32 // slots held, at most maxIdle
}

const idMask = 1<<32 - 1

func (st *idleStack) pop() *slot {
	for {
		old := st.head.Load()
		top := old & idMask
		if top == 0 {
			return nil
		}
		s := lookupSlot(uintptr(top - 1))
		if s == nil {
			continue // popped and freed since the head was read: the head has moved on
		}
		if st.head.CompareAndSwap(old, (old>>32+1)<<32|s.nextIdle.Load()) {
			st.size.Add(-1)
			return s
		}
	}
}

// push keeps s unless the stack is full; false means the caller frees it.
func (st *idleStack) push(s *slot) bool {
	if st.size.Add(1) > maxIdle {
		st.size.Add(-1)
		return false
	}
	for {
		old := st.head.Load()
		s.nextIdle.Store(old & idMask)
		if st.head.CompareAndSwap(old, (old>>32+1)<<32|uint64(s.id+1)) {
			return true
		}
	}
}

func (h *Host) acquireSlot() *slot {
	if s := h.idle.pop(); s != nil {
		return s
	}
	t := &slotTable
	t.mu.Lock()
	var id uintptr
	if n := len(t.spare); n > 0 {
		id = t.spare[n-1]
		t.spare = t.spare[:n-1]
	} else {
		id = t.next.Add(1) - 1
		if id>>chunkBits >= chunkSize {
			t.mu.Unlock()
			panic("cabi: more than a million concurrent requests")
		}
		if t.chunks[id>>chunkBits].Load() == nil {
			t.chunks[id>>chunkBits].Store(new([chunkSize]atomic.Pointer[slot]))
		}
	}
	t.mu.Unlock()
	s := &slot{id: id, host: h, state: C.iis_request_new(h.c, C.uintptr_t(id)), resume: make(chan struct{}, 1)}
	if s.state == nil {
		panic("cabi: out of memory for a request state")
	}
	t.chunks[id>>chunkBits].Load()[id&(chunkSize-1)].Store(s)
	h.slotsMu.Lock()
	h.slots[s] = struct{}{}
	h.slotsMu.Unlock()
	return s
}

func (h *Host) releaseSlot(s *slot) {
	s.req.Store(nil)
	s.w, s.r, s.raw, s.rawBuf = nil, nil, nil, nil
	s.readBroken.Store(false)
	s.badBody = false
	if !h.idle.push(s) {
		freeSlot(s)
	}
}

// freeSlot frees a slot's C++ state and makes its id available again.
func freeSlot(s *slot) {
	h := s.host
	h.slotsMu.Lock() // the watchdog reads no state it frees
	delete(h.slots, s)
	h.slotsMu.Unlock()
	C.iis_request_free(s.state)
	s.state = nil
	t := &slotTable
	t.mu.Lock()
	t.chunks[s.id>>chunkBits].Load()[s.id&(chunkSize-1)].Store(nil)
	t.spare = append(t.spare, s.id)
	t.mu.Unlock()
}
