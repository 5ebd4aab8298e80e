package host_test

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

func wireServeContext(t *testing.T) *hosttest.Server {
	t.Helper()
	return wireServe(t, "Context", "testdata/modules/context.cpp")
}

func TestContextStoredInBeginReadInEnd(t *testing.T) {
	srv := wireServeContext(t)
	c := newWireClient(t)
	tests := []struct {
		name, target string
		context      []string
	}{
		{"query", "/page?alpha=1&beta=2", []string{"alpha=1&beta=2"}},
		{"other query", "/page?gamma", []string{"gamma"}},
		// An empty context is still a context: the header is there, empty, not "missing".
		{"no query", "/page", []string{""}},
		// /ctx-count finishes in BEGIN; END still runs and finds the context.
		{"finished in BEGIN", "/ctx-count?probe=7", []string{"probe=7"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := c.get(t, srv.URL+tc.target)
			assert.Equal(t, tc.context, res.resp.Header.Values("X-Context"))
			assert.Equal(t, []string{"arena-ok"}, res.resp.Header.Values("X-Arena"))
		})
	}
}

// wireCtxCount asks the fixture for its cleanup counter. The /ctx-count request stores a
// context too, which is cleaned up after the count is taken.
func wireCtxCount(t *testing.T, c *wireClient, url string) int {
	t.Helper()
	res := c.get(t, url+"/ctx-count")
	require.Equal(t, http.StatusOK, res.resp.StatusCode, res.body)
	n, err := strconv.Atoi(res.body)
	require.NoError(t, err, "body %q", res.body)
	return n
}

// wireAwaitCleanups polls /ctx-count until every request sent before it has been cleaned up
// exactly once: before the first poll, `done` requests (counting the baseline /ctx-count)
// have finished since base was read. Each poll is itself one more request, so the k-th
// poll may see at most base+done+k; a value above that means a context was cleaned up
// twice (or for a request that never stored one) and fails at once.
func wireAwaitCleanups(t *testing.T, c *wireClient, url string, base, done int) {
	t.Helper()
	var polls, last int
	overshoot := false
	ok := assert.Eventually(t, func() bool {
		want := base + done + polls
		res, err := c.client.Get(url + "/ctx-count")
		if err != nil {
			return false
		}
		var n int
		_, scanErr := fmt.Fscan(res.Body, &n)
		res.Body.Close()
		if scanErr != nil {
			return false
		}
		polls++
		last = n
		if n > want {
			overshoot = true
			return true
		}
		return n == want
	}, 5*time.Second, 10*time.Millisecond)
	require.True(t, ok, "cleanups never reached base %d + %d requests (last count %d after %d polls)", base, done, last, polls)
	require.False(t, overshoot, "more cleanups than requests: count %d, at most %d expected after %d polls", last, base+done+polls-1, polls)
}

func TestContextCleanupOncePerRequest(t *testing.T) {
	srv := wireServeContext(t)
	c := newWireClient(t)
	base := wireCtxCount(t, c, srv.URL)
	const n = 7
	for i := range n {
		res := c.get(t, srv.URL+"/page?req="+strconv.Itoa(i))
		require.Equal(t, []string{"req=" + strconv.Itoa(i)}, res.resp.Header.Values("X-Context"))
	}
	// The baseline /ctx-count plus the n requests.
	wireAwaitCleanups(t, c, srv.URL, base, 1+n)
}

func TestContextConcurrentRequests(t *testing.T) {
	srv := wireServeContext(t)
	c := newWireClient(t)
	base := wireCtxCount(t, c, srv.URL)

	const requests, workers = 100, 8
	type outcome struct {
		query, context, arena string
		status                int
		err                   error
	}
	jobs := make(chan int)
	results := make(chan outcome, requests)
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: workers}}
	t.Cleanup(client.CloseIdleConnections)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				q := fmt.Sprintf("worker-request=%03d", i)
				resp, err := client.Get(srv.URL + "/page?" + q)
				if err != nil {
					results <- outcome{query: q, err: err}
					continue
				}
				resp.Body.Close()
				results <- outcome{query: q, status: resp.StatusCode,
					context: resp.Header.Get("X-Context"), arena: resp.Header.Get("X-Arena")}
			}
		})
	}
	for i := range requests {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(results)

	seen := 0
	for r := range results {
		seen++
		require.NoError(t, r.err, r.query)
		assert.Equal(t, r.query, r.context, "X-Context of %s", r.query)
		assert.Equal(t, "arena-ok", r.arena, r.query)
		assert.Equal(t, http.StatusNotFound, r.status, "the fixture leaves /page to the fallback")
	}
	require.Equal(t, requests, seen)
	wireAwaitCleanups(t, c, srv.URL, base, 1+requests)
}
