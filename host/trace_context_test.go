package host_test

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

func traceCtxServer(t *testing.T, names ...string) *hosttest.Server {
	t.Helper()
	return hosttest.Serve(t, hosttest.Instances(hosttest.Build(t, "testdata/modules/tracectx.cpp"), names...)...)
}

// TestTraceConfiguration: subscriptions set by modules (at registration through the server's
// trace context, or later through a request's) are what providers read back, server-wide.
func TestTraceConfiguration(t *testing.T) {
	srv := traceCtxServer(t, "trace-a", "trace-b-sub")
	steps := []struct{ name, path, body string }{
		{"registered at RegisterModule", "/get", "0x00000000 enabled=1 areas=2 verbosity=4"},
		{"same from the server context", "/get?scope=server", "0x00000000 enabled=1 areas=2 verbosity=4"},
		{"provider nobody listens to", "/get?provider=www", "0x00000000 enabled=0 areas=0 verbosity=0"},
		{"NULL provider on get", "/getnull", "0x80070057"},
		{"NULL provider on set", "/setnull?enabled=1", "0x80070057"},
		{"disabling what was never enabled", "/set?enabled=0", "0x80070490"},
		{"a second subscriber widens the union", "/set?enabled=1&areas=5&verbosity=5", "0x00000000"},
		{"union", "/get", "0x00000000 enabled=1 areas=7 verbosity=5"},
		{"unsubscribe", "/set?enabled=0&scope=server", "0x00000000"},
		{"back to one", "/get", "0x00000000 enabled=1 areas=2 verbosity=4"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			_, body := getOK(t, srv.URL+s.path)
			assert.Equal(t, s.body, body)
		})
	}
}

// TestTraceEvents: a raised event reaches every GL_TRACE_EVENT subscriber in order (until one
// answers HANDLED), with CheckSubscription telling each whether its subscription matches, and
// lands in the host log as a Debug record with its fields.
func TestTraceEvents(t *testing.T) {
	srv := traceCtxServer(t, "trace-a-sub", "trace-b", "trace-c-sub-handled", "trace-d-sub")
	tests := []struct{ name, path, body string }{
		{"matching area and verbosity", "/raise?area=2&verbosity=4",
			"0x00000000\ntrace-a-sub FixtureEvent sub=1 ctx=/raise\ntrace-b FixtureEvent sub=0 ctx=/raise\ntrace-c-sub-handled FixtureEvent sub=1 ctx=/raise\n"},
		{"other area", "/raise?area=1&verbosity=4",
			"0x00000000\ntrace-a-sub FixtureEvent sub=0 ctx=/raise\ntrace-b FixtureEvent sub=0 ctx=/raise\ntrace-c-sub-handled FixtureEvent sub=0 ctx=/raise\n"},
		{"too verbose", "/raise?area=2&verbosity=5",
			"0x00000000\ntrace-a-sub FixtureEvent sub=0 ctx=/raise\ntrace-b FixtureEvent sub=0 ctx=/raise\ntrace-c-sub-handled FixtureEvent sub=0 ctx=/raise\n"},
		{"from the server context: no request", "/raise?area=2&verbosity=4&scope=server",
			"0x00000000\ntrace-a-sub FixtureEvent sub=1 ctx=none\ntrace-b FixtureEvent sub=0 ctx=none\ntrace-c-sub-handled FixtureEvent sub=1 ctx=none\n"},
		{"NULL event", "/raisenull", "0x80070057"},
		{"QuickTrace", "/quick?level=4",
			"0x00000000\ntrace-a-sub QuickTrace sub=0 ctx=/quick\ntrace-b QuickTrace sub=0 ctx=/quick\ntrace-c-sub-handled QuickTrace sub=0 ctx=/quick\n"},
		{"QuickTrace level out of range", "/quick?level=9", "0x80070057\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, body := getOK(t, srv.URL+tt.path)
			assert.Equal(t, tt.body, body)
		})
	}
	log := srv.Log.String()
	assert.Regexp(t, `level=DEBUG msg="trace event" module=trace-a-sub provider=11111111-2222-3333-4444-555555555555 event=FixtureEvent event_id=7 area=2 verbosity=4 activity=[0-9A-F-]{36} Count=42 Name=hello Flag=true Big=1099511627776 Id=11111111-2222-3333-4444-555555555555\n`, log)
	// Outside a request there is no activity id, nor a current module.
	assert.Contains(t, log, `level=DEBUG msg="trace event" provider=11111111-2222-3333-4444-555555555555 event=FixtureEvent event_id=7 area=2 verbosity=4 Count=42`)
	assert.Regexp(t, `level=DEBUG msg="trace event" module=trace-a-sub provider=3A2A4E84-4C21-4981-AE10-3FDA0D9B0F83 event=QuickTrace event_id=0 area=0 verbosity=4 activity=[0-9A-F-]{36} Data1=first Data2=second ErrorCode=2147500037\n`, log)
}

// TestTraceActivityID: a request has one activity id, asked for any number of times; the next
// request has another; the server's context has none.
func TestTraceActivityID(t *testing.T) {
	srv := traceCtxServer(t, "trace-a")
	guid := `[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}`
	shape := regexp.MustCompile(`^(` + guid + `)\|(` + guid + `)\|NULL$`)
	_, first := getOK(t, srv.URL+"/activity")
	_, second := getOK(t, srv.URL+"/activity")
	m1, m2 := shape.FindStringSubmatch(first), shape.FindStringSubmatch(second)
	require.NotNil(t, m1, first)
	require.NotNil(t, m2, second)
	assert.Equal(t, m1[1], m1[2], "stable within a request")
	assert.NotEqual(t, m1[1], m2[1], "new per request")
}
