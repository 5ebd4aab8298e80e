package samples_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/host"
	"github.com/iishost/iishost/hosttest"
	"github.com/iishost/iishost/internal/modbuild"
)

func TestMain(m *testing.M) {
	code := m.Run()
	hosttest.Cleanup()
	os.Exit(code)
}

// samples maps each sample folder to the name cmd/iishost/default.config gives it, in that file's
// configuration order.
var samples = []struct{ dir, name, source string }{
	{"denyprefix", "DenyPrefix", "samples/denyprefix/deny_prefix.cpp"},
	{"basicauth", "BasicAuth", "samples/basicauth/basic_auth.cpp"},
	{"headers", "Headers", "samples/headers/headers.cpp"},
	{"hello", "Hello", "samples/hello/hello.cpp"},
	{"cmodule", "CModule", "samples/cmodule/c_module.c"},
	{"async", "Async", "samples/async/async.cpp"},
	{"combo", "Combo", "samples/combo/combo.cpp"},
	{"sse", "Sse", "samples/sse/sse.cpp"},
	{"accesslog", "AccessLog", "samples/accesslog/access_log.cpp"},
}

// sample builds one sample and names it as the default configuration does.
func sample(t *testing.T, dir string) hosttest.Module {
	t.Helper()
	for _, s := range samples {
		if s.dir == dir {
			return hosttest.Module{Name: s.name, Image: hosttest.Build(t, s.source)}
		}
	}
	t.Fatalf("no sample %q", dir)
	return hosttest.Module{}
}

// sampleEnv gives the samples a known environment: default credentials, and access log lines in a
// file (returned) instead of the test's stderr.
func sampleEnv(t *testing.T) string {
	t.Helper()
	unsetenv(t, "IISHOST_BASIC_USER")
	unsetenv(t, "IISHOST_BASIC_PASSWORD")
	accessLog := filepath.Join(t.TempDir(), "access.log")
	t.Setenv("IISHOST_ACCESS_LOG", accessLog)
	return accessLog
}

// unsetenv removes a variable for the rest of the test; basic_auth treats set-but-empty as a value.
func unsetenv(t *testing.T, name string) {
	t.Helper()
	t.Setenv(name, "") // restores the old value at the end of the test
	require.NoError(t, os.Unsetenv(name))
}

// serveDefault serves every sample in the order of cmd/iishost/default.config, over samples/wwwroot.
func serveDefault(t *testing.T) *hosttest.Server {
	t.Helper()
	var mods []hosttest.Module
	for _, s := range samples {
		mods = append(mods, sample(t, s.dir))
	}
	return hosttest.ServeWith(t, hosttest.Options{Root: wwwroot(t)}, mods...)
}

func wwwroot(t *testing.T) string {
	t.Helper()
	root, err := modbuild.RepoRoot(".")
	require.NoError(t, err)
	return filepath.Join(root, "samples", "wwwroot")
}

// siteWith makes a site root holding the given files (slash-separated path -> content).
func siteWith(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return root
}

// request is one HTTP exchange to check.
type request struct {
	method, path string
	header       map[string]string
	user, pass   string // Basic credentials, when user != ""
}

