// Command iishost serves HTTP through IIS native modules.
//
// With no flags it builds the sample modules and serves them on 127.0.0.1:8080 with the
// embedded default configuration. docs/operating.md describes the flags. `iishost build` compiles a
// module from sources or a Visual Studio project (iishost build -h).
package main

import (
	"context"
	"crypto/tls"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/iishost/iishost/host"
	"github.com/iishost/iishost/internal/cpuprofile"
	"github.com/iishost/iishost/internal/modbuild"
)

//go:embed default.config
var defaultConfig string

// serverFlags are the flags serving and checking share.
type serverFlags struct {
	listen, config, root, schema *string
	modules                      *moduleFlags
	log                          logFlags
}

// addServerFlags defines them on fs; check is -t's default (true for iishost check).
func addServerFlags(fs *flag.FlagSet, listenDefault string, check bool) serverFlags {
	f := serverFlags{modules: &moduleFlags{}}
	fs.Bool("t", check, "check the configuration, its schemas and modules, and exit (iishost check)")
	f.listen = fs.String("listen", listenDefault, "serve every site on this one address (host:port) instead of the bindings; used when no site has an http or https binding")
	f.config = fs.String("config", "", "applicationHost.config-style file (default: the embedded sample configuration)")
	f.root = fs.String("root", "", "the first site's root folder (overrides the configuration)")
	f.schema = fs.String("schema", "", "directory of IIS schema files (*.xml) typing the configuration (overrides <iishost schemaDirectory>)")
	fs.Var(f.modules, "module", "load a module: NAME=PATH to a .so (a .dll on Windows); repeatable, in configuration order")
	f.log = addLogFlags(fs)
	return f
}

// moduleFlags collects repeated -module NAME=PATH flags in the order given.
type moduleFlags []string

