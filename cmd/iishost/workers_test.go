package main

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
	"github.com/iishost/iishost/internal/modbuild"
	"github.com/iishost/iishost/internal/testcerts"
)

// Bounds for Eventually: generous, they only stop a broken master from hanging the suite.
const (
	resumeWithin = 30 * time.Second
	pollEvery    = 20 * time.Millisecond
)

// crashConfig is a configuration loading the crash fixture, with the pool's <failure> element
// when failure is not "".
func crashConfig(t *testing.T, module, failure string) string {
	t.Helper()
	pools := ""
	if failure != "" {
		pools = "<system.applicationHost><applicationPools><applicationPoolDefaults>" + failure +
			"</applicationPoolDefaults></applicationPools></system.applicationHost>"
	}
	return moduleConfig(t, "Crash", module, pools)
}

// fresh is a client that opens a connection per request, so the kernel picks a worker each time.
var fresh = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}

// try sends one GET; err is set when the connection broke (a worker died under it).
func (p *process) try(path string) (int, string, error) {
	resp, err := fresh.Get("http://" + p.addr + path)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

// servedPid waits until a worker answers /pid and returns its process id.
func (p *process) servedPid(t *testing.T) int {
	t.Helper()
	var pid int
	require.Eventually(t, func() bool {
		status, body, err := p.try("/pid")
		if err != nil || status != 200 {
			return false
		}
		pid, err = strconv.Atoi(body)
		return err == nil
	}, resumeWithin, pollEvery, "no worker answered; log:\n%s", p.stderr.String())
	return pid
}

// beginWait starts a /wait request and returns once it runs in its notification: the pid of the
// worker running it, and the rest of its body to read.
func (p *process) beginWait(t *testing.T, ms int) (int, io.Reader) {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("http://%s/wait?ms=%d", p.addr, ms))
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	body := bufio.NewReader(resp.Body)
	first, err := body.ReadString('\n')
	require.NoError(t, err)
	pid, err := strconv.Atoi(strings.TrimSpace(first))
	require.NoError(t, err)
	return pid, body
}

// workerPids lists the master's child processes (each thread's children, as any may start one).
func (p *process) workerPids(t *testing.T) []string {
	t.Helper()
	lists, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", p.cmd.Process.Pid))
	require.NoError(t, err)
	var pids []string
	for _, l := range lists {
		data, err := os.ReadFile(l)
		if err == nil {
			pids = append(pids, strings.Fields(string(data))...)
		}
	}
	return pids
}

// deathRecord is the master's log record of a worker's death, as slog's text handler writes it.
func deathRecord(attrs ...any) string {
	var b bytes.Buffer
	noTime := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	slog.New(slog.NewTextHandler(&b, &slog.HandlerOptions{ReplaceAttr: noTime})).Error("worker died", attrs...)
	return strings.TrimSuffix(b.String(), "\n")
}

// awaitRecord waits until the log holds record.
func (p *process) awaitRecord(t *testing.T, record string) {
	t.Helper()
	require.Eventually(t, func() bool {
		for _, line := range p.logLines() {
			if line == record {
				return true
			}
		}
		return false
	}, resumeWithin, pollEvery, "want record %s; log:\n%s", record, p.stderr.String())
}