type response struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, baseURL string, r request) response {
	t.Helper()
	method := r.method
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequest(method, baseURL+r.path, nil)
	require.NoError(t, err)
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	if r.user != "" {
		req.SetBasicAuth(r.user, r.pass)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

const (
	textPlain = "text/plain"
	notFound  = "404 Not Found\n" // the static file fallback's answer
	goText    = "text/plain; charset=utf-8"
)

// check compares one exchange with what the sample documents; header values not named are not checked,
// and a header mapped to "" must be absent.
type check struct {
	name   string
	req    request
	status int
	header map[string]string
	body   string
}

func (c check) run(t *testing.T, baseURL string) {
	t.Helper()
	t.Run(c.name, func(t *testing.T) {
		got := do(t, baseURL, c.req)
		assert.Equal(t, c.status, got.status)
		for k, v := range c.header {
			if v == "" {
				assert.NotContains(t, got.header, http.CanonicalHeaderKey(k))
				continue
			}
			assert.Equal(t, []string{v}, got.header.Values(k), "header %s", k)
		}
		assert.Equal(t, c.body, got.body)
	})
}

func TestHello(t *testing.T) {
	sampleEnv(t)
	index, err := os.ReadFile(filepath.Join(wwwroot(t), "index.html"))
	require.NoError(t, err)
	hello := map[string]string{"Content-Type": textPlain}
	fallback := map[string]string{"Content-Type": goText}

	t.Run("alone", func(t *testing.T) {
		srv := hosttest.Serve(t, sample(t, "hello"))
		for _, c := range []check{
			{"hello", request{path: "/hello"}, 200, hello, "Hello, world!"},
			{"query is not part of the path", request{path: "/hello?lang=en"}, 200, hello, "Hello, world!"},
			{"any method", request{method: "POST", path: "/hello"}, 200, hello, "Hello, world!"},
			{"path below falls through", request{path: "/hello/there"}, 404, fallback, notFound},
			{"case-sensitive path falls through", request{path: "/Hello"}, 404, fallback, notFound},
			{"root falls through", request{path: "/"}, 404, fallback, notFound},
		} {
			c.run(t, srv.URL)
		}
	})
	t.Run("with all samples", func(t *testing.T) {
		srv := serveDefault(t)
		for _, c := range []check{
			{"hello", request{path: "/hello"}, 200, hello, "Hello, world!"},
			{"root is the static index", request{path: "/"}, 200, map[string]string{"Content-Type": "text/html; charset=utf-8"}, string(index)},
			{"unknown path", request{path: "/nothing-here"}, 404, fallback, notFound},
		} {
			c.run(t, srv.URL)
		}
	})
}

func TestCModule(t *testing.T) {
	sampleEnv(t)
	c := map[string]string{"Content-Type": textPlain, "X-Module-Language": "C"}
	fallback := map[string]string{"Content-Type": goText, "X-Module-Language": ""}
	t.Run("alone", func(t *testing.T) {
		srv := hosttest.Serve(t, sample(t, "cmodule"))
		for _, tc := range []check{
			{"c", request{path: "/c"}, 200, c, "Hello from C"},
			{"query is not part of the path", request{path: "/c?x=1"}, 200, c, "Hello from C"},
			{"path below falls through", request{path: "/c/"}, 404, fallback, notFound},
			{"longer path falls through", request{path: "/cc"}, 404, fallback, notFound},
			{"case-sensitive path falls through", request{path: "/C"}, 404, fallback, notFound},
		} {
			tc.run(t, srv.URL)
		}
	})
	t.Run("with all samples", func(t *testing.T) {
		srv := serveDefault(t)
		check{"c", request{path: "/c"}, 200, c, "Hello from C"}.run(t, srv.URL)
	})
}

// serveWithFallback serves modules in front of a Go fallback handler of the test's own, so that a
// response can carry headers no sample sets.
func serveWithFallback(t *testing.T, fallback http.Handler, modules ...hosttest.Module) string {
	t.Helper()
	cfg := &host.Config{Sites: []host.Site{host.DefaultSite(t.TempDir())}}
	for _, m := range modules {
		require.NoError(t, cfg.AddModule(m.Name+"="+m.Image))
	}
	log := &hosttest.Log{}
	srv, err := host.New(cfg, host.Options{Logger: slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelWarn})), Fallback: fallback})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		assert.NoError(t, srv.Close())
		assert.Empty(t, log.String(), "no warnings or module errors")
	})
	return ts.URL
}

