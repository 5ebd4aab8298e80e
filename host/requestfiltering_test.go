package host_test

// Request filtering (issue 10): each rule through the Guard fixture over a raw socket. Guard
// answers "open <cooked path>" for any other URL, so a served request shows the module saw it,
// and a refused one shows it did not.

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/host"
	"github.com/iishost/iishost/hosttest"
)

const filterSource = "reqfilter.config"

// filterConfig parses a configuration document whose <configuration> holds body.
func filterConfig(t testing.TB, body string) *host.Config {
	t.Helper()
	cfg, err := host.ParseConfig(strings.NewReader("<configuration>\n"+body+"\n</configuration>\n"), filterSource)
	require.NoError(t, err)
	return cfg
}

// filterSection is a root-level <requestFiltering> with the given attributes and children.
func filterSection(attrs, children string) string {
	return "<system.webServer><security><requestFiltering " + attrs + ">\n" + children +
		"\n</requestFiltering></security></system.webServer>"
}

func filterLocation(path, attrs, children string) string {
	return `<location path="` + path + `">` + filterSection(attrs, children) + "</location>"
}

// filterServe serves Guard under cfg (nil: no configuration document, so IIS's shipped section).
func filterServe(t *testing.T, cfg *host.Config) *hosttest.Server {
	t.Helper()
	return guardServe(t, hosttest.Options{Config: cfg})
}

// filterCase is one raw request and what must come of it: refused with code ("404.8"), or
// served to the module, which answers "open <served>".
type filterCase struct {
	request string // a whole request, or a bare target for a GET
	code    string
	served  string
}

func (c filterCase) raw() string {
	if strings.HasPrefix(c.request, "/") {
		return rawGet(c.request)
	}
	return c.request
}

func runFilterCases(t *testing.T, srv *hosttest.Server, cases []filterCase) {
	t.Helper()
	for _, tc := range cases {
		name := tc.request
		if len(name) > 60 {
			name = name[:60] + fmt.Sprintf("...(%d bytes)", len(tc.request))
		}
		t.Run(name, func(t *testing.T) {
			// One request, one reply: read just it, rather than wait for the connection to go quiet.
			conn := rawDial(t, srv)
			_, err := io.WriteString(conn, tc.raw())
			require.NoError(t, err)
			assertFilterReply(t, rawReadOne(t, conn), tc.code, tc.served)
		})
	}
}

func assertFilterReply(t *testing.T, reply rawReply, code, served string) {
	t.Helper()
	if code == "" {
		assert.Equal(t, http.StatusOK, reply.status)
		assert.Equal(t, "open "+served, reply.body)
		return
	}
	assert.Equal(t, http.StatusNotFound, reply.status)
	assert.Contains(t, reply.body, "HTTP Error "+code+" - Not Found: ")
	assert.NotContains(t, reply.body, "open ", "the module must not see a filtered request")
}

