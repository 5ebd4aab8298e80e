package host_test

// The security regression suite: one test per finding of the probe (issue 8), each through a
// real module over a raw socket, so that no client library tidies the attack away.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/host"
	"github.com/iishost/iishost/hosttest"
)

func guardServe(t *testing.T, opts hosttest.Options) *hosttest.Server {
	t.Helper()
	return hosttest.ServeWith(t, opts, hosttest.Module{Name: "Guard", Image: hosttest.Build(t, "testdata/modules/guard.cpp")})
}

func rawGet(target string) string {
	return "GET " + target + " HTTP/1.1\r\nHost: test\r\n\r\n"
}

// A URL too long for the cooked URL's USHORT lengths is refused before any module runs; one
// that fits reaches the module whole. Neither may reach it with a wrapped, empty path.
func TestSecurityLongURLNeverWraps(t *testing.T) {
	// Request filtering's maxUrl (4096 by default) and the site's maxUrlSegments (32) would
	// refuse these first: lift them to the front door's limits, whose handling is what this test
	// is about.
	cfg := filterConfig(t, filterSection("", `<requestLimits maxUrl="16384"/>`))
	cfg.Sites[0].Limits.MaxURLSegments = 255
	srv := guardServe(t, hosttest.Options{Config: cfg})
	segment := strings.Repeat("a", 260)
	fits := "/secure" + strings.Repeat("/"+segment, 60)
	tooLong := "/secure" + strings.Repeat("/"+segment, 63)
	tests := []struct {
		name, target string
		status       int
	}{
		{"fits: the module sees it and denies", fits, 403},
		{"past the cooked URL's limit", tooLong, 414},
		{"one segment of 16,384", "/secure/" + strings.Repeat("x", 16376), 414},
		{"private prefix of 16,384", "/private/" + strings.Repeat("x", 16375), 414},
		{"one segment of 300", "/secure/" + strings.Repeat("x", 300), 400},
		{"many short segments", "/secure/" + strings.Repeat("ab/", 5000), 400},
		{"query of 20,000", "/secure/x?" + strings.Repeat("q", 20000), 414},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			replies, _ := rawExchange(t, srv, rawGet(tc.target))
			require.Len(t, replies, 1)
			assert.Equal(t, tc.status, replies[0].status)
			assert.NotContains(t, replies[0].body, "open ", "the module must not see a cut path")
		})
	}
	t.Run("lengths of a long URL that fits are exact", func(t *testing.T) {
		target := "/lengths" + strings.Repeat("/"+segment, 50)
		replies, _ := rawExchange(t, srv, rawGet("/lengths"))
		require.Len(t, replies, 1)
		assert.Equal(t, "abspath=32 full=76 raw=8 verb=0", replies[0].body)
		replies, _ = rawExchange(t, srv, rawGet(target))
		require.Len(t, replies, 1)
		// Not /lengths itself, so the fixture answers "open <path>" with the whole path.
		assert.Equal(t, "open "+target, replies[0].body)
	})
}

func TestSecurityRequestLimits(t *testing.T) {
	srv := guardServe(t, hosttest.Options{})
	manyHeaders := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "X-%d: v\r\n", i)
		}
		return b.String()
	}
	tests := []struct {
		name, request string
		status        int
	}{
		{"verb of 300", strings.Repeat("V", 300) + " / HTTP/1.1\r\nHost: test\r\n\r\n", 400},
		{"unknown verb of 200 is served", strings.Repeat("V", 200) + " /lengths HTTP/1.1\r\nHost: test\r\n\r\n", 200},
		{"headers past 16 KiB", "GET / HTTP/1.1\r\nHost: test\r\nX-Big: " + strings.Repeat("b", 17000) + "\r\n\r\n", 400},
		{"headers of a megabyte", "GET / HTTP/1.1\r\nHost: test\r\nX-Big: " + strings.Repeat("b", 1<<20) + "\r\n\r\n", 400},
		{"request line of 20 KiB", "GET /" + strings.Repeat("u", 20000) + " HTTP/1.1\r\nHost: test\r\n\r\n", 414},
		{"1,001 headers", "GET / HTTP/1.1\r\nHost: test\r\n" + manyHeaders(1000) + "\r\n", 400},
		{"999 headers are served", "GET / HTTP/1.1\r\nHost: test\r\n" + manyHeaders(998) + "\r\n", 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			replies, closed := rawExchange(t, srv, tc.request)
			require.Len(t, replies, 1)
			assert.Equal(t, tc.status, replies[0].status)
			if tc.status != 200 {
				assert.True(t, closed, "a refused request ends its connection")
				assert.NotContains(t, replies[0].body, "open ")
			}
		})
	}
	t.Run("an unknown verb's length reaches the module exactly", func(t *testing.T) {
		replies, _ := rawExchange(t, srv, strings.Repeat("V", 200)+" /lengths HTTP/1.1\r\nHost: test\r\n\r\n")
		require.Len(t, replies, 1)
		assert.Contains(t, replies[0].body, "verb=200")
	})
}

