package host_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/host"
	"github.com/iishost/iishost/hosttest"
)

// locationConfig changes the module list and the handler mappings for URLs of the site; the
// modules themselves (h-a, h-b, h-c) come from hosttest, at the root level.
const locationConfig = `<configuration>
  <system.webServer>
    <handlers>
      <add name="All" path="*" verb="*" modules="h-a,h-b,h-c"/>
    </handlers>
  </system.webServer>
  <location path="Default Web Site/sub">
    <system.webServer>
      <modules><remove name="h-b"/></modules>
    </system.webServer>
  </location>
  <location path="Default Web Site/sub/only-c">
    <system.webServer>
      <handlers><clear/><add name="C" path="*" verb="GET" modules="h-c"/></handlers>
    </system.webServer>
  </location>
  <location path="default web site/SUB/none/">
    <system.webServer>
      <modules><clear/></modules>
    </system.webServer>
  </location>
  <location path="Other Site/sub">
    <system.webServer>
      <modules><clear/></modules>
    </system.webServer>
  </location>
</configuration>`

// A request runs the module list and handler mappings in force for its URL, as IIS does.
func TestLocationModulesAndHandlersPerURL(t *testing.T) {
	cfg, err := host.ParseConfig(strings.NewReader(locationConfig), "location.config")
	require.NoError(t, err)
	srv := hosttest.ServeWith(t, hosttest.Options{Config: cfg}, handlerModules(t)...)
	all := func(name, path string) string {
		return name + ": All|*|*|h-a,h-b,h-c|||0|3|3|1|4194304|scriptname=" + path + "\n"
	}
	tests := []struct {
		name, path string
		status     int
		body       string
	}{
		{"the root level's list", "/page", 200, all("h-a", "/page") + all("h-b", "/page") + all("h-c", "/page")},
		{"a location's URL drops h-b", "/sub/page", 200, all("h-a", "/sub/page") + all("h-c", "/sub/page")},
		{"compared case-insensitively", "/SUB", 200, all("h-a", "/SUB") + all("h-c", "/SUB")},
		{"a name that only starts like the location", "/subway", 200, all("h-a", "/subway") + all("h-b", "/subway") + all("h-c", "/subway")},
		{"a deeper location inherits the list and has its own handlers", "/sub/only-c/x", 200,
			"h-c: C|*|GET|h-c|||0|3|3|1|4194304|scriptname=/sub/only-c/x\n"},
		{"no module at all: the static fallback answers", "/sub/none/x", 404, notFoundBody},
		{"MapHandler maps by the URL's location", "/maphandler?url=/sub/only-c/x&verb=GET", 200, "0x00000000 C"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := handlerGet(t, http.MethodGet, srv.URL+tt.path)
			assert.Equal(t, tt.status, status)
			assert.Equal(t, tt.body, body)
		})
	}
	assert.Contains(t, srv.Log.String(), `msg="handler names a module that does not handle requests here" handler=All module=h-b location=/sub config=location.config`)
	assert.Contains(t, srv.Log.String(), `msg="location block not applied: it names no configured site" location="Other Site/sub (22:3)"`)
}

// Modules enabled by a location must be declared, as at the root.
func TestLocationEnablesUndeclaredModule(t *testing.T) {
	cfg, err := host.ParseConfig(strings.NewReader(`<configuration>
  <location path="Default Web Site/x">
    <system.webServer><modules><add name="Nope"/></modules></system.webServer>
  </location>
</configuration>`), "location.config")
	require.NoError(t, err)
	_, _, err = hosttest.Start(t, hosttest.Options{Config: cfg}, handlerModules(t)...)
	require.Error(t, err)
	assert.Equal(t, `config location.config: 3:32: module "Nope" is enabled in <modules> but not declared in <globalModules>`, err.Error())
}
