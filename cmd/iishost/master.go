package main

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// The master owns the listening sockets and runs count workers: copies of this command (the
// same arguments, workerEnv set) that load the modules and serve on the sockets they inherit.
// It loads no module code, so a module that crashes costs one worker, which the master
// replaces at once, logging what the crash reporter of the worker said
// (host.InstallCrashReporter). Rapid-fail protection stops the restarts; the master then answers
// 503 itself until SIGHUP. SIGINT and SIGTERM are forwarded to the workers, which drain.
type master struct {
	logger    *slog.Logger
	args      []string       // the command's own, given to each worker
	listeners []net.Listener // in the endpoint plan's order
	// secure is, per listener, the TLS its https bindings speak (nil for plain HTTP), for the
	// master's own answers while the pool is stopped.
	secure []*tls.Config
	count  int
	policy rapidFail
	// startupTimeLimit is how long a worker may take to serve before it is killed.
	startupTimeLimit time.Duration
	// memoryLimits and restartAfter recycle a worker whose memory passes a limit or that has
	// served for restartAfter (poolSettings); 0: no time limit.
	memoryLimits []memoryLimit
	restartAfter time.Duration
	// ping checks each worker still gets requests through; one that stops answering is
	// recycled. A stopped worker that has not ended after shutdownTimeLimit is killed.
	ping              pingPolicy
	shutdownTimeLimit time.Duration

	files       []*os.File // the listeners' descriptors, passed to each worker
	exits       chan *worker
	recycles    chan recycleAsk // a worker's module asked for it to be recycled
	replaced    chan *worker    // a replacement started serving: its predecessor may drain
	workers     map[*worker]bool
	failures    []time.Time    // recent worker failures, for rapid-fail protection
	unavailable []*http.Server // the master's 503 answers while the pool is stopped
	stopping    bool           // SIGINT or SIGTERM arrived
	// poolStopped is set while rapid-fail protection stops the pool; read by the admin
	// listener, as is admin's roster (nil without -admin).
	poolStopped atomic.Bool
	adminAddr   string
	admin       *masterAdmin
}

// worker is one worker process.
type worker struct {
	cmd      *exec.Cmd
	ready    chan struct{} // closed when it serves
	piped    chan struct{} // closed when its status pipe ends
	stopping bool          // the master asked it to stop: its exit is no failure
	// replaces is the worker this one recycles, which drains once this one serves;
	// recycling says a replacement for this one is starting.
	replaces  *worker
	recycling bool
	stdin     io.WriteCloser // where the master pings it
	lastPong  atomic.Int64   // unix nanoseconds of its last answer to a ping
	started   time.Time
	draining  atomic.Bool // stop was called: it drains (for the admin page)

	mu     sync.Mutex
	report string // the crash reporter's line, if it wrote one
}

// recycleAsk is a worker's request, from one of its modules, to be recycled.
type recycleAsk struct {
	w   *worker
	why string
}

func runMaster(m *master) error {
	m.exits = make(chan *worker)
	m.recycles = make(chan recycleAsk, 64)
	m.replaced = make(chan *worker)
	m.workers = map[*worker]bool{}
	for _, ln := range m.listeners {
		f, err := ln.(*net.TCPListener).File()
		if err != nil {
			return err
		}
		defer f.Close()
		m.files = append(m.files, f)
	}
	defer closeAll(m.listeners)
	if m.adminAddr != "" {
		admin, err := newMasterAdmin(m)
		if err != nil {
			return err
		}
		defer admin.close()
		m.admin = admin
		ln, err := listenAdmin(m.adminAddr, m.logger)
		if err != nil {
			return err
		}
		defer ln.Close()
		serveAdmin(ln, admin, m.logger)
	}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	if err := m.startAll(); err != nil {
		return err
	}
	for {
		select {
		case ask := <-m.recycles:
			m.recycle(ask.w, ask.why)
		case nw := <-m.replaced:
			old := nw.replaces
			if old == nil || !m.workers[nw] {
				continue // it ended before the master heard it was serving
			}
			nw.replaces = nil
			if m.workers[old] {
				m.logger.Info("worker recycled: the old one drains", "pid", old.cmd.Process.Pid, "replacement", nw.cmd.Process.Pid)
				m.stop(old, syscall.SIGTERM)
			}
		case w := <-m.exits:
			delete(m.workers, w)
			switch {
			case w.replaces != nil:
				// A replacement that never served: the worker it was to replace goes on.
				m.logDeath(w)
				w.replaces.recycling = false
				m.logger.Error("recycle failed: the replacement ended before serving; the old worker goes on",
					"pid", w.replaces.cmd.Process.Pid)
				w.replaces = nil
			case w.stopping:
				if w.crashReport() != "" {
					m.logDeath(w) // a module crashed while it drained (GL_APPLICATION_STOP, say)
				}
			case m.stopping:
				m.logDeath(w)
			default:
				m.logDeath(w)
				m.replace()
			}
			if m.stopping && len(m.workers) == 0 {
				return nil
			}
		case sig := <-sigs:
			if sig == syscall.SIGHUP {
				if m.unavailable == nil && !m.stopping {
					m.recycleAll()
				} else {
					m.restartPool()
				}
				continue
			}
			m.stopping = true
			m.stopUnavailable()
			if len(m.workers) == 0 {
				return nil
			}
			for w := range m.workers {
				m.stop(w, sig)
			}
		}
	}
}

