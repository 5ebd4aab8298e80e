package cabi

/*
#include "bridge.h"
*/
import "C"

import (
	"encoding/binary"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/iishost/iishost/internal/frontdoor"
)

// Route says where a request goes and what the host decided for it: the site (its index from
// AddSite), its timeouts, and any refusal.
type Route struct {
	Site int
	// IOTimeout is the site's connectionTimeout for body reads and response writes; 0 means
	// the host's IOTimeout.
	IOTimeout time.Duration
	// ClientCertAsked says the site's sslFlags have TLS handshakes ask for a client
	// certificate (GetClientCertificate's negotiated, pSslInfo's SslClientCertNegotiated).
	ClientCertAsked bool
	// Refusal, when set, is the answer: no module's notification runs but RQ_LOG_REQUEST's and
	// RQ_END_REQUEST's, as when a module ends the request at RQ_BEGIN_REQUEST.
	Refusal *Refusal
	// Trace, when set, records the request for failed-request tracing, keeping at most
	// TraceCap bytes of records, and takes the record when the response is sent.
	Trace    TraceSink
	TraceCap uint32
	// HeaderLines are the request's header lines as the client sent them (the front door's
	// view of an HTTP/1.x head): modules see the headers in wire order and case. Empty: the
	// headers come from the request's map (HTTP/2, requests made in process).
	HeaderLines string
}

// Refusal is an answer the host gives for IIS's own modules (request filtering, the SSL
// checks): a status with IIS's substatus, and the page sent with it.
type Refusal struct {
	Status, Substatus int
	Page              string // text/html
	Close             bool   // close the connection after it (a body left unread)
}

// ServeHTTP serves a request to the first site with no body limit: it copies the request into
// C++ once, runs the pipeline, writes what it produced and frees the request's memory.
func (h *Host) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path, bad := frontdoor.CanonicalPath(r.URL.Path, &h.Limits)
	if bad != nil {
		bad.Write(w)
		return
	}
	h.serve(w, r, path, Route{})
}

// ServeAdmitted is ServeHTTP for a request whose r.URL.Path the front door has already
// canonicalised (frontdoor.Admit), so the path is not checked twice per request.
func (h *Host) ServeAdmitted(w http.ResponseWriter, r *http.Request, route Route) {
	h.serve(w, r, r.URL.Path, route)
}

func (h *Host) serve(w http.ResponseWriter, r *http.Request, path string, route Route) {
	h.active.Add(1)
	defer h.active.Done()
	if h.refuseOverAbandonCap(w) {
		return
	}
	start := time.Now()
	s := h.acquireSlot()
	counts := h.counters.shard(s)
	counts.requests.Add(1)
	counts.current.Add(1)
	defer counts.current.Add(-1)
	s.w, s.r = w, r
	logged := h.OnComplete != nil
	if logged {
		s.bytesSent.Store(0)
		s.bytesReceived.Store(0)
	}
	s.ioTimeout = route.IOTimeout
	if s.ioTimeout <= 0 {
		s.ioTimeout = h.IOTimeout
	}
	s.started.Store(start.UnixNano())
	s.site.Store(int32(route.Site))
	s.req.Store(r)
	s.encode(r, path, route)
	if route.Trace != nil {
		s.startTrace(route.TraceCap)
	}
	// Without an access log or a trace, nothing is read of the request after its send view,
	// so a pipeline that ends in this one call may release the modules before returning.
	s.meta.release_early = 0
	if !logged && route.Trace == nil {
		s.meta.release_early = 1
	}
	view := C.iis_request_run(s.state, &s.meta, (*C.char)(unsafe.Pointer(unsafe.SliceData(s.buf))), C.size_t(len(s.buf)))
	var gone <-chan struct{}
	watching := false
	for view != nil && view.pending != 0 {
		if view.io_kind != 0 {
			view = s.deferredIO(view)
			continue
		}
		// A module went pending: park this goroutine (no OS thread) until its completion. The
		// context's channel is made on first use, so only pending requests pay for it.
		if !watching {
			gone, watching = r.Context().Done(), true
		}
		select {
		case <-s.resume:
		case <-gone:
			gone = nil
			if s.readBroken.Load() {
				continue // CancelIo ended the read side, not the client
			}
			C.iis_request_client_gone(s.state)
			if !s.awaitAfterClientGone() {
				return
			}
		}
		view = C.iis_request_resume(s.state)
	}
	status, substatus := 0, 0 // the client left before any response
	written := view != nil
	switch {
	case view == nil:
	case s.badBody && view.headers_already_sent == 0 && s.raw == nil && s.up.Load() == nil:
		frontdoor.RefuseBadBody(w) // whatever the modules made of a body that never arrived whole
		status = http.StatusBadRequest
	default:
		written = s.send(view)
		status, substatus = int(view.status), int(view.sub_status)
	}
	took := time.Since(start)
	if logged {
		s.complete(!written, route, status, substatus, took)
	}
	if route.Trace != nil {
		s.endTrace(route.Trace)
	}
	h.recordOutcome(r, &route, status, substatus, start, took) // after endTrace: a failure's trace is queued
	s.finish(view != nil && view.released != 0)
}

