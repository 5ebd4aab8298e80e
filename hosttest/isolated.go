package hosttest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/iishost/iishost/host"
)

// RunOptions adjust a host started by RunWith.
type RunOptions struct {
	Root       string      // the first site's physical path; default: the configuration's, else a new empty temp dir
	ConfigFile string      // an applicationHost.config to start from; the modules are added to it
	Limits     host.Limits // zero fields: the defaults
	Env        []string    // NAME=VALUE added to the host process's environment
}

// Bounds on waiting for the host process. Neither decides a test's outcome by timing: they only
// keep a stuck process from hanging the test binary.
const (
	// crashWait is how long a failed request waits for the host process to end, so that a
	// crash is reported as one rather than as the connection error it caused.
	crashWait = 10 * time.Second
	// stopWait is how long the host gets to shut down gracefully before it is killed.
	stopWait = 30 * time.Second
)

// Process is a host serving modules in a process of its own, so that a module that crashes
// fails only the test that made it crash, with the module, notification and URL named.
type Process struct {
	URL    string       // http://127.0.0.1:PORT
	Client *http.Client // its connections are closed when the test ends

	t      testing.TB
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	log    *hostLog
	exited chan struct{} // closed once the process has ended and its log is read

	mu       sync.Mutex
	crash    string // the crash reporter's line, if it wrote one
	killed   bool   // by us, after it failed to stop
	syncs    atomic.Int64
	reported sync.Once
}

// Run serves modules in a new host process until the test ends; see RunWith.
func Run(t testing.TB, modules ...Module) *Process {
	t.Helper()
	return RunWith(t, RunOptions{}, modules...)
}

// RunWith starts the test binary again as a host process serving modules on a loopback port,
// and stops it when the test ends. When the process dies, the test fails with what the crash
// reporter saw (module, notification, URL); when the test fails, the host's log is printed.
// A module loaded this way must already be built (Build); the process inherits the test's
// environment, plus opts.Env.
func RunWith(t testing.TB, opts RunOptions, modules ...Module) *Process {
	t.Helper()
	if errNoIsolation != nil {
		t.Fatalf("hosttest.Run: %v", errNoIsolation)
	}
	spec, err := runSpec(t, opts, modules)
	if err != nil {
		t.Fatalf("hosttest.Run: %v", err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("hosttest.Run: finding the test binary: %v", err)
	}
	statusR, statusW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	logR, logW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$") // init() serves before any test could run
	cmd.Env = append(append(os.Environ(), opts.Env...), childEnv+"="+spec)
	cmd.Stdout, cmd.Stderr = logW, logW
	cmd.ExtraFiles = []*os.File{statusW}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	err = cmd.Start()
	statusW.Close()
	logW.Close()
	if err != nil {
		statusR.Close()
		logR.Close()
		t.Fatalf("hosttest.Run: starting the host process: %v", err)
	}
	p := &Process{t: t, cmd: cmd, stdin: stdin, log: newHostLog(), exited: make(chan struct{})}
	go p.log.read(logR)
	started := make(chan string, 1)
	go p.watch(statusR, started)
	t.Cleanup(p.stop)

	first := <-started
	if addr, ok := strings.CutPrefix(first, "ready "); ok {
		p.URL = "http://" + addr
		p.Client = &http.Client{Transport: &http.Transport{}}
		return p
	}
	<-p.exited
	p.reported.Do(func() {}) // this failure says it all
	// The host's log follows, from stop.
	if msg, ok := strings.CutPrefix(first, "error "); ok {
		t.Fatalf("hosttest.Run: the host did not start: %s", strings.ReplaceAll(msg, `\n`, "\n"))
	}
	t.Fatalf("hosttest.Run: the host process ended before serving: %s", p.death())
	return nil
}

// runSpec writes what the host process serves as JSON, with paths made absolute.
func runSpec(t testing.TB, opts RunOptions, modules []Module) (string, error) {
	if len(modules) == 0 && opts.ConfigFile == "" {
		return "", fmt.Errorf("no module named")
	}
	spec := childSpec{Modules: modules, Limits: opts.Limits, Root: opts.Root}
	if spec.Root == "" && opts.ConfigFile == "" {
		spec.Root = t.TempDir()
	}
	var err error
	if spec.Root != "" {
		if spec.Root, err = filepath.Abs(spec.Root); err != nil {
			return "", err
		}
	}
	if opts.ConfigFile != "" {
		if spec.ConfigFile, err = filepath.Abs(opts.ConfigFile); err != nil {
			return "", err
		}
	}
	b, err := json.Marshal(spec)
	return string(b), err
}

// watch reads the status pipe: the start line goes to started, a crash reporter's line is kept.
// At its end the process has ended; watch reaps it and waits for the rest of its log.
func (p *Process) watch(status *os.File, started chan<- string) {
	sc := bufio.NewScanner(status)
	begun := false
	for sc.Scan() {
		line := sc.Text()
		if kind, _, _ := strings.Cut(line, " "); !begun && (kind == "ready" || kind == "error") {
			begun = true
			started <- line
			continue
		}
		p.mu.Lock()
		p.crash = line
		p.mu.Unlock()
	}
	status.Close()
	if !begun {
		started <- ""
	}
	_ = p.cmd.Wait() // the exit status is read from ProcessState
	<-p.log.done
	close(p.exited)
}

// stop ends the host when the test does: closing its standard input shuts it down gracefully.
func (p *Process) stop() {
	if p.Client != nil {
		p.Client.CloseIdleConnections()
	}
	p.stdin.Close()
	select {
	case <-p.exited:
	case <-time.After(stopWait):
		p.mu.Lock()
		p.killed = true
		p.mu.Unlock()
		_ = p.cmd.Process.Kill()
		<-p.exited
		p.t.Errorf("hosttest: the host process did not stop within %v of the test's end; killed it", stopWait)
	}
	p.reportDeath()
	if p.t.Failed() {
		p.t.Logf("host log:\n%s", p.log)
	}
}

// reportDeath fails the test, once, when the host process ended other than by stop's request.
func (p *Process) reportDeath() {
	if d := p.death(); d != "" {
		p.reported.Do(func() { p.t.Errorf("hosttest: %s", d) })
	}
}

// death says how the ended process died: "" when it exited cleanly (or stop killed it).
// Called once exited is closed.
func (p *Process) death() string {
	p.mu.Lock()
	report, killed := p.crash, p.killed
	p.mu.Unlock()
	if killed {
		return ""
	}
	// kind, signal number, module, notification, URL (host.InstallCrashReporter).
	if f := strings.Split(report, "\t"); len(f) == 5 {
		if f[0] == "exit" {
			return fmt.Sprintf("module %s ended the host process (exit) in %s%s", f[2], f[3], serving(f[4]))
		}
		sig := f[1]
		if n, err := strconv.Atoi(f[1]); err == nil {
			sig = fmt.Sprintf("%s (signal %d)", syscall.Signal(n), n)
		}
		return fmt.Sprintf("module %s crashed with %s in %s%s", f[2], sig, f[3], serving(f[4]))
	}
	st := p.cmd.ProcessState
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return fmt.Sprintf("the host process died of %s outside any module call", ws.Signal())
	}
	if st.ExitCode() != 0 {
		return fmt.Sprintf("the host process exited with status %d", st.ExitCode())
	}
	return ""
}