// startAll starts the pool's workers and waits until each serves; one that ends first fails
// the start (its own log says why).
func (m *master) startAll() error {
	started := make([]*worker, 0, m.count)
	for range m.count {
		w, err := m.start()
		if err != nil {
			m.stopAndWait()
			return err
		}
		started = append(started, w)
	}
	for _, w := range started {
		select {
		case <-w.ready:
		case dead := <-m.exits:
			delete(m.workers, dead)
			m.logDeath(dead)
			m.stopAndWait()
			return fmt.Errorf("worker %d ended before serving: %v", dead.cmd.Process.Pid, dead.cmd.ProcessState)
		}
	}
	return nil
}

// stopAndWait stops every worker and waits until they have ended.
func (m *master) stopAndWait() {
	for w := range m.workers {
		m.stop(w, syscall.SIGTERM)
	}
	for len(m.workers) > 0 {
		delete(m.workers, <-m.exits)
	}
}

// start runs one worker.
func (m *master) start() (*worker, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	r, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, m.args...)
	cmd.Env = append(os.Environ(), workerEnv+"="+strconv.Itoa(len(m.files)))
	if m.admin != nil {
		cmd.Env = append(cmd.Env, adminDirEnv+"="+m.admin.dir)
	}
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		r.Close()
		pw.Close()
		return nil, err
	}
	cmd.ExtraFiles = append(append([]*os.File{}, m.files...), pw)
	cmd.SysProcAttr = workerProcAttr()
	err = cmd.Start()
	pw.Close()
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("starting a worker: %w", err)
	}
	w := &worker{cmd: cmd, ready: make(chan struct{}), piped: make(chan struct{}), stdin: stdin, started: time.Now()}
	m.workers[w] = true
	if m.admin != nil {
		m.admin.started(w)
	}
	go m.readStatus(w, r)
	go m.limitStartup(w)
	go m.watchRecycling(w)
	go m.pingWorker(w)
	go func() {
		_ = cmd.Wait()
		// The crash line is written before the worker dies; the pipe ends with it, unless a
		// child process forked without exec holds it.
		select {
		case <-w.piped:
		case <-time.After(time.Second):
		}
		if m.admin != nil {
			m.admin.ended(w)
		}
		m.exits <- w
	}()
	return w, nil
}

// limitStartup kills a worker that does not serve within the startup time limit (a module
// stuck in RegisterModule or GL_APPLICATION_START); its end is then a failure like a crash.
func (m *master) limitStartup(w *worker) {
	timer := time.NewTimer(m.startupTimeLimit)
	defer timer.Stop()
	select {
	case <-w.ready:
	case <-w.piped: // it ended
	case <-timer.C:
		m.logger.Error("worker did not start serving in time; killing it", "pid", w.cmd.Process.Pid,
			"startupTimeLimit", m.startupTimeLimit.String())
		_ = w.cmd.Process.Kill()
	}
}

// memoryPoll is how often a worker's memory is read against the pool's limits.
const memoryPoll = time.Second

// memoryLimit is one of <periodicRestart>'s memory limits, read from a process's
// /proc/PID/status field.
type memoryLimit struct {
	what  string // "private memory", as the log says it
	field string // "RssAnon:"
	kb    uint64
}

// memoryLimits are the pool's limits that are set. Private memory is RssAnon (its heap and
// stacks, not the libraries it maps), the nearest Linux has to Windows' private bytes; virtual
// memory is VmSize, everything the process has mapped.
func (p poolSettings) memoryLimits() []memoryLimit {
	var out []memoryLimit
	if p.privateMemoryKB > 0 {
		out = append(out, memoryLimit{"private memory", "RssAnon:", p.privateMemoryKB})
	}
	if p.virtualMemoryKB > 0 {
		out = append(out, memoryLimit{"virtual memory", "VmSize:", p.virtualMemoryKB})
	}
	return out
}

