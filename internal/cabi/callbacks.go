package cabi

/*
#include "bridge.h"
*/
import "C"

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
	"unsafe"
)

// Results of body reads and sends, as http_request.h's IoResult.
const (
	ioDone      = 0
	ioEndOfBody = 1
	ioFailed    = -1
	ioTooLarge  = -2
	ioCancelled = -3
	ioBadBody   = -4
	ioRead      = 1 // iis_send_view.io_kind
)

// iisgoReadBody implements synchronous ReadEntityBody: it reads the client's body straight into
// the module's buffer.
//
//export iisgoReadBody
func iisgoReadBody(id C.uintptr_t, buffer unsafe.Pointer, capacity C.uint32_t, n *C.uint32_t) C.int32_t {
	read, code := lookupSlot(uintptr(id)).readBody(unsafe.Slice((*byte)(buffer), int(capacity)))
	*n = C.uint32_t(read)
	return C.int32_t(code)
}

// readBody fills buf from the client's body and says how it ended (an io* result).
func (s *slot) readBody(buf []byte) (int, int) {
	if s.readBroken.Load() {
		return 0, ioCancelled // an earlier CancelIo cut the body off
	}
	if s.badBody {
		return 0, ioBadBody // net/http would now report a clean EOF
	}
	s.beginIO()
	read, err := s.readFull(buf)
	s.host.counters.shard(s).bytesReceived.Add(int64(read))
	s.bytesReceived.Add(int64(read))
	if s.endIO() {
		s.readBroken.Store(true)
		return read, ioCancelled
	}
	var tooLarge *http.MaxBytesError
	switch {
	case err == nil:
		return read, ioDone
	case errors.Is(err, io.EOF):
		return read, ioEndOfBody
	case errors.Is(err, io.ErrUnexpectedEOF) || isFramingError(err) && !errors.As(err, &tooLarge):
		// The client sent less than it announced, or broke the chunked coding: the module
		// gets what arrived, then a failure on every later read, never a clean end.
		s.badBody = true
		if read > 0 {
			return read, ioDone
		}
		return 0, ioBadBody
	case read > 0:
		return read, ioDone // deliver what arrived; the error comes back on the next read
	case errors.As(err, &tooLarge):
		return read, ioTooLarge
	default:
		return read, ioFailed
	}
}