// Thousands of distinct headers are stored and found again (the store indexes names, so the
// cost grows linearly; the figures are in the closing note, not in a test).
func TestSecurityManyHeadersStoredAndFound(t *testing.T) {
	srv := hosttest.ServeWith(t, hosttest.Options{Limits: host.Limits{MaxHeaders: 5000, MaxRequestBytes: 1 << 20}},
		hosttest.Module{Name: "Headers", Image: hosttest.Build(t, "samples/headers/headers.cpp")})
	var b strings.Builder
	b.WriteString("GET /headers HTTP/1.1\r\nHost: test\r\n")
	for i := 0; i < 4000; i++ {
		fmt.Fprintf(&b, "X-H%d: %d\r\n", i, i)
	}
	b.WriteString("X-Echo: found-me\r\n\r\n")
	replies, _ := rawExchange(t, srv, b.String())
	require.Len(t, replies, 1)
	assert.Equal(t, 200, replies[0].status)
	assert.Equal(t, "found-me", replies[0].header.Get("X-Echo-Reply"))
}

func TestSecurityTraversal(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "site", "www")
	require.NoError(t, os.MkdirAll(filepath.Join(root, "file"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "file", "ok.txt"), []byte("inside"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(base, "secret.txt"), []byte("outside-secret"), 0o644))
	srv := guardServe(t, hosttest.Options{Root: root})

	t.Run("requests", func(t *testing.T) {
		for _, target := range []string{
			`/file/..%5c..%5c..%5cetc%5cpasswd`,
			`/file/..%5c..%5c..%5csecret.txt`,
			`/file/..\..\..\secret.txt`,
			`/file/%2e%2e/%2e%2e/%2e%2e/secret.txt`,
			`/file/..%2f..%2f..%2fsecret.txt`,
			`/file/%2e%2e%5c%2e%2e%5c%2e%2e%5csecret.txt`,
			`/file/../../../secret.txt`,
			`/file/..%5c../..%5csecret.txt`,
		} {
			replies, _ := rawExchange(t, srv, rawGet(target))
			require.Len(t, replies, 1, target)
			assert.Equal(t, 400, replies[0].status, target)
			assert.NotContains(t, replies[0].body, "outside-secret", target)
			assert.NotContains(t, replies[0].body, "root:", target)
		}
		replies, _ := rawExchange(t, srv, rawGet(`/file%5cok.txt`))
		require.Len(t, replies, 1)
		assert.Equal(t, "inside", replies[0].body, "'\\' is a separator, as HTTP.sys reads it")
		replies, _ = rawExchange(t, srv, rawGet(`/file/sub/..%5cok.txt`))
		require.Len(t, replies, 1)
		assert.Equal(t, "inside", replies[0].body)
	})
	t.Run("MapPath", func(t *testing.T) {
		tests := []struct{ url, want string }{
			{"/../../secret.txt", "hr=0x80070057 path="},
			{`..\..\..\secret.txt`, "hr=0x80070057 path="},
			{"/a/../../secret.txt", "hr=0x80070057 path="},
			{"/a/../b.txt", "hr=0x00000000 path=" + root + "/b.txt"},
			{`\a\b.txt`, "hr=0x00000000 path=" + root + "/a/b.txt"},
			{"c.txt", "hr=0x00000000 path=" + root + "/c.txt"},
		}
		for _, tc := range tests {
			replies, _ := rawExchange(t, srv, rawGet("/map?u="+tc.url))
			require.Len(t, replies, 1, tc.url)
			assert.Equal(t, tc.want, replies[0].body, tc.url)
		}
	})
	t.Run("SetUrl", func(t *testing.T) {
		tests := []struct{ url, want string }{
			{"/x/../../etc/passwd", "hr=0x80070057 path=/seturl"},
			{`/x\y\..\z`, "hr=0x00000000 path=/x/z"},
			{"/a/./b/", "hr=0x00000000 path=/a/b/"},
		}
		for _, tc := range tests {
			replies, _ := rawExchange(t, srv, rawGet("/seturl?u="+tc.url))
			require.Len(t, replies, 1, tc.url)
			assert.Equal(t, tc.want, replies[0].body, tc.url)
		}
	})
}

