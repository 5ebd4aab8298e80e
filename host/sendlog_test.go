package host_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// TestSendResponseLogData: RQ_SEND_RESPONSE subscribers read the request's log fields, ready
// on the final send; a replacement set with SetLogData is written as a host log record.
func TestSendResponseLogData(t *testing.T) {
	srv := hosttest.Serve(t, hosttest.Module{Name: "SendLog", Image: hosttest.Build(t, "testdata/modules/sendlog.cpp")})
	host := strings.TrimPrefix(srv.URL, "http://")
	get := func(query string) http.Header {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/sendlog?"+query, nil)
		require.NoError(t, err)
		req.Header.Set("User-Agent", "log-test")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, 201, resp.StatusCode)
		return resp.Header
	}
	h := get("a=1")
	assert.Equal(t, "ready=1 method=GET stem=/sendlog query=a=1 status=201 agent=log-test service=W3SVC1 verb=4 host="+host, h.Get("X-Log"))
	assert.Empty(t, h.Get("X-Set"))
	assert.NotContains(t, srv.Log.String(), "log data:", "nothing replaced, nothing logged")

	h = get("redact")
	assert.Equal(t, "0x00000000", h.Get("X-Set"))
	assert.Equal(t, "0x80070057", h.Get("X-Bad"))
	assert.Contains(t, srv.Log.String(), `msg="log data: GET /redacted?redact 201.0 client=127.0.0.1 user= agent=log-test" module=SendLog`)
}
