package cabi

/*
#include "upgrade_doors.h"
*/
import "C"

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// HRESULTs of the upgraded stream: HRESULT_FROM_WIN32 of Windows error codes, as int32.
const (
	hrOK             = 0
	hrWin32          = -0x80000000 | 0x70000
	hrInvalidData    = hrWin32 | 13   // ERROR_INVALID_DATA: a frame broke RFC 6455
	hrEOF            = hrWin32 | 38   // ERROR_HANDLE_EOF: the client ended its side
	hrAbortedByUser  = hrWin32 | 995  // ERROR_OPERATION_ABORTED: CancelOutstandingIO
	hrConnectionGone = hrWin32 | 1236 // ERROR_CONNECTION_ABORTED
	hrInvalidState   = hrWin32 | 5023 // ERROR_INVALID_STATE
)

const (
	opRead  = C.IIS_IO_READ
	opWrite = C.IIS_IO_WRITE
)

// errInvalidState marks an operation the stream's state forbids (data after a close frame).
var errInvalidState = errors.New("invalid state")

// upgraded is a request's connection after its 101: taken from net/http, it is the module's
// stream until the request ends.
//
// # Notes
//
//   - Asynchronous operations run on goroutines of their own and report through a C++ door;
//     wg counts every operation, so the request ends only after their callbacks returned.
//   - rmu and wmu serialise readers and writers in Go terms; the C++ side already refuses a
//     second read or write, but through locks the race detector cannot see.
type upgraded struct {
	conn     net.Conn
	br       *bufio.Reader // may already hold what the client sent after its request
	bw       *bufio.Writer
	headSent atomic.Bool

	rmu sync.Mutex // one reader at a time: the WebSocket reader's position
	ws  wsReader
	wmu sync.Mutex // one writer at a time: whole frames
	wsw wsWriter
	// broken: a write stopped halfway, so the stream's framing is lost (under wmu).
	broken bool

	mu                      sync.Mutex // the fields below
	ending                  bool
	reading, writing        bool
	readCancel, writeCancel bool
	wg                      sync.WaitGroup
}

// upgradedOf finds a request's upgraded stream, nil before the upgrade.
func upgradedOf(id C.uintptr_t) (*slot, *upgraded) {
	s := lookupSlot(uintptr(id))
	return s, s.up.Load()
}

// iisgoUpgrade takes the connection from net/http for a 101 the host is about to write.
//
//export iisgoUpgrade
func iisgoUpgrade(id C.uintptr_t) C.int32_t {
	s := lookupSlot(uintptr(id))
	if s.up.Load() != nil {
		return 0
	}
	conn, brw := s.raw, s.rawBuf
	if conn == nil {
		var err error
		if conn, brw, err = http.NewResponseController(s.w).Hijack(); err != nil {
			s.host.Logger.Warn("upgrade refused: the connection cannot be taken over", "error", err)
			return -1
		}
	}
	s.raw, s.rawBuf = nil, nil
	_ = conn.SetDeadline(time.Time{}) // the server's timeouts were for the HTTP request
	u := &upgraded{conn: conn, br: brw.Reader, bw: brw.Writer}
	s.host.upgrades.Store(u, struct{}{})
	s.up.Store(u)
	return 0
}

// iisgoWebSocketAccept computes Sec-WebSocket-Accept (RFC 6455 §4.2.2): base64 of the SHA-1 of
// the key followed by the protocol's GUID.
//
//export iisgoWebSocketAccept
func iisgoWebSocketAccept(key *C.char, n C.uint32_t, out *C.char) {
	copy(unsafe.Slice((*byte)(unsafe.Pointer(out)), 28), webSocketAccept(C.GoStringN(key, C.int(n))))
}

