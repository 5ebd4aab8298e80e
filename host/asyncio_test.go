package host_test

import (
	"bufio"
	"bytes"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

func asyncIOServer(t *testing.T, opts hosttest.Options, extra ...hosttest.Module) *hosttest.Server {
	mods := append(extra, hosttest.Module{Name: "AsyncIO", Image: hosttest.Build(t, "testdata/modules/asyncio.cpp")})
	return hosttest.ServeWith(t, opts, mods...)
}

func roundTrip(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

// slowReader hands out its data a few bytes at a time with pauses, so the host's reads wait on
// the client.
type slowReader struct {
	data []byte
	step int
}

func (s *slowReader) Read(p []byte) (int, error) {
	if len(s.data) == 0 {
		return 0, io.EOF
	}
	time.Sleep(time.Millisecond)
	n := min(len(p), s.step, len(s.data))
	copy(p, s.data[:n])
	s.data = s.data[n:]
	return n, nil
}

// TestAsyncRead: ReadEntityBody with fAsync completes through OnAsyncCompletion with the byte
// count, until ERROR_HANDLE_EOF, for bodies sent at once, chunked, and trickled.
func TestAsyncRead(t *testing.T) {
	srv := asyncIOServer(t, hosttest.Options{})
	body := make([]byte, 100_000)
	for i := range body {
		body[i] = byte(rand.IntN(256))
	}
	h := fnv.New32a()
	h.Write(body)
	wantFNV := fmt.Sprintf("%08x", h.Sum32())
	cases := []struct {
		name   string
		reader func() io.Reader
		length int64
	}{
		{"content-length", func() io.Reader { return bytes.NewReader(body) }, int64(len(body))},
		{"chunked", func() io.Reader { return io.MultiReader(bytes.NewReader(body)) }, -1},
		{"trickled", func() io.Reader { return &slowReader{data: body, step: 7919} }, int64(len(body))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/io/read?chunk=1000", c.reader())
			require.NoError(t, err)
			req.ContentLength = c.length
			status, got := roundTrip(t, req)
			assert.Equal(t, http.StatusOK, status)
			// 100 full reads, then the one that finds the end.
			assert.Equal(t, "read=100000 rounds=101 eof=0x80070026 fnv="+wantFNV, got)
		})
	}
	t.Run("empty body", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/io/read", strings.NewReader(""))
		require.NoError(t, err)
		_, got := roundTrip(t, req)
		assert.Equal(t, "read=0 rounds=1 eof=0x80070026 fnv=811c9dc5", got)
	})
}

// TestAsyncCallbacks: the overloads that take a PFN_ASYNC_COMPLETION complete through it, not
// through OnAsyncCompletion.
func TestAsyncCallbacks(t *testing.T) {
	srv := asyncIOServer(t, hosttest.Options{})
	body := strings.Repeat("0123456789", 250)
	h := fnv.New32a()
	h.Write([]byte(body))
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/io/cbread?chunk=1000", strings.NewReader(body))
	_, got := roundTrip(t, req)
	// 2500 bytes in 1000-byte reads: two full, one short that finds the end, then EOF.
	assert.Equal(t, fmt.Sprintf("cb read=2500 calls=4 fnv=%08x", h.Sum32()), got)
	req, _ = http.NewRequest(http.MethodGet, srv.URL+"/io/cbwrite", nil)
	_, got = roundTrip(t, req)
	assert.Equal(t, "onetwo|cb bytes=3,0", got, "the write sent 3 bytes; the flush found them sent already")
}

// TestAsyncWriteAndFlush: unbuffered WriteEntityChunks and Flush with fAsync complete through
// OnAsyncCompletion with the bytes sent; a buffered async write completes with its bytes too.
func TestAsyncWriteAndFlush(t *testing.T) {
	srv := asyncIOServer(t, hosttest.Options{})
	cases := map[string]string{
		"write":    "onetwothree|bytes=3,3,5",
		"flush":    "abc|flushed=3",
		"buffered": "abc|completed=3 expected=1",
	}
	for mode, want := range cases {
		t.Run(mode, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/io/"+mode, nil)
			status, got := roundTrip(t, req)
			assert.Equal(t, http.StatusOK, status)
			assert.Equal(t, want, got)
		})
	}
}

// TestAsyncReadInSendResponse: RQ_SEND_RESPONSE cannot park, so an asynchronous read there
// completes at once and says so, even when the send began inside a notification that could.
func TestAsyncReadInSendResponse(t *testing.T) {
	srv := asyncIOServer(t, hosttest.Options{})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/io/sendread", strings.NewReader("hello"))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	assert.Equal(t, "sent", string(body))
	assert.Equal(t, "pending=0 got=5 hr=0x00000000", resp.Header.Get("X-Send-Read"))
}

