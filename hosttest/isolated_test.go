package hosttest_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/host"
	"github.com/iishost/iishost/hosttest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	hosttest.Cleanup()
	os.Exit(code)
}

// TestRunServesInAProcessOfItsOwn checks the isolated harness end to end: a real module in a
// host process, its response read whole, and its event-log records read back with attributes.
func TestRunServesInAProcessOfItsOwn(t *testing.T) {
	so := hosttest.Build(t, "testdata/modules/eventlog.cpp")
	p := hosttest.Run(t, hosttest.Module{Name: "Events", Image: so})

	resp := p.Get("/some/path?q=1")
	hosttest.AssertStatus(t, resp, http.StatusOK)
	hosttest.AssertBody(t, resp, "logged")
	// Logged in RQ_BEGIN_REQUEST, before the response: Records sees it without waiting.
	recs := p.Records()
	hosttest.AssertLogged(t, recs, "request /some/path", "module", "Events", "event_id", 2001, "data_bytes", 4)
	hosttest.AssertLogged(t, recs, "debug line", "source", "OutputDebugString")
	assert.Contains(t, p.Log(), `msg="registered 10"`)
}

// TestRunServesTheRootsFiles checks RunOptions.Root: files no module handles come from it.
func TestRunServesTheRootsFiles(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.WriteFile(root+"/page.txt", []byte("from the root"), 0o644))
	so := hosttest.Build(t, "samples/hello/hello.cpp")
	p := hosttest.RunWith(t, hosttest.RunOptions{Root: root}, hosttest.Module{Name: "Hello", Image: so})
	hosttest.AssertBody(t, p.Get("/page.txt"), "from the root")
	resp := p.Get("/hello")
	hosttest.AssertHeader(t, resp, "Content-Type", "text/plain")
	hosttest.AssertBodyContains(t, resp, "Hello")
}

// victimEnv carries the crash fixture's path to the tests below, which run only in a test
// binary started by TestACrashFailsOneTestNamingTheModule.
const victimEnv = "HOSTTEST_VICTIM_MODULE"

// refusedEnv carries a module whose RegisterModule fails, to the same tests.
const refusedEnv = "HOSTTEST_VICTIM_REFUSED"

// victimModule is the crash fixture, in a victim binary; elsewhere the test is skipped.
func victimModule(t *testing.T) string {
	so := os.Getenv(victimEnv)
	if so == "" {
		t.Skip("run by TestACrashFailsOneTestNamingTheModule")
	}
	return so
}

func TestVictimCrashes(t *testing.T) {
	so := victimModule(t)
	p := hosttest.Run(t, hosttest.Module{Name: "Crash", Image: so})
	p.Get("/segv?at=ExecuteRequestHandler")
	t.Error("not reached: Get stops the test")
}

func TestVictimCrashesWhileTheTestLooksElsewhere(t *testing.T) {
	so := victimModule(t)
	p := hosttest.Run(t, hosttest.Module{Name: "Crash", Image: so})
	resp, err := p.Client.Get(p.URL + "/abort?at=BeginRequest") // not through Get: no report yet
	if err == nil {
		resp.Body.Close()
	}
}

func TestVictimFailsAfterLogging(t *testing.T) {
	so := victimModule(t)
	p := hosttest.Run(t, hosttest.Module{Name: "Crash", Image: so})
	hosttest.AssertStatus(t, p.Get("/pid"), http.StatusTeapot)
}

func TestVictimDoesNotStart(t *testing.T) {
	so := victimModule(t)
	hosttest.RunWith(t, hosttest.RunOptions{Env: []string{"IISHOST_TEST_CRASH=RegisterModule"}},
		hosttest.Module{Name: "Crash", Image: so})
}

func TestVictimIsRefused(t *testing.T) {
	victimModule(t)
	hosttest.Run(t, hosttest.Module{Name: "FailReg", Image: os.Getenv(refusedEnv)})
}

func TestVictimBystander(t *testing.T) {
	so := victimModule(t)
	p := hosttest.Run(t, hosttest.Module{Name: "Crash", Image: so})
	hosttest.AssertStatus(t, p.Get("/pid"), http.StatusOK)
}

