package host_test

// Failed-request tracing (issue 12): the freb fixture fails requests in known ways; traces are
// read from the files the host writes and from Server.RecentTraces. Requests go over one raw
// connection, so each is over (and judged) before the next is read.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/host"
	"github.com/iishost/iishost/hosttest"
)

// frebConfig is a configuration whose siteDefaults turn tracing on into dir with the given
// extra attributes, and whose root level holds rules.
func frebConfig(t testing.TB, dir, logging, body string) *host.Config {
	t.Helper()
	return filterConfig(t, fmt.Sprintf(`<system.applicationHost><sites><siteDefaults>
<traceFailedRequestsLogging enabled="true" directory="%s" %s/></siteDefaults></sites></system.applicationHost>
%s`, dir, logging, body))
}

// frebRules is a root-level <traceFailedRequests> with one rule.
func frebRules(path, failure string) string {
	return `<system.webServer><tracing><traceFailedRequests>` + frebRule(path, failure) +
		`</traceFailedRequests></tracing></system.webServer>`
}

func frebRule(path, failure string) string {
	return `<add path="` + path + `"><traceAreas><add provider="WWW Server" areas="All" verbosity="Verbose"/></traceAreas>` +
		`<failureDefinitions ` + failure + `/></add>`
}

func frebServe(t *testing.T, cfg *host.Config) *hosttest.Server {
	t.Helper()
	return hosttest.ServeWith(t, hosttest.Options{Config: cfg}, hosttest.Module{Name: "Freb", Image: hosttest.Build(t, "testdata/modules/freb.cpp")})
}

// frebGet sends each target on one connection, then one more request, so that every target's
// request has ended before it returns.
func frebGet(t *testing.T, srv *hosttest.Server, targets ...string) []rawReply {
	t.Helper()
	conn := rawDial(t, srv)
	var out []rawReply
	for _, target := range append(targets, "/sync") {
		_, err := conn.Write([]byte(rawGet(target)))
		require.NoError(t, err)
		out = append(out, rawReadOne(t, conn))
	}
	return out[:len(targets)]
}

// traceFor finds the one trace of url among the recent ones, and reads its file.
func traceFor(t *testing.T, srv *hosttest.Server, url string) (host.FailedRequestTrace, string) {
	t.Helper()
	var found []host.FailedRequestTrace
	for _, tr := range srv.Host.RecentTraces() {
		if tr.URL == url {
			found = append(found, tr)
		}
	}
	require.Len(t, found, 1, "traces of %s", url)
	page, err := os.ReadFile(found[0].Path)
	require.NoError(t, err)
	return found[0], string(page)
}

// assertInOrder checks that parts occur in text in this order.
func assertInOrder(t *testing.T, text string, parts ...string) {
	t.Helper()
	at := 0
	for _, p := range parts {
		i := strings.Index(text[at:], p)
		if !assert.GreaterOrEqual(t, i, 0, "%q after offset %d", p, at) {
			return
		}
		at += i + len(p)
	}
}

