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

func win32AsyncServer(t *testing.T) *hosttest.Server {
	return hosttest.Serve(t, hosttest.Module{Name: "Win32Async", Image: hosttest.Build(t, "testdata/modules/win32async.cpp")})
}

// getBody fetches url with client and returns the status and body, or an error.
func getBody(client *http.Client, url string) (int, string, error) {
	resp, err := client.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

// win32AsyncWant is the answer of mode for request id (testdata/modules/win32async.cpp).
func win32AsyncWant(mode string, id int) string {
	switch mode {
	case "thread":
		return fmt.Sprintf("thread id=%d code=%d", id, 1000+id)
	case "periodic":
		return fmt.Sprintf("ticks=3 id=%d", id)
	default:
		return fmt.Sprintf("%s id=%d", mode, id)
	}
}

var win32AsyncModes = []string{"thread", "pool", "timer", "periodic", "worker", "both"}

// TestWin32AsyncModes: a module written with Win32 kernel objects (CreateThread and an event,
// QueueUserWorkItem, one-shot and periodic timer-queue timers, _beginthreadex with a semaphore
// and a mutex, WaitForMultipleObjects) goes pending and completes each request from those threads.
func TestWin32AsyncModes(t *testing.T) {
	srv := win32AsyncServer(t)
	for _, mode := range win32AsyncModes {
		t.Run(mode, func(t *testing.T) {
			status, body, err := getBody(http.DefaultClient, fmt.Sprintf("%s/w32?mode=%s&id=7", srv.URL, mode))
			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, status)
			assert.Equal(t, win32AsyncWant(mode, 7), body)
		})
	}
	status, body, err := getBody(http.DefaultClient, srv.URL+"/w32?mode=total")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "total=7", body, "the one worker request added its id under the mutex")
}

// TestWin32AsyncHammer: many concurrent requests of every mode, each completed from the module's
// own threads, timers and work items; every one gets its own answer, and the workers' total
// (kept under a Win32 mutex, with a semaphore limiting them to 4 at once) counts each worker once.
func TestWin32AsyncHammer(t *testing.T) {
	const perMode = 60
	srv := win32AsyncServer(t)
	tr := &http.Transport{MaxIdleConnsPerHost: perMode * len(win32AsyncModes)}
	t.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr}
	var wg sync.WaitGroup
	errs := make(chan error, perMode*len(win32AsyncModes))
	for _, mode := range win32AsyncModes {
		for id := range perMode {
			wg.Add(1)
			go func() {
				defer wg.Done()
				status, body, err := getBody(client, fmt.Sprintf("%s/w32?mode=%s&id=%d", srv.URL, mode, id))
				if err != nil {
					errs <- err
				} else if want := win32AsyncWant(mode, id); status != http.StatusOK || body != want {
					errs <- fmt.Errorf("%s %d: got %d %q, want %q", mode, id, status, body, want)
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	_, body, err := getBody(client, srv.URL+"/w32?mode=total")
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprintf("total=%d", perMode*(perMode-1)/2), body)
}
