package host_test

import (
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

func responseServer(t *testing.T) *hosttest.Server {
	return hosttest.Serve(t, responseServerModules(t)...)
}

func getStatus(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestStatusInFlightParked: a request parked after its module returned PENDING is listed in
// flight in the module and notification that went pending, until its completion ends it.
func TestStatusInFlightParked(t *testing.T) {
	srv := asyncServer(t)
	done := make(chan int, 1)
	go func() { done <- getStatus(t, srv.URL+"/async?mode=hold&who=parked") }()
	require.Eventually(t, func() bool { return srv.Host.Status().Parked == 1 }, 10*time.Second, 5*time.Millisecond)

	st := srv.Host.Status()
	require.Len(t, st.InFlight, 1)
	r := st.InFlight[0]
	assert.Equal(t, "/async?mode=hold&who=parked", r.URL)
	assert.Equal(t, "GET", r.Method)
	assert.Equal(t, "Async", r.Module)
	assert.Equal(t, "BeginRequest", r.Notification)
	assert.True(t, r.Parked)
	assert.Equal(t, 1, st.InFlightTotal)
	assert.False(t, r.Started.IsZero())

	assert.Equal(t, http.StatusOK, getStatus(t, srv.URL+"/async?mode=release"))
	assert.Equal(t, http.StatusOK, <-done)
	require.Eventually(t, func() bool { return srv.Host.Status().InFlightTotal == 0 }, 10*time.Second, 5*time.Millisecond)
	assert.Zero(t, srv.Host.Status().Parked)
}

// TestStatusInFlightBounded: Status lists at most StatusInFlight requests but counts them all.
func TestStatusInFlightBounded(t *testing.T) {
	srv := hosttest.ServeWith(t, hosttest.Options{StatusInFlight: 3},
		hosttest.Module{Name: "Async", Image: hosttest.Build(t, "testdata/modules/async.cpp")})
	const n = 8
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			getStatus(t, fmt.Sprintf("%s/async?mode=hold&i=%d", srv.URL, i))
		}()
	}
	require.Eventually(t, func() bool { return srv.Host.Status().Parked == n }, 10*time.Second, 5*time.Millisecond)
	st := srv.Host.Status()
	assert.Len(t, st.InFlight, 3)
	assert.Equal(t, n, st.InFlightTotal)
	getStatus(t, srv.URL+"/async?mode=release")
	wg.Wait()
}

// TestStatusFailures: requests that end with 400 or more are kept newest first, with their
// substatus and URL as sent, at most RecentFailures of them; successes are not kept.
func TestStatusFailures(t *testing.T) {
	srv := hosttest.ServeWith(t, hosttest.Options{RecentFailures: 5}, responseServerModules(t)...)
	assert.Equal(t, http.StatusOK, getStatus(t, srv.URL+"/status?code=200"))
	for i := range 8 {
		assert.Equal(t, 418, getStatus(t, fmt.Sprintf("%s/status?code=418&sub=3&n=%d", srv.URL, i)))
	}
	st := srv.Host.Status()
	require.Len(t, st.Failures, 5)
	for i, f := range st.Failures {
		assert.Equal(t, fmt.Sprintf("/status?code=418&sub=3&n=%d", 7-i), f.URL)
		assert.Equal(t, 418, f.Status)
		assert.Equal(t, 3, f.Substatus)
		assert.Equal(t, "GET", f.Method)
		assert.Equal(t, "Default Web Site", f.Site)
	}
	assert.Empty(t, st.Failures[0].TracePath, "not traced")
	require.Len(t, st.Sites, 1)
	assert.Equal(t, int64(9), st.Sites[0].Requests)
	assert.Equal(t, int64(8), st.Sites[0].Failed)
}

// TestStatusModules: each module is listed with its subscriptions and, per notification, the
// calls it took.
func TestStatusModules(t *testing.T) {
	srv := responseServer(t)
	for range 4 {
		getStatus(t, srv.URL+"/status?code=200")
	}
	st := srv.Host.Status()
	require.Len(t, st.Modules, 1)
	m := st.Modules[0]
	assert.Equal(t, "Response", m.Name)
	assert.Equal(t, []string{"BeginRequest", "ExecuteRequestHandler"}, m.Notifications)
	calls := map[string]uint64{}
	for _, c := range m.Calls {
		calls[c.Notification] = c.Calls
		assert.Positive(t, c.Time, c.Notification)
	}
	assert.Equal(t, map[string]uint64{"BeginRequest": 4, "ExecuteRequestHandler": 4}, calls)
}

func responseServerModules(t *testing.T) []hosttest.Module {
	return []hosttest.Module{{Name: "Response", Image: hosttest.Build(t, "testdata/modules/response.cpp")}}
}

// TestStatusGlobalCalls: a global module's notifications are timed too, under their own names.
func TestStatusGlobalCalls(t *testing.T) {
	srv := hosttest.Serve(t, hosttest.Instances(hosttest.Build(t, "testdata/modules/global.cpp"), "global-a")...)
	for range 3 {
		getStatus(t, srv.URL+"/anything")
	}
	st := srv.Host.Status()
	require.Len(t, st.Modules, 1)
	calls := map[string]uint64{}
	for _, c := range st.Modules[0].Calls {
		calls[c.Notification] = c.Calls
	}
	assert.Equal(t, map[string]uint64{"GlobalApplicationStart": 1, "GlobalPreBeginRequest": 3}, calls)
}

// TestStatusFailureTracePath: a failure that failed-request tracing wrote a trace for links to
// its file; one no rule caught has no link.
func TestStatusFailureTracePath(t *testing.T) {
	dir := t.TempDir()
	srv := frebServe(t, frebConfig(t, dir, "", frebRules("*", `statusCodes="500"`)))
	replies := frebGet(t, srv, "/missing", "/broken")
	assert.Equal(t, []int{404, 500}, []int{replies[0].status, replies[1].status})
	require.Len(t, srv.Host.RecentTraces(), 1) // waits for the writer
	st := srv.Host.Status()
	require.Len(t, st.Failures, 2)
	assert.Equal(t, "/broken", st.Failures[0].URL)
	assert.Equal(t, filepath.Join(dir, "W3SVC1", "fr000001.html"), st.Failures[0].TracePath)
	assert.Equal(t, "/missing", st.Failures[1].URL)
	assert.Empty(t, st.Failures[1].TracePath)
}