func TestHeaders(t *testing.T) {
	sampleEnv(t)
	shown := func(ua, seen, removeMe string) string {
		return "User-Agent: " + ua + "\nX-Seen-By: " + seen + "\nX-Remove-Me: " + removeMe + "\n"
	}
	headersPage := []check{
		{"headers page", request{path: "/headers", header: map[string]string{"User-Agent": "demo-agent", "X-Echo": "ping", "X-Remove-Me": "1"}},
			200, map[string]string{"Content-Type": textPlain, "X-Echo-Reply": "ping", "X-Powered-By": "iishost"},
			shown("demo-agent", "headers-sample", "(none)")},
		{"no User-Agent, no X-Echo", request{path: "/headers", header: map[string]string{"User-Agent": ""}},
			200, map[string]string{"Content-Type": textPlain, "X-Echo-Reply": "", "X-Powered-By": "iishost"},
			shown("(none)", "headers-sample", "(none)")},
		{"client's X-Seen-By is replaced", request{path: "/headers", header: map[string]string{"User-Agent": "ua", "X-Seen-By": "client"}},
			200, map[string]string{"Content-Type": textPlain, "X-Powered-By": "iishost"},
			shown("ua", "headers-sample", "(none)")},
		{"other path: the fallback's answer plus the headers", request{path: "/elsewhere", header: map[string]string{"X-Echo": "pong"}},
			404, map[string]string{"Content-Type": goText, "X-Echo-Reply": "pong", "X-Powered-By": "iishost"}, notFound},
	}
	t.Run("alone", func(t *testing.T) {
		srv := hosttest.Serve(t, sample(t, "headers"))
		for _, c := range headersPage {
			c.run(t, srv.URL)
		}
	})

	t.Run("X-Internal is removed before sending", func(t *testing.T) {
		internal := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Internal", "db=10.0.0.7")
			w.Header().Set("X-Kept", "yes")
			w.Header().Set("Content-Type", textPlain)
			_, _ = io.WriteString(w, "from Go")
		})
		// Without the module, the header reaches the client: the check below is not vacuous.
		check{"without the module", request{path: "/page"}, 200,
			map[string]string{"X-Internal": "db=10.0.0.7", "X-Kept": "yes", "X-Powered-By": ""},
			"from Go"}.run(t, serveWithFallback(t, internal))
		check{"with the module", request{path: "/page"}, 200,
			map[string]string{"X-Internal": "", "X-Kept": "yes", "X-Powered-By": "iishost"},
			"from Go"}.run(t, serveWithFallback(t, internal, sample(t, "headers")))
	})

	// "modules and handlers that run later see it": the host's fallback is the handler here.
	t.Run("the handler sees the request headers as the module left them", func(t *testing.T) {
		echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", textPlain)
			_, _ = io.WriteString(w, "X-Seen-By="+r.Header.Get("X-Seen-By")+" X-Remove-Me="+r.Header.Get("X-Remove-Me"))
		})
		check{"fallback", request{path: "/page", header: map[string]string{"X-Remove-Me": "1"}}, 200, nil,
			"X-Seen-By=headers-sample X-Remove-Me="}.run(t, serveWithFallback(t, echo, sample(t, "headers")))
	})

	t.Run("with all samples", func(t *testing.T) {
		srv := serveDefault(t)
		for _, c := range headersPage {
			c.run(t, srv.URL)
		}
		// X-Powered-By is on every response, whichever module (or none) answered.
		powered := map[string]string{"X-Powered-By": "iishost"}
		for _, c := range []check{
			{"hello", request{path: "/hello"}, 200, powered, "Hello, world!"},
			{"c", request{path: "/c"}, 200, powered, "Hello from C"},
			{"denied by DenyPrefix", request{path: "/private/x"}, 403, powered, "403 Forbidden: /private/ is not served here\n"},
			{"refused by BasicAuth", request{path: "/secure/x"}, 401, powered, ""},
			{"not found", request{path: "/nothing-here"}, 404, powered, notFound},
		} {
			c.run(t, srv.URL)
		}
	})
}

