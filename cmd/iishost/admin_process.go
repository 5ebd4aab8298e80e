package main

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/iishost/iishost/host"
)

// processRegistry holds one serving process's metrics: the host's and the process's own.
func processRegistry(srv *host.Server) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(srv.Collector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// processAdmin is the admin source of -workers 0: the one process serves and answers itself.
type processAdmin struct {
	srv     *host.Server
	reg     *prometheus.Registry
	started time.Time
}

func newProcessAdmin(srv *host.Server) *processAdmin {
	return &processAdmin{srv: srv, reg: processRegistry(srv), started: time.Now()}
}

func (p *processAdmin) gatherer() prometheus.Gatherer { return p.reg }
func (p *processAdmin) healthy() error                { return nil } // it answers: it serves
func (p *processAdmin) ready() error                  { return nil }

func (p *processAdmin) statusPage() statusPage {
	st := p.srv.Status()
	return statusPage{Time: st.Time, Pool: "single process",
		Workers: []workerView{{PID: os.Getpid(), Started: p.started, State: "serving", Status: &st}}}
}

// adminDirEnv names the private directory (mode 0700, made by the master) where each worker
// listens on a unix socket, <pid>.sock, serving its metrics and status to the master alone:
// no TCP port a client could reach.
const adminDirEnv = "IISHOST_ADMIN_DIR"

// workerSocket is where the worker with pid answers the master.
func workerSocket(dir string, pid int) string { return filepath.Join(dir, strconv.Itoa(pid)+".sock") }

// serveWorkerAdmin serves this worker's /metrics and /status (JSON) on its socket in dir.
func serveWorkerAdmin(dir string, srv *host.Server, logger *slog.Logger) error {
	path := workerSocket(dir, os.Getpid())
	ln, err := net.Listen("unix", path)
	if err != nil {
		return err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(processRegistry(srv), promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /status", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(srv.Status())
	})
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			logger.Warn("worker admin socket stopped", "error", err)
		}
	}()
	return nil
}