// With no <requestFiltering> anywhere, IIS's shipped section applies, and spelling tricks do not
// get a hidden segment or a denied extension past it.
func TestRequestFilteringDefaultsHostile(t *testing.T) {
	srv := filterServe(t, nil)
	long := func(n int) string { // a path of n bytes in segments of at most 200
		var b strings.Builder
		for b.Len() < n {
			seg := min(200, n-b.Len()-1)
			b.WriteString("/" + strings.Repeat("u", seg))
		}
		return b.String()
	}
	runFilterCases(t, srv, []filterCase{
		{request: "/bin/x", code: "404.8"},
		{request: "/BIN/x", code: "404.8"},
		{request: "/%62in/x", code: "404.8"},
		{request: "/bin%2fx", code: "404.8"},
		{request: "/bin%5cx", code: "404.8"},
		{request: `/a\bin\x`, code: "404.8"},
		{request: "/x/..%2fbin/x", code: "404.8"},
		{request: "/x/%2e%2e/bin/x", code: "404.8"},
		{request: "/bin./x", code: "404.8"},
		{request: "/bin%20/x", code: "404.8"},
		{request: "/bin;x/y", code: "404.8"},
		{request: "/web.config", code: "404.8"},
		{request: "/Web.Config", code: "404.8"},
		{request: "/sub/WEB.CONFIG", code: "404.8"},
		{request: "/web.config::$DATA", code: "404.8"},
		{request: "/web%2econfig", code: "404.8"},
		{request: "/web.config.", code: "404.8"},
		{request: "/App_Data/x.txt", code: "404.8"},
		{request: "/app_browsers/", code: "404.8"},
		{request: "/x.mdb", code: "404.7"},
		{request: "/X.CS", code: "404.7"},
		{request: "/x.cs.", code: "404.7"},
		{request: "/x.cs::$DATA", code: "404.7"},
		{request: "/x.cs;.txt", code: "404.7"},
		{request: "/x%2Easax", code: "404.7"},
		{request: "/%252e%252e/", code: "404.11"},
		{request: "/%252e%252e/x", code: "404.11"},
		{request: "/a%25b", code: "404.11"},
		{request: "/a+b", code: "404.11"},
		{request: "/a%2bb", code: "404.11"},
		{request: long(4097), code: "404.14"},
		{request: "/q?" + strings.Repeat("q", 2049), code: "404.15"},
		{request: "/q?" + strings.Repeat("q%00", 4000), code: "404.15"}, // under the front door's 16 KiB
		// The shipped maxAllowedContentLength, 30000000: the declared length alone decides, so
		// no body is sent (Guard answers /big without reading one).
		{request: "POST /big HTTP/1.1\r\nHost: test\r\nContent-Length: 30000001\r\n\r\n", code: "404.13"},
		{request: "POST /big HTTP/1.1\r\nHost: test\r\nContent-Length: 30000000\r\n\r\n", served: "/big"},
		// Neighbours that pass.
		{request: "/binx/y", served: "/binx/y"},
		{request: "/my.bin/x", served: "/my.bin/x"},
		{request: "/bin.html", served: "/bin.html"},
		{request: "/web.configx", served: "/web.configx"},
		{request: "/x.config.txt", served: "/x.config.txt"},
		{request: "/x.csv", served: "/x.csv"},
		{request: "/App_Data2/x", served: "/App_Data2/x"},
		{request: "/caf%C3%A9", served: "/café"},
		{request: "/caf\xc3\xa9", served: "/café"},
		{request: long(4096), served: long(4096)},
		{request: "/q?" + strings.Repeat("q", 2048), served: "/q"},
	})
	t.Run("the log names the substatus", func(t *testing.T) {
		replies, _ := rawExchange(t, srv, rawGet("/bin/logged"))
		require.Len(t, replies, 1)
		assert.Contains(t, srv.Log.String(), `msg="request refused by request filtering" status=404 substatus=8`)
		assert.Contains(t, srv.Log.String(), `path=/bin/logged`)
	})
}

// maxAllowedContentLength: a declared length over it is refused before any module runs; one at
// it is read whole; a chunked body is still cut off where it passes it.
func TestRequestFilteringContentLength(t *testing.T) {
	srv := filterServe(t, filterConfig(t, filterSection("", `<requestLimits maxAllowedContentLength="100"/>`)))
	post := func(n int) string {
		return fmt.Sprintf("POST /read HTTP/1.1\r\nHost: test\r\nContent-Length: %d\r\n\r\n%s", n, strings.Repeat("b", n))
	}
	replies, _ := rawExchange(t, srv, post(100))
	require.Len(t, replies, 1)
	assert.Equal(t, http.StatusOK, replies[0].status)
	assert.Equal(t, "read=100 hr=0x80070026", replies[0].body) // ERROR_HANDLE_EOF ends the loop

	replies, closed := rawExchange(t, srv, post(101))
	require.Len(t, replies, 1)
	assertFilterReply(t, replies[0], "404.13", "")
	assert.NotContains(t, replies[0].body, "read=")
	assert.True(t, closed, "an unread body too large to drain ends the connection")

	chunked := "POST /read HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n96\r\n" + strings.Repeat("c", 150) + "\r\n0\r\n\r\n"
	replies, _ = rawExchange(t, srv, chunked)
	require.Len(t, replies, 1)
	// Guard answers 200 whatever ReadEntityBody returned; the HRESULT shows the cut.
	assert.Equal(t, "read=100 hr=0x800700DF", replies[0].body) // HRESULT_FROM_WIN32(ERROR_FILE_TOO_LARGE)
}

