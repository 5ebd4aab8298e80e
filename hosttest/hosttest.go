// Package hosttest runs IIS native modules inside a test, over real HTTP, with no IIS and no
// mocks: build a module from source, serve it, and send requests.
//
//	func TestMyModule(t *testing.T) {
//		so := hosttest.Build(t, "module")          // the sources in ./module
//		p := hosttest.Run(t, hosttest.Module{Name: "Mine", Image: so})
//		resp := p.Get("/hello")
//		hosttest.AssertStatus(t, resp, http.StatusOK)
//		hosttest.AssertBody(t, resp, "Hello, world!")
//	}
//
// # Notes
//
//   - Run serves in a host process of its own: a module that crashes fails the test it
//     crashed in, naming the module, notification and URL. Serve, ServeWith and Start run the
//     host inside the test process.
//   - Every test gets its own host; several can run at once.
//   - Build is `iishost build`'s code, so tests compile with the flags users get, from sources,
//     folders or Visual Studio projects.
//   - A failing test prints the host's log.
package hosttest

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/iishost/iishost/host"
)

// Module names a module to load, in configuration order.
type Module struct{ Name, Image string }

// Instances names one image several times, in order: the host calls RegisterModule once per
// name, as IIS does for a library declared under several names.
func Instances(image string, names ...string) []Module {
	mods := make([]Module, len(names))
	for i, n := range names {
		mods[i] = Module{Name: n, Image: image}
	}
	return mods
}

// Options adjust a test server.
type Options struct {
	Root     string       // site physical path; default: a new empty temp dir
	Config   *host.Config // start from this configuration instead of an empty one
	Fallback http.Handler // serves requests no module handled; default: static files under Root
	// AbandonPendingAfter: see host.Options.
	AbandonPendingAfter time.Duration
	// CacheCleanupInterval is host.Options.CacheCleanupInterval (default 30 s; negative: only at shutdown).
	CacheCleanupInterval time.Duration
	// HealthCheckInterval is host.Options.HealthCheckInterval (0: the host's default).
	HealthCheckInterval time.Duration
	// FileMonitorInterval is host.Options.FileMonitorInterval (0: the host's default).
	FileMonitorInterval time.Duration
	// Limits is host.Options.Limits (zero fields: the defaults).
	Limits host.Limits
	// MaxRequestMemory is host.Options.MaxRequestMemory (0: the host's default).
	MaxRequestMemory int64
	// MaxAbandonedBytes is host.Options.MaxAbandonedBytes (0: the host's default).
	MaxAbandonedBytes int64
	// SlowNotificationAfter is host.Options.SlowNotificationAfter (0: the host's default).
	SlowNotificationAfter time.Duration
	// LogHandler, when set, receives the server's log records in place of Log, for tests that
	// look at records' attributes.
	LogHandler slog.Handler
	// OnRecycle is host.Options.OnRecycle.
	OnRecycle func(host.RecycleRequest)
}

// Log collects a test server's log records as text.
type Log struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String returns everything logged so far.
func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Server is a running test host.
type Server struct {
	*httptest.Server
	Host *host.Server
	Log  *Log
}

// Serve loads modules into a new host and serves it on a loopback port until the test ends.
func Serve(t testing.TB, modules ...Module) *Server {
	t.Helper()
	return ServeWith(t, Options{}, modules...)
}

// Start loads modules into a new host; it fails the test with the loading error, if any. When
// the test fails, the host's log is printed at its end.
func Start(t testing.TB, opts Options, modules ...Module) (*host.Server, *Log, error) {
	t.Helper()
	cfg := opts.Config
	if cfg == nil {
		cfg = &host.Config{}
	}
	for _, m := range modules {
		if err := cfg.AddModule(m.Name + "=" + m.Image); err != nil {
			t.Fatal(err)
		}
	}
	root := opts.Root
	if root == "" {
		root = t.TempDir()
	}
	cfg.SetRoot(root)
	log := &Log{}
	t.Cleanup(func() {
		if t.Failed() && log.String() != "" {
			t.Logf("host log:\n%s", log)
		}
	})
	handler := opts.LogHandler
	if handler == nil {
		handler = slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug})
	}
	srv, err := host.New(cfg, host.Options{
		Fallback:              opts.Fallback,
		AbandonPendingAfter:   opts.AbandonPendingAfter,
		CacheCleanupInterval:  opts.CacheCleanupInterval,
		HealthCheckInterval:   opts.HealthCheckInterval,
		FileMonitorInterval:   opts.FileMonitorInterval,
		MaxRequestMemory:      opts.MaxRequestMemory,
		MaxAbandonedBytes:     opts.MaxAbandonedBytes,
		SlowNotificationAfter: opts.SlowNotificationAfter,
		Limits:                opts.Limits,
		OnRecycle:             opts.OnRecycle,
		Logger:                slog.New(handler),
	})
	return srv, log, err
}

// ServeWith is Serve with options.
func ServeWith(t testing.TB, opts Options, modules ...Module) *Server {
	t.Helper()
	srv, log, err := Start(t, opts, modules...)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(srv)
	srv.ConfigureHTTPServer(ts.Config) // connection scope for modules, the front door's timeouts
	ts.Listener = srv.Listener(ts.Listener)
	ts.Start()
	t.Cleanup(func() {
		ts.Close()
		if err := srv.Close(); err != nil {
			t.Errorf("closing host: %v", err)
		}
	})
	return &Server{Server: ts, Host: srv, Log: log}
}
