package host_test

import (
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"

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