func TestDenyPrefix(t *testing.T) {
	sampleEnv(t)
	const denied = "403 Forbidden: /private/ is not served here\n"
	forbidden := map[string]string{"Content-Type": textPlain}
	// Real files under the refused prefix prove the 403 comes before the static files.
	root := siteWith(t, map[string]string{"private/report.txt": "confidential\n", "privatex": "public x\n", "private.txt": "public\n"})
	srv := hosttest.ServeWith(t, hosttest.Options{Root: root}, sample(t, "denyprefix"))
	for _, c := range []check{
		{"under /private/", request{path: "/private/report.txt"}, 403, forbidden, denied},
		{"missing file under /private/", request{path: "/private/x"}, 403, forbidden, denied},
		{"the folder itself", request{path: "/private/"}, 403, forbidden, denied},
		{"upper case", request{path: "/PRIVATE/report.txt"}, 403, forbidden, denied},
		{"mixed case", request{path: "/Private/report.txt"}, 403, forbidden, denied},
		{"any method", request{method: "POST", path: "/private/x"}, 403, forbidden, denied},
		{"prefix without slash", request{path: "/privatex"}, 200, nil, "public x\n"},
		{"sibling file", request{path: "/private.txt"}, 200, nil, "public\n"},
		{"folder without trailing slash redirects", request{path: "/private"}, 301, map[string]string{"Location": "/private/"},
			"<a href=\"/private/\">Moved Permanently</a>.\n\n"},
		{"not at the start", request{path: "/public/private/x"}, 404, nil, notFound},
	} {
		c.run(t, srv.URL)
	}
}

func TestBasicAuth(t *testing.T) {
	challenge := map[string]string{"WWW-Authenticate": `Basic realm="iishost"`}
	noChallenge := map[string]string{"WWW-Authenticate": ""}
	site := map[string]string{"secure/page.txt": "members only\n", "public.txt": "everyone\n"}

	t.Run("default credentials", func(t *testing.T) {
		sampleEnv(t)
		srv := hosttest.ServeWith(t, hosttest.Options{Root: siteWith(t, site)}, sample(t, "basicauth"))
		for _, c := range []check{
			{"no credentials", request{path: "/secure/page.txt"}, 401, challenge, ""},
			{"wrong password", request{path: "/secure/page.txt", user: "demo", pass: "wrong"}, 401, challenge, ""},
			{"wrong user", request{path: "/secure/page.txt", user: "root", pass: "secret"}, 401, challenge, ""},
			{"password prefix only", request{path: "/secure/page.txt", user: "demo", pass: "secre"}, 401, challenge, ""},
			{"malformed base64", request{path: "/secure/page.txt", header: map[string]string{"Authorization": "Basic ZGVtbzpzZWNyZXQ"}}, 401, challenge, ""},
			{"other scheme", request{path: "/secure/page.txt", header: map[string]string{"Authorization": "Bearer ZGVtbzpzZWNyZXQ="}}, 401, challenge, ""},
			{"upper-case path", request{path: "/SECURE/page.txt"}, 401, challenge, ""},
			{"missing page needs credentials too", request{path: "/secure/none"}, 401, challenge, ""},
			{"right credentials", request{path: "/secure/page.txt", user: "demo", pass: "secret"}, 200, noChallenge, "members only\n"},
			{"scheme is case-insensitive", request{path: "/secure/page.txt", header: map[string]string{"Authorization": "basic ZGVtbzpzZWNyZXQ="}}, 200, noChallenge, "members only\n"},
			{"right credentials, missing page", request{path: "/secure/none", user: "demo", pass: "secret"}, 404, noChallenge, notFound},
			{"outside /secure/", request{path: "/public.txt"}, 200, noChallenge, "everyone\n"},
			{"prefix without slash", request{path: "/secure"}, 301, noChallenge, "<a href=\"/secure/\">Moved Permanently</a>.\n\n"},
		} {
			c.run(t, srv.URL)
		}
	})

	t.Run("credentials from the environment", func(t *testing.T) {
		sampleEnv(t)
		t.Setenv("IISHOST_BASIC_USER", "alice")
		t.Setenv("IISHOST_BASIC_PASSWORD", "s3:cr=t")
		srv := hosttest.ServeWith(t, hosttest.Options{Root: siteWith(t, site)}, sample(t, "basicauth"))
		for _, c := range []check{
			{"configured pair", request{path: "/secure/page.txt", user: "alice", pass: "s3:cr=t"}, 200, noChallenge, "members only\n"},
			{"defaults no longer work", request{path: "/secure/page.txt", user: "demo", pass: "secret"}, 401, challenge, ""},
			{"wrong password", request{path: "/secure/page.txt", user: "alice", pass: "s3"}, 401, challenge, ""},
		} {
			c.run(t, srv.URL)
		}
	})

	t.Run("with all samples", func(t *testing.T) {
		sampleEnv(t)
		srv := serveDefault(t)
		for _, c := range []check{
			{"no credentials", request{path: "/secure/"}, 401, challenge, ""},
			{"right credentials fall through to the static files", request{path: "/secure/", user: "demo", pass: "secret"}, 404, noChallenge, notFound},
		} {
			c.run(t, srv.URL)
		}
	})
}

