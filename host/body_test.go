package host_test

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/host"
	"github.com/iishost/iishost/hosttest"
)

// echoBody is a fallback handler that answers with the body it reads and the length it was told.
var echoBody = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	io.WriteString(w, "length="+strconv.FormatInt(r.ContentLength, 10)+" header="+r.Header.Get("Content-Length")+" body="+string(body))
})

func bodyPost(t *testing.T, url string, body io.Reader) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "text/plain", body)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(data)
}

// chunked hides a reader's length so the client sends it chunked.
type chunked struct{ io.Reader }

// TestInsertEntityBody: inserted bytes come before the unread rest of the body, for modules and
// for the Go fallback handler, whose Content-Length matches what it can read.
func TestInsertEntityBody(t *testing.T) {
	srv := hosttest.ServeWith(t, hosttest.Options{Fallback: echoBody}, hosttest.Module{Name: "Body", Image: hosttest.Build(t, "testdata/modules/body.cpp")})
	status, body := bodyPost(t, srv.URL+"/insert", strings.NewReader("client"))
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "length=15 header=15 body=INSERTED:client", body)

	status, body = bodyPost(t, srv.URL+"/insert", chunked{strings.NewReader("chunky")})
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "length=-1 header= body=INSERTED:chunky", body)

	status, body = bodyPost(t, srv.URL+"/mixed", strings.NewReader("0123456789"))
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "remaining=7 body=01234XY56789", body)
}

// TestRequestBodyLimit: requestLimits maxAllowedContentLength refuses a declared body over it
// with request filtering's 404.13 before any module's handler runs, and cuts a chunked one off (413)
// where it passes the limit.
func TestRequestBodyLimit(t *testing.T) {
	cfg := &host.Config{MaxRequestBodyBytes: 10}
	srv := hosttest.ServeWith(t, hosttest.Options{Config: cfg, Fallback: echoBody},
		append(hosttest.Instances(hosttest.Build(t, "testdata/modules/body.cpp"), "Body"), traceModules(t, "a")...)...)

	status, body := bodyPost(t, srv.URL+"/read", strings.NewReader("0123456789"))
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "read=10 hr=0x80070026", body) // ERROR_HANDLE_EOF ends the loop

	resp, err := http.Post(srv.URL+"/read", "text/plain", strings.NewReader("0123456789A"))
	require.NoError(t, err)
	page, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Contains(t, string(page), "HTTP Error 404.13 - Not Found")
	// As when IIS's request filtering module ends it at RQ_BEGIN_REQUEST: no other module's
	// stage runs until logging and cleanup, which see the refusal.
	assert.Equal(t, []string{"a:LogRequest", "a:PostLogRequest", "a:EndRequest", "a:PostEndRequest", "a:SendResponse"},
		headerItems(resp.Header, "X-Trace"))

	status, body = bodyPost(t, srv.URL+"/read", chunked{strings.NewReader(strings.Repeat("x", 100))})
	assert.Equal(t, http.StatusRequestEntityTooLarge, status)
	assert.Equal(t, "read=10 hr=0x800700DF", body) // HRESULT_FROM_WIN32(ERROR_FILE_TOO_LARGE)
}
