// Package host runs IIS native modules behind net/http: it reads the configuration, loads
// the modules, compiles the pipeline plan once, raises global notifications, and serves.
package host

import (
	"context"
	"crypto/x509"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iishost/iishost/internal/cabi"
	"github.com/iishost/iishost/internal/frontdoor"
)

// Options tune a Server beyond its configuration.
type Options struct {
	// Logger receives module loading records and every module error. Default: slog.Default().
	Logger *slog.Logger
	// Fallback serves requests no module handled. Default: StaticFiles over the site root.
	Fallback http.Handler
	// AbandonPendingAfter bounds how long a pending request whose client has gone waits for
	// its module to complete before it is abandoned and logged. Default: 30 seconds.
	AbandonPendingAfter time.Duration
	// MaxAbandonedBytes bounds the memory abandoned requests hold: their state cannot be freed
	// while their module may still complete them, so at the cap new requests are answered 503
	// until late completions free some. Default (0): 64 MiB.
	MaxAbandonedBytes int64
	// MaxRequestMemory caps the bytes one request's modules may take with AllocateRequestMemory
	// (and IModuleAllocator); past it they get NULL. Default (0): 256 MiB.
	MaxRequestMemory int64
	// SlowNotificationAfter is how long a module's notification may run before it is logged as
	// a warning naming the module, the notification and the URL, again each time it has run as
	// long once more, and once with its duration when it returns. Default (0): 30 seconds; negative
	// turns the watchdog off.
	SlowNotificationAfter time.Duration
	// CacheCleanupInterval is how often the file cache is scavenged and GL_CACHE_CLEANUP
	// raised. Default (0): 30 seconds; negative: only at shutdown.
	CacheCleanupInterval time.Duration
	// HealthCheckInterval is how often GL_HEALTH_CHECK is raised, when a module subscribed to
	// it. 0 means DefaultHealthCheckInterval; negative turns the timer off.
	HealthCheckInterval time.Duration
	// FileMonitorInterval is how often directories modules monitor (RegisterFileChangeMonitor)
	// are polled, when a module subscribed to GL_FILE_CHANGE. 0 means DefaultFileMonitorInterval;
	// negative turns polling off.
	FileMonitorInterval time.Duration
	// Limits hold every request to HTTP.sys's rules before a module runs; a zero field takes
	// its default (see Limits).
	Limits Limits
	// OnRecycle receives a module's IHttpServer::RecycleProcess and ReportUnhealthy calls,
	// after they are logged: a worker process hands them to its master, which recycles it.
	// nil: they are only logged (one process, nothing to recycle).
	OnRecycle func(RecycleRequest)
	// RecentFailures is how many failed requests (status 400 or more) Status keeps. Default
	// (0): DefaultRecentFailures; negative: none.
	RecentFailures int
	// StatusInFlight bounds the requests in flight Status lists. Default (0):
	// DefaultStatusInFlight.
	StatusInFlight int
}

// RecycleRequest is a module's call to IHttpServer::RecycleProcess (Unhealthy false) or
// ReportUnhealthy (Unhealthy true, with its HRESULT): see Options.OnRecycle.
type RecycleRequest struct {
	Unhealthy bool
	Reason    string
	HRESULT   uint32
}

