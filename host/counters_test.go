package host_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// TestPerfCounters: modules raise and lower numbered counters of the server and the site
// (default amount 1); Go reads them with the host's own request and byte counts.
func TestPerfCounters(t *testing.T) {
	srv := hosttest.Serve(t, hosttest.Module{Name: "Perf", Image: hosttest.Build(t, "testdata/modules/perf.cpp")})
	steps := []string{
		"/perf?scope=server&op=inc&index=3",
		"/perf?scope=server&op=inc&index=3&value=10",
		"/perf?scope=server&op=dec&index=3&value=4",
		"/perf?scope=site&op=dec&index=0",
		"/perf?scope=site&op=inc&index=63&value=7",
		"/perf?scope=site&op=inc&index=64&value=9", // out of range: ignored
		"/perf?scope=server&op=inc&index=4294967295",
	}
	for _, p := range steps {
		_, body := getOK(t, srv.URL+p)
		require.Equal(t, "ok", body)
	}
	_, body := getOK(t, srv.URL+"/hello")
	require.Equal(t, "hello", body)
	resp, err := http.Post(srv.URL+"/read", "text/plain", strings.NewReader("twelve bytes"))
	require.NoError(t, err)
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, "read 12", string(got))

	require.Eventually(t, func() bool { return srv.Host.Counters().CurrentRequests == 0 }, 10*time.Second, time.Millisecond) // hang guard
	c := srv.Host.Counters()
	assert.Equal(t, int64(9), c.Requests)
	assert.Equal(t, int64(7*2+5+7), c.BytesSent) // "ok" ×7, "hello", "read 12"
	assert.Equal(t, int64(12), c.BytesReceived)
	var server, site [64]int64
	server[3] = 7
	site[0], site[63] = -1, 7
	assert.Equal(t, server, c.Server)
	assert.Equal(t, [][64]int64{site}, c.Sites)

	srv.Close()
	require.NoError(t, srv.Host.Close())
	assert.Equal(t, c, srv.Host.Counters(), "the last values stay readable after Close")
}
