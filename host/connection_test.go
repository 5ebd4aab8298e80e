package host_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

func connectionServer(t *testing.T) *hosttest.Server {
	return hosttest.Serve(t, hosttest.Module{Name: "Conn", Image: hosttest.Build(t, "testdata/modules/connection.cpp")})
}

func connectionGet(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	resp, err := (&http.Client{Transport: tr}).Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

func TestSetNeedDisconnect(t *testing.T) {
	resp, body := connectionGet(t, connectionServer(t).URL+"/disconnect")
	assert.Equal(t, "bye", body)
	assert.True(t, resp.Close, "the server announces it closes the connection")
}

func TestResetConnection(t *testing.T) {
	srv := connectionServer(t)
	_, err := http.Get(srv.URL + "/reset")
	require.Error(t, err, "a reset connection delivers no response")
	resp, body := connectionGet(t, srv.URL+"/disconnect")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the server goes on serving")
	assert.Equal(t, "bye", body)
}

func TestSuppressHeaders(t *testing.T) {
	resp, body := connectionGet(t, connectionServer(t).URL+"/suppress")
	assert.Equal(t, 203, resp.StatusCode, "the module's own status line is what the client reads")
	assert.Equal(t, "1", resp.Header.Get("X-Raw"))
	assert.Empty(t, resp.Header.Get("X-Dropped"), "headers set through the API are not sent")
	assert.Equal(t, "raw body", body)
}

func TestDisableBuffering(t *testing.T) {
	resp, body := connectionGet(t, connectionServer(t).URL+"/unbuffered")
	assert.Equal(t, "ab", body)
	assert.Equal(t, int64(-1), resp.ContentLength, "sent before the length was known")
	assert.Equal(t, []string{"chunked"}, resp.TransferEncoding)
}

func TestTrailers(t *testing.T) {
	resp, body := connectionGet(t, connectionServer(t).URL+"/trailers")
	assert.Equal(t, "data;get=abc;suppressed=0;kernel=0", body)
	assert.Equal(t, http.Header{"X-Checksum": {"abc"}}, resp.Trailer)
}

// TestShutdownWaitsForHijackedRequests: net/http's Shutdown does not wait for a request whose
// connection was taken over (here by ResetConnection); the host still lets it finish before
// terminating modules and freeing its memory.
func TestShutdownWaitsForHijackedRequests(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "connection.log")
	t.Setenv("IISHOST_CONNECTION_LOG", logPath)
	srv, _, err := hosttest.Start(t, hosttest.Options{}, hosttest.Module{Name: "Conn", Image: hosttest.Build(t, "testdata/modules/connection.cpp")})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	_, err = http.Get(ts.URL + "/reset-pending")
	require.Error(t, err, "the connection was reset")
	ts.Close()
	require.NoError(t, srv.Close())
	data, err := os.ReadFile(logPath)
	require.NoError(t, err)
	assert.Equal(t, "completed\nterminate\n", string(data))
}
