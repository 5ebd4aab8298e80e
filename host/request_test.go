package host_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// wireUserAgent is the User-Agent every wireClient request carries, so expected header dumps
// do not depend on the Go version.
const wireUserAgent = "iishost-test"

// wireClient sends requests to a test host the way a plain client would, minus the Go
// client's own habits: it never follows redirects and never adds Accept-Encoding, so the
// request headers a module sees are exactly the ones the test chose.
type wireClient struct {
	client *http.Client
}

func newWireClient(t *testing.T) *wireClient {
	t.Helper()
	tr := &http.Transport{DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &wireClient{client: &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// wireResult is one exchange: the response (body already read and closed), its body, and
// the local address of the connection the request went out on (the module's remote address).
type wireResult struct {
	resp  *http.Response
	body  string
	local string
}

// do sends req and reads the whole response.
func (c *wireClient) do(t *testing.T, req *http.Request) wireResult {
	t.Helper()
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", wireUserAgent)
	}
	var mu sync.Mutex
	var local string
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		mu.Lock()
		defer mu.Unlock()
		local = info.Conn.LocalAddr().String()
	}}
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	resp, err := c.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	return wireResult{resp: resp, body: string(body), local: local}
}

// get sends a GET with optional extra headers (name, value pairs).
func (c *wireClient) get(t *testing.T, url string, headers ...string) wireResult {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	return c.do(t, req)
}

// wireServe builds one fixture module and serves it alone under the given name.
func wireServe(t *testing.T, name, source string) *hosttest.Server {
	t.Helper()
	return hosttest.Serve(t, hosttest.Module{Name: name, Image: hosttest.Build(t, source)})
}

// wireHostPort is the test server's "ip:port", as the Host header and the local address show it.
func wireHostPort(t *testing.T, srv *hosttest.Server) string {
	t.Helper()
	return srv.Listener.Addr().String()
}

// wireUnsizedReader hides a reader's length so the Go client sends the body chunked.
type wireUnsizedReader struct{ io.Reader }

// rawReqCase is one request to rawreq.cpp and what its dump must say. Host (28) and
// User-Agent (40) are always expected among the known headers and need not be listed.
type rawReqCase struct {
	name        string
	method      string
	target      string // path and query exactly as sent
	header      [][2]string
	body        string
	chunked     bool
	verb        int
	unknownVerb string
	abspath     string
	query       string   // cooked query, with its leading '?'
	known       []string // "<id>=<value>" besides Host and User-Agent
	unknown     []string // "<name>=<value>" in array order
	remaining   int
	reads       int
}

