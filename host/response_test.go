package host_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// responseModuleName is the configured name GetStatus must report as the status setter.
const responseModuleName = "Response"

func TestResponseStatusRoundTrip(t *testing.T) {
	srv := wireServe(t, responseModuleName, "testdata/modules/response.cpp")
	c := newWireClient(t)
	tests := []struct {
		name   string
		query  string
		status int
		want   string
	}{
		{
			name: "teapot with substatus and reason", query: "?code=418&sub=3&reason=Teapot", status: 418,
			want: "status=418\nsubstatus=3\nreason=Teapot\nreasonlen=6\nhr=0x80004005\nmodule=Response\n" +
				"notification=0x00000080\nexception=null\ntryskip=1\n",
		},
		{
			name: "defaults", query: "", status: 200,
			want: "status=200\nsubstatus=0\nreason=OK\nreasonlen=2\nhr=0x80004005\nmodule=Response\n" +
				"notification=0x00000080\nexception=null\ntryskip=1\n",
		},
		{
			name: "server error", query: "?code=503&sub=12&reason=Busy", status: 503,
			want: "status=503\nsubstatus=12\nreason=Busy\nreasonlen=4\nhr=0x80004005\nmodule=Response\n" +
				"notification=0x00000080\nexception=null\ntryskip=1\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := c.get(t, srv.URL+"/status"+tc.query)
			assert.Equal(t, tc.status, res.resp.StatusCode)
			assert.Equal(t, "text/plain", res.resp.Header.Get("Content-Type"))
			assert.Equal(t, tc.want, res.body)
		})
	}
}

func TestResponseRedirect(t *testing.T) {
	srv := wireServe(t, responseModuleName, "testdata/modules/response.cpp")
	c := newWireClient(t)
	hostPort := wireHostPort(t, srv)
	tests := []struct {
		name, target, location string
	}{
		{"relative target made absolute", "/redirect", "http://" + hostPort + "/target?x=1"},
		{"query appended", "/redirect-qs?a=b", "http://" + hostPort + "/target?a=b"},
		{"no query to append", "/redirect-qs", "http://" + hostPort + "/target"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := c.get(t, srv.URL+tc.target)
			assert.Equal(t, http.StatusFound, res.resp.StatusCode)
			assert.Equal(t, tc.location, res.resp.Header.Get("Location"))
			assert.Equal(t, "0x00000000", res.resp.Header.Get("X-Redirect-Hr"))
		})
	}
	t.Run("Host header decides the domain", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/redirect", nil)
		require.NoError(t, err)
		req.Host = "www.example.test"
		res := c.do(t, req)
		assert.Equal(t, http.StatusFound, res.resp.StatusCode)
		assert.Equal(t, "http://www.example.test/target?x=1", res.resp.Header.Get("Location"))
	})
}

// TestResponseRedirectEscapesTarget: the page Redirect writes shows the target HTML-escaped, so
// a client's query cannot inject markup, above all when fResetStatusCode is FALSE and a browser
// renders the page; Location keeps the target as it is.
func TestResponseRedirectEscapesTarget(t *testing.T) {
	srv := wireServe(t, responseModuleName, "testdata/modules/response.cpp")
	c := newWireClient(t)
	const query = `q="><script>alert(1)</script>&x='y'`
	const escaped = `q=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;x=&#39;y&#39;`
	tests := []struct {
		name   string
		path   string
		status int
	}{
		{"status kept", "/redirect-keep", http.StatusOK},
		{"status reset", "/redirect-qs", http.StatusFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := c.get(t, srv.URL+tc.path+"?"+query)
			require.Equal(t, tc.status, res.resp.StatusCode)
			assert.Equal(t, "0x00000000", res.resp.Header.Get("X-Redirect-Hr"))
			assert.Equal(t, "text/html; charset=UTF-8", res.resp.Header.Get("Content-Type"))
			assert.Equal(t, "http://"+wireHostPort(t, srv)+"/target?"+query, res.resp.Header.Get("Location"))
			assert.Contains(t, res.body, escaped)
			assert.NotContains(t, res.body, "<script>")
			assert.NotContains(t, res.body, `"><`)
		})
	}
}

func TestResponseClear(t *testing.T) {
	srv := wireServe(t, responseModuleName, "testdata/modules/response.cpp")
	res := newWireClient(t).get(t, srv.URL+"/clear")
	assert.Equal(t, http.StatusOK, res.resp.StatusCode)
	assert.Equal(t, "second", res.body)
	assert.Equal(t, int64(len("second")), res.resp.ContentLength)
}