func webSocketAccept(key string) string {
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// send writes a send view on the upgraded connection: the 101 and its headers the first time
// (unless the module suppressed them), then the body bytes as they are (the final send after the request's last notification has
// none, unless a module buffered some).
func (u *upgraded) send(v *C.iis_send_view) bool {
	u.wmu.Lock()
	defer u.wmu.Unlock()
	if !u.headSent.Load() && v.suppress_headers != 0 {
		u.headSent.Store(true) // SuppressHeaders: the module writes its own status line
	}
	if !u.headSent.Load() {
		reason := string(goBytes(v.reason))
		if reason == "" {
			reason = "Switching Protocols"
		}
		u.bw.WriteString("HTTP/1.1 " + strconv.Itoa(int(v.status)) + " " + reason + "\r\n")
		for i, h := 0, unsafe.Slice(v.headers, int(v.header_count)*2); i < len(h); i += 2 {
			u.bw.Write(goBytes(h[i]))
			u.bw.WriteString(": ")
			u.bw.Write(goBytes(h[i+1]))
			u.bw.WriteString("\r\n")
		}
		u.bw.WriteString("\r\n")
		u.headSent.Store(true)
	}
	for _, c := range unsafe.Slice(v.chunks, int(v.chunk_count)) {
		u.bw.Write(goBytes(c))
	}
	return u.bw.Flush() == nil
}

// begin registers an operation on one side; false once the request is ending.
func (u *upgraded) begin(op int) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.ending {
		return false
	}
	u.wg.Add(1)
	if op == opRead {
		u.reading, u.readCancel = true, false
		_ = u.conn.SetReadDeadline(time.Time{})
	} else {
		u.writing, u.writeCancel = true, false
		_ = u.conn.SetWriteDeadline(time.Time{})
	}
	return true
}

// finish ends an operation's side and turns its error into an HRESULT; the caller still calls
// wg.Done once its completion, if any, was delivered.
func (u *upgraded) finish(op int, err error, eof int32) int32 {
	u.mu.Lock()
	cancelled := false
	if op == opRead {
		cancelled, u.reading, u.readCancel = u.readCancel, false, false
	} else {
		cancelled, u.writing, u.writeCancel = u.writeCancel, false, false
	}
	u.mu.Unlock()
	switch {
	case err == nil:
		return hrOK
	case cancelled && errors.Is(err, os.ErrDeadlineExceeded):
		return hrAbortedByUser
	case errors.Is(err, errInvalidState):
		return hrInvalidState
	case errors.Is(err, errProtocol):
		return hrInvalidData
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return eof
	default:
		return hrConnectionGone
	}
}

// isEnding says whether completions are to be dropped: the request is over.
func (u *upgraded) isEnding() bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.ending
}

// cancel makes the operations under way fail at once (CancelOutstandingIO).
func (u *upgraded) cancel() {
	u.mu.Lock()
	defer u.mu.Unlock()
	past := time.Unix(1, 0)
	if u.reading {
		u.readCancel = true
		_ = u.conn.SetReadDeadline(past)
	}
	if u.writing {
		u.writeCancel = true
		_ = u.conn.SetWriteDeadline(past)
	}
}

// end closes the connection when the request ends and waits for every operation still running,
// so that no completion reaches a module after its request is gone.
func (u *upgraded) end() {
	u.mu.Lock()
	u.ending = true
	u.mu.Unlock()
	u.conn.Close()
	u.wg.Wait()
}

// endUpgrade releases the request's upgraded stream, if it has one.
func (s *slot) endUpgrade() {
	if u := s.up.Load(); u != nil {
		u.end()
		s.host.upgrades.Delete(u)
		s.up.Store(nil)
		// A callback that completed the request once more, after it was done, must not wake
		// the slot's next request.
		select {
		case <-s.resume:
		default:
		}
	}
}

// closeUpgraded closes every upgraded connection of the host (at shutdown): their modules' reads
// fail, so they finish their requests instead of holding the shutdown forever.
func (h *Host) closeUpgraded() {
	h.upgrades.Range(func(k, _ any) bool {
		k.(*upgraded).conn.Close()
		return true
	})
}

// readSome reads at least one byte unless the stream fails.
func (u *upgraded) readSome(p []byte) (int, error) {
	for {
		n, err := u.br.Read(p)
		if n > 0 || err != nil {
			return n, err
		}
	}
}

