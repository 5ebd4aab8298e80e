package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
	"github.com/iishost/iishost/internal/modbuild"
)

// adminGet fetches a path of the admin listener.
func adminGet(t *testing.T, admin, path string) reply {
	t.Helper()
	resp, err := fresh.Get("http://" + admin + path)
	require.NoError(t, err)
	defer resp.Body.Close()
	var body bytes.Buffer
	_, err = body.ReadFrom(resp.Body)
	require.NoError(t, err)
	return reply{resp.StatusCode, resp.Header, body.String()}
}

// adminStatus reads /status?format=json.
func adminStatus(t *testing.T, admin string) statusPage {
	t.Helper()
	got := adminGet(t, admin, "/status?format=json")
	require.Equal(t, http.StatusOK, got.status, got.body)
	var page statusPage
	require.NoError(t, json.Unmarshal([]byte(got.body), &page))
	return page
}

// rawRequest sends target on a raw connection, as a client library would not (it would
// escape it), and returns the status line.
func rawRequest(t *testing.T, addr, target string) string {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(30*time.Second)))
	_, err = fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", target)
	require.NoError(t, err)
	line, err := bufio.NewReader(conn).ReadString('\n')
	require.NoError(t, err)
	return strings.TrimSpace(line)
}

// hostileURL is a request target that would run script if a page echoed it unescaped.
const hostileURL = `/status?code=404&x=<script>alert(1)</script>`

