package cabi

import (
	"encoding/binary"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEncode reads back what encode lays out for the C++ side (bridge.h's iis_request_meta and
// the flat buffer): the request line's parts in order, the headers net/http moves out of its
// map put back, and a refusal's reason and page.
func TestEncode(t *testing.T) {
	r := httptest.NewRequest("PATCH", "/a%20b/c?x=1&y", nil)
	r.Host = "shop.test:8080"
	r.RemoteAddr = "192.0.2.7:5555"
	r.Header = http.Header{"Accept": {"text/plain", "*/*"}, "X-Empty": {""}}
	r.TransferEncoding = []string{"chunked"}
	r.ContentLength = -1
	var s slot
	s.encode(r, "/a b/c", Route{Site: 3, Refusal: &Refusal{Status: 404, Substatus: 7, Page: "<p>no</p>", Close: true}})
	m, b := &s.meta, s.buf

	take := func(n uint32) string {
		require.GreaterOrEqual(t, len(b), int(n))
		v := string(b[:n])
		b = b[n:]
		return v
	}
	assert.Equal(t, "PATCH", take(uint32(m.method_len)))
	assert.Equal(t, "/a%20b/c?x=1&y", take(uint32(m.raw_url_len)))
	assert.Equal(t, "/a b/c", take(uint32(m.path_len)))
	assert.Equal(t, "x=1&y", take(uint32(m.query_len)))
	assert.Equal(t, "shop.test:8080", take(uint32(m.host_len)))
	assert.Equal(t, "192.0.2.7:5555", take(uint32(m.remote_len)))
	assert.Equal(t, "Not Found", take(uint32(m.refuse_reason_len)))
	assert.Equal(t, "<p>no</p>", take(uint32(m.refuse_page_len)))
	assert.Equal(t, []int{404, 7, 1}, []int{int(m.refuse_status), int(m.refuse_substatus), int(m.refuse_close)})

	headers := map[string][]string{}
	for range int(m.header_count) {
		require.GreaterOrEqual(t, len(b), 8)
		nameLen, valueLen := binary.NativeEndian.Uint32(b), binary.NativeEndian.Uint32(b[4:])
		b = b[8:]
		name := take(nameLen)
		headers[name] = append(headers[name], take(valueLen))
	}
	assert.Equal(t, map[string][]string{"Host": {"shop.test:8080"}, "Accept": {"text/plain", "*/*"}, "X-Empty": {""},
		"Transfer-Encoding": {"chunked"}}, headers)
	assert.Empty(t, b, "nothing past the headers for a plain request")
	assert.Equal(t, 3, int(m.site))
	assert.Equal(t, -1, int(m.content_length))
	assert.Equal(t, []int{1, 1}, []int{int(m.proto_major), int(m.proto_minor)})
	assert.Zero(t, int(m.https))

	// The slot's buffer is reused: a second request leaves nothing of the first.
	s.encode(httptest.NewRequest("GET", "/", nil), "/", Route{})
	assert.Zero(t, int(m.refuse_status))
	assert.Zero(t, int(m.refuse_page_len))
	assert.Equal(t, "GET/", string(s.buf[:4]))
}
