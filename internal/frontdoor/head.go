package frontdoor

import (
	"bytes"
	"strings"
)

// Head is what the wire showed of one request's head, read before net/http parses it.
type Head struct {
	Method, Target string
	// Fields are the head's header lines as the client sent them, in order and case, each
	// ended by LF or CR LF: what a module's raw view of the request shows.
	Fields string
	// Refuse is set when the head breaks a limit or its framing is ambiguous (RFC 9112 §6.1).
	Refuse *Refusal
	// Opaque means the bytes after this head are not HTTP the door can follow (an upgrade,
	// CONNECT, or framing net/http will reject): the connection must close after this request
	// unless it is taken over.
	Opaque bool
}

var (
	contentLengthName    = []byte("Content-Length")
	transferEncodingName = []byte("Transfer-Encoding")
	upgradeName          = []byte("Upgrade")
)

// bodyKind is how a head says its body is framed.
type bodyKind int

const (
	bodyNone bodyKind = iota
	bodyLength
	bodyChunked
)

// parseHead reads a complete head: the request line, header lines and the empty line. It returns the head and how its body is framed.
func parseHead(b []byte, l *Limits) (*Head, bodyKind, int64) {
	h := &Head{}
	line, rest := nextLine(b)
	fieldsAt := len(b) - len(rest)
	// One string for the request line and the header lines; method, target and fields are
	// slices of it.
	text := string(b)
	request := text[:len(line)]
	sp1 := strings.IndexByte(request, ' ')
	sp2 := strings.LastIndexByte(request, ' ')
	if sp1 <= 0 || sp2 <= sp1 || strings.Count(request, " ") != 2 {
		h.Opaque = true // net/http answers 400 itself and closes
		return h, bodyNone, 0
	}
	h.Method, h.Target = request[:sp1], request[sp1+1:sp2]
	version := request[sp2+1:]
	switch {
	case len(h.Method) > l.MaxVerbLength:
		h.Refuse = errBadVerb
	case len(h.Target) > l.MaxURLLength:
		h.Refuse = errURLTooLong
	}
	// The header lines are read in place: only the framing fields' values become strings.
	var contentLengths []string
	var transferEncodings []string
	count := 0
	for len(rest) > 0 {
		at := len(b) - len(rest)
		line, rest = nextLine(rest)
		if len(line) == 0 {
			h.Fields = text[fieldsAt:at]
			break // the empty line that ends the head
		}
		count++
		if len(line)+2 > l.MaxFieldLength && h.Refuse == nil {
			h.Refuse = errFieldTooLong
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 || line[0] == ' ' || line[0] == '\t' {
			h.Opaque = true // no name, or an obsolete line folding: net/http refuses it
			continue
		}
		name, value := line[:colon], line[colon+1:]
		switch {
		case bytes.EqualFold(name, contentLengthName):
			contentLengths = append(contentLengths, string(bytes.TrimSpace(value)))
		case bytes.EqualFold(name, transferEncodingName):
			transferEncodings = append(transferEncodings, string(bytes.TrimSpace(value)))
		case bytes.EqualFold(name, upgradeName):
			h.Opaque = true
		}
	}
	if count > l.MaxHeaders && h.Refuse == nil {
		h.Refuse = errTooManyHeaders
	}
	if h.Method == "CONNECT" || (version != "HTTP/1.1" && version != "HTTP/1.0") {
		h.Opaque = true
	}
	if len(transferEncodings) > 0 {
		// HTTP/1.0 has no chunked coding, and Transfer-Encoding beside Content-Length is the
		// classic smuggling shape: both must end the connection (RFC 9112 §6.1); we refuse them.
		if version == "HTTP/1.0" || len(contentLengths) > 0 {
			h.Refuse, h.Opaque = errFraming, true
			return h, bodyNone, 0
		}
		if len(transferEncodings) != 1 || !strings.EqualFold(transferEncodings[0], "chunked") {
			h.Opaque = true // net/http answers 501 or 400
			return h, bodyNone, 0
		}
		return h, bodyChunked, 0
	}
	if len(contentLengths) > 0 {
		n, ok := parseLength(contentLengths)
		if !ok {
			h.Opaque = true // net/http answers 400
			return h, bodyNone, 0
		}
		return h, bodyLength, n
	}
	return h, bodyNone, 0
}

// parseLength reads Content-Length fields: all the same, plain decimal digits.
func parseLength(values []string) (int64, bool) {
	var n int64
	for i, v := range values {
		if v == "" || len(v) > 18 || v != values[0] && i > 0 {
			return 0, false
		}
		n = 0
		for j := 0; j < len(v); j++ {
			if v[j] < '0' || v[j] > '9' {
				return 0, false
			}
			n = n*10 + int64(v[j]-'0')
		}
	}
	return n, true
}

// nextLine splits off one line ending in LF (CR LF or a bare LF, as net/http accepts).
func nextLine(b []byte) (line, rest []byte) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil
	}
	line, rest = b[:i], b[i+1:]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, rest
}