func TestAdmin(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	repo, err := modbuild.RepoRoot(".")
	require.NoError(t, err)
	bin := buildCommand(t, repo)
	modules := []string{
		"-module", "Async=" + hosttest.Build(t, "testdata/modules/async.cpp"),
		"-module", "Response=" + hosttest.Build(t, "testdata/modules/response.cpp"),
	}

	t.Run("master merges its workers; the status page shows a parked request in its module", func(t *testing.T) {
		p := start(t, bin, t.TempDir(), childEnv(), anyPort, append([]string{"-workers", "2", "-admin", anyPort}, modules...)...)
		admin := p.adminAddress(t)
		require.Eventually(t, func() bool { return adminGet(t, admin, "/readyz").status == http.StatusOK },
			resumeWithin, pollEvery, "log:\n%s", p.stderr.String())
		assert.Equal(t, "ok\n", adminGet(t, admin, "/healthz").body)
		require.Eventually(t, func() bool {
			page := adminStatus(t, admin)
			return len(page.Workers) == 2 && page.Workers[0].Status != nil && page.Workers[1].Status != nil
		}, resumeWithin, pollEvery)

		assert.Equal(t, "HTTP/1.1 404 Not Found", rawRequest(t, p.addr, hostileURL))
		parked := make(chan reply, 1)
		go func() { parked <- p.get(t, "/async?mode=hold&who=<b>parked</b>") }()
		var holder int
		require.Eventually(t, func() bool {
			for _, w := range adminStatus(t, admin).Workers {
				if w.Status != nil && w.Status.Parked == 1 {
					holder = w.PID
					return true
				}
			}
			return false
		}, resumeWithin, pollEvery)

		page := adminStatus(t, admin)
		assert.Equal(t, "running", page.Pool)
		failures := page.Failures()
		require.Len(t, failures, 1)
		assert.Equal(t, hostileURL, failures[0].URL)
		assert.Equal(t, 404, failures[0].Status)
		inFlight := page.InFlight()
		require.Len(t, inFlight, 1)
		assert.Equal(t, holder, inFlight[0].PID)
		assert.Equal(t, "Async", inFlight[0].Module)
		assert.Equal(t, "BeginRequest", inFlight[0].Notification)

		metrics := adminGet(t, admin, "/metrics")
		require.Equal(t, http.StatusOK, metrics.status)
		assert.Contains(t, metrics.body, "iishost_worker_starts_total 2\n")
		assert.Contains(t, metrics.body, "iishost_worker_crashes_total 0\n")
		assert.Contains(t, metrics.body, "iishost_pool_stopped 0\n")
		assert.Contains(t, metrics.body, fmt.Sprintf("iishost_requests_pending{worker=%q} 1\n", strconv.Itoa(holder)))
		assert.Regexp(t, `iishost_requests_total\{site="Default Web Site",status="404",worker="\d+"\} 1\n`, metrics.body)
		calls := 0
		for _, m := range regexp.MustCompile(`iishost_module_notification_calls_total\{module="Async",notification="BeginRequest",worker="\d+"\} (\d+)\n`).FindAllStringSubmatch(metrics.body, -1) {
			n, err := strconv.Atoi(m[1])
			require.NoError(t, err)
			calls += n
		}
		assert.Equal(t, 2, calls, "Async's BeginRequest ran for both requests, summed over the workers")
		assert.NotContains(t, metrics.body, "alert(1)", "no URL in any label")

		html := adminGet(t, admin, "/status")
		assert.Equal(t, "text/html; charset=utf-8", html.header.Get("Content-Type"))
		assert.NotContains(t, html.body, "<script>")
		assert.Contains(t, html.body, "&lt;script&gt;alert(1)&lt;/script&gt;")
		assert.Contains(t, html.body, "&lt;b&gt;parked&lt;/b&gt;")
		checkStatusInBrowser(t, admin)

		// The release must reach the worker holding the request; the kernel picks one per connection.
		var held reply
		require.Eventually(t, func() bool {
			status, _, err := p.try("/async?mode=release") // a new connection each time
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, status)
			select {
			case held = <-parked:
				return true
			case <-time.After(100 * time.Millisecond):
				return false
			}
		}, resumeWithin, pollEvery)
		assert.Equal(t, "held", held.body)
		p.stop(t)
	})

	t.Run("one process serves admin itself; a non-loopback address is warned about", func(t *testing.T) {
		p := start(t, bin, t.TempDir(), childEnv(), anyPort, append([]string{"-workers", "0", "-admin", "0.0.0.0:0"}, modules...)...)
		_, port, err := net.SplitHostPort(p.adminAddress(t))
		require.NoError(t, err)
		admin := "127.0.0.1:" + port
		require.Eventually(t, func() bool { return adminGet(t, admin, "/readyz").status == http.StatusOK }, resumeWithin, pollEvery)
		assert.Equal(t, http.StatusOK, adminGet(t, admin, "/healthz").status)
		assert.Contains(t, p.stderr.String(), "the admin listener is not on a loopback address and has no authentication")
		assert.Equal(t, http.StatusOK, p.get(t, "/status?code=200").status)
		page := adminStatus(t, admin)
		require.Len(t, page.Workers, 1)
		assert.Equal(t, p.cmd.Process.Pid, page.Workers[0].PID)
		assert.Equal(t, "single process", page.Pool)
		require.Len(t, page.Sites(), 1)
		assert.Equal(t, int64(1), page.Sites()[0].Requests)
		metrics := adminGet(t, admin, "/metrics").body
		assert.Contains(t, metrics, `iishost_requests_total{site="Default Web Site",status="200"} 1`+"\n")
		assert.Contains(t, metrics, "process_cpu_seconds_total")
		assert.Equal(t, http.StatusMethodNotAllowed, postStatus(t, admin))
		p.stop(t)
	})

	t.Run("a failed request's trace opens from the status page, and no other file does", func(t *testing.T) {
		dir := t.TempDir()
		config := filepath.Join(dir, "applicationHost.config")
		require.NoError(t, os.WriteFile(config, []byte(`<configuration><system.applicationHost><sites><siteDefaults>
<traceFailedRequestsLogging enabled="true" directory="traces"/></siteDefaults></sites></system.applicationHost>
<system.webServer><tracing><traceFailedRequests><add path="*"><traceAreas><add provider="WWW Server" areas="All" verbosity="Verbose"/></traceAreas>
<failureDefinitions statusCodes="404"/></add></traceFailedRequests></tracing></system.webServer></configuration>`), 0o644))
		p := start(t, bin, dir, childEnv(), anyPort, append([]string{"-config", config, "-admin", anyPort}, modules...)...)
		admin := p.adminAddress(t)
		require.Eventually(t, func() bool { return adminGet(t, admin, "/readyz").status == http.StatusOK }, resumeWithin, pollEvery)
		assert.Equal(t, http.StatusNotFound, p.get(t, "/status?code=404").status)
		var trace string
		require.Eventually(t, func() bool {
			failures := adminStatus(t, admin).Failures()
			if len(failures) == 1 {
				trace = failures[0].TracePath
			}
			return trace != ""
		}, resumeWithin, pollEvery, "the failure and its trace are listed")
		assert.Equal(t, filepath.Join(dir, "traces", "W3SVC1", "fr000001.html"), trace)
		href := regexp.MustCompile(`<a href="(/trace\?file=[^"]*)">trace</a>`).FindStringSubmatch(adminGet(t, admin, "/status").body)
		require.Len(t, href, 2, "the page links the trace")
		link, err := url.Parse(href[1])
		require.NoError(t, err)
		assert.Equal(t, trace, link.Query().Get("file"))
		opened := adminGet(t, admin, href[1])
		assert.Equal(t, http.StatusOK, opened.status)
		assert.Contains(t, opened.body, "/status?code=404")
		assert.Equal(t, "text/html; charset=utf-8", opened.header.Get("Content-Type"))
		for _, other := range []string{config, "/etc/passwd", dir + "/traces/W3SVC1/../W3SVC1/fr000001.html", ""} {
			assert.Equal(t, http.StatusNotFound, adminGet(t, admin, "/trace?file="+url.QueryEscape(other)).status, other)
		}
		p.stop(t)
	})

	t.Run("a pool stopped by rapid-fail protection is not ready", func(t *testing.T) {
		crash := hosttest.BuildWith(t, hosttest.BuildOptions{Flags: []string{"-fno-sanitize=all"}}, "testdata/modules/crash.cpp")
		failure := `<failure rapidFailProtectionMaxCrashes="1" rapidFailProtectionInterval="00:10:00"/>`
		p := start(t, bin, t.TempDir(), childEnv(), anyPort, "-admin", anyPort, "-config", crashConfig(t, crash, failure))
		admin := p.adminAddress(t)
		for i := range 2 {
			p.servedPid(t)
			_, _, err := p.try("/segv")
			require.Error(t, err, "crash %d", i+1)
		}
		require.Eventually(t, func() bool { return adminGet(t, admin, "/readyz").status == http.StatusServiceUnavailable },
			resumeWithin, pollEvery)
		assert.Equal(t, "the application pool is stopped by rapid-fail protection\n", adminGet(t, admin, "/readyz").body)
		require.Eventually(t, func() bool { return adminGet(t, admin, "/healthz").status == http.StatusServiceUnavailable },
			resumeWithin, pollEvery, "its workers end")
		metrics := adminGet(t, admin, "/metrics").body
		assert.Contains(t, metrics, "iishost_pool_stopped 1\n")
		assert.Contains(t, metrics, "iishost_worker_crashes_total 2\n")
		require.NoError(t, p.cmd.Process.Signal(syscall.SIGHUP))
		require.Eventually(t, func() bool { return adminGet(t, admin, "/readyz").status == http.StatusOK }, resumeWithin, pollEvery)
		p.stop(t)
	})
}