func TestResponseClearHeaders(t *testing.T) {
	srv := wireServe(t, responseModuleName, "testdata/modules/response.cpp")
	res := newWireClient(t).get(t, srv.URL+"/clearheaders")
	assert.Equal(t, http.StatusOK, res.resp.StatusCode)
	assert.Equal(t, "cleared", res.body)
	assert.Equal(t, []string{"1"}, res.resp.Header.Values("X-B"))
	assert.Empty(t, res.resp.Header.Values("X-A"))
	assert.Equal(t, "text/plain", res.resp.Header.Get("Content-Type"))

	// Nothing sniffs a type the module did not set (net/http would, by default).
	res = newWireClient(t).get(t, srv.URL+"/clearheaders-bare")
	assert.Equal(t, "<html><body>no type</body></html>", res.body)
	assert.NotContains(t, res.resp.Header, "Content-Type")
}

func TestResponseFlush(t *testing.T) {
	srv := wireServe(t, responseModuleName, "testdata/modules/response.cpp")
	res := newWireClient(t).get(t, srv.URL+"/flush")
	assert.Equal(t, http.StatusOK, res.resp.StatusCode)
	assert.Equal(t, "text/plain", res.resp.Header.Get("Content-Type"))
	// The length was unknown when the headers went out at the Flush.
	assert.Equal(t, []string{"chunked"}, res.resp.TransferEncoding)
	assert.Equal(t, int64(-1), res.resp.ContentLength)
	assert.Regexp(t, regexp.MustCompile(`\Apart1part2\nflushhr=0x00000000\nsent=1\nflushbytes=\d+\n\z`), res.body)
}

func TestResponseRawHttpResponse(t *testing.T) {
	srv := wireServe(t, responseModuleName, "testdata/modules/response.cpp")
	res := newWireClient(t).get(t, srv.URL+"/rawresp")
	assert.Equal(t, http.StatusCreated, res.resp.StatusCode)
	assert.Equal(t, "status=201\nreason=Made\nknown.12=text/plain\nunknowncount=2\nunknown.X-One=1\nunknown.X-Two=2\n", res.body)
	assert.Equal(t, "text/plain", res.resp.Header.Get("Content-Type"))
	assert.Equal(t, "1", res.resp.Header.Get("X-One"))
	assert.Equal(t, "2", res.resp.Header.Get("X-Two"))
}

func TestResponseDeleteHeader(t *testing.T) {
	srv := wireServe(t, responseModuleName, "testdata/modules/response.cpp")
	res := newWireClient(t).get(t, srv.URL+"/delheader")
	assert.Equal(t, http.StatusOK, res.resp.StatusCode)
	assert.Equal(t, "delhr=0x00000000\ndelidhr=0x00000000\nxdel=null\nctype=null\n", res.body)
	assert.Empty(t, res.resp.Header.Values("X-Del"))
	// net/http may sniff a Content-Type of its own; the module's text/html must not be sent.
	assert.NotEqual(t, "text/html", res.resp.Header.Get("Content-Type"))
}

func TestResponseGetHeader(t *testing.T) {
	srv := wireServe(t, responseModuleName, "testdata/modules/response.cpp")
	res := newWireClient(t).get(t, srv.URL+"/getheader")
	assert.Equal(t, http.StatusOK, res.resp.StatusCode)
	assert.Equal(t, "id.CacheControl=no-cache/8\n"+
		"name.Cache-Control=no-cache/8\n"+
		"name.cache-control=no-cache/8\n"+
		"name.X-Name=named/5\n"+
		"name.x-name=named/5\n"+
		"name.X-Missing=null/0\n", res.body)
	assert.Equal(t, "no-cache", res.resp.Header.Get("Cache-Control"))
	assert.Equal(t, "named", res.resp.Header.Get("X-Name"))
}

// TestResponseSetErrorStatus: IIS documents that SetErrorStatus does not change processing
// by itself, but a module that records an error and finishes the request without a status
// of its own gets IIS's 500.0 for that error, which is what response.cpp expects.
func TestResponseSetErrorStatus(t *testing.T) {
	srv := wireServe(t, responseModuleName, "testdata/modules/response.cpp")
	c := newWireClient(t)
	res := c.get(t, srv.URL+"/errorstatus")
	assert.Equal(t, http.StatusInternalServerError, res.resp.StatusCode, "body: %q", res.body)

	// The server goes on serving.
	res = c.get(t, srv.URL+"/status?code=202")
	assert.Equal(t, http.StatusAccepted, res.resp.StatusCode)
}

func TestResponseOtherPathsContinue(t *testing.T) {
	srv := wireServe(t, responseModuleName, "testdata/modules/response.cpp")
	res := newWireClient(t).get(t, srv.URL+"/unknown")
	assert.Equal(t, http.StatusNotFound, res.resp.StatusCode)
}