func TestRequestRawHttpRequest(t *testing.T) {
	srv := wireServe(t, "RawReq", "testdata/modules/rawreq.cpp")
	c := newWireClient(t)
	hostPort := wireHostPort(t, srv)
	body100 := strings.Repeat("0123456789", 10)
	body50 := strings.Repeat("abcde", 10)

	cases := []rawReqCase{
		{
			name: "GET", method: "GET", target: "/raw",
			verb: 4, abspath: "/raw",
		},
		{
			// %61 is 'a': the raw URL keeps it, the cooked path is decoded; the query is never decoded.
			name: "GET encoded path and query", method: "GET", target: "/r%61w?x=1&y=a%20b",
			verb: 4, abspath: "/raw", query: "?x=1&y=a%20b",
		},
		{
			name: "POST 100 bytes read 7 at a time", method: "POST", target: "/raw?upload",
			header: [][2]string{{"Content-Type", "application/octet-stream"}},
			body:   body100,
			verb:   6, abspath: "/raw", query: "?upload",
			known:     []string{"11=100", "12=application/octet-stream"},
			remaining: 100, reads: 15, // 14 reads of 7 bytes, one of 2
		},
		{
			// A chunked body has no length: GetRemainingEntityBytes is 0 although a body follows.
			name: "PUT chunked", method: "PUT", target: "/raw",
			body: body50, chunked: true,
			verb: 7, abspath: "/raw",
			known:     []string{"6=chunked"},
			remaining: 0, reads: 8, // 7 reads of 7 bytes, one of 1
		},
		{
			name: "DELETE", method: "DELETE", target: "/raw",
			verb: 8, abspath: "/raw",
		},
		{
			name: "OPTIONS", method: "OPTIONS", target: "/raw",
			verb: 3, abspath: "/raw",
		},
		{
			name: "unknown verb PURGE", method: "PURGE", target: "/raw",
			verb: 1, unknownVerb: "PURGE", abspath: "/raw",
		},
		{
			name: "known and unknown headers, repeated ones joined", method: "GET", target: "/raw",
			header: [][2]string{
				{"Accept", "text/plain"}, {"Accept", "text/html"},
				{"X-Custom", "one"}, {"X-Custom", "two"},
			},
			verb: 4, abspath: "/raw",
			known:   []string{"20=text/plain, text/html"},
			unknown: []string{"X-Custom=one, two"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var reqBody io.Reader
			if tc.body != "" {
				reqBody = strings.NewReader(tc.body)
				if tc.chunked {
					reqBody = wireUnsizedReader{reqBody}
				}
			}
			req, err := http.NewRequest(tc.method, srv.URL+tc.target, reqBody)
			require.NoError(t, err)
			for _, h := range tc.header {
				req.Header.Add(h[0], h[1])
			}
			res := c.do(t, req)
			require.Equal(t, http.StatusOK, res.resp.StatusCode, res.body)
			assert.Equal(t, "text/plain", res.resp.Header.Get("Content-Type"))

			fullURL := "http://" + hostPort + tc.abspath + tc.query
			known := append([]string{"28=" + hostPort, "40=" + wireUserAgent}, tc.known...)
			sort.Slice(known, func(i, j int) bool { return rawReqKnownID(known[i]) < rawReqKnownID(known[j]) })
			lines := []string{
				"verb=" + strconv.Itoa(tc.verb),
				"unknownverb=" + tc.unknownVerb,
				"rawurl=" + tc.target,
				"fullurl=" + fullURL,
				"host=" + hostPort,
				"abspath=" + tc.abspath,
				"query=" + tc.query,
				"fullurllen=" + strconv.Itoa(len(fullURL)*4), // bytes: chars * sizeof(WCHAR), 4 on Linux
				"version=1.1",
				"remote=" + res.local,
				"local=" + hostPort,
				"remote2=" + res.local,
				"local2=" + hostPort,
			}
			for _, k := range known {
				lines = append(lines, "known."+k)
			}
			for _, u := range tc.unknown {
				lines = append(lines, "unknown."+u)
			}
			lines = append(lines,
				"method="+tc.method,
				"httpversion=1.1",
				"remaining="+strconv.Itoa(tc.remaining),
				"siteid=1",
				"bodyend=eof",
				"bodyreads="+strconv.Itoa(tc.reads),
				"body="+tc.body,
			)
			assert.Equal(t, strings.Join(lines, "\n"), res.body)
		})
	}
}

// rawReqKnownID is the numeric header id of a "<id>=<value>" entry.
func rawReqKnownID(entry string) int {
	id, err := strconv.Atoi(entry[:strings.IndexByte(entry, '=')])
	if err != nil {
		panic(err)
	}
	return id
}

// TestRequestRemoteAddressIsTheClients checks the addresses against a connection the test
// dials itself, so the client port cannot come from anywhere but the socket.
func TestRequestRemoteAddressIsTheClients(t *testing.T) {
	srv := wireServe(t, "RawReq", "testdata/modules/rawreq.cpp")
	conn, reply := dialAndAsk(t, srv.Listener.Addr().String(), "GET /raw HTTP/1.1\r\nHost: example.test\r\nConnection: close\r\n\r\n")
	assert.Contains(t, reply, "\nremote="+conn.LocalAddr().String()+"\n")
	assert.Contains(t, reply, "\nlocal="+conn.RemoteAddr().String()+"\n")
	assert.Contains(t, reply, "\nhost=example.test\n")
	assert.Contains(t, reply, "\nfullurl=http://example.test/raw\n")
	assert.Contains(t, reply, "\nknown.1=close\n")
	assert.Contains(t, reply, "\nknown.28=example.test\n")
}

func TestRequestOtherPathsContinue(t *testing.T) {
	// rawreq answers /raw only; anything else reaches the Go fallback (an empty site: 404).
	srv := wireServe(t, "RawReq", "testdata/modules/rawreq.cpp")
	res := newWireClient(t).get(t, srv.URL+"/raw/more")
	assert.Equal(t, http.StatusNotFound, res.resp.StatusCode)
	assert.NotContains(t, res.body, "verb=")
}

// wireVarLine is the line servervars.cpp prints for a variable that exists.
func wireVarLine(name, value string) string {
	n := strconv.Itoa(len(value))
	return name + "=" + value + "|" + value + "|" + n + "|" + n
}

