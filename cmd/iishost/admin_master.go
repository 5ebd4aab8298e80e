package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/iishost/iishost/host"
)

// masterAdmin is the admin source of a master: its own metrics (worker starts and crashes, the
// pool's state) and each serving worker's, asked over the worker's private socket and labelled
// worker=<pid>; the status page lists every worker with the status it reports.
type masterAdmin struct {
	m   *master
	dir string // the workers' sockets (adminDirEnv)
	reg *prometheus.Registry

	starts, crashes prometheus.Counter

	mu     sync.Mutex
	roster []*worker // started and not yet ended, in start order
}

// workerAskTimeout bounds each question to a worker: a worker whose every thread is stuck in a
// module still answers (its admin socket is served by Go), but one stopped in a debugger does not.
const workerAskTimeout = 3 * time.Second

func newMasterAdmin(m *master) (*masterAdmin, error) {
	dir, err := os.MkdirTemp("", "iishost-admin-") // mode 0700
	if err != nil {
		return nil, err
	}
	a := &masterAdmin{m: m, dir: dir, reg: prometheus.NewRegistry(),
		starts:  prometheus.NewCounter(prometheus.CounterOpts{Name: "iishost_worker_starts_total", Help: "Worker processes the master started."}),
		crashes: prometheus.NewCounter(prometheus.CounterOpts{Name: "iishost_worker_crashes_total", Help: "Worker processes that ended unasked (crashed, killed, or exited)."}),
	}
	stopped := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "iishost_pool_stopped",
		Help: "1 while rapid-fail protection has stopped the application pool (SIGHUP restarts it)."}, func() float64 {
		if m.poolStopped.Load() {
			return 1
		}
		return 0
	})
	a.reg.MustRegister(a.starts, a.crashes, stopped)
	return a, nil
}

// started and ended keep the roster the admin goroutines read; the master's own maps belong
// to its loop.
func (a *masterAdmin) started(w *worker) {
	a.starts.Inc()
	a.mu.Lock()
	a.roster = append(a.roster, w)
	a.mu.Unlock()
}

func (a *masterAdmin) ended(w *worker) {
	a.mu.Lock()
	a.roster = slices.DeleteFunc(a.roster, func(x *worker) bool { return x == w })
	a.mu.Unlock()
	_ = os.Remove(workerSocket(a.dir, w.cmd.Process.Pid))
}

func (a *masterAdmin) workers() []*worker {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.roster)
}

// close removes the sockets' directory.
func (a *masterAdmin) close() { _ = os.RemoveAll(a.dir) }

// ask sends GET path to a worker over its socket.
func (a *masterAdmin) ask(ctx context.Context, w *worker, path string, accept string) (*http.Response, error) {
	socket := workerSocket(a.dir, w.cmd.Process.Pid)
	client := &http.Client{Transport: &http.Transport{
		DisableKeepAlives: true,
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", socket)
		},
	}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://worker"+path, nil)
	if err != nil {
		return nil, err
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("worker %d answered %s for %s", w.cmd.Process.Pid, resp.Status, path)
	}
	return resp, nil
}

func (a *masterAdmin) gatherer() prometheus.Gatherer {
	return prometheus.Gatherers{a.reg, prometheus.GathererFunc(a.gatherWorkers)}
}

// gatherWorkers collects every serving worker's metrics, each labelled with its pid; a worker
// that does not answer is left out and named in the error (the rest is still served).
func (a *masterAdmin) gatherWorkers() ([]*dto.MetricFamily, error) {
	byName := map[string]*dto.MetricFamily{}
	var names []string
	var errs []error
	for _, w := range a.workers() {
		if w.state() != "serving" {
			continue
		}
		families, err := a.workerMetrics(w)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		pid := strconv.Itoa(w.cmd.Process.Pid)
		for _, f := range families {
			for _, m := range f.Metric {
				m.Label = append(m.Label, &dto.LabelPair{Name: ptr("worker"), Value: ptr(pid)})
			}
			if have, ok := byName[f.GetName()]; ok {
				have.Metric = append(have.Metric, f.Metric...)
				continue
			}
			byName[f.GetName()] = f
			names = append(names, f.GetName())
		}
	}
	out := make([]*dto.MetricFamily, 0, len(names))
	for _, n := range names {
		out = append(out, byName[n])
	}
	return out, errors.Join(errs...)
}

func ptr[T any](v T) *T { return &v }

// workerMetrics reads one worker's metrics in the protobuf exposition format.
func (a *masterAdmin) workerMetrics(w *worker) ([]*dto.MetricFamily, error) {
	ctx, cancel := context.WithTimeout(context.Background(), workerAskTimeout)
	defer cancel()
	resp, err := a.ask(ctx, w, "/metrics", string(expfmt.NewFormat(expfmt.TypeProtoDelim)))
	if err != nil {
		return nil, fmt.Errorf("metrics of worker %d: %w", w.cmd.Process.Pid, err)
	}
	defer resp.Body.Close()
	dec := expfmt.NewDecoder(resp.Body, expfmt.ResponseFormat(resp.Header))
	var out []*dto.MetricFamily
	for {
		f := &dto.MetricFamily{}
		if err := dec.Decode(f); errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return nil, fmt.Errorf("metrics of worker %d: %w", w.cmd.Process.Pid, err)
		}
		out = append(out, f)
	}
}

// maxStatusBytes bounds a worker's status answer (its lists are bounded: host.Options'
// StatusInFlight and RecentFailures).
const maxStatusBytes = 16 << 20

func (a *masterAdmin) statusPage() statusPage {
	page := statusPage{Time: time.Now(), Pool: "running"}
	if a.m.poolStopped.Load() {
		page.Pool = "stopped by rapid-fail protection (SIGHUP restarts it)"
	}
	for _, w := range a.workers() {
		v := workerView{PID: w.cmd.Process.Pid, Started: w.started, State: w.state()}
		if v.State != "starting" {
			st, err := a.workerStatus(w)
			if err != nil {
				v.Error = err.Error()
			} else {
				v.Status = st
			}
		}
		page.Workers = append(page.Workers, v)
	}
	return page
}

func (a *masterAdmin) workerStatus(w *worker) (*host.Status, error) {
	ctx, cancel := context.WithTimeout(context.Background(), workerAskTimeout)
	defer cancel()
	resp, err := a.ask(ctx, w, "/status", "")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var st host.Status
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxStatusBytes)).Decode(&st); err != nil {
		return nil, fmt.Errorf("status of worker %d: %w", w.cmd.Process.Pid, err)
	}
	return &st, nil
}

func (a *masterAdmin) healthy() error {
	serving := 0
	for _, w := range a.workers() {
		if w.state() != "serving" {
			continue
		}
		serving++
		if !a.m.ping.enabled || time.Since(time.Unix(0, w.lastPong.Load())) <= a.m.ping.responseTime {
			return nil
		}
	}
	if serving == 0 {
		return errors.New("no worker is serving")
	}
	return fmt.Errorf("no worker answered the master's ping within %s", a.m.ping.responseTime)
}

func (a *masterAdmin) ready() error {
	if a.m.poolStopped.Load() {
		return errors.New("the application pool is stopped by rapid-fail protection")
	}
	for _, w := range a.workers() {
		if w.state() == "serving" {
			return nil
		}
	}
	return errors.New("no worker is serving yet")
}

// state is how the admin page names a worker's state.
func (w *worker) state() string {
	switch {
	case w.draining.Load():
		return "draining"
	case isClosed(w.ready):
		return "serving"
	}
	return "starting"
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