func (m *moduleFlags) String() string     { return strings.Join(*m, ",") }
func (m *moduleFlags) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	if len(os.Args) > 1 && os.Args[1] == "build" {
		err := runBuild(os.Args[2:], os.Stdout, os.Stderr)
		switch {
		case errors.Is(err, flag.ErrHelp):
		case err != nil:
			reportBuildError(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if code, ok := checkCommand(os.Args[1:], os.Stdout, os.Stderr); ok { // iishost check, iishost -t
		os.Exit(code)
	}
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		os.Exit(1)
	}
}

// run serves as args say, logging to stderr; -help and -version print to stdout. A failure is
// logged ("iishost stopped") and returned.
func run(args []string, stdout, stderr io.Writer) error {
	c := &command{stdout: stdout, stderr: stderr, logger: slog.New(slog.NewTextHandler(stderr, nil))}
	err := c.run(args)
	if err != nil {
		c.logger.Error("iishost stopped", "error", err)
	}
	return err
}

// command is one run of iishost: where it writes, and its logger once the flags and the
// configuration have chosen its format and level.
type command struct {
	stdout, stderr io.Writer
	logger         *slog.Logger
}

func (c *command) run(args []string) error {
	fs := flag.NewFlagSet("iishost", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	flags := addServerFlags(fs, "127.0.0.1:8080", false)
	listen, configPath, root, schema := flags.listen, flags.config, flags.root, flags.schema
	admin := fs.String("admin", "", "serve /metrics, /status, /healthz and /readyz on this address (host:port); unauthenticated, so keep it on loopback or a private network")
	workers := fs.Int("workers", defaultWorkers, "worker processes that load the modules and serve under a master that restarts them; 0 serves in this one process (the only choice on Windows); unset, the pool's maxProcesses if configured")
	version := fs.Bool("version", false, "print the version and exit")
	cpuProfile := fs.String("cpuprofile", "", "write a Go CPU profile to `file` until the command stops (go tool pprof reads it); serves in this one process, as -workers 0")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: iishost [flags]        serve HTTP through modules\n"+
			"       iishost check [flags]  check the configuration and exit (as -t)\n"+
			"       iishost build ...      compile a module (iishost build -h)\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if helped, err := parseFlags(fs, args, c.stdout); helped || err != nil {
		return err
	}
	if *version {
		_, err := fmt.Fprintln(c.stdout, versionLine())
		return err
	}
	if err := flags.log.check(); err != nil {
		return err
	}
	c.logger = flags.log.logger(c.stderr, nil)
	if _, worker := os.LookupEnv(workerEnv); !worker {
		reportGoRunBuild(c.logger)
	}
	modules := *flags.modules
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q: iishost takes flags, or build first (see -help)", fs.Arg(0))
	}
	if *workers < 0 || *workers > maxWorkers {
		return fmt.Errorf("-workers %d: want 0 (serve in this process) to %d", *workers, maxWorkers)
	}
	listenSet, workersSet := false, false
	fs.Visit(func(f *flag.Flag) {
		listenSet = listenSet || f.Name == "listen"
		workersSet = workersSet || f.Name == "workers"
	})
	if *cpuProfile != "" {
		if workersSet && *workers != 0 {
			return fmt.Errorf("-cpuprofile %s: profiles one process, and -workers %d asks for a pool", *cpuProfile, *workers)
		}
		*workers, workersSet = 0, true
	}
	if *workers > 0 && errNoWorkerProcesses != nil {
		return fmt.Errorf("-workers %d: %w", *workers, errNoWorkerProcesses)
	}
	if _, worker := os.LookupEnv(workerEnv); worker && errNoWorkerProcesses != nil {
		return fmt.Errorf("%s is set: %w", workerEnv, errNoWorkerProcesses)
	}

	cfg, err := loadConfig(*configPath, len(modules) > 0, c.logger)
	if err != nil {
		return err
	}
	c.logger = flags.log.logger(c.stderr, cfg)
	logger := c.logger
	for _, m := range modules {
		if err := cfg.AddModule(m); err != nil {
			return err
		}
	}
	if *root != "" {
		cfg.SetRoot(*root)
	}
	if *schema != "" {
		cfg.SchemaDirectory = *schema
	}
	ep := endpointPlan{single: listenSet}
	if !listenSet {
		if ep.addresses, err = host.PlanEndpoints(cfg); err != nil {
			return err
		}
	}
	if len(ep.addresses) == 0 {
		ep = endpointPlan{single: true, addresses: []string{*listen}}
	}
	if count, ok := os.LookupEnv(workerEnv); ok {
		return runWorker(cfg, ep, count, logger)
	}
	pool, err := readPool(cfg)
	if err != nil {
		return err
	}
	switch {
	case workersSet || pool.maxProcesses == 0:
	case errNoWorkerProcesses != nil:
		logger.Warn("the application pool's maxProcesses is ignored: serving in this one process", "maxProcesses", pool.maxProcesses, "reason", errNoWorkerProcesses)
	default:
		*workers = pool.maxProcesses
	}
	lns, err := ep.bind()
	if err != nil {
		return err
	}
	if *workers == 0 {
		if *cpuProfile != "" {
			stop, err := cpuprofile.Start(*cpuProfile)
			if err != nil {
				closeAll(lns)
				return err
			}
			defer stop()
		}
		defer ignoreHangups(logger)()
		var ready func(*host.Server) error
		if *admin != "" {
			ln, err := listenAdmin(*admin, logger)
			if err != nil {
				closeAll(lns)
				return err
			}
			defer ln.Close()
			ready = func(srv *host.Server) error {
				serveAdmin(ln, newProcessAdmin(srv), logger)
				return nil
			}
		}
		return serveProcess(cfg, ep, lns, logger, ready, nil, 30*time.Second)
	}
	secure, err := ep.tlsConfigs(cfg, logger)
	if err != nil {
		closeAll(lns)
		return err
	}
	return runMaster(&master{logger: logger, args: args, listeners: lns, secure: secure, count: *workers, policy: pool.rapidFail, adminAddr: *admin,
		startupTimeLimit: pool.startupTimeLimit, memoryLimits: pool.memoryLimits(), restartAfter: pool.restartAfter,
		ping: pool.ping, shutdownTimeLimit: pool.shutdownTimeLimit})
}

// parseFlags parses args. -h and -help print the usage on stdout, and helped is true; any
// other error is printed with the usage on fs's output, as the flag package does.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) (helped bool, err error) {
	usage := fs.Usage
	fs.Usage = func() {}
	err = fs.Parse(args)
	fs.Usage = usage
	if errors.Is(err, flag.ErrHelp) {
		out := fs.Output()
		fs.SetOutput(stdout)
		fs.Usage()
		fs.SetOutput(out)
		return true, nil
	}
	if err != nil {
		fs.Usage()
	}
	return false, err
}

// endpointPlan is what a process listens on: the configuration's endpoints, or one -listen
// address serving every site (single).
type endpointPlan struct {
	single    bool
	addresses []string
}