func TestWorkers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	repo, err := modbuild.RepoRoot(".")
	require.NoError(t, err)
	bin := buildCommand(t, repo)
	// The fixture crashes on purpose: sanitizers (scripts/sanitize.sh) would report its faults
	// themselves, and the signal the master must name would never come.
	crash := hosttest.BuildWith(t, hosttest.BuildOptions{Flags: []string{"-fno-sanitize=all"}}, "testdata/modules/crash.cpp")

	t.Run("a crash costs one worker, which is replaced and named", func(t *testing.T) {
		// More crashes than rapid-fail protection's default allows in its interval.
		p := start(t, bin, t.TempDir(), childEnv(), anyPort, "-config",
			crashConfig(t, crash, `<failure rapidFailProtectionMaxCrashes="20"/>`))
		for _, c := range []struct{ path, signal, notification string }{
			{"/segv?at=BeginRequest", "SIGSEGV", "BeginRequest"},
			{"/abort?at=AuthenticateRequest", "SIGABRT", "AuthenticateRequest"},
			{"/segv", "SIGSEGV", "ExecuteRequestHandler"},
			{"/exit?at=BeginRequest", "", "BeginRequest"},
			{"/abort?at=SendResponse", "SIGABRT", "SendResponse"},
			{"/fpe?at=AuthenticateRequest", "SIGFPE", "AuthenticateRequest"},
			{"/trap", "SIGILL", "ExecuteRequestHandler"},
			{"/overflow?at=BeginRequest", "SIGSEGV", "BeginRequest"},
			{"/double-free?at=SendResponse", "SIGABRT", "SendResponse"},
		} {
			if sanitized && strings.HasPrefix(c.path, "/double-free") {
				continue // AddressSanitizer's free reports the double free itself and exits 1
			}
			pid := p.servedPid(t)
			_, _, err := p.try(c.path)
			require.Error(t, err, "%s: the worker should have died under the request", c.path)
			began := time.Now()
			next := p.servedPid(t)
			t.Logf("%s: a new worker served %v after the crash was seen", c.path, time.Since(began))
			assert.NotEqual(t, pid, next, c.path)
			died := []any{"pid", pid, "signal", c.signal}
			if c.signal == "" {
				died = []any{"pid", pid, "exitStatus", 3}
			}
			p.awaitRecord(t, deathRecord(append(died, "module", "Crash", "notification", c.notification, "url", c.path)...))
		}

		// A fault on a thread the module started: no notification, but the module by its code.
		pid := p.servedPid(t)
		_, _, _ = p.try("/thread-segv") // answered or not: the thread races the response
		p.awaitRecord(t, deathRecord("pid", pid, "signal", "SIGSEGV", "module", "Crash", "notification", "", "url", ""))

		// abort() on such a thread stops inside libc: the module is found among its callers.
		pid = p.servedPid(t)
		_, _, _ = p.try("/thread-abort")
		p.awaitRecord(t, deathRecord("pid", pid, "signal", "SIGABRT", "module", "Crash", "notification", "", "url", ""))

		// So does an exception nothing catches on such a thread (std::terminate aborts).
		pid = p.servedPid(t)
		_, _, _ = p.try("/thread-throw")
		p.awaitRecord(t, deathRecord("pid", pid, "signal", "SIGABRT", "module", "Crash", "notification", "", "url", ""))

		// A URL's bytes outside printable ASCII reach the log as %XX: the record stays one line.
		pid = p.servedPid(t)
		conn, err := net.Dial("tcp", p.addr)
		require.NoError(t, err)
		defer conn.Close()
		_, err = conn.Write([]byte("GET /segv?q=\xff\xfe\"x HTTP/1.1\r\nHost: a\r\n\r\n"))
		require.NoError(t, err)
		_, err = io.ReadAll(conn)
		require.NoError(t, err, "the connection ends with the worker")
		p.awaitRecord(t, deathRecord("pid", pid, "signal", "SIGSEGV", "module", "Crash", "notification", "ExecuteRequestHandler",
			"url", `/segv?q=%FF%FE"x`))
		p.servedPid(t)
		p.stop(t)
	})

	t.Run("a worker that crashes before serving stops the start", func(t *testing.T) {
		for _, at := range []string{"RegisterModule", "ApplicationStart"} {
			p := launch(t, bin, t.TempDir(), childEnv("IISHOST_TEST_CRASH="+at), anyPort, "-config", crashConfig(t, crash, ""))
			select {
			case <-p.done:
			case <-time.After(processTimeout):
				t.Fatalf("%s: the master did not stop; log:\n%s", at, p.stderr.String())
			}
			assert.Equal(t, 1, p.cmd.ProcessState.ExitCode(), at)
			lines := p.logLines()
			require.GreaterOrEqual(t, len(lines), 2, "%s: log:\n%s", at, p.stderr.String())
			lines = lines[len(lines)-2:] // after the module's loading record, when it got that far
			pid, _, ok := strings.Cut(strings.TrimPrefix(lines[0], `level=ERROR msg="worker died" pid=`), " ")
			require.True(t, ok, lines[0])
			notification := "RegisterModule"
			if at == "ApplicationStart" {
				notification = "GlobalApplicationStart"
			}
			n, err := strconv.Atoi(pid)
			require.NoError(t, err, lines[0])
			assert.Equal(t, deathRecord("pid", n, "signal", "SIGSEGV", "module", "Crash", "notification", notification, "url", ""), lines[0], at)
			assert.Equal(t, fmt.Sprintf(`level=ERROR msg="iishost stopped" error="worker %d ended before serving: signal: segmentation fault"`, n), lines[1], at)
		}
	})

	t.Run("a worker that does not start in time is killed", func(t *testing.T) {
		p := launch(t, bin, t.TempDir(), childEnv("IISHOST_TEST_CRASH=HangRegister"), anyPort, "-config",
			crashConfig(t, crash, `<processModel startupTimeLimit="00:00:01"/>`))
		select {
		case <-p.done:
		case <-time.After(processTimeout):
			t.Fatalf("the master did not stop; log:\n%s", p.stderr.String())
		}
		assert.Equal(t, 1, p.cmd.ProcessState.ExitCode())
		log := p.stderr.String()
		assert.Contains(t, log, `msg="worker did not start serving in time; killing it" pid=`)
		assert.Contains(t, log, `startupTimeLimit=1s`)
		assert.Contains(t, log, `signal=SIGKILL`)
		assert.Contains(t, log, `ended before serving: signal: killed"`)
	})

	t.Run("requests on the other worker go on", func(t *testing.T) {
		p := start(t, bin, t.TempDir(), childEnv(), anyPort, "-config", crashConfig(t, crash, ""), "-workers", "2")
		busy, body := p.beginWait(t, 4000)

		// The kernel gives each connection to either worker; the busy one is spared.
		crashPath := fmt.Sprintf("/segv?unless=%d", busy)
		crashed := false
		for range 500 {
			status, text, err := p.try(crashPath)
			if err != nil {
				crashed = true
				break
			}
			require.Equal(t, 200, status)
			require.Equal(t, "spared", text)
		}
		require.True(t, crashed, "no request reached the other worker")
		rest, err := io.ReadAll(body)
		require.NoError(t, err, "the busy worker's request")
		assert.Equal(t, "done", string(rest))
		assert.Contains(t, p.stderr.String(), `msg="worker died"`)
		assert.NotContains(t, p.stderr.String(), fmt.Sprintf(`msg="worker died" pid=%d `, busy))
		p.servedPid(t)
		p.stop(t)
	})

	t.Run("SIGTERM drains the workers", func(t *testing.T) {
		p := start(t, bin, t.TempDir(), childEnv(), anyPort, "-config", crashConfig(t, crash, ""), "-workers", "2")
		_, body := p.beginWait(t, 1500)
		require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
		rest, err := io.ReadAll(body)
		require.NoError(t, err)
		assert.Equal(t, "done", string(rest), "the in-flight request finishes")
		p.stop(t) // exits 0
		assert.NotContains(t, p.stderr.String(), "worker died")
		assert.Equal(t, 2, strings.Count(p.stderr.String(), "msg=stopped"), "both workers stopped cleanly")
	})

	t.Run("a crash while draining is logged", func(t *testing.T) {
		p := start(t, bin, t.TempDir(), childEnv("IISHOST_TEST_CRASH=ApplicationStop"), anyPort, "-config", crashConfig(t, crash, ""))
		pid := p.servedPid(t)
		p.stop(t)
		p.awaitRecord(t, deathRecord("pid", pid, "signal", "SIGSEGV", "module", "Crash", "notification", "GlobalApplicationStop", "url", ""))
	})

	t.Run("a module's RecycleProcess and SIGHUP replace workers without refusing a request", func(t *testing.T) {
		p := start(t, bin, t.TempDir(), childEnv(), anyPort, "-config", crashConfig(t, crash, ""))
		first := p.servedPid(t)
		// A request in flight on the old worker finishes while it is recycled.
		waiting, body := p.beginWait(t, 1500)
		require.Equal(t, first, waiting)
		status, asked, err := p.try("/recycle")
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, status)
		require.Equal(t, strconv.Itoa(first), asked)
		var second int
		require.Eventually(t, func() bool {
			second = p.servedPid(t)
			return second != first
		}, resumeWithin, pollEvery, "a new worker serves; log:\n%s", p.stderr.String())
		rest, err := io.ReadAll(body)
		require.NoError(t, err)
		assert.Equal(t, "done", string(rest), "the old worker drained its request")
		assert.Contains(t, p.stderr.String(), fmt.Sprintf(`msg="recycling worker" pid=%d reason="RecycleProcess: asked by a test"`, first))

		// SIGHUP under load: every request is answered while the worker is replaced.
		stop := make(chan struct{})
		failures := make(chan string, 1000)
		done := make(chan struct{})
		go func() {
			defer close(done)
			for {
				select {
				case <-stop:
					return
				default:
				}
				if status, _, err := p.try("/pid"); err != nil || status != http.StatusOK {
					failures <- fmt.Sprint(status, err)
				}
			}
		}()
		require.NoError(t, p.cmd.Process.Signal(syscall.SIGHUP))
		require.Eventually(t, func() bool {
			pid := p.servedPid(t)
			return pid != first && pid != second
		}, resumeWithin, pollEvery, "SIGHUP replaced the worker; log:\n%s", p.stderr.String())
		close(stop)
		<-done
		close(failures)
		var lost []string
		for f := range failures {
			lost = append(lost, f)
		}
		assert.Empty(t, lost, "no request refused or broken during the recycle")
		assert.NotContains(t, p.stderr.String(), "worker died")
		p.stop(t)
	})

	// leakPast has the worker leak mb MiB and checks it is recycled for passing a limit of kb
	// of what ("private memory").
	leakPast := func(t *testing.T, p *process, mb int, what string, kb uint64) {
		first := p.servedPid(t)
		status, leaker, err := p.try(fmt.Sprintf("/leak?mb=%d", mb))
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, status)
		require.Equal(t, strconv.Itoa(first), leaker)
		require.Eventually(t, func() bool { return p.servedPid(t) != first }, resumeWithin, pollEvery,
			"a new worker serves; log:\n%s", p.stderr.String())
		assert.Regexp(t, fmt.Sprintf(`msg="recycling worker" pid=%d reason="%s \d+ KB is over the limit of %d KB"`, first, what, kb),
			p.stderr.String())
		assert.NotContains(t, p.stderr.String(), "worker died", "recycled, not crashed")
		p.stop(t)
	}

	t.Run("a leaking worker is recycled at the pool's private memory limit", func(t *testing.T) {
		p := start(t, bin, t.TempDir(), childEnv(), anyPort, "-config",
			crashConfig(t, crash, `<recycling><periodicRestart privateMemory="204800"/></recycling>`))
		leakPast(t, p, 300, "private memory", 204800)
	})

	t.Run("a worker is recycled at the pool's virtual memory limit", func(t *testing.T) {
		if sanitized {
			t.Skip("AddressSanitizer's shadow memory puts a worker's virtual size past what the attribute can hold")
		}
		// A worker's size unknown in advance: one without a limit is measured first.
		p := start(t, bin, t.TempDir(), childEnv(), anyPort, "-config", crashConfig(t, crash, ""))
		base, ok := processStatusKB(p.servedPid(t), "VmSize:")
		require.True(t, ok)
		p.stop(t)
		limit := base + 500<<10
		p = start(t, bin, t.TempDir(), childEnv(), anyPort, "-config",
			crashConfig(t, crash, fmt.Sprintf(`<recycling><periodicRestart memory="%d"/></recycling>`, limit)))
		leakPast(t, p, 1000, "virtual memory", limit)
	})

	t.Run("a worker is recycled after the pool's periodicRestart requests", func(t *testing.T) {
		p := start(t, bin, t.TempDir(), childEnv(), anyPort, "-config",
			crashConfig(t, crash, `<recycling><periodicRestart requests="5"/></recycling>`))
		first := p.servedPid(t)
		for range 5 {
			status, _, err := p.try("/pid")
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, status)
		}
		require.Eventually(t, func() bool { return p.servedPid(t) != first }, resumeWithin, pollEvery,
			"a new worker serves; log:\n%s", p.stderr.String())
		assert.Regexp(t, fmt.Sprintf(`msg="recycling worker" pid=%d reason="periodicRestart: \d+ requests served \(limit 5\)"`, first),
			p.stderr.String())
		p.stop(t)
	})

	t.Run("a worker stuck in a module fails the ping and is recycled", func(t *testing.T) {
		p := start(t, bin, t.TempDir(), childEnv(), anyPort, "-config", crashConfig(t, crash,
			`<processModel pingInterval="00:00:01" pingResponseTime="00:00:02" shutdownTimeLimit="00:00:01"/>`))
		first := p.servedPid(t)
		// A healthy idle worker answers its pings: it is still there after several intervals.
		time.Sleep(3 * time.Second)
		require.Equal(t, first, p.servedPid(t), "an idle worker is not recycled")
		stuck, _ := p.beginWait(t, 10000) // inside ExecuteRequestHandler for 10 s
		require.Equal(t, first, stuck)
		require.Eventually(t, func() bool { return p.servedPid(t) != first }, resumeWithin, pollEvery,
			"a new worker serves; log:\n%s", p.stderr.String())
		assert.Contains(t, p.stderr.String(), fmt.Sprintf(`msg="recycling worker" pid=%d reason="no answer to the master's ping for`, first))
		// The old worker drains for shutdownTimeLimit at most, then ends (or the master kills it).
		require.Eventually(t, func() bool {
			return !slices.Contains(p.workerPids(t), strconv.Itoa(first))
		}, resumeWithin, pollEvery, "the stuck worker ends; log:\n%s", p.stderr.String())
		assert.NotContains(t, p.stderr.String(), "worker died", "recycled, not counted as a crash")
		p.stop(t)
	})

	t.Run("rapid-fail protection stops the pool until SIGHUP", func(t *testing.T) {
		failure := `<failure rapidFailProtectionMaxCrashes="2" rapidFailProtectionInterval="00:10:00"/><processModel maxProcesses="2"/>`
		p := start(t, bin, t.TempDir(), childEnv(), anyPort, "-config", crashConfig(t, crash, failure))
		// The master listens before its workers start: wait for both.
		require.Eventually(t, func() bool { return len(p.workerPids(t)) == 2 }, resumeWithin, pollEvery, "maxProcesses")
		for i := range 3 {
			p.servedPid(t)
			_, _, err := p.try("/segv")
			require.Error(t, err, "crash %d", i+1)
		}
		require.Eventually(t, func() bool {
			status, _, err := p.try("/pid")
			return err == nil && status == http.StatusServiceUnavailable
		}, resumeWithin, pollEvery, "the stopped pool should answer 503; log:\n%s", p.stderr.String())
		require.Eventually(t, func() bool { return len(p.workerPids(t)) == 0 }, resumeWithin, pollEvery, "the stopped pool's workers end")
		status, body, err := p.try("/pid")
		require.NoError(t, err)
		assert.Equal(t, http.StatusServiceUnavailable, status, "no worker: the master answers")
		assert.Equal(t, "503 Service Unavailable: the application pool is stopped\n", body)
		assert.Contains(t, p.stderr.String(),
			`msg="rapid-fail protection: application pool stopped; answering 503 until SIGHUP" failures=3 interval=10m0s maxCrashes=2 pool=DefaultAppPool`)
		assert.Equal(t, 3, strings.Count(p.stderr.String(), `msg="worker died"`), "three deaths logged")

		require.NoError(t, p.cmd.Process.Signal(syscall.SIGHUP))
		p.servedPid(t)
		require.Eventually(t, func() bool { return len(p.workerPids(t)) == 2 }, resumeWithin, pollEvery, "SIGHUP started the pool again")
		p.stop(t)
	})

	t.Run("a stopped pool answers 503 over TLS on its https bindings", func(t *testing.T) {
		plain, secure := freeAddress(t), freeAddress(t)
		ca := testcerts.NewCA(t, "stopped pool CA")
		dir := t.TempDir()
		certFile, keyFile := ca.Server(t, 2, "pool.test").Write(t, dir, "pool")
		doc := `<configuration><system.applicationHost>
	<applicationPools><applicationPoolDefaults><failure rapidFailProtectionMaxCrashes="1" rapidFailProtectionInterval="00:10:00"/></applicationPoolDefaults></applicationPools>
	<sites><site name="Pool" id="1">
		<application path="/"><virtualDirectory path="/" physicalPath="` + dir + `"/></application>
		<bindings>
			<binding protocol="http" bindingInformation="` + plain + `:"/>
			<binding protocol="https" bindingInformation="` + secure + `:" certificateFile="` + certFile + `" certificateKeyFile="` + keyFile + `"/>
		</bindings>
	</site></sites>
</system.applicationHost><system.webServer>
	<globalModules><add name="Crash" image="` + crash + `"/></globalModules>
	<modules><add name="Crash"/></modules>
</system.webServer></configuration>`
		config := filepath.Join(dir, "applicationHost.config")
		require.NoError(t, os.WriteFile(config, []byte(doc), 0o644))
		p := startBound(t, bin, dir, childEnv(), plain, "-config", config)
		tlsClient := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableKeepAlives: true,
			TLSClientConfig: &tls.Config{RootCAs: ca.Pool, ServerName: "pool.test"}}}
		get := func() (int, string, error) {
			resp, err := tlsClient.Get("https://" + secure + "/pid")
			if err != nil {
				return 0, "", err
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			return resp.StatusCode, string(body), err
		}
		status, _, err := get()
		require.NoError(t, err, "log:\n%s", p.stderr.String())
		require.Equal(t, http.StatusOK, status, "a worker serves https")
		for i := range 2 {
			p.servedPid(t)
			_, _, err := p.try("/segv")
			require.Error(t, err, "crash %d", i+1)
		}
		require.Eventually(t, func() bool { return len(p.workerPids(t)) == 0 }, resumeWithin, pollEvery, "the stopped pool's workers end")
		status, body, err := get()
		require.NoError(t, err, "the master speaks TLS on the https binding; log:\n%s", p.stderr.String())
		assert.Equal(t, http.StatusServiceUnavailable, status)
		assert.Equal(t, "503 Service Unavailable: the application pool is stopped\n", body)
		status, _, err = p.try("/pid")
		require.NoError(t, err)
		assert.Equal(t, http.StatusServiceUnavailable, status, "and plain HTTP on the http one")
		p.stop(t)
	})
}