// finish releases the request's modules and memory, unless iis_request_run released them
// already, and makes its slot available again.
func (s *slot) finish(released bool) {
	s.endUpgrade()
	if !released {
		C.iis_request_finish(s.state)
	}
	s.host.releaseSlot(s)
}

// awaitAfterClientGone waits for the parked module's completion once the client has left. A
// module that never completes would hold the request forever; after AbandonAfter the request
// is abandoned (abandon.go).
func (s *slot) awaitAfterClientGone() bool {
	limit := s.host.AbandonAfter
	if limit <= 0 {
		limit = 30 * time.Second
	}
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case <-s.resume:
		return true
	case <-timer.C:
		s.abandon()
		return false
	}
}

// deferredIO performs the read or send a module started asynchronously, on this goroutine and
// outside any cgo call, then reports it so that the module's OnAsyncCompletion runs.
func (s *slot) deferredIO(v *C.iis_send_view) *C.iis_send_view {
	switch v.io_kind {
	case ioRead:
		buf := unsafe.Slice((*byte)(v.io_buffer), int(v.io_size))
		n, code := s.readBody(buf)
		return C.iis_request_io_done(s.state, C.uint32_t(n), C.int32_t(code))
	default:
		return C.iis_request_io_done(s.state, 0, iisgoFlush(C.uintptr_t(s.id), v))
	}
}

// encode lays the request out as bridge.h's iis_request_meta and flat string buffer.
func (s *slot) encode(r *http.Request, p string, route Route) {
	m := &s.meta
	b := s.buf[:0]
	b = append(b, r.Method...)
	m.method_len = C.uint32_t(len(r.Method))
	raw := requestURL(r)
	b = append(b, raw...)
	m.raw_url_len = C.uint32_t(len(raw))
	b = append(b, p...)
	m.path_len = C.uint32_t(len(p))
	b = append(b, r.URL.RawQuery...)
	m.query_len = C.uint32_t(len(r.URL.RawQuery))
	b = append(b, r.Host...)
	m.host_len = C.uint32_t(len(r.Host))
	b = append(b, r.RemoteAddr...)
	m.remote_len = C.uint32_t(len(r.RemoteAddr))
	m.refuse_status, m.refuse_substatus, m.refuse_close = 0, 0, 0
	m.refuse_reason_len, m.refuse_page_len = 0, 0
	if f := route.Refusal; f != nil {
		m.refuse_status, m.refuse_substatus = C.uint16_t(f.Status), C.uint16_t(f.Substatus)
		if f.Close {
			m.refuse_close = 1
		}
		reason := http.StatusText(f.Status)
		b = append(b, reason...)
		b = append(b, f.Page...)
		m.refuse_reason_len, m.refuse_page_len = C.uint32_t(len(reason)), C.uint32_t(len(f.Page))
	}
	var count int
	b, count = appendHeaders(b, r, route.HeaderLines)
	m.header_count = C.uint32_t(count)
	m.proto_major, m.proto_minor = C.uint16_t(r.ProtoMajor), C.uint16_t(r.ProtoMinor)
	m.content_length = C.int64_t(r.ContentLength)
	m.connection_id = C.uint64_t(connectionID(r))
	m.site = C.uint32_t(route.Site)
	b = s.appendTLS(b, m, r, &route)
	if la, ok := r.Context().Value(http.LocalAddrContextKey).(*net.TCPAddr); ok {
		ap := la.AddrPort()
		m.local_is_v6, m.local_port = putAddr(&m.local_ip, ap.Addr()), C.uint16_t(ap.Port())
	}
	s.buf = b
}

