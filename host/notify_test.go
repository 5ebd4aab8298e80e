package host_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// getOK fetches url, requires a 200, and returns the response headers and body.
func getOK(t *testing.T, url string) (http.Header, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	return resp.Header, string(body)
}

// TestMapPath: mapping a URL raises RQ_MAP_PATH for every subscriber in order, and the path a
// subscriber sets is the answer.
func TestMapPath(t *testing.T) {
	root := t.TempDir()
	mods := hosttest.Instances(hosttest.Build(t, "testdata/modules/notify.cpp"), "notify", "second")
	srv := hosttest.ServeWith(t, hosttest.Options{Root: root}, mods...)

	h, body := getOK(t, srv.URL+"/map/a.txt")
	assert.Equal(t, "physical="+root+"/map/a.txt", body)
	assert.Equal(t, []string{"notify:/map/a.txt, second:/map/a.txt"}, h["X-Mappath"])

	_, body = getOK(t, srv.URL+"/remap/b/c.txt")
	assert.Equal(t, "physical=/srv/remapped/b/c.txt", body)
}

// TestCustomNotification: NotifyCustomNotification reaches every request module subscribed to
// RQ_CUSTOM_NOTIFICATION, and IHttpServer's reaches the global ones until one handles it.
func TestCustomNotification(t *testing.T) {
	so := hosttest.Build(t, "testdata/modules/notify.cpp")
	t.Run("all continue", func(t *testing.T) {
		srv := hosttest.Serve(t, hosttest.Instances(so, "notify", "second", "third")...)
		h, body := getOK(t, srv.URL+"/custom")
		assert.Equal(t, "hr=0x00000000 expected=0 global=0 globalcalls=3", body)
		assert.Equal(t, []string{"notify, second, third"}, h["X-Custom-Seen"])
	})
	t.Run("handled stops the global chain", func(t *testing.T) {
		srv := hosttest.Serve(t, hosttest.Instances(so, "notify", "second-handled", "third")...)
		_, body := getOK(t, srv.URL+"/custom")
		assert.Equal(t, "hr=0x00000000 expected=0 global=1 globalcalls=2", body)
	})
}