func TestSecurityStaticSymlinks(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "www")
	outside := filepath.Join(base, "outside")
	require.NoError(t, os.MkdirAll(root, 0o755))
	require.NoError(t, os.MkdirAll(outside, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("outside-secret"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "inside.txt"), []byte("inside"), 0o644))
	require.NoError(t, os.Symlink(outside, filepath.Join(root, "out")))
	require.NoError(t, os.Symlink(filepath.Join(root, "inside.txt"), filepath.Join(root, "alias.txt")))

	serve := func(follow bool) *hosttest.Server {
		site := host.DefaultSite(root)
		site.Root().FollowSymlinksOutsideRoot = follow
		cfg := &host.Config{Sites: []host.Site{site}}
		return hosttest.ServeWith(t, hosttest.Options{Root: root, Config: cfg})
	}
	strict := serve(false)
	replies, _ := rawExchange(t, strict, rawGet("/out/secret.txt"))
	require.Len(t, replies, 1)
	assert.Equal(t, 404, replies[0].status)
	assert.NotContains(t, replies[0].body, "outside-secret")
	replies, _ = rawExchange(t, strict, rawGet("/alias.txt"))
	require.Len(t, replies, 1)
	assert.Equal(t, "inside", replies[0].body, "a link that stays inside the root is followed")

	lenient := serve(true)
	replies, _ = rawExchange(t, lenient, rawGet("/out/secret.txt"))
	require.Len(t, replies, 1)
	assert.Equal(t, "outside-secret", replies[0].body, "followSymlinksOutsideRoot lets it through")
}

