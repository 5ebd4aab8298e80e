package host_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

func asyncServer(t *testing.T, extra ...hosttest.Module) *hosttest.Server {
	mods := append([]hosttest.Module{{Name: "Async", Image: hosttest.Build(t, "testdata/modules/async.cpp")}}, extra...)
	return hosttest.Serve(t, mods...)
}

// TestPendingCompletion: a module that returns RQ_NOTIFICATION_PENDING is resumed by
// PostCompletion (through OnAsyncCompletion, with the completion's bytes and status) or by
// IndicateCompletion (with the given status and no reentry), from its own thread or before the
// notification even returned.
func TestPendingCompletion(t *testing.T) {
	srv := asyncServer(t)
	cases := []struct{ mode, body string }{
		{"post", "completed bytes=7 status=0x00000000 notification=0x1 post=0"},
		{"early", "completed bytes=3 status=0x00000000 notification=0x1 post=0"},
		{"indicate", "indicated"},
		{"twice", "rounds=2"},
	}
	for _, c := range cases {
		t.Run(c.mode, func(t *testing.T) {
			resp, err := http.Get(srv.URL + "/async?mode=" + c.mode)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, c.body, string(body))
			assert.Empty(t, resp.Header.Get("X-Reentered"))
		})
	}
}

// TestPendingThenContinue: after the completion the pipeline goes on from the module that went
// pending: the later modules of the same stage and every later stage still run.
func TestPendingThenContinue(t *testing.T) {
	srv := asyncServer(t, traceModules(t, "a")...)
	resp, err := http.Get(srv.URL + "/async?mode=continue")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "nothing answered, so the fallback did")
	assert.Equal(t, expectedTrace([]string{"a"}, []string{"a"}, []string{"a"}), headerItems(resp.Header, "X-Trace"))
}

// TestPendingHammer: many requests park at once and are completed from a module thread in random
// order; every one gets its own answer.
func TestPendingHammer(t *testing.T) {
	const n = 1000
	srv := asyncServer(t)
	tr := &http.Transport{MaxIdleConnsPerHost: n}
	t.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := client.Get(fmt.Sprintf("%s/async?mode=batch&size=%d&id=%d", srv.URL, n, i))
			if err != nil {
				errs <- err
				return
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if want := fmt.Sprintf("id=%d", i); string(body) != want {
				errs <- fmt.Errorf("request %d: got %q", i, body)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// osThreads reads this process's thread count.
func osThreads(t *testing.T) int {
	data, err := os.ReadFile("/proc/self/status")
	require.NoError(t, err)
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "Threads:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			require.NoError(t, err)
			return n
		}
	}
	t.Fatal("no Threads line in /proc/self/status")
	return 0
}

// asyncGetter returns a function that GETs /async?mode=<query> over up to conns connections
// and returns the body, or the error's text.
func asyncGetter(t *testing.T, srv *hosttest.Server, conns int) func(query string) string {
	tr := &http.Transport{MaxIdleConnsPerHost: conns}
	t.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr}
	return func(query string) string {
		resp, err := client.Get(srv.URL + "/async?mode=" + query)
		if err != nil {
			return err.Error()
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
}

// TestPendingHoldsNoThread: thousands of parked requests cost goroutines, not OS threads.
func TestPendingHoldsNoThread(t *testing.T) {
	const n = 2000
	srv := asyncServer(t)
	get := asyncGetter(t, srv, n)
	before := osThreads(t)
	results := make(chan string, n)
	for range n {
		go func() { results <- get("hold") }()
	}
	require.Eventually(t, func() bool { return get("count") == strconv.Itoa(n) }, 60*time.Second, 10*time.Millisecond)
	during := osThreads(t)
	t.Logf("OS threads: %d before, %d with %d requests parked", before, during, n)
	assert.Less(t, during-before, 40, "OS threads grew from %d to %d with %d requests parked", before, during, n)
	assert.Equal(t, "released="+strconv.Itoa(n), get("release"))
	for range n {
		assert.Equal(t, "held", <-results)
	}
}

// TestPendingReleasedInBulk: more parked requests than the host resumes in one batch are
// completed at once, from a module thread and from within another request's notification;
// each gets its own answer.
func TestPendingReleasedInBulk(t *testing.T) {
	const n = 600
	srv := asyncServer(t)
	get := asyncGetter(t, srv, n)
	for _, release := range []string{"release", "release&from=here"} {
		t.Run(release, func(t *testing.T) {
			results := make(chan string, n)
			for range n {
				go func() { results <- get("hold") }()
			}
			require.Eventually(t, func() bool { return get("count") == strconv.Itoa(n) }, 60*time.Second, 10*time.Millisecond)
			assert.Equal(t, "released="+strconv.Itoa(n), get(release))
			for range n {
				assert.Equal(t, "held", <-results)
			}
		})
	}
}

// TestPendingPoolWorker: completions from one long-lived worker thread, as real modules do it.
func TestPendingPoolWorker(t *testing.T) {
	srv := asyncServer(t)
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Get(srv.URL + "/async?mode=pool")
			if !assert.NoError(t, err) {
				return
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			assert.Equal(t, "pooled", string(body))
		}()
	}
	wg.Wait()
}
