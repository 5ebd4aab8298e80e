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

const handlersConfig = `<configuration>
  <system.webServer>
    <handlers>
      <add name="Gone" path="*.foo" verb="*" modules="h-a"/>
      <add name="FooHandler" path="*.foo" verb="GET,POST" modules="h-b" scriptProcessor="/usr/bin/foo" requireAccess="Execute" resourceType="File" responseBufferLimit="1024"/>
      <add name="Both" path="both.txt" verb="*" modules="h-a, h-c" allowPathInfo="true"/>
      <add name="Api" path="/api/*" verb="GET" modules="h-c"/>
      <add name="Managed" path="*.aspx" verb="*" type="System.Web.UI.PageHandlerFactory" preCondition="integratedMode,runtimeVersionv4.0"/>
      <add name="Static" path="*" verb="*" modules="StaticFileModule" resourceType="Either" requireAccess="Read"/>
      <remove name="Gone"/>
    </handlers>
  </system.webServer>
</configuration>`

func handlerModules(t *testing.T) []hosttest.Module {
	t.Helper()
	return hosttest.Instances(hosttest.Build(t, "testdata/modules/handlers.cpp"), "h-a", "h-b", "h-c")
}

func handlerGet(t *testing.T, method, url string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(body)
}

// TestHandlerMapping: with a <handlers> section, RQ_EXECUTE_REQUEST_HANDLER goes only to the
// modules of the first entry matching path and verb, and IScriptMapInfo describes that entry;
// a module can rename the script or choose the handler in RQ_MAP_REQUEST_HANDLER.
func TestHandlerMapping(t *testing.T) {
	cfg, err := host.ParseConfig(strings.NewReader(handlersConfig), "handlers.config")
	require.NoError(t, err)
	srv := hosttest.ServeWith(t, hosttest.Options{Config: cfg}, handlerModules(t)...)

	const foo = "FooHandler|*.foo|GET,POST|h-b|/usr/bin/foo||0|4|0|0|1024"
	tests := []struct {
		name, method, path string
		status             int
		body               string
	}{
		{"extension", "GET", "/dir/x.foo", 200, "h-b: " + foo + "|scriptname=/dir/x.foo\n"},
		{"second verb", "POST", "/x.FOO", 200, "h-b: " + foo + "|scriptname=/x.FOO\n"},
		{"verb not listed falls through to *, whose module is not loaded", "PUT", "/x.foo", 405, "405 Method Not Allowed\n"},
		{"exact name, two modules in plan order", "GET", "/a/both.txt", 200,
			"h-a: Both|both.txt|*|h-a, h-c|||1|3|3|0|4194304|scriptname=/a/both.txt\n" +
				"h-c: Both|both.txt|*|h-a, h-c|||1|3|3|0|4194304|scriptname=/a/both.txt\n"},
		{"pattern with a slash matches the whole path", "GET", "/api/list", 200, "h-c: Api|/api/*|GET|h-c|||0|3|3|0|4194304|scriptname=/api/list\n"},
		{"unmet precondition is skipped", "GET", "/page.aspx", 404, notFoundBody},
		{"SetScriptName remaps", "GET", "/plain?setname=/renamed.foo", 200, "h-b: " + foo + "|scriptname=/renamed.foo\n"},
		{"SetScriptMap chooses the modules", "GET", "/x.foo?setmap=1", 200, "h-c: FixtureMap|*.fix|GET|h-c|||0|3|3|0|0|scriptname=/x.foo\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, h, body := handlerGet(t, tt.method, srv.URL+tt.path)
			assert.Equal(t, tt.status, status)
			assert.Equal(t, tt.body, body)
			assert.Equal(t, "null", h.Get("X-Early-Map"), "no handler is chosen before RQ_MAP_REQUEST_HANDLER")
		})
	}
	assert.Contains(t, srv.Log.String(), `level=WARN msg="handler names a module that does not handle requests here" handler=Static module=StaticFileModule config=handlers.config`)
}

