package host_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// fuzzBound is how long one exchange may take before the server counts as hung. It is a
// liveness bound for sanitizer builds on a busy machine, not a performance check.
const fuzzBound = 30 * time.Second

// fuzzSecret is the content of a file beside the site root: no request may ever read it.
const fuzzSecret = "fuzz-secret-outside-the-root"

// fuzzServer is a host serving on its own loopback listener through Server.Serve, so the
// fuzzers meet the front door the command line gets, not httptest's.
type fuzzServer struct {
	addr string
	log  *hosttest.Log
}

// startFuzzServer serves modules over a site root holding index.html, with fuzzSecret in a
// file next to the root.
func startFuzzServer(f *testing.F, modules ...hosttest.Module) *fuzzServer {
	f.Helper()
	dir := f.TempDir()
	root := filepath.Join(dir, "site")
	require.NoError(f, os.Mkdir(root, 0o755))
	require.NoError(f, os.WriteFile(filepath.Join(root, "index.html"), []byte("site index"), 0o644))
	require.NoError(f, os.WriteFile(filepath.Join(dir, "secret.txt"), []byte(fuzzSecret), 0o644))
	srv, log, err := hosttest.Start(f, hosttest.Options{Root: root}, modules...)
	require.NoError(f, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(f, err)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			f.Errorf("serve: %v", err)
		}
	}()
	f.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), fuzzBound)
		defer cancel()
		assert.NoError(f, srv.Shutdown(ctx))
		<-done
	})
	return &fuzzServer{addr: ln.Addr().String(), log: log}
}

// check holds the invariants every input must leave intact: no handler panicked, and a plain
// request on a fresh connection still gets 200.
func (s *fuzzServer) check(t *testing.T, path string) {
	t.Helper()
	require.NotContains(t, s.log.String(), "panic serving", "a handler panicked")
	client := &http.Client{Timeout: fuzzBound, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get("http://" + s.addr + path)
	require.NoError(t, err, "the server no longer answers")
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "a plain request after the input")
}

// exchangeRaw writes raw on a new connection, half-closes it and reads until the server
// closes. Reading runs alongside writing, so a server that answers before the input ends
// cannot deadlock the two. A reset counts as a close; only a timeout is an error.
func exchangeRaw(addr string, raw []byte) ([]byte, error) {
	conn, err := net.DialTimeout("tcp", addr, fuzzBound)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(fuzzBound)); err != nil {
		return nil, err
	}
	type result struct {
		out []byte
		err error
	}
	read := make(chan result, 1)
	go func() {
		out, err := io.ReadAll(conn)
		read <- result{out, err}
	}()
	if _, err := conn.Write(raw); err == nil {
		_ = conn.(*net.TCPConn).CloseWrite()
	}
	r := <-read
	var ne net.Error
	if errors.As(r.err, &ne) && ne.Timeout() {
		return r.out, fmt.Errorf("no response and no close within %v: %w", fuzzBound, r.err)
	}
	if r.err != nil && !errors.Is(r.err, syscall.ECONNRESET) {
		return r.out, r.err
	}
	return r.out, nil
}

// rawRequestSeeds are the attack shapes HTTP.sys's front door exists for, sent to the fixtures'
// paths so that they also reach the modules' readers.
func rawRequestSeeds() []string {
	req := func(method, target string, lines ...string) string {
		return method + " " + target + " HTTP/1.1\r\nHost: fuzz\r\n" + strings.Join(lines, "") + "\r\n"
	}
	long := strings.Repeat("a", 70000) // past a USHORT of bytes
	var many strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&many, "X-H%d: %d\r\n", i, i)
	}
	return []string{
		req("GET", "/raw"),
		req("GET", "/vars?ALL_RAW,ALL_HTTP,URL,HTTP_URL,UNENCODED_URL,PATH_TRANSLATED,QUERY_STRING,CONTENT_LENGTH"),
		req("GET", "/"+long),
		req("GET", "/raw?"+long),
		req("GET", "/raw", "X-Long: "+long+"\r\n"),
		req("GET", "/raw", "X-"+long+": v\r\n"),
		req("GET", "/..%5c..%5csecret.txt"),
		req("GET", `/..\..\secret.txt`),
		req("GET", "/%2e%2e/%2e%2e/secret.txt"),
		req("GET", "/raw/../../secret.txt"),
		req("GET", "/a/./b/../../../secret.txt"),
		req("GET", "/%252e%252e/secret.txt"),
		req("GET", "http://evil/../secret.txt"),
		req("POST", "/raw", "Content-Length: 4\r\n", "Transfer-Encoding: chunked\r\n") + "0\r\n\r\n",
		req("POST", "/raw", "Content-Length: 4\r\n", "Content-Length: 5\r\n") + "abcde",
		req("POST", "/read", "Transfer-Encoding: chunked\r\n") + "ffffffffffffffff\r\nabc\r\n0\r\n\r\n",
		req("POST", "/read", "Transfer-Encoding: chunked\r\n") + "-1\r\nabc\r\n0\r\n\r\n",
		req("POST", "/read", "Transfer-Encoding: chunked\r\n") + "3;ext=\"x\"\r\nabc\r\nzz\r\n",
		req("POST", "/mixed", "Transfer-Encoding: gzip, chunked\r\n") + "5\r\nhello\r\n0\r\nTrailer: x\r\n\r\n",
		req("POST", "/read", "Content-Length: 99999999999999999999\r\n") + "abc",
		req("POST", "/mixed", "Content-Length: 10\r\n") + "0123456789",
		req("GET", "/vars?ALL_RAW", many.String()),
		req(strings.Repeat("A", 5000), "/raw"),
		req("G\x00T", "/raw"),
		req("GET", "/raw\x00evil", "X-Nul: a\x00b\r\n"),
		req("GET", "/raw/\xff\xfe%ff%c0%af", "X-High: \xe9\xff\r\n"),
		req("GET", "/raw", "X-Fold: a\r\n b\r\n"),
		req("GET", "/raw") + req("POST", "/mixed", "Content-Length: 6\r\n") + "abcdef" + req("GET", "/vars?URL"),
		"GET /raw HTTP/1.0\r\n\r\n",
		"GET /\r\n",
		"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
		"",
	}
}