// bind listens on every address of the plan.
func (ep endpointPlan) bind() ([]net.Listener, error) {
	lns := make([]net.Listener, 0, len(ep.addresses))
	for _, addr := range ep.addresses {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			closeAll(lns)
			return nil, err
		}
		lns = append(lns, ln)
	}
	return lns, nil
}

// tlsConfigs gives, per address of the plan, the TLS of its https bindings (nil for plain
// HTTP and for -listen, which serves plain HTTP).
func (ep endpointPlan) tlsConfigs(cfg *host.Config, logger *slog.Logger) ([]*tls.Config, error) {
	if ep.single {
		return nil, nil
	}
	secure, err := host.PlanTLSEndpoints(cfg)
	if err != nil {
		return nil, err
	}
	out := make([]*tls.Config, len(ep.addresses))
	for i, addr := range ep.addresses {
		if certs, ok := secure[addr]; ok {
			if out[i], err = host.NewTLSConfig(certs, logger); err != nil {
				return nil, fmt.Errorf("https on %s: %w", addr, err)
			}
		}
	}
	return out, nil
}

func closeAll(lns []net.Listener) {
	for _, ln := range lns {
		ln.Close()
	}
}

// serveProcess loads the modules and serves lns (one per plan address) until SIGINT or
// SIGTERM, then drains. ready, when set, is called once every listener is being served.
func serveProcess(cfg *host.Config, ep endpointPlan, lns []net.Listener, logger *slog.Logger, ready func(*host.Server) error,
	recycle func(host.RecycleRequest), drainFor time.Duration) error {
	srv, err := host.New(cfg, host.Options{Logger: logger, OnRecycle: recycle})
	if err != nil {
		closeAll(lns)
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	served := make(chan error, len(lns))
	for i, ln := range lns {
		go func() {
			if ep.single {
				served <- srv.Serve(ln)
			} else {
				served <- srv.ServeEndpoint(ep.addresses[i], ln)
			}
		}()
	}
	if ready != nil {
		if err := ready(srv); err != nil {
			logger.Error("telling the master this worker is ready", "error", err)
		}
	}
	select {
	case err := <-served:
		_ = srv.Close()
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: draining in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), drainFor)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	for range lns {
		if err := <-served; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	return nil
}

// loadConfig reads -config, or starts empty for -module use, or builds the samples and uses
// the embedded configuration (where samples cannot be built, it starts empty and says why).
func loadConfig(path string, haveModules bool, logger *slog.Logger) (*host.Config, error) {
	switch {
	case path != "":
		return host.LoadConfig(path)
	case haveModules:
		return host.ParseConfig(strings.NewReader("<configuration/>"), "")
	case errNoSampleBuild != nil:
		logger.Warn("serving without modules (static files only)", "reason", errNoSampleBuild)
		return host.ParseConfig(strings.NewReader("<configuration/>"), "")
	}
	repo, err := modbuild.RepoRoot(".")
	if err != nil {
		return nil, fmt.Errorf("the default configuration serves the sample modules, built from source: %w", err)
	}
	dir, err := buildSamples(repo, logger)
	if err != nil {
		return nil, err
	}
	os.Setenv("IISHOST_SAMPLES", dir)
	if os.Getenv("IISHOST_WWWROOT") == "" {
		os.Setenv("IISHOST_WWWROOT", filepath.Join(repo, "samples", "wwwroot"))
	}
	return host.ParseConfig(strings.NewReader(defaultConfig), "embedded default.config")
}

// buildSamples compiles samples/ into a cache folder keyed by the sources' fingerprint.
func buildSamples(repo string, logger *slog.Logger) (string, error) {
	sum, err := modbuild.Fingerprint(filepath.Join(repo, "samples"), filepath.Join(repo, "include"), filepath.Join(repo, "internal", "modbuild"))
	if err != nil {
		return "", err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "iishost", "samples-"+sum)
	if _, err := os.Stat(filepath.Join(dir, ".complete")); err == nil {
		return dir, nil
	}
	sources, err := modbuild.Samples(repo)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	names := slices.Sorted(maps.Keys(sources))
	logger.Info("building sample modules (first run: later runs reuse them)", "modules", strings.Join(names, ","), "into", dir)
	began := time.Now()
	if err := modbuild.BuildAll(repo, dir, sources); err != nil {
		return "", err
	}
	logger.Info("sample modules built", "took", time.Since(began).Round(100*time.Millisecond).String())
	return dir, os.WriteFile(filepath.Join(dir, ".complete"), nil, 0o644)
}
