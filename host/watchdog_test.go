package host_test

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// recordLog is a slog.Handler that keeps every record, so tests can look at attributes.
type recordLog struct {
	mu      sync.Mutex
	records []slog.Record
}

func (l *recordLog) Enabled(context.Context, slog.Level) bool { return true }

func (l *recordLog) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records = append(l.records, r.Clone())
	return nil
}

func (l *recordLog) WithAttrs([]slog.Attr) slog.Handler { return l } // the host adds none
func (l *recordLog) WithGroup(string) slog.Handler      { return l }

// logged is one record: its level and its attributes as text.
type logged struct {
	level slog.Level
	attrs map[string]string
}

// find returns the records with message msg.
func (l *recordLog) find(msg string) []logged {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []logged
	for _, r := range l.records {
		if r.Message != msg {
			continue
		}
		rec := logged{level: r.Level, attrs: map[string]string{}}
		r.Attrs(func(a slog.Attr) bool {
			rec.attrs[a.Key] = a.Value.String()
			return true
		})
		out = append(out, rec)
	}
	return out
}

// TestWatchdogSlowNotification: a notification running past SlowNotificationAfter is logged as
// a warning naming the module, notification and URL, again while it lasts, and once with its
// duration when it returns.
func TestWatchdogSlowNotification(t *testing.T) {
	const limit = 200 * time.Millisecond
	log := &recordLog{}
	srv := hosttest.ServeWith(t, hosttest.Options{SlowNotificationAfter: limit, LogHandler: log},
		hosttest.Module{Name: "Slow", Image: hosttest.Build(t, "testdata/modules/slow.cpp")})
	get := func(path string) (int, string) {
		req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		require.NoError(t, err)
		return roundTrip(t, req)
	}
	done := make(chan string, 1)
	go func() {
		_, body := get("/slow/wait?id=7")
		done <- body
	}()
	// At least two reports: the first at the limit, the next after one more.
	require.Eventually(t, func() bool { return len(log.find("notification still running")) >= 2 },
		20*time.Second, 10*time.Millisecond)
	running := log.find("notification still running")
	for _, r := range running[:2] {
		assert.Equal(t, slog.LevelWarn, r.level)
		assert.Equal(t, "Slow", r.attrs["module"])
		assert.Equal(t, "ExecuteRequestHandler", r.attrs["notification"])
		assert.Equal(t, "/slow/wait?id=7", r.attrs["url"])
	}
	first, err := time.ParseDuration(running[0].attrs["running"])
	require.NoError(t, err)
	assert.GreaterOrEqual(t, first, limit, "reported only once past the limit")
	second, err := time.ParseDuration(running[1].attrs["running"])
	require.NoError(t, err)
	assert.Empty(t, log.find("notification returned after running long"))

	_, body := get("/slow/release")
	require.Equal(t, "ok", body)
	require.Equal(t, "released", <-done)
	require.Eventually(t, func() bool { return len(log.find("notification returned after running long")) == 1 },
		20*time.Second, 10*time.Millisecond)
	returned := log.find("notification returned after running long")[0]
	assert.Equal(t, slog.LevelWarn, returned.level)
	assert.Equal(t, "Slow", returned.attrs["module"])
	assert.Equal(t, "ExecuteRequestHandler", returned.attrs["notification"])
	assert.Equal(t, "/slow/wait?id=7", returned.attrs["url"])
	took, err := time.ParseDuration(returned.attrs["took"])
	require.NoError(t, err)
	assert.GreaterOrEqual(t, took, second, "the same clock, read later")
}