// appendHeaders lays out the request's headers: from the header lines as sent when the front
// door kept them, so that modules see wire order and case as under HTTP.sys, else from
// net/http's map, which has lost both.
func appendHeaders(b []byte, r *http.Request, lines string) ([]byte, int) {
	count := 0
	if lines != "" {
		sawHost := false
		for lines != "" {
			var line string
			line, lines, _ = strings.Cut(lines, "\n")
			line = strings.TrimSuffix(line, "\r")
			name, value, ok := strings.Cut(line, ":")
			if !ok || name == "" {
				continue // the door marks such a head opaque and net/http refuses it: never here
			}
			sawHost = sawHost || strings.EqualFold(name, "Host")
			b = appendHeader(b, name, strings.Trim(value, " \t"))
			count++
		}
		if !sawHost && r.Host != "" {
			// An absolute-form target names the host, and HTTP/1.0 needs no Host line.
			b = appendHeader(b, "Host", r.Host)
			count++
		}
		return b, count
	}
	if r.Host != "" {
		// net/http moves Host out of the header map; modules expect it among the headers.
		b = appendHeader(b, "Host", r.Host)
		count++
	}
	for name, values := range r.Header {
		for _, v := range values {
			b = appendHeader(b, name, v)
			count++
		}
	}
	if len(r.TransferEncoding) > 0 {
		// net/http moves this one out of the map too; HTTP.sys shows it to modules.
		b = appendHeader(b, "Transfer-Encoding", strings.Join(r.TransferEncoding, ", "))
		count++
	}
	return b, count
}

// requestURL is the URL as the request line had it.
func requestURL(r *http.Request) string {
	if r.RequestURI != "" {
		return r.RequestURI
	}
	return r.URL.RequestURI() // a request made in process, never read from a client
}

// headerBytes is the size of a response's status line and header as the modules made it, for
// the access log (net/http adds Date and framing headers of its own, not counted).
func headerBytes(h http.Header, status int) int64 {
	n := len("HTTP/1.1 000 ") + len(http.StatusText(status)) + 2 + 2
	for name, values := range h {
		for _, v := range values {
			n += len(name) + 2 + len(v) + 2
		}
	}
	return int64(n)
}

// countSent counts a view's body as sent, for the server's counters and the request's own.
func (s *slot) countSent(v *C.iis_send_view) {
	s.host.counters.shard(s).bytesSent.Add(int64(v.body_length))
	s.bytesSent.Add(int64(v.body_length))
}

// sendRaw writes a response whose headers a module suppressed: the connection is taken from
// net/http and carries the body bytes alone, then closes after the final send.
func (s *slot) sendRaw(v *C.iis_send_view) bool {
	if s.raw == nil {
		conn, brw, err := http.NewResponseController(s.w).Hijack()
		if err != nil {
			return false
		}
		s.raw, s.rawBuf = conn, brw
	}
	if writeBody(s.rawBuf, v, s.r.Method == http.MethodHead) != nil {
		return false
	}
	s.countSent(v)
	err := s.rawBuf.Flush()
	if v.final_send != 0 {
		s.raw.Close()
	}
	return err == nil
}

// commonHeaderNames interns the response header names modules set most, saving an
// allocation per header.
var commonHeaderNames = func() map[string]string {
	m := map[string]string{}
	for _, n := range []string{"Content-Type", "Content-Length", "Cache-Control", "Location", "Set-Cookie",
		"Server", "ETag", "Last-Modified", "Expires", "Vary", "WWW-Authenticate", "Content-Encoding", "X-Powered-By"} {
		m[n] = n
	}
	return m
}()

// commonHeaderValues interns frequent values, Content-Type's mostly.
var commonHeaderValues = func() map[string]string {
	m := map[string]string{}
	for _, v := range []string{"text/plain", "text/html", "application/json", "text/plain; charset=utf-8",
		"text/html; charset=utf-8", "application/octet-stream", "no-cache", "private", "close", "chunked"} {
		m[v] = v
	}
	return m
}()

// commonHeaderValueLists holds each common value as a one-value list to set as a header's
// whole value without allocating. Capacity 1, so an Add appends to a copy; net/http writes a
// clone of the handler's header, so no list here is ever changed in place.
var commonHeaderValueLists = func() map[string][]string {
	m := map[string][]string{}
	for v := range commonHeaderValues {
		m[v] = []string{v}[:1:1]
	}
	return m
}()