func TestAccessLog(t *testing.T) {
	t.Run("alone", func(t *testing.T) {
		accessLog := sampleEnv(t)
		srv := hosttest.ServeWith(t, hosttest.Options{Root: siteWith(t, map[string]string{"a.txt": "a"})}, sample(t, "accesslog"))
		do(t, srv.URL, request{path: "/a.txt"})
		do(t, srv.URL, request{method: "HEAD", path: "/a.txt?v=2"})
		do(t, srv.URL, request{method: "DELETE", path: "/a.txt"})
		do(t, srv.URL, request{path: "/missing"})
		// The line is written in RQ_LOG_REQUEST, before the response is sent: no waiting needed.
		assert.Equal(t, "GET /a.txt 200 127.0.0.1\n"+
			"HEAD /a.txt?v=2 200 127.0.0.1\n"+
			"DELETE /a.txt 405 127.0.0.1\n"+
			"GET /missing 404 127.0.0.1\n", readFile(t, accessLog))
	})

	t.Run("with all samples, also requests other modules ended", func(t *testing.T) {
		accessLog := sampleEnv(t)
		srv := serveDefault(t)
		for _, c := range []check{
			{"hello", request{path: "/hello?lang=en"}, 200, nil, "Hello, world!"},
			{"c, POST", request{method: "POST", path: "/c"}, 200, nil, "Hello from C"},
			{"401 from BasicAuth's FINISH_REQUEST", request{path: "/secure/x"}, 401, nil, ""},
			{"authenticated", request{path: "/secure/x?a=1&b=2", user: "demo", pass: "secret"}, 404, nil, notFound},
			{"403 from DenyPrefix at GL_PRE_BEGIN_REQUEST", request{path: "/private/x?y"}, 403, nil, "403 Forbidden: /private/ is not served here\n"},
			{"static file", request{path: "/index.html"}, 200, nil, readFile(t, filepath.Join(wwwroot(t), "index.html"))},
		} {
			c.run(t, srv.URL)
		}
		assert.Equal(t, "GET /hello?lang=en 200 127.0.0.1\n"+
			"POST /c 200 127.0.0.1\n"+
			"GET /secure/x 401 127.0.0.1\n"+
			"GET /secure/x?a=1&b=2 404 127.0.0.1\n"+
			"GET /private/x?y 403 127.0.0.1\n"+
			"GET /index.html 200 127.0.0.1\n", readFile(t, accessLog))
	})
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	return string(data)
}