func TestServerVariables(t *testing.T) {
	srv := wireServe(t, "ServerVars", "testdata/modules/servervars.cpp")
	c := newWireClient(t)
	hostPort := wireHostPort(t, srv)
	_, serverPort, err := net.SplitHostPort(hostPort)
	require.NoError(t, err)

	vars := []struct{ name, want string }{
		{"REQUEST_METHOD", "POST"},
		{"URL", "/vars"},
		{"QUERY_STRING", ""}, // filled in below: the query is the list of names itself
		{"REMOTE_ADDR", "127.0.0.1"},
		{"REMOTE_PORT", ""}, // the client's port, known once the request went out
		{"SERVER_NAME", "127.0.0.1"},
		{"SERVER_PORT", serverPort},
		{"SERVER_PROTOCOL", "HTTP/1.1"},
		{"HTTPS", "off"},
		{"CONTENT_LENGTH", "5"},
		{"CONTENT_TYPE", "text/plain"},
		{"HTTP_URL", ""}, // the raw URL as sent
		{"HTTP_USER_AGENT", wireUserAgent},
		{"HTTP_X_CUSTOM", "abc"},
		{"request_method", "POST"}, // names are case-insensitive
		{"Http_X_Custom", "abc"},
		{"HTTP_X_MISSING", "ERR 0x80070585"}, // HRESULT_FROM_WIN32(ERROR_INVALID_INDEX)
		{"NO_SUCH_VARIABLE", "ERR 0x80070585"},
	}
	names := make([]string, len(vars))
	for i, v := range vars {
		names[i] = v.name
	}
	query := strings.Join(names, ",")
	path := "/v%61rs" // decoded to /vars for URL; HTTP_URL keeps it raw
	req, err := http.NewRequest(http.MethodPost, srv.URL+path+"?"+query, strings.NewReader("hello"))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("X-Custom", "abc")
	res := c.do(t, req)
	require.Equal(t, http.StatusOK, res.resp.StatusCode, res.body)
	_, clientPort, err := net.SplitHostPort(res.local)
	require.NoError(t, err)

	got := strings.Split(strings.TrimSuffix(res.body, "\n"), "\n")
	require.Len(t, got, len(vars), res.body)
	for i, v := range vars {
		t.Run(v.name, func(t *testing.T) {
			want := v.want
			switch v.name {
			case "QUERY_STRING":
				want = query
			case "REMOTE_PORT":
				want = clientPort
			case "HTTP_URL":
				want = path + "?" + query
			}
			if strings.HasPrefix(want, "ERR ") {
				assert.Equal(t, v.name+"="+want, got[i])
			} else {
				assert.Equal(t, wireVarLine(v.name, want), got[i])
			}
		})
	}
}

func TestServerVariableAllHTTP(t *testing.T) {
	srv := wireServe(t, "ServerVars", "testdata/modules/servervars.cpp")
	res := newWireClient(t).get(t, srv.URL+"/vars?ALL_HTTP", "X-Custom", "abc", "X-Custom", "def")
	require.Equal(t, http.StatusOK, res.resp.StatusCode, res.body)

	// The value spans lines, so the fixture's "NAME=narrow|wide|cch|cch\n" is taken apart by '|'.
	require.True(t, strings.HasPrefix(res.body, "ALL_HTTP="), res.body)
	parts := strings.Split(strings.TrimSuffix(strings.TrimPrefix(res.body, "ALL_HTTP="), "\n"), "|")
	require.Len(t, parts, 4, res.body)
	narrow, wide := parts[0], parts[1]
	assert.Equal(t, narrow, wide)
	assert.Equal(t, strconv.Itoa(len(narrow)), parts[2])
	assert.Equal(t, strconv.Itoa(len(narrow)), parts[3])
	assert.ElementsMatch(t, []string{
		"HTTP_HOST:" + wireHostPort(t, srv),
		"HTTP_USER_AGENT:" + wireUserAgent,
		"HTTP_X_CUSTOM:abc, def",
	}, strings.Split(strings.TrimSuffix(narrow, "\n"), "\n"))
	assert.True(t, strings.HasSuffix(narrow, "\n"), "every ALL_HTTP line ends with a newline: %q", narrow)
}

func TestServerVariableSet(t *testing.T) {
	srv := wireServe(t, "ServerVars", "testdata/modules/servervars.cpp")
	c := newWireClient(t)
	tests := []struct {
		name    string
		headers []string
	}{
		{"header sent", []string{"X-Custom", "original"}},
		{"header absent", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := c.get(t, srv.URL+"/setvar", tc.headers...)
			require.Equal(t, http.StatusOK, res.resp.StatusCode, res.body)
			assert.Equal(t, "sethr=0x00000000\nsetheaderhr=0x00000000\nMY_VAR=my value\nX-Custom=changed\n", res.body)
		})
	}
}