// watchRecycling asks for w to be recycled once it has served restartAfter, or once its
// memory passes one of memoryLimits, as IIS's periodicRestart does.
func (m *master) watchRecycling(w *worker) {
	if len(m.memoryLimits) == 0 && m.restartAfter <= 0 {
		return
	}
	select {
	case <-w.ready:
	case <-w.piped:
		return
	}
	var deadline <-chan time.Time
	if m.restartAfter > 0 {
		t := time.NewTimer(m.restartAfter)
		defer t.Stop()
		deadline = t.C
	}
	var poll <-chan time.Time
	if len(m.memoryLimits) > 0 {
		t := time.NewTicker(memoryPoll)
		defer t.Stop()
		poll = t.C
	}
	for {
		select {
		case <-w.piped:
			return
		case <-deadline:
			m.recycles <- recycleAsk{w, "periodic restart after " + m.restartAfter.String()}
			return
		case <-poll:
			for _, limit := range m.memoryLimits {
				if kb, ok := processStatusKB(w.cmd.Process.Pid, limit.field); ok && kb > limit.kb {
					m.recycles <- recycleAsk{w, fmt.Sprintf("%s %d KB is over the limit of %d KB", limit.what, kb, limit.kb)}
					return
				}
			}
		}
	}
}

// processStatusKB reads a "NAME: N kB" field of /proc/PID/status.
func processStatusKB(pid int, field string) (uint64, bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field); ok {
			n, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// readStatus reads the worker's status pipe: "ready", requests to be recycled, then at most
// one crash line.
func (m *master) readStatus(w *worker, r *os.File) {
	defer close(w.piped)
	defer r.Close()
	sc := bufio.NewScanner(r)
	readyClosed := false
	for sc.Scan() {
		line := sc.Text()
		if line == "ready" && !readyClosed {
			close(w.ready)
			readyClosed = true
			continue
		}
		if line == pongLine {
			w.lastPong.Store(time.Now().UnixNano())
			continue
		}
		if why, ok := strings.CutPrefix(line, recycleLine+"\t"); ok {
			m.recycles <- recycleAsk{w, strings.ReplaceAll(why, "\t", ": ")}
			continue
		}
		w.mu.Lock()
		w.report = line
		w.mu.Unlock()
	}
}

func (w *worker) crashReport() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.report
}

func (m *master) stop(w *worker, sig os.Signal) {
	if !w.stopping {
		go m.killUndrained(w)
	}
	w.stopping = true
	w.draining.Store(true)
	_ = w.cmd.Process.Signal(sig)
}

// killUndrained kills a stopped worker still running after the shutdown time limit (and a
// little more: the worker's own drain has that long) as IIS does.
func (m *master) killUndrained(w *worker) {
	t := time.NewTimer(m.shutdownTimeLimit + 5*time.Second)
	defer t.Stop()
	select {
	case <-w.piped:
	case <-t.C:
		m.logger.Error("worker did not drain in time; killing it", "pid", w.cmd.Process.Pid,
			"shutdownTimeLimit", m.shutdownTimeLimit.String())
		_ = w.cmd.Process.Kill()
	}
}

// pingWorker pings a serving worker every ping interval; one that has not answered for the
// ping response time is recycled.
func (m *master) pingWorker(w *worker) {
	if !m.ping.enabled {
		return
	}
	select {
	case <-w.ready:
	case <-w.piped:
		return
	}
	w.lastPong.Store(time.Now().UnixNano())
	t := time.NewTicker(m.ping.interval)
	defer t.Stop()
	for {
		select {
		case <-w.piped:
			return
		case <-t.C:
		}
		if silent := time.Since(time.Unix(0, w.lastPong.Load())); silent > m.ping.responseTime {
			m.recycles <- recycleAsk{w, fmt.Sprintf("no answer to the master's ping for %s: every request is stuck in a module",
				silent.Round(time.Second))}
			return
		}
		if _, err := io.WriteString(w.stdin, pingLine+"\n"); err != nil {
			return // it is ending
		}
	}
}

// logDeath logs a worker that ended unasked: its pid, its signal or exit status, and the
// module call its crash reporter named.
func (m *master) logDeath(w *worker) {
	attrs := []any{"pid", w.cmd.Process.Pid}
	if ws, ok := w.cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		attrs = append(attrs, "signal", signalName(ws.Signal()))
	} else {
		attrs = append(attrs, "exitStatus", w.cmd.ProcessState.ExitCode())
	}
	report := w.crashReport()
	// kind, signal number, module, notification, URL (cabi.InstallCrashReporter).
	if f := strings.Split(report, "\t"); len(f) == 5 {
		attrs = append(attrs, "module", f[2], "notification", f[3], "url", f[4])
	} else {
		attrs = append(attrs, "module", "", "notification", "", "url", "")
	}
	m.logger.Error("worker died", attrs...)
	if m.admin != nil {
		m.admin.crashes.Inc()
	}
}