// A location's maxAllowedContentLength holds for declared and chunked bodies alike, whether it
// lowers the root level's limit or raises it.
func TestRequestFilteringContentLengthPerLocation(t *testing.T) {
	limits := func(root, site string) *host.Config {
		return filterConfig(t, filterSection("", `<requestLimits maxAllowedContentLength="`+root+`"/>`)+
			filterLocation("Default Web Site", "", `<requestLimits maxAllowedContentLength="`+site+`"/>`))
	}
	declared := func(n int) string {
		return fmt.Sprintf("POST /read HTTP/1.1\r\nHost: test\r\nContent-Length: %d\r\n\r\n%s", n, strings.Repeat("d", n))
	}
	chunked := func(n int) string {
		return fmt.Sprintf("POST /read HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n", n, strings.Repeat("c", n))
	}
	tests := []struct {
		name, root, site, request, want string
	}{
		{"lowered: declared at the limit", "1000", "100", declared(100), "read=100 hr=0x80070026"},
		{"lowered: declared over it", "1000", "100", declared(101), "404.13"},
		{"lowered: chunked cut off", "1000", "100", chunked(150), "read=100 hr=0x800700DF"},
		{"raised: declared", "100", "1000", declared(500), "read=500 hr=0x80070026"},
		{"raised: chunked", "100", "1000", chunked(500), "read=500 hr=0x80070026"},
		{"raised: chunked cut off", "100", "1000", chunked(1500), "read=1000 hr=0x800700DF"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := filterServe(t, limits(tc.root, tc.site))
			replies, _ := rawExchange(t, srv, tc.request)
			require.Len(t, replies, 1)
			if strings.HasPrefix(tc.want, "404.") {
				assertFilterReply(t, replies[0], tc.want, "")
				return
			}
			assert.Equal(t, tc.want, replies[0].body)
		})
	}
}