func TestFailedRequestTrace404And500(t *testing.T) {
	dir := t.TempDir()
	srv := frebServe(t, frebConfig(t, dir, "", frebRules("*", `statusCodes="404.2,500-599"`)))
	replies := frebGet(t, srv, "/ok", "/missing", "/broken")
	assert.Equal(t, []int{200, 404, 500}, []int{replies[0].status, replies[1].status, replies[2].status})

	traces := srv.Host.RecentTraces()
	require.Len(t, traces, 2, "the 200 is not traced")
	assert.Equal(t, "/broken", traces[0].URL, "newest first")

	missing, page := traceFor(t, srv, "/missing")
	assert.Equal(t, filepath.Join(dir, "W3SVC1", "fr000001.html"), missing.Path)
	assert.Equal(t, "Default Web Site", missing.Site)
	assert.Equal(t, uint32(1), missing.SiteID)
	assert.Equal(t, "GET", missing.Verb)
	assert.Equal(t, []int{404, 2}, []int{missing.Status, missing.SubStatus})
	assert.Equal(t, "STATUS_CODE", missing.Reason)
	assert.Positive(t, missing.TimeTaken)
	assertInOrder(t, page,
		"<title>Failed request GET /missing: 404.2</title>",
		"<td>NOTIFY</td><td>Freb</td><td><code>BeginRequest</code>",
		"<td>HEADER</td><td>Freb</td><td><code>request header set X-Freb-Begin: 1</code>",
		"<td>RETURN</td><td>Freb</td><td><code>BeginRequest returned RQ_NOTIFICATION_CONTINUE</code>",
		"<td>NOTIFY</td><td>Freb</td><td><code>ExecuteRequestHandler</code>",
		"<td>SET_STATUS</td><td>Freb</td><td><code>404.2 Not Found, error 0x00000000</code>",
		"<td>RETURN</td><td>Freb</td><td><code>ExecuteRequestHandler returned RQ_NOTIFICATION_FINISH_REQUEST</code>",
		"<td>NOTIFY</td><td>Freb</td><td><code>EndRequest</code>",
		"<td>RETURN</td><td>Freb</td><td><code>EndRequest returned RQ_NOTIFICATION_CONTINUE</code>",
		"</html>")

	broken, page := traceFor(t, srv, "/broken")
	assert.Equal(t, filepath.Join(dir, "W3SVC1", "fr000002.html"), broken.Path)
	assert.Equal(t, []int{500, 0}, []int{broken.Status, broken.SubStatus})
	assertInOrder(t, page, "<th>Error code</th><td><code>0x80004005</code>",
		"<td>SET_STATUS</td><td>Freb</td><td><code>500.0 Server Error, error 0x80004005</code>",
		"ExecuteRequestHandler returned RQ_NOTIFICATION_FINISH_REQUEST")
	assert.NotContains(t, srv.Log.String(), "level=WARN", "the schema declares every element and attribute used")
}

func TestFailedRequestTraceSubstatusMustMatch(t *testing.T) {
	srv := frebServe(t, frebConfig(t, t.TempDir(), "", frebRules("*", `statusCodes="404.3"`)))
	assert.Equal(t, 404, frebGet(t, srv, "/missing")[0].status)
	assert.Empty(t, srv.Host.RecentTraces(), "404.2 is not 404.3")
}

func TestFailedRequestTraceTimeTaken(t *testing.T) {
	srv := frebServe(t, frebConfig(t, t.TempDir(), "", frebRules("*", `statusCodes="599" timeTaken="00:00:00.010"`)))
	assert.Equal(t, 200, frebGet(t, srv, "/slow?ms=40")[0].status)
	tr, page := traceFor(t, srv, "/slow?ms=40")
	assert.Equal(t, "TIME_TAKEN", tr.Reason)
	assert.Equal(t, 200, tr.Status)
	assert.Contains(t, page, "<th>Failure reason</th><td><code>TIME_TAKEN</code>")
}

func TestFailedRequestTracePathRules(t *testing.T) {
	// The root traces *.cpp only; the location /sub traces everything.
	loc := `<location path="Default Web Site/sub"><system.webServer><tracing><traceFailedRequests>` +
		frebRule("*", `statusCodes="404"`) + `</traceFailedRequests></tracing></system.webServer></location>`
	srv := frebServe(t, frebConfig(t, t.TempDir(), "", frebRules("*.cpp", `statusCodes="404"`)+loc))
	frebGet(t, srv, "/missing", "/missing.CPP", "/sub/missing", "/subway/missing")
	var urls []string
	for _, tr := range srv.Host.RecentTraces() {
		urls = append(urls, tr.URL)
	}
	assert.Equal(t, []string{"/sub/missing", "/missing.CPP"}, urls)
}