// Server hosts IIS native modules and is an http.Handler.
//
// Its lifecycle:
//  1. New loads every module of <globalModules>, in order, and calls its RegisterModule.
//  2. New compiles the plan once: per notification, the modules to call, in order.
//  3. New raises GL_APPLICATION_START, then GL_APPLICATION_RESOLVE_MODULES.
//  4. Requests are served through ServeHTTP (directly, or by Serve).
//  5. While serving, a timer scavenges the file cache and raises GL_CACHE_CLEANUP.
//  6. Shutdown raises GL_STOP_LISTENING, stops listening, lets in-flight requests finish,
//     stops the cache timer, raises GL_APPLICATION_STOP, scavenges the cache once more
//     (GL_CACHE_CLEANUP), then calls Terminate on every factory and global module.
type Server struct {
	config  *Config
	host    *cabi.Host
	modules []*LoadedModule
	logger  *slog.Logger
	limits  frontdoor.Limits
	sites   []*siteRuntime // as configured; requests name them by index
	routes  *router        // bindings to sites (routing.go)
	// siteConns counts each connection against its sites' limits (site_connections.go).
	siteConns siteConnections
	// clientRoots verify client certificates (TLSEndpoint.ClientCAs); nil: the system's.
	clientRoots atomic.Pointer[x509.CertPool]

	mu          sync.Mutex
	httpServers []*http.Server
	listeners   []net.Listener // Serve's, closed first by Shutdown (stopAccepting)
	serving     sync.WaitGroup // Serve loops still running
	closed      bool
	fresh       freshConns // connections that have not sent a request yet

	stopCleanup chan struct{} // closed by Shutdown; the cleanup goroutine then ends
	cleanupDone sync.WaitGroup
	health      *healthTimer
	files       *filePoller
	traces      *traceLog // failed-request traces (tracing.go)

	failures       *failureRing // recent failed requests (Status)
	statusInFlight int
	// refused counts requests answered before the pipeline: by the front door, for an
	// unknown host name, or by a site's connection limit (metrics; not in the site's statuses).
	refused atomic.Int64
}

// New loads the configured modules and readies the pipeline.
func New(cfg *Config, opts Options) (*Server, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	h := cabi.NewHost(cabi.ServerConfig{AppPoolName: "DefaultAppPool", ConfigPath: cfg.Source})
	limits := opts.Limits.withDefaults()
	h.Limits = limits
	h.IOTimeout = limits.ConnectionTimeout
	h.Fallback = opts.Fallback
	h.Logger = logger
	h.AbandonAfter = opts.AbandonPendingAfter
	h.MaxAbandonedBytes = opts.MaxAbandonedBytes
	h.SlowNotificationAfter = opts.SlowNotificationAfter
	if recycle := opts.OnRecycle; recycle != nil {
		h.Recycle = func(r cabi.RecycleRequest) { recycle(RecycleRequest(r)) }
	}
	h.SetMaxRequestMemory(opts.MaxRequestMemory)
	s := &Server{config: cfg, host: h, logger: logger, limits: limits, traces: newTraceLog(logger),
		failures: newFailureRing(opts.RecentFailures), statusInFlight: opts.StatusInFlight}
	if s.statusInFlight <= 0 {
		s.statusInFlight = DefaultStatusInFlight
	}
	h.OnFailure = s.recordFailure
	static := StaticFiles{followUnder: map[string]bool{}}
	if err := s.addSites(static.followUnder); err != nil {
		h.Close()
		return nil, err
	}
	if h.Fallback == nil {
		h.Fallback = static
	}
	// Before any module loads: RegisterModule often reads the module's configuration.
	if err := setConfiguration(h, cfg, logger); err != nil {
		h.Close()
		return nil, err
	}
	for _, name := range cfg.SkippedManaged {
		logger.Warn("managed module skipped: iishost runs native modules only", "module", name, "config", cfg.Source)
	}
	for _, loc := range cfg.SkippedLocations {
		logger.Warn("location block not applied: it names no configured site", "location", loc, "config", cfg.Source)
	}
	if err := s.load(); err != nil {
		h.TerminateModules()
		h.Close()
		return nil, err
	}
	// IIS resolves an application's modules after it starts, before its first request.
	h.GlobalNotify(glApplicationStart)
	h.GlobalNotify(glResolveModules)
	s.startAccessLogs()
	h.StartWatchdog()
	s.startCacheCleanup(opts.CacheCleanupInterval)
	s.startHealthChecks(opts.HealthCheckInterval)
	s.startFileMonitors(opts.FileMonitorInterval)
	return s, nil
}

// startCacheCleanup scavenges the file cache on a timer (GL_CACHE_CLEANUP), as IIS does.
func (s *Server) startCacheCleanup(interval time.Duration) {
	if interval == 0 {
		interval = 30 * time.Second
	}
	s.stopCleanup = make(chan struct{})
	if interval < 0 {
		return
	}
	s.cleanupDone.Add(1)
	go func() {
		defer s.cleanupDone.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				s.host.CacheCleanup()
			case <-s.stopCleanup:
				return
			}
		}
	}()
}

