package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// The admin listener (-admin ADDR) serves /metrics (Prometheus), /status (an HTML page, or
// JSON with ?format=json), /trace?file= (a recent failed request's trace), /healthz and /readyz. It has no authentication: it is meant for
// loopback or a network only operators reach, and a warning is logged when ADDR is not a
// loopback address. With workers the master serves it, merging what each worker reports over
// its private socket (admin_workers.go); with -workers 0 the one process serves it.

// adminSource is what the admin endpoints read: the master's view of its workers, or one
// process's own.
type adminSource interface {
	gatherer() prometheus.Gatherer
	statusPage() statusPage
	// healthy: alive (the master runs and a worker answers its ping, or the process serves).
	healthy() error
	// ready: a worker serves and the pool is not stopped by rapid-fail protection.
	ready() error
}

// adminHandler serves the admin endpoints from src.
func adminHandler(src adminSource, logger *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(src.gatherer(), promhttp.HandlerOpts{
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn), ErrorHandling: promhttp.ContinueOnError}))
	mux.HandleFunc("GET /status", func(w http.ResponseWriter, r *http.Request) {
		page := src.statusPage()
		w.Header().Set("Cache-Control", "no-store")
		if r.URL.Query().Get("format") == "json" {
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(page)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		if err := statusTemplate.Execute(w, page); err != nil {
			logger.Warn("status page", "error", err)
		}
	})
	probe := func(check func() error) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			if err := check(); err != nil {
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = w.Write([]byte(err.Error() + "\n"))
				return
			}
			_, _ = w.Write([]byte("ok\n"))
		}
	}
	mux.HandleFunc("GET /trace", func(w http.ResponseWriter, r *http.Request) {
		serveTrace(w, r, src.statusPage())
	})
	mux.Handle("GET /healthz", probe(src.healthy))
	mux.Handle("GET /readyz", probe(src.ready))
	return mux
}

// serveTrace sends the failed-request trace ?file= names, only when it is the trace of one of
// the recent failed requests the status page lists: the admin listener reads no other file.
func serveTrace(w http.ResponseWriter, r *http.Request, page statusPage) {
	file := r.URL.Query().Get("file")
	for _, f := range page.Failures() {
		if file != "" && f.TracePath == file {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
			w.Header().Set("X-Content-Type-Options", "nosniff")
			http.ServeFile(w, r, file)
			return
		}
	}
	http.Error(w, "no recent failed request has that trace", http.StatusNotFound)
}

// listenAdmin binds the admin address, warning when it is not loopback.
func listenAdmin(addr string, logger *slog.Logger) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("-admin %s: %w", addr, err)
	}
	if !isLoopback(ln.Addr()) {
		logger.Warn("the admin listener is not on a loopback address and has no authentication: anyone who reaches it reads metrics, URLs in flight and failed requests",
			"admin", ln.Addr().String())
	}
	return ln, nil
}

// serveAdmin serves the admin endpoints on ln until the process ends.
func serveAdmin(ln net.Listener, src adminSource, logger *slog.Logger) {
	logger.Info("admin listening", "address", ln.Addr().String())
	hs := &http.Server{Handler: adminHandler(src, logger), ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout: 30 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	go func() {
		if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			logger.Error("admin listener stopped", "error", err)
		}
	}()
}

func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}