func TestFailedRequestTraceMaxLogFiles(t *testing.T) {
	dir := t.TempDir()
	srv := frebServe(t, frebConfig(t, dir, `maxLogFiles="2"`, frebRules("*", `statusCodes="404"`)))
	frebGet(t, srv, "/missing?n=1", "/missing?n=2", "/missing?n=3", "/missing?n=4")
	traces := srv.Host.RecentTraces()
	require.Len(t, traces, 2)
	assert.Equal(t, "/missing?n=4", traces[0].URL)
	assert.Equal(t, "/missing?n=3", traces[1].URL)
	entries, err := os.ReadDir(filepath.Join(dir, "W3SVC1"))
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{"fr000003.html", "fr000004.html"}, names, "the oldest are removed")
}

func TestFailedRequestTraceSizeCap(t *testing.T) {
	srv := frebServe(t, frebConfig(t, t.TempDir(), `maxLogFileSizeKB="8"`, frebRules("*", `statusCodes="404"`)))
	assert.Equal(t, 404, frebGet(t, srv, "/big?n=500")[0].status)
	tr, page := traceFor(t, srv, "/big?n=500")
	info, err := os.Stat(tr.Path)
	require.NoError(t, err)
	assert.LessOrEqual(t, info.Size(), int64(8*1024))
	assert.Contains(t, page, "The trace is truncated here")
	assert.Contains(t, page, "<td>TRACE_EVENT</td>", "records up to the cap are kept")
	assert.True(t, strings.HasSuffix(page, "</table>\n</body></html>\n"), "the page is whole")
}

func TestFailedRequestTraceEscapesHostileText(t *testing.T) {
	srv := frebServe(t, frebConfig(t, t.TempDir(), "", frebRules("*", `statusCodes="404"`)))
	target := `/<script>alert(1)<!--/missing?note=<script>alert(2)</script>"'&`
	assert.Equal(t, 404, frebGet(t, srv, target)[0].status)
	_, page := traceFor(t, srv, target)
	assert.NotContains(t, page, "<script>")
	assert.NotContains(t, page, "<!--")
	assert.Contains(t, page, "<code>/&lt;script&gt;alert(1)&lt;!--/missing?note=&lt;script&gt;alert(2)&lt;/script&gt;&#34;&#39;&amp;</code>")
	assert.Contains(t, page, "response header set X-Freb-Note: &lt;script&gt;alert(2)&lt;/script&gt;&#34;&#39;</code>")
}

func TestFailedRequestTraceModuleEvent(t *testing.T) {
	// No status fails these: the Error event does, through failureDefinitions verbosity.
	srv := frebServe(t, frebConfig(t, t.TempDir(), "", frebRules("*", `verbosity="Error"`)))
	frebGet(t, srv, "/event?note=quiet&level=4", "/event?note=loud&level=2")
	tr, page := traceFor(t, srv, "/event?note=loud&level=2")
	assert.Equal(t, "VERBOSITY", tr.Reason)
	assertInOrder(t, page, "<td>NOTIFY</td><td>Freb</td><td><code>ExecuteRequestHandler</code>",
		"<td>HEADER</td><td>Freb</td><td><code>response header set X-Freb-Note: loud</code>",
		"<td>TRACE_EVENT</td><td>Freb</td><td><code>provider=3A2A4E84-4C21-4981-AE10-3FDA0D9B0F83 event=QuickTrace",
		"verbosity=2", "Data1=loud Data2=second ErrorCode=2147500037</code>")
	assert.Len(t, srv.Host.RecentTraces(), 1, "an Information event is no failure")
}

func TestFailedRequestTraceDiskErrorKeepsRequest(t *testing.T) {
	// The directory is a file: the trace cannot be written, the request is answered anyway.
	file := filepath.Join(t.TempDir(), "not-a-folder")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	srv := frebServe(t, frebConfig(t, file, "", frebRules("*", `statusCodes="404"`)))
	reply := frebGet(t, srv, "/missing")[0]
	assert.Equal(t, 404, reply.status)
	assert.Equal(t, "missing", reply.body)
	assert.Empty(t, srv.Host.RecentTraces())
	assert.Contains(t, srv.Log.String(), `msg="failed-request trace not written" site="Default Web Site" url=/missing`)
}

