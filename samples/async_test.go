package samples_test

import (
	"bufio"
	"context"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

func post(t *testing.T, url, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "text/plain", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func TestAsync(t *testing.T) {
	sampleEnv(t)
	srv := hosttest.Serve(t, sample(t, "async"))
	t.Run("checksum", func(t *testing.T) {
		for _, size := range []int{0, 1, 16384, 100_000} {
			body := strings.Repeat("iishost!", size/8+1)[:size]
			status, got := post(t, srv.URL+"/checksum", body)
			assert.Equal(t, http.StatusOK, status)
			assert.Equal(t, fmt.Sprintf("bytes=%d crc32=%08x\n", size, crc32.ChecksumIEEE([]byte(body))), got)
		}
	})
	t.Run("delay", func(t *testing.T) {
		// Many at once, completed by the module's one timer thread in its own order.
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ms := (i * 7) % 40
				got := do(t, srv.URL, request{path: fmt.Sprintf("/delay?ms=%d", ms)})
				assert.Equal(t, http.StatusOK, got.status)
				assert.Equal(t, fmt.Sprintf("waited %d ms\n", ms), got.body)
			}()
		}
		wg.Wait()
	})
	check{"delay out of range", request{path: "/delay?ms=20000"}, 400, nil, "ms must be 0..10000\n"}.run(t, srv.URL)
	check{"other paths continue", request{path: "/other"}, 404, nil, notFound}.run(t, srv.URL)
}

func TestCombo(t *testing.T) {
	sampleEnv(t)
	root := siteWith(t, map[string]string{"a.css": "a{}\n", "b.css": "b{}\n", "c.txt": "c\n", "big/d.css": "d{}\n"})
	// Async comes first so that a part of the combo can itself be asynchronous (/delay), and
	// BigFile answers /big/ from a file handle chunk, which the child hands to the parent.
	bigFile := hosttest.Module{Name: "BigFile", Image: hosttest.Build(t, "samples/bigfile/big_file.cpp")}
	srv := hosttest.ServeWith(t, hosttest.Options{Root: root}, sample(t, "async"), bigFile, sample(t, "combo"))
	css := map[string]string{"Content-Type": "text/css; charset=utf-8"}
	for _, c := range []check{
		{"two files", request{path: "/combo?/a.css&/b.css"}, 200, css, "a{}\nb{}\n"},
		{"first part's type", request{path: "/combo?/c.txt&/a.css"}, 200, map[string]string{"Content-Type": "text/plain; charset=utf-8"}, "c\na{}\n"},
		{"asynchronous part", request{path: "/combo?/a.css&/delay?ms=5&/b.css"}, 200, css, "a{}\nwaited 5 ms\nb{}\n"},
		// BigFile's own Content-Type shows the part came from its file handle chunk, not from
		// the static files, which would have served the same bytes as text/css.
		{"file handle part", request{path: "/combo?/big/d.css&/a.css"}, 200,
			map[string]string{"Content-Type": "application/octet-stream"}, "d{}\na{}\n"},
		{"missing part", request{path: "/combo?/a.css&/none.css"}, 404, map[string]string{"Content-Type": textPlain}, "combo: /none.css answered 404\n"},
		{"no parts", request{path: "/combo"}, 400, nil, "combo: give 1 to 16 site paths after '?'\n"},
		{"not a site path", request{path: "/combo?a.css"}, 400, nil, "combo: parts are site paths: a.css\n"},
	} {
		c.run(t, srv.URL)
	}
}

// sseStream reads events from a subscription.
type sseStream struct {
	resp *http.Response
	r    *bufio.Reader
}

func subscribe(t *testing.T, url string) *sseStream {
	t.Helper()
	client := &http.Client{Timeout: time.Minute} // a hang guard only: events must come long before
	resp, err := client.Get(url + "/events")
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	return &sseStream{resp: resp, r: bufio.NewReader(resp.Body)}
}

// next reads one block (up to the blank line that ends it).
func (s *sseStream) next(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for {
		line, err := s.r.ReadString('\n')
		require.NoError(t, err, "stream ended after %q", b.String())
		if line == "\n" {
			return b.String()
		}
		b.WriteString(line)
	}
}

// TestSSE: each published event reaches every subscriber while the stream is still open: the
// test reads it before publishing the next, so an event held back until the end would hang
// (and fail) the test instead of passing it.
func TestSSE(t *testing.T) {
	sampleEnv(t)
	srv := hosttest.Serve(t, sample(t, "sse"))
	a, b := subscribe(t, srv.URL), subscribe(t, srv.URL)
	assert.Equal(t, ": subscribed\n", a.next(t))
	assert.Equal(t, ": subscribed\n", b.next(t))
	for i, msg := range []string{"hello", "two\nlines", "third"} {
		_, got := post(t, srv.URL+"/publish", msg)
		assert.Equal(t, "delivered=2\n", got, "event %d", i)
		want := "data: " + strings.ReplaceAll(msg, "\n", "\ndata: ") + "\n"
		assert.Equal(t, want, a.next(t))
		assert.Equal(t, want, b.next(t))
	}
	// A subscriber that leaves is dropped (its request ends); the other still gets every event.
	b.resp.Body.Close()
	pings := 0
	require.Eventually(t, func() bool {
		_, got := post(t, srv.URL+"/publish", "ping")
		pings++
		return got == "delivered=1\n"
	}, 10*time.Second, 20*time.Millisecond)
	for range pings {
		assert.Equal(t, "data: ping\n", a.next(t))
	}
	_, got := post(t, srv.URL+"/publish?close", "last")
	assert.Equal(t, "delivered=1\n", got)
	assert.Equal(t, "data: last\n", a.next(t))
	rest, err := io.ReadAll(a.r)
	require.NoError(t, err)
	assert.Equal(t, "event: close\ndata: bye\n\n", string(rest), "then the stream ends")
}

// TestSSEShutdown: stopping the server ends open streams (GL_STOP_LISTENING), so the shutdown
// does not wait on them.
func TestSSEShutdown(t *testing.T) {
	sampleEnv(t)
	srv, _, err := hosttest.Start(t, hosttest.Options{}, sample(t, "sse"))
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	defer ts.Close()
	stream := subscribe(t, ts.URL)
	assert.Equal(t, ": subscribed\n", stream.next(t))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, srv.Shutdown(ctx))
	rest, err := io.ReadAll(stream.r)
	require.NoError(t, err)
	assert.Equal(t, "event: close\ndata: server stopping\n\n", string(rest))
}