// readFull fills buf from the body like io.ReadFull, giving every read IOTimeout to make
// progress: a client may upload slowly, but not stall.
func (s *slot) readFull(buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		s.armDeadline(true)
		m, err := s.r.Body.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// armDeadline gives the next read (or write) on the client's connection IOTimeout, unless
// CancelIo has already set a deadline in the past.
func (s *slot) armDeadline(read bool) {
	t := s.ioTimeout
	if t <= 0 {
		return
	}
	s.cancelMu.Lock()
	defer s.cancelMu.Unlock()
	if s.ioCancel.Load() {
		return
	}
	deadline := time.Now().Add(t)
	switch {
	case s.raw != nil && !read: // headers suppressed: the hijacked connection carries the body
		_ = s.raw.SetWriteDeadline(deadline)
	default:
		setDeadline(s.w, read, deadline)
	}
}

// isFramingError recognises net/http's chunked-coding errors, which it does not export: every
// one of them is neither a network error nor a deadline.
func isFramingError(err error) bool {
	var netErr net.Error
	return !errors.As(err, &netErr) && !errors.Is(err, os.ErrDeadlineExceeded) && !errors.Is(err, net.ErrClosed) &&
		!errors.Is(err, http.ErrBodyReadAfterClose)
}

func (s *slot) beginIO() { s.ioActive.Store(true) }

// endIO closes an I/O window and reports whether CancelIo interrupted it. The write deadline
// is lifted again; the read deadline stays expired, since the client's body is now cut off
// wherever the cancelled read left it, and net/http must not wait to drain it.
func (s *slot) endIO() bool {
	s.cancelMu.Lock()
	defer s.cancelMu.Unlock()
	s.ioActive.Store(false)
	if !s.ioCancel.Swap(false) {
		return false
	}
	http.NewResponseController(s.w).SetWriteDeadline(time.Time{})
	return true
}

// iisgoCancelIo implements IHttpContext::CancelIo: a deadline in the past ends the read or
// write in progress at once. It may run on any thread.
//
//export iisgoCancelIo
func iisgoCancelIo(id C.uintptr_t) C.int32_t {
	s := lookupSlot(uintptr(id))
	s.cancelMu.Lock() // so that endIO cannot lift the deadlines before they are set
	defer s.cancelMu.Unlock()
	if !s.ioActive.Load() {
		return 0
	}
	s.ioCancel.Store(true)
	rc := http.NewResponseController(s.w)
	past := time.Unix(1, 0)
	rc.SetReadDeadline(past)
	rc.SetWriteDeadline(past)
	return 1
}

// iisgoPostRoutine runs a module's completion routine (IHttpContext3::PostCompletion) on a
// goroutine of its own, as a thread-pool completion.
//
//export iisgoPostRoutine
func iisgoPostRoutine(hostID C.uintptr_t, routine unsafe.Pointer, bytes C.uint32_t, ctx unsafe.Pointer) {
	go C.iis_run_completion_routine(routine, bytes, ctx)
}

// iisgoFlush implements Flush: the view goes to the client now. It returns an io* result.
//
//export iisgoFlush
func iisgoFlush(id C.uintptr_t, view *C.iis_send_view) C.int32_t {
	s := lookupSlot(uintptr(id))
	s.beginIO()
	ok := s.send(view)
	switch {
	case s.endIO():
		return ioCancelled
	case !ok:
		return ioFailed
	}
	return ioDone
}

// iisgoFallback runs the Go fallback handler with a writer that fills the module-visible
// response, so later notifications (send, log, end) see what it produced.
//
//export iisgoFallback
func iisgoFallback(id C.uintptr_t, req *C.iis_request) {
	s := lookupSlot(uintptr(id))
	if s.host.Fallback == nil {
		return
	}
	r := s.r.Clone(s.r.Context())
	r.Method = string(goBytes(C.iis_request_current_method(req)))
	r.URL.Path = string(goBytes(C.iis_request_current_path(req)))
	r.URL.RawPath = ""
	r.URL.RawQuery = string(goBytes(C.iis_request_current_query(req)))
	// The handler sees the request as the modules left it: their headers, and as body what they
	// inserted with InsertEntityBody and did not read, then what they left unread of the client's.
	var prefix []byte
	var inserted *C.iis_bytes
	for _, c := range unsafe.Slice(inserted, int(C.iis_request_inserted_body(req, &inserted))) {
		prefix = append(prefix, goBytes(c)...)
	}
	if len(prefix) > 0 {
		r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(prefix), s.r.Body))
	}
	r.ContentLength = -1
	if s.r.ContentLength >= 0 {
		r.ContentLength = int64(len(prefix)) + s.r.ContentLength - int64(C.iis_request_body_read(req))
	}
	var pairs *C.iis_bytes
	n := int(C.iis_request_headers(req, &pairs))
	r.Header = make(http.Header, n)
	for i, b := 0, unsafe.Slice(pairs, 2*n); i < len(b); i += 2 {
		name, value := string(goBytes(b[i])), string(goBytes(b[i+1]))
		if http.CanonicalHeaderKey(name) == "Host" {
			r.Host = value
			continue
		}
		r.Header.Add(name, value)
	}
	if r.ContentLength >= 0 {
		r.Header.Set("Content-Length", strconv.FormatInt(r.ContentLength, 10))
	} else {
		r.Header.Del("Content-Length")
	}
	// Asking for the physical path raises RQ_MAP_PATH for the request's URL, as IIS's static
	// file handler does; what its subscribers decide is the file served.
	ctx := context.WithValue(r.Context(), fileCacheKey{}, func(path string) {
		if path != "" {
			C.iis_request_cache_file(req, (*C.char)(unsafe.Pointer(unsafe.StringData(path))), C.size_t(len(path)))
		}
	})
	if physical := goBytes(C.iis_request_physical_path(req)); len(physical) > 0 {
		ctx = context.WithValue(ctx, physicalPathKey{}, string(physical))
	}
	var root C.iis_bytes
	if plain := goBytes(C.iis_request_directory(req, &root)); len(plain) > 0 {
		ctx = context.WithValue(ctx, directoryKey{}, Directory{Root: string(goBytes(root)), Path: string(plain)})
	}
	r = r.WithContext(ctx)
	fw := &fallbackWriter{req: req, header: http.Header{}, head: r.Method == http.MethodHead}
	s.host.Fallback.ServeHTTP(fw, r)
	fw.WriteHeader(http.StatusOK)
}

type physicalPathKey struct{}

type directoryKey struct{}

// Directory is where the host maps a fallback request's URL by its virtual directories alone:
// Root, the directory's folder, which the file served must stay under, and Path, the file,
// before RQ_MAP_PATH's subscribers had their say.
type Directory struct{ Root, Path string }