// replace starts a worker for one that failed, unless rapid-fail protection stops the pool.
func (m *master) replace() {
	var trip bool
	m.failures, trip = m.policy.failed(m.failures, time.Now())
	if trip {
		m.logger.Error("rapid-fail protection: application pool stopped; answering 503 until SIGHUP",
			"failures", len(m.failures), "interval", m.policy.interval.String(), "maxCrashes", m.policy.maxCrashes,
			"pool", appPoolName)
		for w := range m.workers {
			m.stop(w, syscall.SIGTERM)
		}
		m.serveUnavailable()
		return
	}
	if _, err := m.start(); err != nil {
		m.logger.Error("worker not replaced", "error", err)
	}
}

// recycle starts a worker to replace w; w drains once the replacement serves, so no request
// is refused meanwhile (both share the sockets). A worker already being recycled is left be.
func (m *master) recycle(w *worker, why string) {
	if !m.workers[w] || w.recycling || w.stopping || m.stopping {
		return
	}
	m.logger.Info("recycling worker", "pid", w.cmd.Process.Pid, "reason", why)
	w.recycling = true
	nw, err := m.start()
	if err != nil {
		w.recycling = false
		m.logger.Error("recycle failed: the old worker goes on", "pid", w.cmd.Process.Pid, "error", err)
		return
	}
	nw.replaces = w
	go func() {
		select {
		case <-nw.ready:
			m.replaced <- nw
		case <-nw.piped:
		}
	}()
}

// recycleAll is SIGHUP while the pool runs: every worker is recycled, each replacement reading
// the configuration and loading the modules afresh.
func (m *master) recycleAll() {
	m.logger.Info("SIGHUP: recycling every worker with the configuration read again")
	var current []*worker
	for w := range m.workers {
		if w.replaces == nil {
			current = append(current, w)
		}
	}
	for _, w := range current {
		m.recycle(w, "SIGHUP")
	}
}

// restartPool is SIGHUP: a pool stopped by rapid-fail protection starts again.
func (m *master) restartPool() {
	if m.unavailable == nil {
		m.logger.Info("SIGHUP: the pool is running; nothing to restart")
		return
	}
	m.logger.Info("SIGHUP: restarting the application pool")
	m.stopUnavailable()
	m.failures = nil
	for len(m.workers) < m.count {
		if _, err := m.start(); err != nil {
			m.logger.Error("worker not started", "error", err)
			return
		}
	}
}

// serveUnavailable answers every request 503 on the pool's sockets, as HTTP.sys does for a
// stopped application pool.
func (m *master) serveUnavailable() {
	m.poolStopped.Store(true)
	for i, f := range m.files {
		ln, err := net.FileListener(f) // its own descriptor: closing it leaves the socket open
		if err != nil {
			m.logger.Error("cannot answer 503", "error", err)
			continue
		}
		if i < len(m.secure) && m.secure[i] != nil {
			ln = tls.NewListener(ln, m.secure[i])
		}
		hs := &http.Server{Handler: http.HandlerFunc(unavailable), ReadHeaderTimeout: 10 * time.Second,
			ErrorLog: slog.NewLogLogger(m.logger.Handler(), slog.LevelWarn)}
		m.unavailable = append(m.unavailable, hs)
		go func() {
			if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				m.logger.Error("503 answers stopped", "error", err)
			}
		}()
	}
}

func (m *master) stopUnavailable() {
	m.poolStopped.Store(false)
	for _, hs := range m.unavailable {
		_ = hs.Close()
	}
	m.unavailable = nil
}

func unavailable(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Connection", "close")
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write([]byte("503 Service Unavailable: the application pool is stopped\n"))
}

var signalNames = map[syscall.Signal]string{
	syscall.SIGSEGV: "SIGSEGV", syscall.SIGBUS: "SIGBUS", syscall.SIGILL: "SIGILL", syscall.SIGFPE: "SIGFPE",
	syscall.SIGABRT: "SIGABRT", syscall.SIGKILL: "SIGKILL", syscall.SIGTERM: "SIGTERM", syscall.SIGINT: "SIGINT",
}

func signalName(s syscall.Signal) string {
	if n, ok := signalNames[s]; ok {
		return n
	}
	return "signal " + strconv.Itoa(int(s))
}
