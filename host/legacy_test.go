package host_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// TestLegacyModule runs a module written in the Windows style (UNICODE, TCHAR, strsafe, the
// secure CRT, Interlocked, a critical section, the event log), compiled without edits.
func TestLegacyModule(t *testing.T) {
	srv := hosttest.Serve(t, hosttest.Module{Name: "Legacy", Image: hosttest.Build(t, "testdata/modules/legacy.cpp")})
	for i, name := range []string{"ada", "grace"} {
		resp, err := http.Get(srv.URL + "/legacy?name=" + name)
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
		n := string(rune('1' + i))
		assert.Equal(t, "request "+n+"\nhello "+name+"\nhistory "+n+"\n", string(body))
		assert.Equal(t, "text/plain", resp.Header.Get("Content-Type"))
	}
	var events []string
	for _, l := range logLines(srv.Log.String()) {
		if strings.Contains(l, "source=LegacyModule") {
			events = append(events, l)
		}
	}
	assert.Equal(t, []string{
		`level=INFO msg="LegacyModule started" module=Legacy source=LegacyModule event_type=information event_id=100 category=0`,
		`level=WARN msg="served ada" module=Legacy source=LegacyModule event_type=warning event_id=200 category=0`,
		`level=WARN msg="served grace" module=Legacy source=LegacyModule event_type=warning event_id=200 category=0`,
	}, events)
}
