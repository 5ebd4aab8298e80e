package host_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

func eventsServer(t *testing.T, interval time.Duration, names ...string) *hosttest.Server {
	t.Helper()
	mods := hosttest.Instances(hosttest.Build(t, "testdata/modules/globalevents.cpp"), names...)
	return hosttest.ServeWith(t, hosttest.Options{HealthCheckInterval: interval}, mods...)
}

// eventLines drains globalevents.cpp's list, keeping the lines whose event is one of events.
func eventLines(t *testing.T, srv *hosttest.Server, events ...string) []string {
	t.Helper()
	_, body := getOK(t, srv.URL+"/events")
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		f := strings.Fields(l)
		for _, e := range events {
			if len(f) > 1 && f[1] == e {
				out = append(out, l)
			}
		}
	}
	return out
}

// TestGlobalChangeNotifications: configuration and file changes and health checks, raised by a
// module through IHttpServer and by Go through host.Server, reach subscribers in order with
// their provider's data; HANDLED ends the chain and is reported to Go.
func TestGlobalChangeNotifications(t *testing.T) {
	srv := eventsServer(t, -1, "ev-a", "ev-b-handled", "ev-c")

	_, body := getOK(t, srv.URL+"/config?path=MACHINE/WEBROOT/APPHOST/Default")
	assert.Equal(t, "done", body)
	_, body = getOK(t, srv.URL+"/file?path=/site/web.config")
	assert.Equal(t, "done", body)
	assert.True(t, srv.Host.NotifyConfigurationChange("MACHINE/WEBROOT/APPHOST"))
	assert.True(t, srv.Host.NotifyFileChange("/site/data.txt"))
	assert.True(t, srv.Host.HealthCheck())

	assert.Equal(t, []string{
		"ev-a ConfigurationChange MACHINE/WEBROOT/APPHOST/Default",
		"ev-b-handled ConfigurationChange MACHINE/WEBROOT/APPHOST/Default",
		"ev-a FileChange /site/web.config monitor=null",
		"ev-b-handled FileChange /site/web.config monitor=null",
		"ev-a ConfigurationChange MACHINE/WEBROOT/APPHOST",
		"ev-b-handled ConfigurationChange MACHINE/WEBROOT/APPHOST",
		"ev-a FileChange /site/data.txt monitor=null",
		"ev-b-handled FileChange /site/data.txt monitor=null",
		"ev-a HealthCheck",
		"ev-b-handled HealthCheck",
	}, eventLines(t, srv, "ConfigurationChange", "FileChange", "HealthCheck"))
}

// TestGlobalNotificationsNotHandled: with no HANDLED answer every subscriber runs and Go hears
// false; after Close nothing is raised.
func TestGlobalNotificationsNotHandled(t *testing.T) {
	srv := eventsServer(t, -1, "ev-a", "ev-b")
	assert.False(t, srv.Host.NotifyConfigurationChange("p"))
	assert.False(t, srv.Host.HealthCheck())
	assert.Equal(t, []string{"ev-a ConfigurationChange p", "ev-b ConfigurationChange p", "ev-a HealthCheck", "ev-b HealthCheck"},
		eventLines(t, srv, "ConfigurationChange", "HealthCheck"))
	srv.Close()
	require.NoError(t, srv.Host.Close())
	assert.False(t, srv.Host.HealthCheck())
	assert.False(t, srv.Host.NotifyFileChange("x"))
}

// TestGlobalThreadCleanup: once the host is done with a request, GL_THREAD_CLEANUP runs on the
// thread that released it (the module object disposed there is that request's).
func TestGlobalThreadCleanup(t *testing.T) {
	srv := eventsServer(t, -1, "ev-a")
	_, body := getOK(t, srv.URL+"/first")
	require.Equal(t, "ok", body)
	var seen []string
	require.Eventually(t, func() bool { // hang guard: the event follows the response
		seen = append(seen, eventLines(t, srv, "ThreadCleanup")...)
		for _, l := range seen {
			if l == "ev-a ThreadCleanup app=/LM/W3SVC/1/ROOT disposed=/first" {
				return true
			}
		}
		return false
	}, 10*time.Second, 5*time.Millisecond)
}

// TestGlobalHealthCheckTimer: the host raises GL_HEALTH_CHECK by itself at the configured
// interval.
func TestGlobalHealthCheckTimer(t *testing.T) {
	srv := eventsServer(t, 5*time.Millisecond, "ev-a")
	require.Eventually(t, func() bool { // hang guard only
		return len(eventLines(t, srv, "HealthCheck")) > 0
	}, 10*time.Second, 5*time.Millisecond)
}

// TestFileChangeMonitor: a directory a module monitors is polled; a file that appears or
// changes there raises GL_FILE_CHANGE with its path and the module's monitor, whose context
// container is cleaned up when the module releases it.
func TestFileChangeMonitor(t *testing.T) {
	mods := hosttest.Instances(hosttest.Build(t, "testdata/modules/globalevents.cpp"), "ev-a")
	srv := hosttest.ServeWith(t, hosttest.Options{HealthCheckInterval: -1, FileMonitorInterval: 5 * time.Millisecond}, mods...)
	dir := t.TempDir()
	file := filepath.Join(dir, "data.txt")
	notDir := filepath.Join(t.TempDir(), "plain.txt")
	require.NoError(t, os.WriteFile(notDir, nil, 0o644))

	tests := []struct{ name, dir, body string }{
		{"missing directory", filepath.Join(dir, "nope"), "0x80070003"},
		{"a file is not a directory", notDir, "0x8007010B"},
		{"directory", dir, "0x00000000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, body := getOK(t, srv.URL+"/monitor?path="+tt.dir)
			assert.Equal(t, tt.body, body)
		})
	}

	want := "ev-a FileChange " + file + " monitor=ours"
	content := ""
	require.Eventually(t, func() bool { // hang guard: growing the file until a poll sees it change
		content += "x"
		require.NoError(t, os.WriteFile(file, []byte(content), 0o644))
		for _, l := range eventLines(t, srv, "FileChange") {
			if l == want {
				return true
			}
		}
		return false
	}, 10*time.Second, 10*time.Millisecond)

	_, body := getOK(t, srv.URL+"/unmonitor")
	require.Equal(t, "released", body)
	_, body = getOK(t, srv.URL+"/events")
	assert.Contains(t, strings.Split(body, "\n"), "monitor context cleanup")
}
