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

// adminConfig has the fixture's section at the root and a <location> override for the site:
// attributes override, <remove> matches case-insensitively, entries follow the inherited ones.
const adminConfig = `<?xml version="1.0" encoding="UTF-8"?>
<configuration>
  <system.webServer>
    <adminFixture enabled="true" limit="42" name="alpha" big="4000000000" neg="-7" ratio="1.5" off="FALSE">
      <add key="a" value="1"/>
      <add key="b" value="2"/>
      <add key="c" value="3"/>
      <remove key="b"/>
      <details mode="x"/>
    </adminFixture>
  </system.webServer>
  <location path="Default Web Site">
    <system.webServer>
      <adminFixture limit="7" extra="yes">
        <remove key="A"/>
        <add key="d" value="4"/>
        <details mode="y"/>
      </adminFixture>
    </system.webServer>
  </location>
  <location path="Other Site">
    <system.webServer>
      <adminFixture limit="1"/>
    </system.webServer>
  </location>
</configuration>
`

// adminTail is what every report of the section ends with, whatever the path.
const adminTail = "element nope=0x80070585\n" +
	"missing=0x80070057\n" + // HRESULT_FROM_WIN32(ERROR_INVALID_PARAMETER)
	"badpath=0x80070002\n" + // HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)
	"qi=0x00000000,0x00000000,0x80004002\n" +
	"refs=2,1,0\n" +
	"clsid other=0x80040154\n" // REGDB_E_CLASSNOTREG

func adminGet(t *testing.T, url, configPath string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
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
	return string(body)
}

func TestAdminManagerReadsConfiguration(t *testing.T) {
	cfg, err := host.ParseConfig(strings.NewReader(adminConfig), "admin.config")
	require.NoError(t, err)
	srv := hosttest.ServeWith(t, hosttest.Options{Config: cfg},
		hosttest.Module{Name: "Admin", Image: hosttest.Build(t, "testdata/modules/admin.cpp")})

	root := "registered=3:42\n" +
		"section=system.webServer/adminFixture\n" +
		"prop enabled=11:-1\n" + // VT_BOOL, VARIANT_TRUE
		"prop limit=3:42\n" + // VT_I4
		"prop name=8:alpha\n" + // VT_BSTR
		"prop big=19:4000000000\n" + // VT_UI4: does not fit a LONG
		"prop neg=3:-7\n" +
		"prop ratio=8:1.5\n" +
		"prop off=11:0\n" + // VARIANT_FALSE, any case
		"byname limit=3:42 string=42\n" +
		"byname nope=0x80070585\n" + // HRESULT_FROM_WIN32(ERROR_INVALID_INDEX)
		"item name=8:alpha\n" +
		"item 99=0x80070585\n" +
		"collection=2\n" +
		"entry 0 key=a,value=1\n" +
		"entry 1 key=c,value=3\n" +
		"children=1 details\n" +
		"child details mode=8:x\n" +
		"element details mode=8:x\n" +
		adminTail
	site := "registered=3:42\n" +
		"section=system.webServer/adminFixture\n" +
		"prop enabled=11:-1\n" +
		"prop limit=3:7\n" +
		"prop name=8:alpha\n" +
		"prop big=19:4000000000\n" +
		"prop neg=3:-7\n" +
		"prop ratio=8:1.5\n" +
		"prop off=11:0\n" +
		"prop extra=8:yes\n" +
		"byname limit=3:7 string=7\n" +
		"byname nope=0x80070585\n" +
		"item name=8:alpha\n" +
		"item 99=0x80070585\n" +
		"collection=2\n" +
		"entry 0 key=c,value=3\n" +
		"entry 1 key=d,value=4\n" +
		"children=1 details\n" +
		"child details mode=8:y\n" +
		"element details mode=8:y\n" +
		adminTail
	tests := []struct{ name, path, want string }{
		{"default path is the root", "", root},
		{"root", "MACHINE/WEBROOT/APPHOST", root},
		{"root, other case and trailing slash", "machine/webroot/apphost/", root},
		{"site", "MACHINE/WEBROOT/APPHOST/Default Web Site", site},
		{"site, other case", "MACHINE/WEBROOT/APPHOST/default web site/", site},
		{"URL under the site inherits the site", "MACHINE/WEBROOT/APPHOST/Default Web Site/app/page", site},
		// A site-name prefix is not a parent path.
		{"not a prefix at a slash", "MACHINE/WEBROOT/APPHOST/Default Web Sites", root},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, adminGet(t, srv.URL, tc.path))
		})
	}
}

// A configuration from flags has no document: modules see an empty <configuration/>.
func TestAdminManagerWithoutDocument(t *testing.T) {
	srv := hosttest.Serve(t, hosttest.Module{Name: "Admin", Image: hosttest.Build(t, "testdata/modules/admin.cpp")})
	assert.Equal(t, "registered=0x80070057\nsection=0x80070057\nclsid other=0x80040154\n", adminGet(t, srv.URL, ""))
}

func TestAdminConfigDocument(t *testing.T) {
	cfg, err := host.ParseConfig(strings.NewReader(`<configuration><a x="1" y="2"><b/><c z="3"/></a><location path="s"><a/></location></configuration>`), "doc")
	require.NoError(t, err)
	want := &host.ConfigElement{Name: "configuration", Children: []*host.ConfigElement{
		{Name: "a", Attributes: [][2]string{{"x", "1"}, {"y", "2"}}, Children: []*host.ConfigElement{
			{Name: "b"}, {Name: "c", Attributes: [][2]string{{"z", "3"}}},
		}},
		{Name: "location", Attributes: [][2]string{{"path", "s"}}, Children: []*host.ConfigElement{{Name: "a"}}},
	}}
	assert.Equal(t, want, cfg.Document)
}