// TestCancelIo: CancelIo ends a read that waits on the client, whose completion then carries
// ERROR_OPERATION_ABORTED; with nothing in progress it answers ERROR_NOT_FOUND.
func TestCancelIo(t *testing.T) {
	srv := asyncIOServer(t, hosttest.Options{})
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	// The body is announced and never sent.
	fmt.Fprintf(conn, "POST /io/cancel HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n")
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	got, _ := io.ReadAll(resp.Body)
	assert.Equal(t, "cancel=0x00000000 completion=0x800703E3", string(got))

	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/io/cancelnone", nil)
	_, body := roundTrip(t, req)
	assert.Equal(t, "cancel=0x80070490", body)
}

// TestClientGoneWhilePending: a client that leaves a pending request is seen by the module
// (IsConnected FALSE, writes fail with ERROR_CONNECTION_ABORTED); once it completes, the
// request runs its END notification.
func TestClientGoneWhilePending(t *testing.T) {
	srv := asyncIOServer(t, hosttest.Options{})
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	fmt.Fprintf(conn, "GET /io/hang HTTP/1.1\r\nHost: x\r\n\r\n")
	status := func() string {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/io/status", nil)
		_, body := roundTrip(t, req)
		return body
	}
	require.Eventually(t, func() bool { return strings.HasPrefix(status(), "waiting") }, 10*time.Second, 5*time.Millisecond)
	conn.Close()
	want := "connected=0 write=0x00000000 flush=0x800704D4 end=1"
	require.Eventually(t, func() bool { return status() == want }, 10*time.Second, 5*time.Millisecond, "last: %s", status())
}

// TestNeverCompletes: a module that never completes a request whose client left is abandoned
// after AbandonPendingAfter, with a log line naming it; the server still shuts down.
func TestNeverCompletes(t *testing.T) {
	srv := asyncIOServer(t, hosttest.Options{AbandonPendingAfter: 100 * time.Millisecond})
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	fmt.Fprintf(conn, "GET /io/never HTTP/1.1\r\nHost: x\r\n\r\n")
	// The request is parked once the module ran; give it a moment, then leave.
	time.Sleep(50 * time.Millisecond)
	conn.Close()
	require.Eventually(t, func() bool {
		return strings.Contains(srv.Log.String(), "ExecuteRequestHandler never completed after the client left")
	}, 10*time.Second, 5*time.Millisecond)
	assert.Contains(t, srv.Log.String(), "module=AsyncIO")
}

// TestAbandonedCapAndReclaim: an abandoned request is counted with its bytes; once abandoned
// requests hold MaxAbandonedBytes, an error names the module and notification and new requests
// are answered 503; the module's late completion reclaims the state and serving resumes.
func TestAbandonedCapAndReclaim(t *testing.T) {
	srv := asyncIOServer(t, hosttest.Options{AbandonPendingAfter: 100 * time.Millisecond, MaxAbandonedBytes: 1})
	// The same library in a second host: its /io/release completes srv's parked request while
	// srv refuses requests.
	other := asyncIOServer(t, hosttest.Options{})
	get := func(base, path string) (int, string) {
		req, err := http.NewRequest(http.MethodGet, base+path, nil)
		require.NoError(t, err)
		return roundTrip(t, req)
	}
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	fmt.Fprintf(conn, "GET /io/late HTTP/1.1\r\nHost: x\r\n\r\n")
	require.Eventually(t, func() bool {
		_, body := get(srv.URL, "/io/latecount")
		return body == "parked=1"
	}, 10*time.Second, 5*time.Millisecond)
	assert.Zero(t, srv.Host.Counters().AbandonedRequests)
	conn.Close()

	const abandonedText = "ExecuteRequestHandler never completed after the client left"
	require.Eventually(t, func() bool { return strings.Contains(srv.Log.String(), abandonedText) }, 10*time.Second, 5*time.Millisecond)
	assert.Equal(t, int64(1), srv.Host.Counters().AbandonedRequests, "counted before the log line")
	assert.Positive(t, srv.Host.Counters().AbandonedBytes)
	abandoned := logLineContaining(t, srv.Log.String(), abandonedText)
	assert.Contains(t, abandoned, "level=ERROR")
	assert.Contains(t, abandoned, "module=AsyncIO")
	assert.Contains(t, abandoned, "the cap of 1 is reached: new requests are answered 503")

	status, body := get(srv.URL, "/io/latecount")
	assert.Equal(t, http.StatusServiceUnavailable, status)
	assert.Equal(t, "503 Service Unavailable\n", body)
	assert.Contains(t, srv.Log.String(), "abandoned requests hold their cap: new requests are answered 503")

	_, body = get(other.URL, "/io/release")
	require.Equal(t, "released=1", body)
	require.Eventually(t, func() bool {
		status, body := get(srv.URL, "/io/latecount")
		return status == http.StatusOK && body == "parked=0"
	}, 10*time.Second, 5*time.Millisecond)
	c := srv.Host.Counters()
	assert.Zero(t, c.AbandonedRequests)
	assert.Zero(t, c.AbandonedBytes)
	// Logged as the reclaim ends, which may be after the first request it let through.
	require.Eventually(t, func() bool {
		return strings.Contains(srv.Log.String(), "abandoned requests are under the cap again: serving")
	}, 10*time.Second, 5*time.Millisecond)
	assert.Contains(t, logLineContaining(t, srv.Log.String(), "completed late; its state is reclaimed"), "url=/io/late")
}

