package host_test

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// globalLog points global.cpp's IISHOST_GLOBAL_LOG at a new file and returns a reader of its
// lines. t.Setenv rules out t.Parallel for the caller.
func globalLog(t *testing.T) func() []string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "global.log")
	t.Setenv("IISHOST_GLOBAL_LOG", path)
	return func() []string {
		data, err := os.ReadFile(path)
		if os.IsNotExist(err) {
			return nil
		}
		require.NoError(t, err)
		return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	}
}

func globalModules(t *testing.T, names ...string) []hosttest.Module {
	t.Helper()
	return hosttest.Instances(hosttest.Build(t, "testdata/modules/global.cpp"), names...)
}

// serveUntilClose serves like hosttest.Serve but hands the shutdown to the test, which must
// call the returned close function (each global.cpp write is synchronous, so the log is
// complete when it returns).
func serveUntilClose(t *testing.T, modules ...hosttest.Module) (*httptest.Server, func()) {
	t.Helper()
	srv, _, err := hosttest.Start(t, hosttest.Options{}, modules...)
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	closed := false
	stop := func() {
		if closed {
			return
		}
		closed = true
		ts.Close()
		require.NoError(t, srv.Close())
	}
	t.Cleanup(stop)
	return ts, stop
}

func TestGlobalNotifications(t *testing.T) {
	lines := globalLog(t)
	ts, stop := serveUntilClose(t, globalModules(t, "global-a", "global-b")...)

	assert.Equal(t, []string{"global-a ApplicationStart", "global-b ApplicationStart"}, lines())

	r := traceGet(t, ts.URL+"/some/path.txt?q=1", nil)
	assert.Equal(t, 404, r.status)
	r = traceGet(t, ts.URL+"/other", nil)
	assert.Equal(t, 404, r.status)

	stop()
	got := lines()
	require.Len(t, got, 12)
	assert.Equal(t, []string{
		"global-a ApplicationStart", "global-b ApplicationStart",
		"global-a PreBeginRequest /some/path.txt", "global-b PreBeginRequest /some/path.txt",
		"global-a PreBeginRequest /other", "global-b PreBeginRequest /other",
		"global-a StopListening", "global-b StopListening",
		"global-a ApplicationStop", "global-b ApplicationStop",
	}, got[:10])
	// Terminate is a release, not a notification: every module gets it, in no documented order.
	assert.ElementsMatch(t, []string{"global-a Terminate", "global-b Terminate"}, got[10:])
}

func TestGlobalHandledStopsTheChain(t *testing.T) {
	lines := globalLog(t)
	ts, stop := serveUntilClose(t, globalModules(t, "global-a", "global-b-handled", "global-c")...)

	r := traceGet(t, ts.URL+"/x", nil)
	// HANDLED only ends the chain for the event; the request goes on to the fallback.
	assert.Equal(t, 404, r.status)
	assert.Equal(t, notFoundBody, r.body)

	stop()
	got := lines()
	require.Len(t, got, 11)
	assert.Equal(t, []string{
		"global-a ApplicationStart", "global-b-handled ApplicationStart",
		"global-a PreBeginRequest /x", "global-b-handled PreBeginRequest /x",
		"global-a StopListening", "global-b-handled StopListening",
		"global-a ApplicationStop", "global-b-handled ApplicationStop",
	}, got[:8])
	assert.ElementsMatch(t, []string{"global-a Terminate", "global-b-handled Terminate", "global-c Terminate"}, got[8:])
}

func TestGlobalPreBeginRequestHandled(t *testing.T) {
	deny := hosttest.Build(t, "samples/denyprefix/deny_prefix.cpp")
	srv := hosttest.Serve(t, append([]hosttest.Module{{Name: "deny", Image: deny}}, traceModules(t, "t")...)...)
	full := expectedTrace([]string{"t"}, []string{"t"}, []string{"t"})
	const denied = "403 Forbidden: /private/ is not served here\n"

	tests := []struct {
		path        string
		status      int
		body        string
		contentType string
		trace       []string
	}{
		// Handled before the pipeline: like FINISH_REQUEST, only LOG, END and the send run.
		{"/private/report.txt", 403, denied, "text/plain", traceFrom(full, "LogRequest")},
		{"/PRIVATE/x", 403, denied, "text/plain", traceFrom(full, "LogRequest")},
		{"/private", 404, notFoundBody, "text/plain; charset=utf-8", full},
		{"/public/report.txt", 404, notFoundBody, "text/plain; charset=utf-8", full},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := traceGet(t, srv.URL+tt.path, nil)
			assert.Equal(t, tt.status, r.status)
			assert.Equal(t, tt.body, r.body)
			assert.Equal(t, tt.contentType, r.header.Get("Content-Type"))
			assert.Equal(t, tt.trace, r.trace)
		})
	}
}

// TestGlobalPriority: SetPriorityForGlobalNotification orders global modules before
// configuration order does.
func TestGlobalPriority(t *testing.T) {
	lines := globalLog(t)
	_, stop := serveUntilClose(t, globalModules(t, "g-a", "g-b-last", "g-c", "g-d-first")...)
	assert.Equal(t, []string{"g-d-first ApplicationStart", "g-a ApplicationStart", "g-c ApplicationStart",
		"g-b-last ApplicationStart"}, lines())
	stop()
}