func TestFailedRequestTraceOffByDefault(t *testing.T) {
	dir := t.TempDir()
	cfg := filterConfig(t, fmt.Sprintf(`<system.applicationHost><sites><siteDefaults>
<traceFailedRequestsLogging directory="%s"/></siteDefaults></sites></system.applicationHost>%s`, dir, frebRules("*", `statusCodes="404"`)))
	srv := frebServe(t, cfg)
	frebGet(t, srv, "/missing")
	assert.Empty(t, srv.Host.RecentTraces(), "enabled is false unless set")
	_, err := os.Stat(filepath.Join(dir, "W3SVC1"))
	assert.True(t, os.IsNotExist(err))
}

func TestFailedRequestTraceConfigErrors(t *testing.T) {
	tests := []struct{ name, logging, rules, want string }{
		{"bad status", `enabled="true"`, frebRules("*", `statusCodes="404,99"`), `statusCodes "99": want codes from 100 to 999`},
		{"bad range", `enabled="true"`, frebRules("*", `statusCodes="500-400"`), `statusCodes "500-400"`},
		{"bad timeTaken", `enabled="true"`, frebRules("*", `timeTaken="soon"`), `timeTaken "soon" is not a time span`},
		{"bad failure verbosity", `enabled="true"`, frebRules("*", `verbosity="Verbose"`), `failureDefinitions verbosity="Verbose": want one of Ignore, CriticalError, Error, Warning`},
		{"no failureDefinitions", `enabled="true"`, `<system.webServer><tracing><traceFailedRequests><add path="*"/></traceFailedRequests></tracing></system.webServer>`,
			`<add path="*"> has no <failureDefinitions>`},
		{"duplicate path", `enabled="true"`, `<system.webServer><tracing><traceFailedRequests>` + frebRule("*", `statusCodes="404"`) + frebRule("*", `statusCodes="500"`) +
			`</traceFailedRequests></tracing></system.webServer>`, `duplicate path="*"`},
		{"maxLogFiles 0", `enabled="true" maxLogFiles="0"`, frebRules("*", `statusCodes="404"`), `maxLogFiles=0: want 1 or more`},
		{"bad enabled", `enabled="yes"`, frebRules("*", `statusCodes="404"`), `traceFailedRequestsLogging enabled="yes": want true or false`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := filterConfig(t, `<system.applicationHost><sites><siteDefaults><traceFailedRequestsLogging `+tt.logging+
				`/></siteDefaults></sites></system.applicationHost>`+tt.rules)
			_, _, err := hosttest.Start(t, hosttest.Options{Config: cfg})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Contains(t, err.Error(), filterSource)
		})
	}
}

func TestFailedRequestTraceNumbersGoOnFromTheFolder(t *testing.T) {
	// Files a previous run (or another worker) left are neither overwritten nor renumbered.
	dir := t.TempDir()
	site := filepath.Join(dir, "W3SVC1")
	require.NoError(t, os.MkdirAll(site, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(site, "fr000007.html"), []byte("earlier"), 0o644))
	srv := frebServe(t, frebConfig(t, dir, "", frebRules("*", `statusCodes="404"`)))
	frebGet(t, srv, "/missing")
	tr, _ := traceFor(t, srv, "/missing")
	assert.Equal(t, filepath.Join(site, "fr000008.html"), tr.Path)
	earlier, err := os.ReadFile(filepath.Join(site, "fr000007.html"))
	require.NoError(t, err)
	assert.Equal(t, "earlier", string(earlier))
}

func TestFailedRequestTraceHostRefusal(t *testing.T) {
	// Request filtering's answer is the host's, given before any module: the trace says so,
	// and the modules that still see the request (RQ_END_REQUEST) are in it.
	srv := frebServe(t, frebConfig(t, t.TempDir(), "", frebRules("*", `statusCodes="404.7"`)))
	assert.Equal(t, 404, frebGet(t, srv, "/settings.config")[0].status)
	tr, page := traceFor(t, srv, "/settings.config")
	assert.Equal(t, []int{404, 7}, []int{tr.Status, tr.SubStatus})
	assertInOrder(t, page, "<td>SET_STATUS</td><td>(host)</td><td><code>404.7 Not Found, error 0x00000000</code>",
		"<td>NOTIFY</td><td>Freb</td><td><code>EndRequest</code>")
	assert.NotContains(t, page, "ExecuteRequestHandler")
}