// intern returns the table's copy of b when it holds one, else a new string.
func intern(table map[string]string, b []byte) string {
	if v, ok := table[string(b)]; ok { // the lookup does not allocate
		return v
	}
	return string(b)
}

func appendHeader(b []byte, name, value string) []byte {
	b = binary.NativeEndian.AppendUint32(b, uint32(len(name)))
	b = binary.NativeEndian.AppendUint32(b, uint32(len(value)))
	b = append(b, name...)
	return append(b, value...)
}

func putAddr(dst *[16]C.uint8_t, a netip.Addr) C.uint8_t {
	if a.Is4() || a.Is4In6() {
		v := a.Unmap().As4()
		for i := range v {
			dst[i] = C.uint8_t(v[i])
		}
		return 0
	}
	v := a.As16()
	for i := range v {
		dst[i] = C.uint8_t(v[i])
	}
	return 1
}

func goBytes(b C.iis_bytes) []byte {
	if b.len == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(b.data)), int(b.len))
}

// send writes one send view to the client: headers the first time, then the body chunks
// straight from C++ memory. It reports false when the client has gone.
func (s *slot) send(v *C.iis_send_view) bool {
	if u := s.up.Load(); u != nil {
		return u.send(v)
	}
	s.armDeadline(false)
	w := s.w
	if v.suppress_headers != 0 || s.raw != nil {
		return s.sendRaw(v)
	}
	if v.headers_already_sent == 0 {
		h := w.Header()
		headers := unsafe.Slice(v.headers, int(v.header_count)*2)
		var values []string // made on first need: one allocation backs every other value list
		for i := 0; i < len(headers); i += 2 {
			name := intern(commonHeaderNames, goBytes(headers[i]))
			old := h[name]
			if list, ok := commonHeaderValueLists[string(goBytes(headers[i+1]))]; ok && old == nil {
				h[name] = list
				continue
			}
			if values == nil {
				values = make([]string, 0, len(headers)/2+1)
			}
			values = append(values, intern(commonHeaderValues, goBytes(headers[i+1])))
			if old != nil {
				h[name] = append(old, values[len(values)-1])
			} else {
				h[name] = values[len(values)-1 : len(values) : len(values)]
			}
		}
		// net/http computes Content-Length itself for a body it holds whole (up to its 2 KiB
		// chunking buffer); larger buffered bodies get it here, as IIS sends them.
		if v.trailer_count > 0 {
			// Declared before the header goes out, so net/http sends the body chunked.
			for i, t := 0, unsafe.Slice(v.trailers, int(v.trailer_count)*2); i < len(t); i += 2 {
				h["Trailer"] = append(h["Trailer"], string(goBytes(t[i])))
			}
		}
		if v.need_disconnect != 0 || s.badBody {
			h["Connection"] = []string{"close"} // net/http closes the connection after this response
		}
		if _, typed := h["Content-Type"]; !typed && v.body_length > 0 {
			h["Content-Type"] = nil // as IIS: no type the modules did not set (net/http would sniff one)
		}
		// File chunks count too: net/http cannot see their length, as it goes to sendfile.
		if v.final_send != 0 && v.trailer_count == 0 && (v.body_length > 2048 || hasFiles(v)) && h["Content-Length"] == nil && h["Transfer-Encoding"] == nil {
			h["Content-Length"] = []string{strconv.FormatUint(uint64(v.body_length), 10)}
		}
		if s.host.OnComplete != nil {
			s.bytesSent.Add(headerBytes(h, int(v.status)))
		}
		w.WriteHeader(int(v.status))
	}
	if writeBody(w, v, s.r.Method == http.MethodHead) != nil {
		return false
	}
	s.countSent(v)
	if v.trailer_count > 0 {
		// Values set after the body are sent as trailers: declared ones under their names, and
		// when an earlier flush sent the header without declaring them, under TrailerPrefix.
		h := w.Header()
		prefix := ""
		if v.headers_already_sent != 0 {
			prefix = http.TrailerPrefix
		}
		for i, t := 0, unsafe.Slice(v.trailers, int(v.trailer_count)*2); i < len(t); i += 2 {
			h[prefix+string(goBytes(t[i]))] = []string{string(goBytes(t[i+1]))}
		}
	}
	if v.final_send == 0 {
		if err := http.NewResponseController(w).Flush(); err != nil {
			return false
		}
	}
	return true
}