// MappedDirectory is the fallback request's Directory; ok is false outside the fallback.
func MappedDirectory(r *http.Request) (d Directory, ok bool) {
	d, ok = r.Context().Value(directoryKey{}).(Directory)
	return d, ok
}

type fileCacheKey struct{}

// ThroughFileCache reads the file a fallback is about to serve through the host's file cache,
// as IIS's static file handler does: GL_CACHE_OPERATION subscribers see it added, then hit.
// Outside the fallback it does nothing.
func ThroughFileCache(r *http.Request, path string) {
	if cache, ok := r.Context().Value(fileCacheKey{}).(func(string)); ok {
		cache(path)
	}
}

// PhysicalPath is where the host mapped a fallback request's URL (after RQ_MAP_PATH); ok is
// false outside the fallback.
func PhysicalPath(r *http.Request) (path string, ok bool) {
	path, ok = r.Context().Value(physicalPathKey{}).(string)
	return path, ok
}

// iisgoResume wakes the goroutine of a parked request; it may run on a module's own thread.
// Module threads' completions come through the completion pump instead (completion_pump.go).
//
//export iisgoResume
func iisgoResume(id C.uintptr_t) { lookupSlot(uintptr(id)).wake() }

// wake signals a parked request's goroutine that its completion arrived.
func (s *slot) wake() {
	select {
	case s.resume <- struct{}{}:
	default: // already signalled
	}
	s.reclaimIfAbandoned() // after the signal: see parkAbandoned
}

// iisgoResetConnection implements ResetConnection and CloseConnection: the client sees a TCP
// reset, and nothing more is sent.
//
//export iisgoResetConnection
func iisgoResetConnection(id C.uintptr_t) {
	s := lookupSlot(uintptr(id))
	conn := s.raw
	if u := s.up.Load(); u != nil {
		conn = u.conn
	}
	if conn == nil {
		c, _, err := http.NewResponseController(s.w).Hijack()
		if err != nil {
			return
		}
		conn = c
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		tcp.SetLinger(0) // close with RST instead of FIN
	}
	conn.Close()
	s.raw, s.rawBuf = nil, nil
}

// iisgoLog hands a record from the C++ side to the logger.
//
//export iisgoLog
func iisgoLog(hostID C.uintptr_t, level C.int32_t, module, message *C.char) {
	levels := [...]slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError}
	lv := slog.LevelError
	if level >= 0 && int(level) < len(levels) {
		lv = levels[level]
	}
	attrs := []any{}
	if m := C.GoString(module); m != "" {
		attrs = append(attrs, "module", m)
	}
	hostLogger(hostID).Log(context.Background(), lv, C.GoString(message), attrs...)
}

// fallbackWriter is the http.ResponseWriter the fallback handler writes through. Its output
// becomes the module-visible response, which modules may still change, so the length is the
// host's to compute at the final send: a Content-Length the handler set is dropped (kept for
// HEAD, which has no body to count).
type fallbackWriter struct {
	req         *C.iis_request
	header      http.Header
	head        bool
	wroteHeader bool
}

func (f *fallbackWriter) Header() http.Header { return f.header }

func (f *fallbackWriter) WriteHeader(code int) {
	if f.wroteHeader {
		return
	}
	f.wroteHeader = true
	if !f.head {
		delete(f.header, "Content-Length")
	}
	for name, values := range f.header {
		for i, v := range values {
			setFallbackHeader(f.req, name, v, i == 0)
		}
	}
	reason := http.StatusText(code)
	if reason == "" {
		reason = strconv.Itoa(code)
	}
	creason := []byte(reason)
	C.iis_fallback_set_status(f.req, C.uint16_t(code), (*C.char)(unsafe.Pointer(&creason[0])), C.uint32_t(len(creason)))
}

func (f *fallbackWriter) Write(p []byte) (int, error) {
	f.WriteHeader(http.StatusOK)
	if len(p) == 0 {
		return 0, nil
	}
	if C.iis_fallback_write(f.req, (*C.char)(unsafe.Pointer(&p[0])), C.uint32_t(len(p))) != 0 {
		return 0, errors.New("cabi: out of request memory")
	}
	return len(p), nil
}

