package host_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/host"
	"github.com/iishost/iishost/hosttest"
)

// atlConfig gives the ATL fixture's section at the root and an override for the site.
const atlConfig = `<?xml version="1.0" encoding="UTF-8"?>
<configuration>
  <system.webServer>
    <atlFixture greeting="Grüß dich" repeat="3" tags=" red, green ,,blue ">
      <add key="a" value="1"/>
      <add key="b" value="zwei"/>
    </atlFixture>
  </system.webServer>
  <location path="Default Web Site">
    <system.webServer>
      <atlFixture greeting="Hello" repeat="0012" tags="one">
        <remove key="a"/>
      </atlFixture>
    </system.webServer>
  </location>
</configuration>
`

// TestATLModule runs a module written with ATL (CComPtr, CComQIPtr, CComBSTR, CComVariant,
// CString, CA2W/CW2A, CComAutoCriticalSection, ATLTRACE), compiled without edits, reading its
// configuration through the admin manager.
func TestATLModule(t *testing.T) {
	cfg, err := host.ParseConfig(strings.NewReader(atlConfig), "atl.config")
	require.NoError(t, err)
	srv := hosttest.ServeWith(t, hosttest.Options{Config: cfg},
		hosttest.Module{Name: "Atl", Image: hosttest.Build(t, "testdata/modules/atlmodule.cpp")})

	get := func(t *testing.T, query, configPath string) string {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/atl?"+query, nil)
		require.NoError(t, err)
		if configPath != "" {
			req.Header.Set("X-Config-Path", configPath)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
		assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
		return string(body)
	}

	tests := []struct{ name, query, path, want string }{
		{"root", "name=ada", "",
			"request 1\n" +
				"registered Grüß dich\n" +
				"Grüß dich, ada!\n" +
				"upper ADA\n" +
				"repeat 3\n" +
				"tags red|green|blue\n" +
				"entry a=1\n" +
				"entry b=zwei\n" +
				"missing 0x80070057\n"}, // HRESULT_FROM_WIN32(ERROR_INVALID_PARAMETER)
		// The name arrives as UTF-8 bytes and goes through CA2W(CP_UTF8) and CW2A(CP_UTF8).
		{"site, UTF-8 name", "name=zo\u00eb", "MACHINE/WEBROOT/APPHOST/Default Web Site",
			"request 2\n" +
				"registered Grüß dich\n" +
				"Hello, zo\u00eb!\n" +
				"upper ZO\u00eb\n" + // the host's "C" locale maps ASCII letters only
				"repeat 12\n" +
				"tags one\n" +
				"entry b=zwei\n" +
				"missing 0x80070057\n"},
		{"no name, bad path", "", "MACHINE/NOWHERE",
			"request 3\n" +
				"registered Grüß dich\n" +
				"section 0x80070002\n"}, // HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, get(t, tc.query, tc.path))
		})
	}

	var traces []string
	for _, l := range logLines(srv.Log.String()) {
		if strings.Contains(l, "source=OutputDebugString") {
			traces = append(traces, l)
		}
	}
	assert.Equal(t, []string{
		`level=INFO msg="atl ada" module=Atl source=OutputDebugString`,
		`level=INFO msg="atl zoë" module=Atl source=OutputDebugString`,
		`level=INFO msg="atl " module=Atl source=OutputDebugString`,
	}, traces)
}

// TestATLModuleException: a CAtlException escaping a notification is a 500 and a log record, and
// the module goes on serving.
func TestATLModuleException(t *testing.T) {
	srv := hosttest.Serve(t, hosttest.Module{Name: "Atl", Image: hosttest.Build(t, "testdata/modules/atlmodule.cpp")})
	resp, err := http.Get(srv.URL + "/atl?throw")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	assert.Contains(t, srv.Log.String(), `level=ERROR msg="exception escaped BeginRequest: CAtlException 0x80070057" module=Atl`)

	resp, err = http.Get(srv.URL + "/atl?name=after")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	// No configuration document: the section is not there.
	assert.Equal(t, "request 1\nregistered none\nsection 0x80070057\n", string(body))
}