func postStatus(t *testing.T, admin string) int {
	resp, err := fresh.Post("http://"+admin+"/status", "text/plain", nil)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

// checkStatusInBrowser loads /status in headless Chromium: its DOM shows the parked request in
// its module and notification, and the hostile URL as text; a screenshot goes to
// build/artifacts.
func checkStatusInBrowser(t *testing.T, admin string) {
	t.Helper()
	browser, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed (.ci/run installs it): the status page is not checked in a browser")
	}
	run := func(args ...string) []byte {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		profile := t.TempDir()
		cmd := exec.CommandContext(ctx, browser, append([]string{"--headless", "--no-sandbox", "--disable-gpu",
			"--user-data-dir=" + profile, "--window-size=1400,1000"}, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		require.NoError(t, err, "chromium: %s", stderr.String())
		return out
	}
	url := "http://" + admin + "/status"
	dom := string(run("--dump-dom", url))
	row := regexp.MustCompile(`(?s)<tr><td class="n">\d+</td><td>Default Web Site</td><td>GET</td><td><code>([^<]*)</code></td><td class="module">([^<]*)</td><td class="notification">([^<]*)</td><td class="n">[0-9.]+</td><td>([^<]*)</td>`)
	m := row.FindStringSubmatch(dom)
	require.NotNil(t, m, "no request in flight in the DOM:\n%s", dom)
	assert.Equal(t, "/async?mode=hold&amp;who=&lt;b&gt;parked&lt;/b&gt;", m[1])
	assert.Equal(t, []string{"Async", "BeginRequest", "pending"}, m[2:])
	assert.NotContains(t, dom, "<script>", "the hostile URL stays text")
	assert.Contains(t, dom, "&lt;script&gt;alert(1)&lt;/script&gt;")

	repo, err := modbuild.RepoRoot(".")
	require.NoError(t, err)
	dir := filepath.Join(repo, "build", "artifacts")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	shot := filepath.Join(dir, "admin-status.png")
	_ = os.Remove(shot)
	run("--screenshot="+shot, url)
	png, err := os.ReadFile(shot)
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")), "a PNG")
	t.Logf("status page screenshot: %s", shot)
}

// TestAdminUnderLoad reads /metrics and /status concurrently while requests run, park and
// fail, in one process (run it with -race); the page stays well formed and bounded.
func TestAdminUnderLoad(t *testing.T) {
	srv := hosttest.ServeWith(t, hosttest.Options{StatusInFlight: 5},
		hosttest.Module{Name: "Async", Image: hosttest.Build(t, "testdata/modules/async.cpp")},
		hosttest.Module{Name: "Response", Image: hosttest.Build(t, "testdata/modules/response.cpp")})
	admin := httptest.NewServer(adminHandler(newProcessAdmin(srv.Host), slog.New(slog.DiscardHandler)))
	defer admin.Close()
	addr := strings.TrimPrefix(admin.URL, "http://")

	const held = 12
	holding := make(chan struct{})
	for i := range held {
		go func() {
			resp, err := http.Get(fmt.Sprintf("%s/async?mode=hold&i=%d", srv.URL, i))
			if err == nil {
				resp.Body.Close()
			}
			holding <- struct{}{}
		}()
	}
	stop := make(chan struct{})
	loadDone := make(chan struct{})
	go func() {
		defer close(loadDone)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			resp, err := http.Get(fmt.Sprintf("%s/status?code=%d&x=<i>%d</i>", srv.URL, 400+i%200, i))
			if err == nil {
				resp.Body.Close()
			}
		}
	}()
	readers := make(chan error, 4)
	for r := range 4 {
		go func() {
			for range 25 {
				path := []string{"/metrics", "/status", "/status?format=json", "/readyz"}[r]
				resp, err := http.Get(admin.URL + path)
				if err != nil {
					readers <- err
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					readers <- fmt.Errorf("%s: %s", path, resp.Status)
					return
				}
			}
			readers <- nil
		}()
	}
	for range 4 {
		require.NoError(t, <-readers)
	}
	require.Eventually(t, func() bool { return adminStatus(t, addr).Workers[0].Status.Parked == held }, resumeWithin, pollEvery)
	// The load runs until the failure ring has filled, however fast the readers were.
	require.Eventually(t, func() bool { return len(adminStatus(t, addr).Failures()) == 50 }, resumeWithin, pollEvery)
	close(stop)
	<-loadDone
	page := adminStatus(t, addr)
	st := page.Workers[0].Status
	assert.Len(t, st.InFlight, 5, "listed up to StatusInFlight")
	assert.Equal(t, held, st.InFlightTotal)
	assert.Len(t, page.Failures(), 50, "the failure ring keeps its default size")
	assert.Less(t, strings.Count(adminGet(t, addr, "/metrics").body, "\niishost_requests_total{"), 201, "one series per status")
	resp, err := http.Get(srv.URL + "/async?mode=release")
	require.NoError(t, err)
	resp.Body.Close()
	for range held {
		<-holding
	}
}