// Every other rule, each with a neighbour that passes.
func TestRequestFilteringRules(t *testing.T) {
	cfg := filterConfig(t, filterSection(`allowHighBitCharacters="false" allowDoubleEscaping="true"`, `
  <requestLimits maxUrl="64" maxQueryString="32">
    <headerLimits><add header="X-Small" sizeLimit="5"/></headerLimits>
  </requestLimits>
  <fileExtensions allowUnlisted="false">
    <add fileExtension=".txt" allowed="true"/>
    <add fileExtension="." allowed="true"/>
    <add fileExtension=".bak" allowed="false"/>
  </fileExtensions>
  <verbs allowUnlisted="true"><add verb="DELETE" allowed="false"/></verbs>
  <hiddenSegments><add segment="private"/><add segment="deep/er"/></hiddenSegments>
  <denyUrlSequences><add sequence="secret"/><add sequence=".."/></denyUrlSequences>
  <denyQueryStringSequences><add sequence="drop"/></denyQueryStringSequences>
  <alwaysAllowedUrls><add url="/secret/open.txt"/></alwaysAllowedUrls>
  <alwaysAllowedQueryStrings><add queryString="q=drop"/></alwaysAllowedQueryStrings>
  <filteringRules>
    <filteringRule name="scripts" scanUrl="false" scanQueryString="true">
      <scanHeaders><add requestHeader="User-Agent"/></scanHeaders>
      <appliesTo><add fileExtension=".txt"/></appliesTo>
      <denyStrings><add string="&lt;script"/></denyStrings>
    </filteringRule>
    <filteringRule name="everywhere" scanUrl="true">
      <denyStrings><add string="evil"/></denyStrings>
    </filteringRule>
    <filteringRule name="raw" scanAllRaw="true">
      <denyStrings><add string="sneaky"/></denyStrings>
    </filteringRule>
  </filteringRules>`))
	srv := filterServe(t, cfg)
	withHeader := func(method, target, header string) string {
		return method + " " + target + " HTTP/1.1\r\nHost: test\r\n" + header + "\r\n\r\n"
	}
	runFilterCases(t, srv, []filterCase{
		// 404.7: only listed extensions, "." for none.
		{request: "/a.txt", served: "/a.txt"},
		{request: "/dir/", served: "/dir/"},
		{request: "/dir", served: "/dir"},
		{request: "/a.bin", code: "404.7"},
		{request: "/a.BAK", code: "404.7"},
		// 404.6
		{request: "DELETE /a.txt HTTP/1.1\r\nHost: test\r\n\r\n", code: "404.6"},
		{request: "delete /a.txt HTTP/1.1\r\nHost: test\r\n\r\n", code: "404.6"},
		{request: "PUT /a.txt HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n", served: "/a.txt"},
		// 404.8, on whole segments and runs of them
		{request: "/private/a.txt", code: "404.8"},
		{request: "/PRIVATE./a.txt", code: "404.8"},
		{request: "/x/deep/er/a.txt", code: "404.8"},
		{request: "/privately/a.txt", served: "/privately/a.txt"},
		{request: "/deep/x/er/a.txt", served: "/deep/x/er/a.txt"},
		// 404.5 in the raw, once-decoded and canonical URL alike
		{request: "/SeCrEt/a.txt", code: "404.5"},
		{request: "/%73ecret/a.txt", code: "404.5"},
		{request: "/x/../a.txt", code: "404.5"},
		{request: "/secret/open.txt", served: "/secret/open.txt"},
		{request: "/SECRET/OPEN.TXT", served: "/SECRET/OPEN.TXT"},
		{request: "/secre/t.txt", served: "/secre/t.txt"},
		// 404.18, raw and unescaped; an always-allowed query string passes
		{request: "/a.txt?x=DROP", code: "404.18"},
		{request: "/a.txt?x=%44rop", code: "404.18"},
		{request: "/a.txt?x=dr", served: "/a.txt"},
		{request: "/a.txt?q=drop", served: "/a.txt"},
		// 404.14 and 404.15 at their configured limits
		{request: "/" + strings.Repeat("a", 59) + ".txt", served: "/" + strings.Repeat("a", 59) + ".txt"},
		{request: "/" + strings.Repeat("a", 60) + ".txt", code: "404.14"},
		{request: "/a.txt?" + strings.Repeat("z", 32), served: "/a.txt"},
		{request: "/a.txt?" + strings.Repeat("z", 33), code: "404.15"},
		// 404.10
		{request: withHeader("GET", "/a.txt", "X-Small: 12345"), served: "/a.txt"},
		{request: withHeader("GET", "/a.txt", "x-small: 123456"), code: "404.10"},
		{request: withHeader("GET", "/a.txt", "X-Small: 123\r\nX-Small: 45"), code: "404.10"},
		// 404.12, escaped or raw
		{request: "/caf%C3%A9.txt", code: "404.12"},
		{request: "/caf\xc3\xa9.txt", code: "404.12"},
		// allowDoubleEscaping="true" lets '+' and %25 through
		{request: "/a+b.txt", served: "/a+b.txt"},
		{request: "/%2541.txt", served: "/%41.txt"},
		// 404.19: query string and header scans for .txt only; the URL scan of another rule
		{request: "/a.txt?x=%3Cscript", code: "404.19"},
		{request: "/a?x=%3Cscript", served: "/a"},
		{request: withHeader("GET", "/a.txt", "User-Agent: x<SCRIPT>"), code: "404.19"},
		{request: withHeader("GET", "/a", "User-Agent: x<script>"), served: "/a"},
		{request: withHeader("GET", "/a.txt", "Referer: <script>"), served: "/a.txt"},
		{request: "/%3cscript.txt", served: "/<script.txt"},
		{request: "/x/%45vil.txt", code: "404.19"},
		{request: withHeader("GET", "/a.txt", "X-Any: a SNEAKY b"), code: "404.19"},
		{request: withHeader("GET", "/a.txt", "X-Sneaky: 1"), code: "404.19"},
		{request: "/a.txt?sneaky", code: "404.19"},
	})
}