// logLineContaining returns the first line of a text log that contains text.
func logLineContaining(t *testing.T, log, text string) string {
	t.Helper()
	for line := range strings.Lines(log) {
		if strings.Contains(line, text) {
			return line
		}
	}
	t.Fatalf("no log line contains %q in:\n%s", text, log)
	return ""
}

// TestPostCompletionRoutine: IHttpContext3::PostCompletion with a routine calls it on a host
// thread with the bytes and no error.
func TestPostCompletionRoutine(t *testing.T) {
	srv := asyncIOServer(t, hosttest.Options{})
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/io/routine", nil)
	_, body := roundTrip(t, req)
	assert.Equal(t, "routine bytes=5 error=0", body)
}

// TestReadEntity: RQ_READ_ENTITY subscribers see each read from the client and may change it
// in place or replace it with more bytes than the reader's buffer holds; nothing is lost.
func TestReadEntity(t *testing.T) {
	srv := asyncIOServer(t, hosttest.Options{},
		hosttest.Module{Name: "ReadEntity", Image: hosttest.Build(t, "testdata/modules/readentity.cpp")})
	body := strings.Repeat("abcdefghij", 30)
	cases := []struct{ mode, want string }{
		{"", body},
		{"upper", strings.ToUpper(body)},
		{"double", doubled(body)},
	}
	for _, c := range cases {
		for _, path := range []string{"/io/syncread?chunk=64", "/io/read?chunk=64"} {
			t.Run(c.mode+path, func(t *testing.T) {
				req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
				req.Header.Set("X-Read-Entity", c.mode)
				resp, err := http.DefaultClient.Do(req)
				require.NoError(t, err)
				defer resp.Body.Close()
				got, _ := io.ReadAll(resp.Body)
				if strings.HasPrefix(path, "/io/syncread") {
					assert.Equal(t, c.want, string(got))
				} else {
					h := fnv.New32a()
					h.Write([]byte(c.want))
					assert.Contains(t, string(got), fmt.Sprintf("read=%d ", len(c.want)))
					assert.Contains(t, string(got), fmt.Sprintf("fnv=%08x", h.Sum32()))
				}
				// One notification per read from the client: 300 bytes in 64-byte reads.
				assert.Equal(t, "5", resp.Header.Get("X-Read-Entity-Calls"))
			})
		}
	}
}

func doubled(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		b.WriteByte(s[i])
	}
	return b.String()
}

// TestAsyncReadHammer: many concurrent asynchronous readers, each with its own body, each get
// their own checksum back.
func TestAsyncReadHammer(t *testing.T) {
	const n = 300
	srv := asyncIOServer(t, hosttest.Options{})
	tr := &http.Transport{MaxIdleConnsPerHost: n}
	t.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr}
	errs := make(chan error, n)
	for i := range n {
		go func() {
			body := bytes.Repeat([]byte{byte(i), byte(i >> 8), 'x'}, 1000+i)
			h := fnv.New32a()
			h.Write(body)
			want := fmt.Sprintf("read=%d rounds=%d eof=0x80070026 fnv=%08x", len(body), (len(body)+511)/512+1, h.Sum32())
			resp, err := client.Post(srv.URL+"/io/read?chunk=512", "application/octet-stream", bytes.NewReader(body))
			if err != nil {
				errs <- err
				return
			}
			defer resp.Body.Close()
			got, _ := io.ReadAll(resp.Body)
			if string(got) != want {
				errs <- fmt.Errorf("request %d: got %q, want %q", i, got, want)
				return
			}
			errs <- nil
		}()
	}
	for range n {
		assert.NoError(t, <-errs)
	}
}