// TestACrashFailsOneTestNamingTheModule runs the victim tests in a test binary of their own
// and reads its verbose output: each crash fails its own test with the module, notification
// and URL; the binary survives to run the bystander after them, which passes.
func TestACrashFailsOneTestNamingTheModule(t *testing.T) {
	if os.Getenv(victimEnv) != "" {
		t.Skip("already the victim binary")
	}
	// The fixture faults on purpose: sanitizers would report the fault themselves.
	so := hosttest.BuildWith(t, hosttest.BuildOptions{Flags: []string{"-fno-sanitize=all"}}, "testdata/modules/crash.cpp")
	cmd := exec.Command(os.Args[0], "-test.v", "-test.run", "^TestVictim")
	refused := hosttest.Build(t, "testdata/modules/failreg.cpp")
	cmd.Env = append(os.Environ(), victimEnv+"="+so, refusedEnv+"="+refused)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "the victims fail, so the binary exits 1:\n%s", out)
	assert.Equal(t, 1, exit.ExitCode(), "%s", out)

	results := testResults(string(out))
	assert.Equal(t, map[string]string{
		"TestVictimCrashes":                           "FAIL",
		"TestVictimCrashesWhileTheTestLooksElsewhere": "FAIL",
		"TestVictimFailsAfterLogging":                 "FAIL",
		"TestVictimDoesNotStart":                      "FAIL",
		"TestVictimIsRefused":                         "FAIL",
		"TestVictimBystander":                         "PASS",
	}, results, "%s", out)

	crashes := section(string(out), "TestVictimCrashes")
	assert.Contains(t, crashes, "GET /segv?at=ExecuteRequestHandler: module Crash crashed with segmentation fault (signal 11) in ExecuteRequestHandler, serving /segv?at=ExecuteRequestHandler")
	assert.NotContains(t, crashes, "not reached")
	assert.NotContains(t, string(out), "goroutine ", "no dump of the test binary")

	elsewhere := section(string(out), "TestVictimCrashesWhileTheTestLooksElsewhere")
	assert.Contains(t, elsewhere, "module Crash crashed with aborted (signal 6) in BeginRequest, serving /abort?at=BeginRequest")

	logged := section(string(out), "TestVictimFailsAfterLogging")
	assert.Contains(t, logged, "host log:")
	assert.Contains(t, logged, `msg="module loaded"`, "the host's log, as text")

	start := section(string(out), "TestVictimDoesNotStart")
	assert.Contains(t, start, "the host process ended before serving: module Crash crashed with segmentation fault (signal 11) in RegisterModule\n")

	refusedOut := section(string(out), "TestVictimIsRefused")
	assert.Contains(t, refusedOut, "hosttest.Run: the host did not start: ")
	assert.Contains(t, refusedOut, "FailReg")
	assert.Contains(t, refusedOut, "8007064A")
}

// testResults maps each test in `go test -v` output to PASS, FAIL or SKIP.
func testResults(out string) map[string]string {
	results := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		for _, r := range []string{"PASS", "FAIL", "SKIP"} {
			if rest, ok := strings.CutPrefix(line, "--- "+r+": "); ok {
				name, _, _ := strings.Cut(rest, " ")
				results[name] = r
			}
		}
	}
	return results
}

// section is one test's output in `go test -v` output: from its RUN line to the next RUN.
func section(out, test string) string {
	_, rest, ok := strings.Cut(out, "=== RUN   "+test+"\n")
	if !ok {
		return ""
	}
	end := strings.Index(rest, "=== RUN")
	if end < 0 {
		return rest
	}
	return rest[:end]
}

// TestRunWithAConfigurationFile starts from a configuration whose image path names an
// environment variable given through RunOptions.Env, and serves its site's root.
func TestRunWithAConfigurationFile(t *testing.T) {
	so := hosttest.Build(t, "samples/hello/hello.cpp")
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(dir+"/www", 0o755))
	require.NoError(t, os.WriteFile(dir+"/www/index.txt", []byte("site root"), 0o644))
	config := `<configuration>
  <system.applicationHost><sites><site name="S" id="1"><application path="/">
    <virtualDirectory path="/" physicalPath="www" />
  </application></site></sites></system.applicationHost>
  <system.webServer>
    <globalModules><add name="Hello" image="%HELLO_IMAGE%" /></globalModules>
    <modules><add name="Hello" /></modules>
  </system.webServer>
</configuration>`
	require.NoError(t, os.WriteFile(dir+"/applicationHost.config", []byte(config), 0o644))
	p := hosttest.RunWith(t, hosttest.RunOptions{ConfigFile: dir + "/applicationHost.config", Env: []string{"HELLO_IMAGE=" + so}})
	hosttest.AssertBody(t, p.Get("/hello"), "Hello, world!")
	hosttest.AssertBody(t, p.Get("/index.txt"), "site root")
}

// TestRunWithLimits reaches the host process's front door: a head over RunOptions.Limits'
// MaxRequestBytes, under the default, is refused with HTTP.sys's 400 on a raw socket.
func TestRunWithLimits(t *testing.T) {
	so := hosttest.Build(t, "samples/hello/hello.cpp")
	p := hosttest.RunWith(t, hosttest.RunOptions{Limits: host.Limits{MaxRequestBytes: 1024}}, hosttest.Module{Name: "Hello", Image: so})
	statusLine := func(header string) string {
		conn, err := net.Dial("tcp", strings.TrimPrefix(p.URL, "http://"))
		require.NoError(t, err)
		defer conn.Close()
		_, err = io.WriteString(conn, "GET /hello HTTP/1.1\r\nHost: x\r\nX-Pad: "+header+"\r\nConnection: close\r\n\r\n")
		require.NoError(t, err)
		line, err := bufio.NewReader(conn).ReadString('\n')
		require.NoError(t, err)
		return strings.TrimSpace(line)
	}
	assert.Equal(t, "HTTP/1.1 200 OK", statusLine(strings.Repeat("a", 100)))
	assert.Equal(t, "HTTP/1.1 400 Bad Request", statusLine(strings.Repeat("a", 2000)))
}