// <location> levels inherit the root's section and change it with <add>, <remove> and <clear>;
// the deepest location that covers a URL decides, whatever the URL's case.
func TestRequestFilteringLocations(t *testing.T) {
	cfg := filterConfig(t, filterSection("", `
  <hiddenSegments><add segment="private"/></hiddenSegments>
  <denyUrlSequences><add sequence="zz"/></denyUrlSequences>`)+
		filterLocation("Default Web Site/app", "", `
  <hiddenSegments><remove segment="PRIVATE"/></hiddenSegments>
  <fileExtensions><add fileExtension=".log" allowed="false"/></fileExtensions>`)+
		filterLocation("Default Web Site/app/strict", "", `
  <denyUrlSequences><clear/></denyUrlSequences>
  <requestLimits maxQueryString="4"/>`)+
		filterLocation("Other Site/app", "", `<hiddenSegments><add segment="app"/></hiddenSegments>`))
	srv := filterServe(t, cfg)
	runFilterCases(t, srv, []filterCase{
		{request: "/private/x", code: "404.8"},
		{request: "/app/private/x", served: "/app/private/x"},
		{request: "/APP/Private/x", served: "/APP/Private/x"},
		{request: "/application/private/x", code: "404.8"},
		{request: "/app/x.log", code: "404.7"},
		{request: "/app./x.log", code: "404.7"},
		{request: "/App%20/x.log", code: "404.7"},
		{request: "/app;v=1/x.log", code: "404.7"},
		{request: "/x/..%2fapp/x.log", code: "404.7"},
		{request: "/apps/x.log", served: "/apps/x.log"},
		{request: "/x.log", served: "/x.log"},
		{request: "/app/zz", code: "404.5"},
		{request: "/app/strict/zz", served: "/app/strict/zz"},
		{request: "/app/strict/x.log", code: "404.7"},
		{request: "/app/strict/private/x", served: "/app/strict/private/x"},
		{request: "/app/strict?abcde", code: "404.15"},
		{request: "/app?abcde", served: "/app"},
		// A root section replaces IIS's shipped one, as it does in applicationHost.config.
		{request: "/bin/x", served: "/bin/x"},
	})
}

// A configuration with <requestFiltering> only in a <location> keeps IIS's shipped section as
// its root level.
func TestRequestFilteringLocationOnlyKeepsDefaults(t *testing.T) {
	cfg := filterConfig(t, filterLocation("Default Web Site/app", "", `<hiddenSegments><add segment="private"/></hiddenSegments>`))
	srv := filterServe(t, cfg)
	runFilterCases(t, srv, []filterCase{
		{request: "/bin/x", code: "404.8"},
		{request: "/app/bin/x", code: "404.8"},
		{request: "/app/x.mdb", code: "404.7"},
		{request: "/app/private/x", code: "404.8"},
		{request: "/private/x", served: "/private/x"},
	})
}

// Bad values stop the server with the file, line and column of the element at fault.
func TestRequestFilteringConfigErrors(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"maxUrl not a number", filterSection("", `<requestLimits maxUrl="abc"/>`),
			filterSource + `: 3:1: requestFiltering requestLimits/maxUrl="abc": want a whole number from 0 to 4294967295`},
		{"maxAllowedContentLength past uint", filterSection("", `<requestLimits maxAllowedContentLength="4294967296"/>`),
			filterSource + `: 3:1: requestFiltering requestLimits/maxAllowedContentLength="4294967296"`},
		{"flag not a bool", filterSection(`allowDoubleEscaping="yes"`, ""),
			filterSource + `: 2:29: requestFiltering allowDoubleEscaping="yes": want true or false`},
		{"allowed not a bool", filterSection("", `<fileExtensions><add fileExtension=".x" allowed="maybe"/></fileExtensions>`),
			filterSource + `: 3:17: requestFiltering fileExtensions allowed="maybe": want true or false`},
		{"allowed missing", filterSection("", `<verbs><add verb="GET"/></verbs>`),
			filterSource + `: 3:8: requestFiltering verbs: <add "GET"> has no allowed`},
		{"entry without its key", filterSection("", `<hiddenSegments><add/></hiddenSegments>`),
			filterSource + `: 3:17: requestFiltering hiddenSegments: <add> has no segment`},
		{"duplicate across a location", filterSection("", `<denyUrlSequences><add sequence="x"/></denyUrlSequences>`) + "\n" +
			filterLocation("Default Web Site/a", "", `<denyUrlSequences><add sequence="X"/></denyUrlSequences>`),
			filterSource + `: 6:19: requestFiltering denyUrlSequences: duplicate sequence="X" (first added at 3:19)`},
		{"section twice for the root", filterSection("", "") + "\n" + filterLocation("", "", ""),
			filterSource + `: 5:47: duplicate <requestFiltering> section for the same path (first at 2:29)`},
		{"section twice for one location", filterLocation("Default Web Site/a", "", "") + "\n" + filterLocation("default web site/a/", "", ""),
			filterSource + `: 5:66: duplicate <requestFiltering> section for the same path (first at 2:65)`},
		{"bad value in a filtering rule", filterSection("", `<filteringRules><filteringRule name="r" scanUrl="1"/></filteringRules>`),
			filterSource + `: 3:17: requestFiltering scanUrl="1": want true or false`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := hosttest.Start(t, hosttest.Options{Config: filterConfig(t, tc.body)})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
