package winetest

import (
	"context"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// ProcessTimeout bounds a program run under Wine: it only stops a hang from holding the suite.
const ProcessTimeout = 2 * time.Minute

// Process is a Windows program running under Wine.
type Process struct {
	Cmd    *exec.Cmd
	Output *Output // stdout and stderr together
	done   chan struct{}
	err    error
	cancel context.CancelFunc
}

// Output collects what a program writes while the test reads it. (Not hosttest.Log: this
// package stays free of the cgo bridge, so the bridge's own tests may use it.)
type Output struct {
	mu   sync.Mutex
	text strings.Builder
}

func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.text.Write(p)
}

// String returns everything written so far.
func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.text.String()
}

// Start runs exe (a Unix path to a .exe) with args and env (the test's environment when nil)
// in the prefix. The process is killed when the test ends if it still runs.
func (e *Env) Start(t testing.TB, exe string, args []string, env []string) *Process {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), ProcessTimeout)
	p := &Process{Output: &Output{}, done: make(chan struct{}), cancel: cancel}
	p.Cmd = exec.CommandContext(ctx, e.Wine, append([]string{exe}, args...)...)
	p.Cmd.Env = e.Environ(env)
	p.Cmd.Stdout, p.Cmd.Stderr = p.Output, p.Output
	if err := p.Cmd.Start(); err != nil {
		cancel()
		t.Fatalf("start %s under %s: %v", exe, e.Wine, err)
	}
	go func() {
		p.err = p.Cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.Kill()
		<-p.done
	})
	return p
}

// Run runs exe to its end and returns its output and exit error.
func (e *Env) Run(t testing.TB, exe string, args []string, env []string) (string, error) {
	t.Helper()
	p := e.Start(t, exe, args, env)
	<-p.Done()
	return p.Output.String(), p.Err()
}

// Done is closed when the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// Err is the process's exit error (nil for status 0); valid once Done is closed.
func (p *Process) Err() error { return p.err }

// Kill ends the process if it still runs (the loader's Unix process is the Windows process).
func (p *Process) Kill() { p.cancel() }

// Interrupt sends SIGINT, which Wine turns into a CTRL_C_EVENT: Go programs receive it as
// os.Interrupt and can stop cleanly (SIGTERM would end the process at once).
func (p *Process) Interrupt() error { return p.Cmd.Process.Signal(syscall.SIGINT) }

// WaitFor waits until the program's output matches re and returns the submatches. The test
// fails if the program exits first, or after ProcessTimeout.
func (p *Process) WaitFor(t testing.TB, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.After(ProcessTimeout)
	for {
		if m := re.FindStringSubmatch(p.Output.String()); m != nil {
			return m
		}
		select {
		case <-p.done:
			if m := re.FindStringSubmatch(p.Output.String()); m != nil {
				return m
			}
			t.Fatalf("%s exited (%v) before printing %q; its output:\n%s", p.Cmd.Args[1], p.err, re, p.Output)
		case <-deadline:
			t.Fatalf("%s did not print %q within %v; its output:\n%s", p.Cmd.Args[1], re, ProcessTimeout, p.Output)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Stop interrupts the program and waits for it to exit; the test fails unless it exits with
// status 0.
func (p *Process) Stop(t testing.TB) {
	t.Helper()
	if err := p.Interrupt(); err != nil {
		t.Fatalf("interrupt %s: %v", p.Cmd.Args[1], err)
	}
	select {
	case <-p.done:
	case <-time.After(ProcessTimeout):
		t.Fatalf("%s did not exit within %v of CTRL_C; its output:\n%s", p.Cmd.Args[1], ProcessTimeout, p.Output)
	}
	if p.err != nil {
		t.Fatalf("%s: %v; its output:\n%s", p.Cmd.Args[1], p.err, p.Output)
	}
}

// RunIn runs exe (found in dir, or a path) in dir to its end, and returns its standard output
// with a text-mode stdout's CRLF line ends as LF, and its standard error apart (Wine's own
// reports, such as an unhandled exception's, go there).
func (e *Env) RunIn(ctx context.Context, dir, exe string, args ...string) (stdout, stderr string, err error) {
	cmd := exec.CommandContext(ctx, e.Wine, append([]string{exe}, args...)...)
	cmd.Dir, cmd.Env = dir, e.Environ(nil)
	var out, errs strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errs
	err = cmd.Run()
	return strings.ReplaceAll(out.String(), "\r\n", "\n"), errs.String(), err
}

// Crashed says whether a program RunIn ran died of an unhandled exception: it failed, or Wine
// reported the exception on stderr (under load Wine has let such a program exit 0 afterwards).
func Crashed(err error, stderr string) bool {
	return err != nil || strings.Contains(stderr, "Unhandled ")
}
