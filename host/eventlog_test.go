package host_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// logLines returns the host's log records without their time stamps.
func logLines(log string) []string {
	stamp := regexp.MustCompile(`^time=\S+ `)
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(log), "\n") {
		out = append(out, stamp.ReplaceAllString(l, ""))
	}
	return out
}

// TestEventLog checks that ReportEvent (narrow and wide) and OutputDebugString become host log
// records with the module, source, type, id, category and strings, from RegisterModule through
// Terminate.
func TestEventLog(t *testing.T) {
	so := hosttest.Build(t, "testdata/modules/eventlog.cpp")
	srv, log, err := hosttest.Start(t, hosttest.Options{}, hosttest.Module{Name: "Events", Image: so})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	resp, err := http.Get(ts.URL + "/some/path")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, "logged", string(body))
	ts.Close()
	require.NoError(t, srv.Close())

	var events []string
	for _, l := range logLines(log.String()) {
		if strings.Contains(l, "source=EventLogFixture") || strings.Contains(l, "source=OutputDebugString") {
			events = append(events, l)
		}
	}
	assert.Equal(t, []string{
		`level=INFO msg="registered 10" module=Events source=EventLogFixture event_type=information event_id=1000 category=0`,
		`level=WARN msg="request /some/path" module=Events source=EventLogFixture event_type=warning event_id=2001 category=2 data_bytes=4`,
		`level=ERROR msg="wide ✓" module=Events source=EventLogFixture event_type=error event_id=3001 category=3`,
		`level=INFO msg="debug line" module=Events source=OutputDebugString`,
		`level=INFO msg=terminated module=Events source=EventLogFixture event_type=information event_id=1001 category=0`,
	}, events)
}