func TestUrlRewrite(t *testing.T) {
	srv := wireServe(t, "UrlRewrite", "testdata/modules/urlrewrite.cpp")
	c := newWireClient(t)
	tests := []struct {
		name    string
		target  string
		headers []string
		want    string
	}{
		{
			name: "wide SetUrl keeps the query", target: "/old/a/b?x=1",
			want: "url=/new/a/b\nquery=x=1\nchanged=1\nmethod=GET\nabspath=/new/a/b\n",
		},
		{
			name: "narrow SetUrl keeps the query", target: "/olda/c?y=2&z=3",
			want: "url=/newa/c\nquery=y=2&z=3\nchanged=1\nmethod=GET\nabspath=/newa/c\n",
		},
		{
			name: "SetUrl without a query keeps none", target: "/old/plain",
			want: "url=/new/plain\nquery=\nchanged=1\nmethod=GET\nabspath=/new/plain\n",
		},
		{
			name: "reset drops the query", target: "/reset/z?x=1",
			want: "url=/fresh\nquery=\nchanged=1\nmethod=GET\nabspath=/fresh\n",
		},
		{
			// %3F decodes to '?' in the cooked path, so the module's new URL is "/new/a?q=2":
			// a query in the new URL replaces the request's.
			name: "a query in the new URL replaces the old one", target: "/old/a%3Fq=2?x=1",
			want: "url=/new/a\nquery=q=2\nchanged=1\nmethod=GET\nabspath=/new/a\n",
		},
		{
			name: "not rewritten", target: "/new/direct?k=v",
			want: "url=/new/direct\nquery=k=v\nchanged=0\nmethod=GET\nabspath=/new/direct\n",
		},
		{
			name: "SetHttpMethod", target: "/old/m", headers: []string{"X-Method-Override", "POST"},
			want: "url=/new/m\nquery=\nchanged=1\nmethod=POST\nabspath=/new/m\n",
		},
		{
			name: "method override needs the exact value", target: "/old/m", headers: []string{"X-Method-Override", "post"},
			want: "url=/new/m\nquery=\nchanged=1\nmethod=GET\nabspath=/new/m\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := c.get(t, srv.URL+tc.target, tc.headers...)
			require.Equal(t, http.StatusOK, res.resp.StatusCode, res.body)
			assert.Equal(t, tc.want, res.body)
		})
	}
}

// TestServerVariablesIIS covers the IIS additions to the CGI set: site and application identity,
// physical paths, URLs in their other forms, the anonymous user, and the TLS variables, which
// are empty without TLS.
func TestServerVariablesIIS(t *testing.T) {
	root := t.TempDir()
	srv := hosttest.ServeWith(t, hosttest.Options{Root: root}, hosttest.Module{Name: "ServerVars", Image: hosttest.Build(t, "testdata/modules/servervars.cpp")})
	hostPort := wireHostPort(t, srv)
	vars := []struct{ name, want string }{
		{"APPL_PHYSICAL_PATH", root},
		{"APPL_MD_PATH", "/LM/W3SVC/1/ROOT"},
		{"INSTANCE_ID", "1"},
		{"INSTANCE_META_PATH", "/LM/W3SVC/1"},
		{"INSTANCE_NAME", "Default Web Site"},
		{"APP_POOL_ID", "DefaultAppPool"},
		{"PATH_TRANSLATED", root + "/vars"},
		{"SCRIPT_FILENAME", root + "/vars"},
		{"SCRIPT_NAME", "/vars"},
		{"PATH_INFO", "/vars"},
		{"UNENCODED_URL", "/vars?"},
		{"REQUEST_URI", "/vars?"},
		{"CACHE_URL", "http://" + hostPort + "/vars?"},
		{"GATEWAY_INTERFACE", "CGI/1.1"},
		{"SERVER_SOFTWARE", "iishost"},
		{"SERVER_PORT_SECURE", "0"},
		{"LOCAL_ADDR", "127.0.0.1"},
		{"AUTH_TYPE", ""},
		{"AUTH_USER", ""},
		{"LOGON_USER", ""},
		{"REMOTE_USER", ""},
		{"CERT_SUBJECT", ""},
		{"HTTPS_KEYSIZE", ""},
		{"CERT_NO_SUCH_FIELD", "ERR 0x80070585"},
	}
	names := make([]string, len(vars))
	for i, v := range vars {
		names[i] = v.name
	}
	query := strings.Join(names, ",")
	res := newWireClient(t).get(t, srv.URL+"/vars?"+query)
	require.Equal(t, http.StatusOK, res.resp.StatusCode, res.body)
	got := strings.Split(strings.TrimSuffix(res.body, "\n"), "\n")
	require.Len(t, got, len(vars), res.body)
	for i, v := range vars {
		want := v.want
		if strings.HasSuffix(want, "?") {
			want += query
		}
		if strings.HasPrefix(want, "ERR ") {
			assert.Equal(t, v.name+"="+want, got[i])
		} else {
			assert.Equal(t, wireVarLine(v.name, want), got[i])
		}
	}
}