// iisgoUpRead implements ReadEntityBody on the upgraded stream.
//
//export iisgoUpRead
func iisgoUpRead(id C.uintptr_t, buffer unsafe.Pointer, capacity C.uint32_t, async C.int32_t, n *C.uint32_t) C.int32_t {
	s, u := upgradedOf(id)
	if u == nil || !u.begin(opRead) {
		return hrConnectionGone
	}
	buf := unsafe.Slice((*byte)(buffer), int(capacity))
	read := func() (int, int32) {
		u.rmu.Lock()
		k, err := u.readSome(buf)
		u.rmu.Unlock()
		return k, u.finish(opRead, err, hrEOF)
	}
	if async != 0 {
		state := s.state
		go func() {
			defer u.wg.Done()
			k, hr := read()
			if !u.isEnding() {
				C.iis_upgrade_done(state, opRead, C.int32_t(hr), C.uint32_t(k))
			}
		}()
		return hrOK
	}
	defer u.wg.Done()
	k, hr := read()
	*n = C.uint32_t(k)
	return C.int32_t(hr)
}

// writeAll writes buffers as one piece under the write lock; a write cut short breaks the stream.
func (u *upgraded) writeAll(bufs net.Buffers) (int, error) {
	u.wmu.Lock()
	defer u.wmu.Unlock()
	if u.broken {
		return 0, net.ErrClosed
	}
	total := 0
	for _, b := range bufs {
		total += len(b)
	}
	n, err := bufs.WriteTo(u.conn)
	if err != nil && n > 0 && int(n) < total {
		u.broken = true
	}
	return int(n), err
}

// iisgoUpWrite implements WriteEntityChunks on the upgraded stream: the bytes go out now.
//
//export iisgoUpWrite
func iisgoUpWrite(id C.uintptr_t, chunks *C.iis_bytes, count C.uint32_t, async C.int32_t, n *C.uint32_t) C.int32_t {
	s, u := upgradedOf(id)
	if u == nil || !u.begin(opWrite) {
		return hrConnectionGone
	}
	list := unsafe.Slice(chunks, int(count))
	if async != 0 {
		// The chunk array is the caller's: copy before returning.
		var data []byte
		for _, c := range list {
			data = append(data, goBytes(c)...)
		}
		state := s.state
		go func() {
			defer u.wg.Done()
			k, err := u.writeAll(net.Buffers{data})
			hr := u.finish(opWrite, err, hrConnectionGone)
			if !u.isEnding() {
				C.iis_upgrade_done(state, opWrite, C.int32_t(hr), C.uint32_t(k))
			}
		}()
		return hrOK
	}
	defer u.wg.Done()
	bufs := make(net.Buffers, 0, len(list))
	for _, c := range list {
		bufs = append(bufs, goBytes(c))
	}
	k, err := u.writeAll(bufs)
	*n = C.uint32_t(k)
	return C.int32_t(u.finish(opWrite, err, hrConnectionGone))
}

// iisgoUpFlush completes an asynchronous Flush of the upgraded stream, after the write under way.
//
//export iisgoUpFlush
func iisgoUpFlush(id C.uintptr_t) C.int32_t {
	s, u := upgradedOf(id)
	if u == nil {
		return hrConnectionGone
	}
	u.mu.Lock()
	if u.ending {
		u.mu.Unlock()
		return hrConnectionGone
	}
	u.wg.Add(1)
	u.mu.Unlock()
	state := s.state
	go func() {
		defer u.wg.Done()
		u.wmu.Lock() // taking the write lock waits for the write under way
		u.wmu.Unlock()
		if !u.isEnding() {
			C.iis_upgrade_done(state, C.IIS_IO_FLUSH, hrOK, 0)
		}
	}()
	return hrOK
}

// iisgoUpCancel implements CancelOutstandingIO.
//
//export iisgoUpCancel
func iisgoUpCancel(id C.uintptr_t) {
	if _, u := upgradedOf(id); u != nil {
		u.cancel()
	}
}

// iisgoUpClose implements CloseTcpConnection.
//
//export iisgoUpClose
func iisgoUpClose(id C.uintptr_t) {
	if _, u := upgradedOf(id); u != nil {
		u.conn.Close()
	}
}