func (s *Server) load() error {
	enabled, err := s.config.EnabledModules()
	if err != nil {
		return err
	}
	byName := map[string]*LoadedModule{}
	for _, spec := range s.config.GlobalModules {
		m, err := loadModule(s.host, spec)
		if err != nil {
			s.logger.Error("module failed to load", "module", spec.Name, "image", spec.Image, "error", err)
			return err
		}
		reg := &m.Registration
		s.logger.Info("module loaded", "module", m.Name, "image", m.Image,
			"notifications", describeMask(reg.RequestMask, requestNotificationNames, &reg.RequestPriority),
			"post_notifications", describeMask(reg.PostMask, requestNotificationNames, &reg.PostPriority),
			"global_notifications", describeMask(reg.GlobalMask, globalNotificationNames, &reg.GlobalPriority))
		for _, n := range cabi.NeverRaised {
			if reg.GlobalMask&n.Bit != 0 {
				s.logger.Warn("module subscribes to a global notification iishost never raises", "module", m.Name,
					"notification", n.Name, "reason", n.Reason)
			}
		}
		s.modules = append(s.modules, m)
		byName[strings.ToLower(m.Name)] = m
	}
	order := func(specs []ModuleSpec) []*LoadedModule {
		out := make([]*LoadedModule, len(specs))
		for i, spec := range specs {
			out[i] = byName[strings.ToLower(spec.Name)]
		}
		return out
	}
	compilePlan(s.modules, order(enabled)).install(s.host)
	s.installHandlers(order(enabled))
	return s.installLocations(order)
}

// installLocations gives each site's <location>s their own request plan and handler mappings;
// a site's own location ("/") covers the whole site.
func (s *Server) installLocations(order func([]ModuleSpec) []*LoadedModule) error {
	for _, site := range s.sites {
		locations, err := s.config.Locations(site.config.Name)
		if err != nil {
			return err
		}
		for _, loc := range locations {
			specs, err := s.config.enabled(loc.Modules, loc.enabledAt)
			if err != nil {
				return err
			}
			plan := compilePlan(s.modules, order(specs))
			s.host.AddScope(site.index, loc.Path)
			for list := range cabi.ListGlobal {
				s.host.SetScopePlan(site.index, loc.Path, list, plan.Lists[list])
			}
			if loc.HandlersConfigured {
				s.host.SetScopeHandlers(site.index, loc.Path, s.handlerEntries(loc.Handlers, loc.Modules, loc.Path))
			}
		}
	}
	return nil
}

// setConfiguration gives modules the document, typed by the schema, and the schema's sections;
// what the schema does not declare is logged with where it is.
func setConfiguration(h *cabi.Host, cfg *Config, logger *slog.Logger) error {
	schema, err := loadSchema(cfg)
	if err != nil {
		return err
	}
	doc, warnings, err := schema.typeDocument(cfg)
	if err != nil {
		return err
	}
	for _, w := range warnings {
		logger.Warn(w.msg, append([]any{"file", cfg.Source, "line", w.at.line, "column", w.at.col}, w.args...)...)
	}
	h.SetConfiguration(doc, schema.cabiSchema())
	return nil
}

// Modules lists the loaded modules in configuration order.
func (s *Server) Modules() []*LoadedModule { return s.modules }

// ServeHTTP holds the request to the limits, finds its site by its Host header among every
// binding (see Serve), then runs it through the module pipeline.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.serveOn(w, r, nil) }

// serveOn serves a request that arrived on ep; nil means a listener not made from bindings.
func (s *Server) serveOn(w http.ResponseWriter, r *http.Request, ep *endpoint) {
	admitted, ok := frontdoor.Admit(w, r, &s.limits)
	if !ok {
		s.refused.Add(1)
		return
	}
	defer admitted.Done()
	site := s.routes.site(r, ep)
	if site == nil {
		s.refused.Add(1)
		refuseHostName(w)
		return
	}
	if !site.admit(w, r) {
		s.refused.Add(1)
		return
	}
	route := site.route
	route.HeaderLines = admitted.Fields
	route.Refusal = s.refusal(w, r, site)
	if site.tracing != nil {
		site.tracing.begin(&route, r)
	}
	s.host.ServeAdmitted(w, r, route)
}

