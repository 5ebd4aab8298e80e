package host_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// TestRequestMemoryGrowsAndIsReused: requests of every size, one after another on one
// connection (so one request state serves them in turn): each sees its own headers whole,
// whether they fit the state's inline memory, the block it keeps between requests, or neither.
func TestRequestMemoryGrowsAndIsReused(t *testing.T) {
	srv := hosttest.Serve(t, hosttest.Module{Name: "RawReq", Image: hosttest.Build(t, "testdata/modules/rawreq.cpp")})
	tr := &http.Transport{MaxConnsPerHost: 1}
	t.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr}
	for i, size := range []int{10, 3000, 10, 1500, 6000, 14000, 10, 3000, 14000, 2500} {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/raw", nil)
		require.NoError(t, err)
		// In headers of at most 10,000 bytes, under the default header field limit.
		var want []string
		for n := 0; size > 0; n++ {
			name := fmt.Sprintf("X-Part%d", n)
			value := strings.Repeat(string(rune('a'+i)), min(size, 10000))
			size -= len(value)
			req.Header.Set(name, value)
			want = append(want, "unknown."+name+"="+value)
		}
		resp, err := client.Do(req)
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		lines := strings.Split(string(body), "\n")
		for _, w := range want {
			assert.Contains(t, lines, w, "request %d", i)
		}
	}
}