// TestMapHandler: IHttpContext3::MapHandler answers for any URL and verb, optionally ignoring
// the "*" entries; SatisfiesPrecondition evaluates IIS precondition lists for this host.
func TestMapHandler(t *testing.T) {
	cfg, err := host.ParseConfig(strings.NewReader(handlersConfig), "handlers.config")
	require.NoError(t, err)
	srv := hosttest.ServeWith(t, hosttest.Options{Config: cfg}, handlerModules(t)...)
	tests := []struct{ path, body string }{
		{"/maphandler?url=/a/b.foo&verb=POST", "0x00000000 FooHandler"},
		{"/maphandler?url=/a/b.foo&verb=DELETE", "0x00000000 Static"},
		{"/maphandler?url=/a/b.bar&verb=GET&nowild=1", "0x80070490 (null)"},
		{"/maphandler?url=relative&verb=GET", "0x80070057 (null)"},
		{"/precond?p=integratedMode,bitness64", "1 unknown=0"},
		{"/precond?p=integratedMode,runtimeVersionv4.0", "0 unknown=0"},
		{"/precond?p=fooBar", "0 unknown=1"},
		{"/precond?p=", "1 unknown=0"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, body := getOK(t, srv.URL+tt.path)
			assert.Equal(t, tt.body, body)
		})
	}
}

// TestNoHandlersSection: without <handlers>, the mapping IIS ships is in force: every request
// maps to the StaticFile handler (path and verb "*", Read access, File or Directory), so
// GetScriptMap is never NULL, and every subscribed module handles the request.
func TestNoHandlersSection(t *testing.T) {
	srv := hosttest.Serve(t, handlerModules(t)...)
	_, body := getOK(t, srv.URL+"/x.foo")
	const staticFile = "StaticFile|*|*|StaticFileModule,DefaultDocumentModule,DirectoryListingModule|||0|1|2|1|4194304"
	assert.Equal(t, "h-a: "+staticFile+"|scriptname=/x.foo\nh-b: "+staticFile+"|scriptname=/x.foo\nh-c: "+staticFile+"|scriptname=/x.foo\n", body)
}

// TestHandlersConfigErrors: a broken <handlers> entry is refused, naming the file, the position
// and the element.
func TestHandlersConfigErrors(t *testing.T) {
	tests := []struct{ name, add, want string }{
		{"no path", `<add name="x" verb="*"/>`, "<add> in <handlers> has no path"},
		{"no verb", `<add name="x" path="*"/>`, "<add> in <handlers> has no verb"},
		{"no name", `<add path="*" verb="*"/>`, "<add> in <handlers> has no name"},
		{"bad access", `<add name="x" path="*" verb="*" requireAccess="Full"/>`, `handler "x": requireAccess "Full" is not None, Read, Write, Script or Execute`},
		{"bad resource", `<add name="x" path="*" verb="*" resourceType="Disk"/>`, `handler "x": resourceType "Disk" is not File, Directory, Either or Unspecified`},
		{"bad limit", `<add name="x" path="*" verb="*" responseBufferLimit="big"/>`, `handler "x": responseBufferLimit "big" is not a byte count`},
		{"bad bool", `<add name="x" path="*" verb="*" allowPathInfo="maybe"/>`, `handler "x": allowPathInfo "maybe" is not true or false`},
		{"duplicate", `<add name="x" path="*" verb="*"/><add name="X" path="*" verb="*"/>`, `duplicate handler "X" in <handlers> (first added at 2:1)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := "<configuration><system.webServer><handlers>\n" + tt.add + "\n</handlers></system.webServer></configuration>"
			_, err := host.ParseConfig(strings.NewReader(doc), "site.config")
			require.Error(t, err)
			col := 1
			if tt.name == "duplicate" {
				col = 1 + strings.Index(tt.add, `<add name="X"`)
			}
			assert.Equal(t, "config site.config: 2:"+strconv.Itoa(col)+": "+tt.want, err.Error())
		})
	}
	_, err := host.ParseConfig(strings.NewReader("<configuration><system.webServer><handlers/><handlers/></system.webServer></configuration>"), "site.config")
	require.Error(t, err)
	assert.Equal(t, "config site.config: 1:45: duplicate <handlers> section (first at 1:34)", err.Error())
}