func TestFailedRequestTracePendingNotification(t *testing.T) {
	// 200 is a failure here, so that the async fixture's answers are traced.
	cfg := frebConfig(t, t.TempDir(), "", frebRules("*", `statusCodes="200"`))
	srv := hosttest.ServeWith(t, hosttest.Options{Config: cfg}, hosttest.Module{Name: "Async", Image: hosttest.Build(t, "testdata/modules/async.cpp")})
	frebGet(t, srv, "/async?mode=post", "/async?mode=indicate")
	_, page := traceFor(t, srv, "/async?mode=post")
	assertInOrder(t, page,
		"<td>NOTIFY</td><td>Async</td><td><code>BeginRequest</code>",
		"<td>RETURN</td><td>Async</td><td><code>BeginRequest returned RQ_NOTIFICATION_PENDING</code>",
		"<td>COMPLETION</td><td>Async</td><td><code>BeginRequest completed by PostCompletion: 7 bytes, 0x00000000</code>",
		"<td>NOTIFY</td><td>Async</td><td><code>BeginRequest</code>",
		"<td>RETURN</td><td>Async</td><td><code>BeginRequest returned RQ_NOTIFICATION_FINISH_REQUEST</code>")
	_, page = traceFor(t, srv, "/async?mode=indicate")
	assertInOrder(t, page,
		"<td>RETURN</td><td>Async</td><td><code>BeginRequest returned RQ_NOTIFICATION_PENDING</code>",
		"<td>COMPLETION</td><td>Async</td><td><code>BeginRequest completed by IndicateCompletion: RQ_NOTIFICATION_FINISH_REQUEST</code>")
	assert.NotContains(t, page, "X-Reentered")
}

// TestFailedRequestTraceIISDirectory reads a real IIS file's directory: %SystemDrive% unset puts
// the traces beside the configuration, as the access log's; other unset variables and drive
// letters are errors naming the file.
func TestFailedRequestTraceIISDirectory(t *testing.T) {
	t.Setenv("SystemDrive", "") // set but empty would expand to ""; unset it instead
	os.Unsetenv("SystemDrive")
	load := func(t *testing.T, directory string) (*host.Config, string) {
		dir := t.TempDir()
		path := filepath.Join(dir, "applicationHost.config")
		doc := `<configuration><system.applicationHost><sites><siteDefaults>
<traceFailedRequestsLogging enabled="true"` + directory + `/></siteDefaults></sites></system.applicationHost>` +
			frebRules("*", `statusCodes="404"`) + `</configuration>`
		require.NoError(t, os.WriteFile(path, []byte(doc), 0o644))
		cfg, err := host.LoadConfig(path)
		require.NoError(t, err)
		return cfg, dir
	}
	for _, directory := range []string{"", ` directory="%SystemDrive%\inetpub\logs\FailedReqLogFiles"`} {
		cfg, dir := load(t, directory)
		srv := frebServe(t, cfg)
		frebGet(t, srv, "/missing")
		tr, _ := traceFor(t, srv, "/missing")
		assert.Equal(t, filepath.Join(dir, "inetpub", "logs", "FailedReqLogFiles", "W3SVC1", "fr000001.html"), tr.Path, "directory=%q", directory)
	}
	for directory, want := range map[string]string{
		` directory="%NoSuchVariable%\logs"`: `directory "%NoSuchVariable%\\logs" of site "Default Web Site": %NoSuchVariable% is not set`,
		` directory="D:\logs"`:               `directory "D:\\logs" of site "Default Web Site": a Windows drive path`,
	} {
		cfg, _ := load(t, directory)
		_, _, err := hosttest.Start(t, hosttest.Options{Config: cfg})
		require.Error(t, err)
		assert.Contains(t, err.Error(), want)
		assert.Contains(t, err.Error(), "applicationHost.config")
	}
}
