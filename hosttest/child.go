package hosttest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"syscall"

	"github.com/iishost/iishost/host"
)

// childEnv marks a test binary re-executed by Run to serve modules instead of running tests;
// its value is the childSpec as JSON.
const childEnv = "IISHOST_HOSTTEST_SERVE"

// childStatusFd is the pipe to the test: "ready ADDRESS" or "error MESSAGE" once, then the crash
// reporter's lines (host.InstallCrashReporter). exec.Cmd.ExtraFiles start at 3.
const childStatusFd = 3

// syncLine on the child's standard input asks it to write syncMarker+N on its standard error:
// once the test reads the marker, every record logged before it was asked has arrived.
const (
	syncLine   = "sync "
	syncMarker = "\x00hosttest-sync "
)

// childSpec is what the test asks its host process to serve.
type childSpec struct {
	Modules    []Module
	Root       string
	ConfigFile string
	Limits     host.Limits
}

// childStatus is held for the process's life: the crash reporter writes to its descriptor.
var childStatus *os.File

func init() {
	spec, ok := os.LookupEnv(childEnv)
	if !ok || errNoIsolation != nil {
		return
	}
	os.Unsetenv(childEnv) // a module's child processes are not hosts
	os.Exit(serveChild(spec))
}

// serveChild serves the spec's modules on a loopback port until its standard input closes.
func serveChild(specJSON string) int {
	syscall.CloseOnExec(childStatusFd) // a module's child processes must not hold the pipe open
	childStatus = os.NewFile(childStatusFd, "hosttest status pipe")
	fail := func(err error) int {
		fmt.Fprintf(childStatus, "error %s\n", strings.ReplaceAll(err.Error(), "\n", "\\n"))
		return 1
	}
	var spec childSpec
	if err := json.Unmarshal([]byte(specJSON), &spec); err != nil {
		return fail(fmt.Errorf("reading %s: %w", childEnv, err))
	}
	if err := host.InstallCrashReporter(childStatusFd); err != nil {
		return fail(err)
	}
	srv, err := newChildServer(spec)
	if err != nil {
		return fail(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }() // Serve puts the front door on ln
	fmt.Fprintf(childStatus, "ready %s\n", ln.Addr())

	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		if n, ok := strings.CutPrefix(in.Text(), syncLine); ok {
			fmt.Fprintf(os.Stderr, "%s%s\n", syncMarker, n)
		}
	}
	// Standard input closed: the test ended (or its process died).
	if err := srv.Shutdown(context.Background()); err != nil {
		fmt.Fprintf(os.Stderr, "hosttest: shutting down: %v\n", err)
		return 1
	}
	<-served
	return 0
}

// newChildServer loads the spec's configuration and modules; the log goes to standard error as
// JSON records, which the test reads back.
func newChildServer(spec childSpec) (*host.Server, error) {
	cfg := &host.Config{}
	if spec.ConfigFile != "" {
		var err error
		if cfg, err = host.LoadConfig(spec.ConfigFile); err != nil {
			return nil, err
		}
	}
	for _, m := range spec.Modules {
		if err := cfg.AddModule(m.Name + "=" + m.Image); err != nil {
			return nil, err
		}
	}
	if spec.Root != "" {
		cfg.SetRoot(spec.Root)
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return host.New(cfg, host.Options{Limits: spec.Limits, Logger: logger})
}
