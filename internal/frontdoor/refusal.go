package frontdoor

import (
	"net/http"
	"strconv"
)

// Refusal is an answer the front door gives instead of running the pipeline.
type Refusal struct {
	Status int
	Reason string // a short phrase, in the page and the log
}

var (
	errURLTooLong     = &Refusal{http.StatusRequestURITooLong, "The request URL is too long."}
	errBadURL         = &Refusal{http.StatusBadRequest, "The request URL is invalid."}
	errHeadTooLong    = &Refusal{http.StatusBadRequest, "The request headers are too long."}
	errFieldTooLong   = &Refusal{http.StatusBadRequest, "A request header is too long."}
	errTooManyHeaders = &Refusal{http.StatusBadRequest, "The request has too many headers."}
	errBadVerb        = &Refusal{http.StatusBadRequest, "The request verb is invalid."}
	errFraming        = &Refusal{http.StatusBadRequest, "The request's message framing is ambiguous."}
	errBadBody        = &Refusal{http.StatusBadRequest, "The request body is malformed or incomplete."}
	errLostTrack      = &Refusal{http.StatusBadRequest, "The request could not be read."}
)

// RefuseBadBody answers a request whose body broke its framing after modules began to read it.
func RefuseBadBody(w http.ResponseWriter) { errBadBody.Write(w) }

// page is the HTML body of a refusal: the status and reason, nothing the client sent.
func (f *Refusal) page() string {
	text := strconv.Itoa(f.Status) + " " + http.StatusText(f.Status)
	return "<!DOCTYPE html><html><head><title>" + text + "</title></head><body><h1>" + text +
		"</h1><p>" + f.Reason + "</p></body></html>\n"
}

// Write sends the refusal and asks net/http to close the connection: after a refused request
// the connection's framing can no longer be trusted.
func (f *Refusal) Write(w http.ResponseWriter) {
	h := w.Header()
	for k := range h {
		delete(h, k)
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Connection", "close")
	body := f.page()
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(body))
}

// response is the refusal as raw bytes, for answering before net/http has a request.
func (f *Refusal) response() []byte {
	body := f.page()
	return []byte("HTTP/1.1 " + strconv.Itoa(f.Status) + " " + http.StatusText(f.Status) +
		"\r\nContent-Type: text/html; charset=utf-8\r\nConnection: close\r\nContent-Length: " +
		strconv.Itoa(len(body)) + "\r\n\r\n" + body)
}