// Serve accepts connections on ln until Shutdown, for quick use (-listen) and tests: a request
// goes to the site with an http or https binding for its host name, else to the first site.
// ListenAndServe serves the configuration's own bindings.
func (s *Server) Serve(ln net.Listener) error { return s.serve(ln, nil) }

func (s *Server) serve(ln net.Listener, ep *endpoint) error {
	hs := &http.Server{ErrorLog: slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn)}
	hs.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serveOn(w, r, ep) })
	s.ConfigureHTTPServer(hs)
	if ep != nil && ep.idleTimeout > 0 {
		hs.IdleTimeout = ep.idleTimeout
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return http.ErrServerClosed
	}
	s.httpServers = append(s.httpServers, hs)
	s.listeners = append(s.listeners, ln)
	s.serving.Add(1)
	s.mu.Unlock()
	defer s.serving.Done()
	var err error
	if ep != nil && ep.secure {
		err = hs.Serve(s.tlsListen(ln, ep.tls, ep.tlsEndpoint(), hs))
	} else {
		s.logger.Info("listening", "address", ln.Addr().String())
		err = hs.Serve(s.Listener(ln))
	}
	if s.isClosed() {
		err = http.ErrServerClosed // Shutdown closed the listener itself (stopAccepting)
	}
	return err
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// stopAccepting closes the listeners Serve was given, then waits (up to freshConnGrace, and
// while ctx lasts) until
// every connection already accepted has read its first request. net/http drops a request it
// finishes reading after Shutdown began, and such connections are common when the sockets are
// shared with a worker taking over (recycling): closing the listeners first lets them be
// served.
func (s *Server) stopAccepting(ctx context.Context) {
	s.mu.Lock()
	listeners := s.listeners
	s.mu.Unlock()
	for _, ln := range listeners {
		_ = ln.Close()
	}
	deadline := time.Now().Add(freshConnGrace)
	// A connection Accept returned just before the close is counted once its Serve loop has
	// registered it, which it has when the loop has returned.
	loops := make(chan struct{})
	go func() {
		s.serving.Wait()
		close(loops)
	}()
	select {
	case <-loops:
	case <-time.After(freshConnGrace):
	case <-ctx.Done():
	}
	for s.fresh.count() > 0 && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(5 * time.Millisecond)
	}
}

// freshConnGrace bounds how long Shutdown waits for accepted connections to send a request.
const freshConnGrace = 2 * time.Second

// Shutdown stops listening, waits for in-flight requests (until ctx ends), and releases the
// modules. It is safe to call once the server is no longer used as a handler.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	servers := s.httpServers
	s.mu.Unlock()
	s.stopHealthChecks()
	s.stopFileMonitors()
	s.host.GlobalNotify(glStopListening)
	s.stopAccepting(ctx)
	var err error
	for _, hs := range servers {
		if e := hs.Shutdown(ctx); err == nil {
			err = e
		}
	}
	if err == nil {
		// Requests on hijacked connections are not waited for by net/http; they still hold
		// module objects.
		err = s.host.Drain(ctx)
	}
	s.closeAccessLogs()
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		// Requests still running own module objects; releasing the modules under them would
		// crash the process, so they are left to the process exit.
		s.logger.Warn("shutdown timed out with requests in flight; modules not terminated")
		return err
	}
	close(s.stopCleanup)
	s.cleanupDone.Wait()
	s.traces.close() // every request has ended: what is queued is all there will be
	s.host.GlobalNotify(glApplicationStop)
	s.host.CacheCleanup() // a last round before the modules go
	s.host.TerminateModules()
	s.host.Close()
	s.logger.Info("stopped")
	return err
}

// Close releases the modules of a Server used only as a handler (no Serve). Callers must
// ensure no request is running.
func (s *Server) Close() error { return s.Shutdown(context.Background()) }
