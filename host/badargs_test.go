package host_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	badArgsInvalidArg   = "0x80070057" // E_INVALIDARG, also HRESULT_FROM_WIN32(ERROR_INVALID_PARAMETER)
	badArgsInvalidIndex = "0x80070585" // HRESULT_FROM_WIN32(ERROR_INVALID_INDEX)
)

// badArgsExpected is badargs.cpp's contract, line by line and in order, with every answer
// it accepts. docs/design.md §7 requires E_INVALIDARG for CR or LF in a header name or value.
var badArgsExpected = []struct {
	name  string
	allow []string
}{
	{"resp.SetHeader.nullname", []string{badArgsInvalidArg}},
	{"resp.SetHeader.crlfvalue", []string{badArgsInvalidArg}},
	{"resp.SetHeader.lfname", []string{badArgsInvalidArg}},
	{"req.SetHeader.nullname", []string{badArgsInvalidArg}},
	{"GetServerVariable.nullvalue", []string{badArgsInvalidArg}},
	{"GetServerVariable.nullname", []string{badArgsInvalidArg}},
	{"GetServerVariable.unknown", []string{badArgsInvalidIndex}},
	{"WriteEntityChunks.null", []string{badArgsInvalidArg}},
	{"WriteEntityChunks.badtype", []string{badArgsInvalidArg}},
	{"AllocateRequestMemory.zero", []string{"null", "nonnull"}},
	{"resp.SetStatus.zero", []string{badArgsInvalidArg}},
	{"resp.GetHeader.nullname", []string{"null"}},
	{"req.GetHeader.missing", []string{"null"}},
	{"req.GetHeader.missing.len", []string{"0"}},
	{"ReadEntityBody.nullbuf", []string{badArgsInvalidArg}},
	{"SetUrl.nullw", []string{badArgsInvalidArg}},
	{"SetUrl.nulla", []string{badArgsInvalidArg}},
	{"SetModuleContext.null", []string{badArgsInvalidArg}},
	{"SetServerVariable.nullname", []string{badArgsInvalidArg}},
	{"Redirect.null", []string{badArgsInvalidArg}},
	{"req.GetHeader.badid", []string{"null"}},
	{"resp.SetHeader.badid", []string{badArgsInvalidArg}},
}

func TestBadArgs(t *testing.T) {
	srv := wireServe(t, "BadArgs", "testdata/modules/badargs.cpp")
	c := newWireClient(t)

	requests := []struct {
		name, method, body string
	}{
		{"GET", http.MethodGet, ""},
		// With a body waiting, ReadEntityBody(NULL) must still fail and leave it unread.
		{"POST with a body", http.MethodPost, "payload"},
		{"GET again: the server keeps serving", http.MethodGet, ""},
	}
	for _, rq := range requests {
		t.Run(rq.name, func(t *testing.T) {
			req, err := http.NewRequest(rq.method, srv.URL+"/anything?x=1", strings.NewReader(rq.body))
			require.NoError(t, err)
			res := c.do(t, req)

			// No failed call may have changed the response.
			require.Equal(t, http.StatusOK, res.resp.StatusCode, res.body)
			assert.Equal(t, "text/plain", res.resp.Header.Get("Content-Type"))
			assert.Equal(t, "done", res.resp.Header.Get("X-Badargs"))
			assert.Empty(t, res.resp.Header.Values("X-Bad"))
			assert.Empty(t, res.resp.Header.Values("Location"), "a failed Redirect must not redirect")
			require.True(t, strings.HasSuffix(res.body, "\n"), res.body)
			lines := strings.Split(strings.TrimSuffix(res.body, "\n"), "\n")
			require.Len(t, lines, len(badArgsExpected), res.body)

			for i, want := range badArgsExpected {
				t.Run(want.name, func(t *testing.T) {
					name, value, found := strings.Cut(lines[i], "=")
					require.True(t, found, lines[i])
					require.Equal(t, want.name, name)
					assert.Contains(t, want.allow, value)
				})
			}
		})
	}
}
