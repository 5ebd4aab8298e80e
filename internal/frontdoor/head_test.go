package frontdoor

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseHead(t *testing.T) {
	l := Limits{}.WithDefaults()
	tests := []struct {
		name, head string
		kind       bodyKind
		length     int64
		opaque     bool
		refuse     *Refusal
	}{
		{"plain GET", "GET /a HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n", bodyNone, 0, false, nil},
		{"bare LF lines", "GET /a HTTP/1.1\nHost: x\n\n", bodyNone, 0, false, nil},
		{"length", "POST /a HTTP/1.1\r\nContent-Length: 12\r\n\r\n", bodyLength, 12, false, nil},
		{"same length twice", "POST /a HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n", bodyLength, 3, false, nil},
		{"chunked", "POST /a HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n", bodyChunked, 0, false, nil},
		{"both", "POST /a HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", bodyNone, 0, true, errFraming},
		{"chunked on 1.0", "POST /a HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", bodyNone, 0, true, errFraming},
		{"gzip coding", "POST /a HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", bodyNone, 0, true, nil},
		{"bad length", "POST /a HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", bodyNone, 0, true, nil},
		{"upgrade", "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n", bodyNone, 0, true, nil},
		{"folded line", "GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n", bodyNone, 0, true, nil},
		{"long verb", strings.Repeat("V", 256) + " / HTTP/1.1\r\n\r\n", bodyNone, 0, false, errBadVerb},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, kind, length := parseHead([]byte(tc.head), &l)
			assert.Equal(t, tc.kind, kind)
			assert.Equal(t, tc.length, length)
			assert.Equal(t, tc.opaque, h.Opaque)
			assert.Equal(t, tc.refuse, h.Refuse)
		})
	}
}

// TestConnFollowsPipelines feeds a pipeline in every split and checks that each head is seen
// once, in order, whatever the read boundaries.
func TestConnFollowsPipelines(t *testing.T) {
	l := Limits{}.WithDefaults()
	wire := "POST /one HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello" +
		"POST /two HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n" +
		"\r\nGET /three HTTP/1.1\r\n\r\n"
	for split := 1; split < len(wire); split++ {
		c := &Conn{limits: &l}
		c.follow([]byte(wire[:split]))
		c.follow([]byte(wire[split:]))
		var targets []string
		for _, h := range c.heads {
			assert.Nil(t, h.Refuse)
			targets = append(targets, h.Target)
		}
		assert.Equal(t, []string{"/one", "/two", "/three"}, targets, "split at %d", split)
	}
}

func TestConnMarksBadChunks(t *testing.T) {
	l := Limits{}.WithDefaults()
	for _, body := range []string{"zz\r\n", "5\r\nhelloXX", "fffffffffffffffff\r\n", "-1\r\n", strings.Repeat("1", 5000)} {
		c := &Conn{limits: &l}
		c.follow([]byte("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + body))
		if assert.Len(t, c.heads, 1) {
			assert.Equal(t, errBadBody, c.heads[0].Refuse, "%q", body)
		}
		assert.Equal(t, wireOpaque, c.state)
	}
}

// TestParseHeadAllocations: a head costs its Head and one string for the request line, however
// many headers it has (the hot path reads header lines in place).
func TestParseHeadAllocations(t *testing.T) {
	l := Limits{}.WithDefaults()
	head := []byte("GET /hello HTTP/1.1\r\nHost: example\r\nUser-Agent: probe\r\nAccept: */*\r\nAccept-Encoding: gzip\r\n\r\n")
	allocs := testing.AllocsPerRun(100, func() { parseHead(head, &l) })
	assert.LessOrEqual(t, allocs, 2.0)
}