// serving names the request a crash happened in; global notifications have none.
func serving(url string) string {
	if url == "" {
		return ""
	}
	return ", serving " + url
}

// Get sends a GET for path (with any query) and reads the whole response; see Do. Get and Do
// report failures on the test Run was given: call them from that test's goroutine.
func (p *Process) Get(path string) *Response {
	p.t.Helper()
	req, err := http.NewRequest(http.MethodGet, p.URL+path, nil)
	if err != nil {
		p.t.Fatal(err)
	}
	return p.Do(req)
}

// Do sends req and reads the whole response. When the request fails because the host process
// died, the test stops with the crash report instead of the connection error.
func (p *Process) Do(req *http.Request) *Response {
	p.t.Helper()
	resp, err := p.Client.Do(req)
	if err == nil {
		var r *Response
		if r, err = readResponse(resp); err == nil {
			return r
		}
	}
	select {
	case <-p.exited:
	case <-time.After(crashWait): // the host lives: the error is the request's own
	}
	select {
	case <-p.exited:
		if d := p.death(); d != "" {
			p.reported.Do(func() {})
			p.t.Fatalf("hosttest: %s %s: %s", req.Method, req.URL.RequestURI(), d)
		}
	default:
	}
	p.t.Fatalf("hosttest: %s %s: %v", req.Method, req.URL.RequestURI(), err)
	return nil
}

// Records returns the host's log records so far, including every one written before the call.
func (p *Process) Records() []Record {
	p.sync()
	return p.log.snapshot()
}

// Log returns the host's log so far as text: records and anything else the process printed.
func (p *Process) Log() string {
	p.sync()
	return p.log.String()
}

// sync waits until everything the host logged before now has been read.
func (p *Process) sync() {
	n := strconv.FormatInt(p.syncs.Add(1), 10)
	done := p.log.expectSync(n)
	if _, err := io.WriteString(p.stdin, syncLine+n+"\n"); err != nil {
		<-p.exited // the host is gone or going: its whole log is read once it has
		return
	}
	select {
	case <-done:
	case <-p.exited:
	}
}