// ReadFrom takes a file's bytes as a file-handle chunk (sent with sendfile, never copied into
// memory), as IIS's static file handler does; other readers are copied.
func (f *fallbackWriter) ReadFrom(src io.Reader) (int64, error) {
	f.WriteHeader(http.StatusOK)
	limited, _ := src.(*io.LimitedReader)
	file, isFile := src.(*os.File)
	limit := int64(-1)
	if limited != nil {
		file, isFile = limited.R.(*os.File)
		limit = limited.N
	}
	if !isFile {
		return io.Copy(writerOnly{f}, src)
	}
	offset, err := file.Seek(0, io.SeekCurrent)
	if err != nil {
		return io.Copy(writerOnly{f}, src)
	}
	info, err := file.Stat()
	if err != nil {
		return 0, err
	}
	n := info.Size() - offset
	if limit >= 0 && limit < n {
		n = limit
	}
	if n <= 0 {
		return 0, nil
	}
	if hr := C.iis_fallback_write_file(f.req, C.int(file.Fd()), C.uint64_t(offset), C.uint64_t(n)); hr < 0 {
		return 0, fmt.Errorf("cabi: file chunk refused (HRESULT 0x%08X)", uint32(hr))
	}
	if _, err := file.Seek(n, io.SeekCurrent); err != nil {
		return 0, err
	}
	if limited != nil {
		limited.N -= n
	}
	return n, nil
}

// writerOnly hides ReadFrom, so io.Copy falls back to Write.
type writerOnly struct{ io.Writer }

func setFallbackHeader(req *C.iis_request, name, value string, replace bool) {
	nb, vb := []byte(name), []byte(value+"\x00")
	r := C.int(0)
	if replace {
		r = 1
	}
	C.iis_fallback_set_header(req, (*C.char)(unsafe.Pointer(&nb[0])), C.uint32_t(len(nb)), (*C.char)(unsafe.Pointer(&vb[0])), C.uint32_t(len(vb)-1), r)
}

var eventTypes = map[C.uint16_t]struct {
	name  string
	level slog.Level
}{
	0x0000: {"success", slog.LevelInfo}, 0x0001: {"error", slog.LevelError}, 0x0002: {"warning", slog.LevelWarn},
	0x0004: {"information", slog.LevelInfo}, 0x0008: {"audit_success", slog.LevelInfo}, 0x0010: {"audit_failure", slog.LevelWarn},
}

// iisgoEventLog turns a module's ReportEvent into a log record: the message is the event's
// strings joined by spaces, and the record carries source, type, event id and category.
//
//export iisgoEventLog
func iisgoEventLog(hostID C.uintptr_t, module, source *C.char, typ, category C.uint16_t, eventID C.uint32_t,
	numStrings C.uint16_t, texts **C.char, dataSize C.uint32_t) {
	parts := make([]string, 0, int(numStrings))
	for _, s := range unsafe.Slice(texts, int(numStrings)) {
		parts = append(parts, C.GoString(s))
	}
	kind, ok := eventTypes[typ]
	if !ok {
		kind.name, kind.level = strconv.Itoa(int(typ)), slog.LevelInfo
	}
	attrs := []any{"module", C.GoString(module), "source", C.GoString(source), "event_type", kind.name,
		"event_id", uint32(eventID), "category", uint16(category)}
	if dataSize > 0 {
		attrs = append(attrs, "data_bytes", uint32(dataSize))
	}
	hostLogger(hostID).Log(context.Background(), kind.level, strings.Join(parts, " "), attrs...)
}

// iisgoDebugString records a module's OutputDebugString text.
//
//export iisgoDebugString
func iisgoDebugString(hostID C.uintptr_t, module, text *C.char) {
	msg := strings.TrimRight(C.GoString(text), "\r\n")
	hostLogger(hostID).Info(msg, "module", C.GoString(module), "source", "OutputDebugString")
}

// iisgoRecycle hands a module's recycle request to the host's Recycle hook, on a goroutine of
// its own so that the module's thread goes on at once.
//
//export iisgoRecycle
func iisgoRecycle(hostID C.uintptr_t, unhealthy C.int32_t, reason *C.char, hr C.uint32_t) {
	h, ok := hosts.Load(uintptr(hostID))
	if !ok {
		return
	}
	if hook := h.(*Host).Recycle; hook != nil {
		req := RecycleRequest{Unhealthy: unhealthy != 0, Reason: C.GoString(reason), HRESULT: uint32(hr)}
		go hook(req)
	}
}

func hostLogger(id C.uintptr_t) *slog.Logger {
	if h, ok := hosts.Load(uintptr(id)); ok {
		return h.(*Host).Logger
	}
	return slog.Default()
}
