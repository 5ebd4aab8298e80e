package host_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

func clientGet(t *testing.T, c *http.Client, url string) string {
	t.Helper()
	resp, err := c.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	return string(body)
}

// TestConnectionScope: requests on one TCP connection share its module contexts and memory;
// another connection has its own; when a connection closes, its connection contexts hear
// NotifyDisconnect and then every context is cleaned up.
func TestConnectionScope(t *testing.T) {
	srv := hosttest.Serve(t, hosttest.Module{Name: "Conn", Image: hosttest.Build(t, "testdata/modules/connscope.cpp")})
	first := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1}}
	second := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1}}
	events := &http.Client{Transport: &http.Transport{}}
	defer events.CloseIdleConnections()
	clientGet(t, events, srv.URL+"/events") // the fixture's list is process-wide

	shape := regexp.MustCompile(`^conn=(\d+) requests=(\d) mem=conn-mem plain=1$`)
	b1, b2, b3 := clientGet(t, first, srv.URL+"/a"), clientGet(t, first, srv.URL+"/b"), clientGet(t, second, srv.URL+"/c")
	m1, m2, m3 := shape.FindStringSubmatch(b1), shape.FindStringSubmatch(b2), shape.FindStringSubmatch(b3)
	require.NotNil(t, m1, b1)
	require.NotNil(t, m2, b2)
	require.NotNil(t, m3, b3)
	assert.Equal(t, m1[1], m2[1], "one connection, one context")
	assert.Equal(t, []string{"1", "2"}, []string{m1[2], m2[2]})
	assert.NotEqual(t, m1[1], m3[1], "another connection, another context")
	assert.Equal(t, "1", m3[2])

	first.CloseIdleConnections()
	want := []string{"disconnect " + m1[1], "cleanup plain " + m1[1], "cleanup " + m1[1]}
	var seen []string
	require.Eventually(t, func() bool { // hang guard: the server notices the close on its own time
		if body := clientGet(t, events, srv.URL+"/events"); body != "" {
			seen = append(seen, strings.Split(strings.TrimSuffix(body, "\n"), "\n")...)
		}
		return len(seen) >= len(want)
	}, 10*time.Second, 5*time.Millisecond)
	assert.Equal(t, want, seen)
	second.CloseIdleConnections()

	// A connection reset by a module offers no new scope: its close is already under way.
	_, err := (&http.Client{Transport: &http.Transport{}}).Get(srv.URL + "/reset")
	require.Error(t, err)
	var after []string
	require.Eventually(t, func() bool { // hang guard: the module asks after the client saw the reset
		for _, l := range strings.Split(clientGet(t, events, srv.URL+"/events"), "\n") {
			if strings.HasPrefix(l, "after reset") {
				after = append(after, l)
			}
		}
		return len(after) > 0
	}, 10*time.Second, 5*time.Millisecond)
	assert.Equal(t, []string{"after reset container=null"}, after)
}

// TestConnectionScopeUnwired: a Server used as a plain handler, without ConfigureHTTPServer,
// gives modules no connection container.
func TestConnectionScopeUnwired(t *testing.T) {
	srv, _, err := hosttest.Start(t, hosttest.Options{}, hosttest.Module{Name: "Conn", Image: hosttest.Build(t, "testdata/modules/connscope.cpp")})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		require.NoError(t, srv.Close())
	})
	_, body := getOK(t, ts.URL+"/x")
	assert.Equal(t, "no container", body)
}