func TestSecurityFraming(t *testing.T) {
	srv := guardServe(t, hosttest.Options{})
	smuggled := "GET /secure-bypass HTTP/1.1\r\nHost: test\r\n\r\n"
	tests := []struct {
		name, request string
	}{
		{"Content-Length beside Transfer-Encoding",
			"POST /read HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled},
		{"Transfer-Encoding beside Content-Length",
			"POST /read HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n0\r\n\r\n" + smuggled},
		{"chunked on HTTP/1.0",
			"POST /read HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + smuggled},
		{"chunked on HTTP/1.0 with a length",
			"POST /read HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc" + smuggled},
		{"malformed chunk size",
			"POST /read HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n" + smuggled},
		{"chunk without its CRLF",
			"POST /read HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n" + smuggled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			replies, closed := rawExchange(t, srv, tc.request)
			require.Len(t, replies, 1, "nothing after an ambiguous request may be served")
			assert.Equal(t, 400, replies[0].status)
			assert.True(t, closed)
		})
	}
	t.Run("a well-framed pipeline is served in order", func(t *testing.T) {
		replies, _ := rawExchange(t, srv, "POST /read HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello"+
			"POST /read HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"+rawGet("/x"))
		require.Len(t, replies, 3)
		assert.Equal(t, "read=5 hr=0x80070026", replies[0].body)
		assert.Equal(t, "read=3 hr=0x80070026", replies[1].body)
		assert.Equal(t, "open /x", replies[2].body)
	})
}

// A body that breaks after the module started reading fails the read and the request.
func TestSecurityBrokenBodyMidRead(t *testing.T) {
	srv := guardServe(t, hosttest.Options{})
	t.Run("malformed chunk after the head", func(t *testing.T) {
		conn := rawDial(t, srv)
		_, err := conn.Write([]byte("POST /read HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n"))
		require.NoError(t, err)
		time.Sleep(50 * time.Millisecond) // let the module start reading (an ordering aid, not a timing check)
		_, err = conn.Write([]byte("nothex\r\n"))
		require.NoError(t, err)
		replies, closed := rawReadAll(t, conn)
		require.Len(t, replies, 1)
		assert.Equal(t, 400, replies[0].status)
		assert.True(t, closed)
	})
	t.Run("Content-Length 10, three bytes, half-close", func(t *testing.T) {
		conn := rawDial(t, srv)
		_, err := conn.Write([]byte("POST /read HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\nabc"))
		require.NoError(t, err)
		require.NoError(t, conn.(interface{ CloseWrite() error }).CloseWrite())
		replies, _ := rawReadAll(t, conn)
		require.Len(t, replies, 1)
		assert.Equal(t, 400, replies[0].status)
		assert.NotContains(t, replies[0].body, "read=3 hr=0x80070026", "a truncated upload is never reported complete")
	})
}

func TestSecurityTimeoutsAndConnectionCap(t *testing.T) {
	limits := host.Limits{HeaderTimeout: 300 * time.Millisecond, ConnectionTimeout: 500 * time.Millisecond, MaxConnections: 20}
	srv := guardServe(t, hosttest.Options{Limits: limits})
	t.Run("a silent connection is closed", func(t *testing.T) {
		assert.True(t, rawAwaitClose(rawDial(t, srv), 10*time.Second))
	})
	t.Run("a trickled head is closed", func(t *testing.T) {
		conn := rawDial(t, srv)
		done := make(chan bool)
		go func() { done <- rawAwaitClose(conn, 10*time.Second) }()
		for _, b := range []byte("GET / HTTP/1.1\r\nHost: test\r\nX-Slow: " + strings.Repeat("s", 100)) {
			if _, err := conn.Write([]byte{b}); err != nil {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		assert.True(t, <-done)
	})
	t.Run("a stalled body is closed", func(t *testing.T) {
		conn := rawDial(t, srv)
		_, err := conn.Write([]byte("POST /read HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\nabc"))
		require.NoError(t, err)
		assert.True(t, rawAwaitClose(conn, 10*time.Second))
	})
	t.Run("a body trickled inside the timeout between reads is read whole", func(t *testing.T) {
		// connectionTimeout bounds each read, not the body: every read moves the deadline later
		// (the front door passes that on lazily, frontdoor/deadlines.go).
		conn := rawDial(t, srv)
		body := "0123456789"
		_, err := conn.Write([]byte("POST /read HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\n"))
		require.NoError(t, err)
		for i := range body {
			time.Sleep(150 * time.Millisecond) // 1.5 s in all, three times the timeout
			_, err := conn.Write([]byte{body[i]})
			require.NoError(t, err)
		}
		replies, _ := rawReadAll(t, conn)
		require.Len(t, replies, 1)
		assert.Equal(t, 200, replies[0].status)
		assert.Equal(t, "read=10 hr=0x80070026", replies[0].body)
	})
	t.Run("idle and half-open connections past the cap do not lock others out", func(t *testing.T) {
		for i := 0; i < 60; i++ {
			conn := rawDial(t, srv)
			if i%2 == 0 {
				_, _ = conn.Write([]byte("GET / HTTP/1.1\r\n")) // half a head
			}
		}
		replies, _ := rawExchange(t, srv, rawGet("/still-served"))
		require.Len(t, replies, 1)
		assert.Equal(t, "open /still-served", replies[0].body)
	})
}