// FuzzRawRequest writes raw request bytes to a host running fixtures that read the raw
// request, server variables and the body. Whatever the bytes, the server answers or closes
// within fuzzBound, never serves the file outside its root, and keeps serving.
func FuzzRawRequest(f *testing.F) {
	for _, seed := range rawRequestSeeds() {
		f.Add([]byte(seed))
	}
	srv := startFuzzServer(f,
		hosttest.Module{Name: "RawReq", Image: hosttest.Build(f, "testdata/modules/rawreq.cpp")},
		hosttest.Module{Name: "ServerVars", Image: hosttest.Build(f, "testdata/modules/servervars.cpp")},
		hosttest.Module{Name: "Body", Image: hosttest.Build(f, "testdata/modules/body.cpp")},
	)
	f.Fuzz(func(t *testing.T, raw []byte) {
		out, err := exchangeRaw(srv.addr, raw)
		require.NoError(t, err)
		if len(out) > 0 {
			resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(out)), nil)
			require.NoError(t, err, "the first response does not parse: %q", out)
			resp.Body.Close()
		}
		require.NotContains(t, string(out), fuzzSecret, "a file outside the site root was served")
		srv.check(t, "/raw")
	})
}

// fuzzProgram is a FuzzModuleAPI program: the stage byte, then opcodes and their argument
// bytes (fuzzapi.cpp documents the encoding).
func fuzzProgram(stage byte, steps ...[]byte) []byte {
	return append([]byte{stage}, bytes.Join(steps, nil)...)
}

// moduleAPISeeds run every opcode of fuzzapi.cpp at every stage, once with small arguments and
// once with all bits set (the edge lengths, NULL choices, odd addresses).
func moduleAPISeeds() [][]byte {
	const opcodes = 24
	small := []byte{3, 'a', 'b', 'c', 1, 5, 0, 2, 0, 1, 0, 4, 'x', 'y', 'z', 'w', 1, 0}
	ones := bytes.Repeat([]byte{0xFF}, 24)
	var seeds [][]byte
	for stage := byte(0); stage < 3; stage++ {
		for op := byte(0); op < opcodes; op++ {
			seeds = append(seeds, fuzzProgram(stage, []byte{op}, small), fuzzProgram(stage, []byte{op}, ones))
		}
	}
	var all [][]byte
	for op := byte(0); op < opcodes; op++ {
		all = append(all, []byte{op}, small)
	}
	return append(seeds, fuzzProgram(0, all...), fuzzProgram(1, all...))
}

// FuzzModuleAPI runs fuzzapi.cpp's programs: host API calls with NULLs, edge lengths,
// unterminated and odd-addressed buffers. The host must answer every call with a result (a
// sanitizer build checks what it hands back), answer the request within fuzzBound, and keep
// serving.
func FuzzModuleAPI(f *testing.F) {
	for _, seed := range moduleAPISeeds() {
		f.Add(seed, []byte("request body"))
	}
	srv := startFuzzServer(f, hosttest.Module{Name: "FuzzApi", Image: hosttest.Build(f, "testdata/modules/fuzzapi.cpp")})
	client := &http.Client{Timeout: fuzzBound, Transport: &http.Transport{DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	f.Fuzz(func(t *testing.T, program, body []byte) {
		// Hex doubles the program: 1000 bytes keep the query under IIS's 2048-byte default limit,
		// so the front door never turns a program away.
		program = program[:min(len(program), 1000)]
		req, err := http.NewRequest(http.MethodPost, "http://"+srv.addr+"/fuzz?"+hex.EncodeToString(program), bytes.NewReader(body))
		require.NoError(t, err)
		// The program may leave a response the client rejects (headers it set); only a hang fails.
		if resp, err := client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		} else {
			var ne net.Error
			require.False(t, errors.As(err, &ne) && ne.Timeout(), "no response within %v: %v", fuzzBound, err)
		}
		srv.check(t, "/")
	})
}
