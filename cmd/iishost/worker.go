package main

import (
	"bufio"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/iishost/iishost/host"
)

// workerEnv marks a worker process: its value is how many listening sockets the master passed,
// from descriptor 3 on in the order of the endpoint plan; the descriptor after them is the
// status pipe to the master ("ready", and the crash reporter's lines).
const workerEnv = "IISHOST_WORKER_LISTENERS"

const firstInheritedFd = 3 // exec.Cmd.ExtraFiles start here

// status is the worker's pipe to its master; held for the process's life, as the crash
// reporter writes to its descriptor (a collected *os.File would close it).
var status *os.File

// runWorker serves cfg on the sockets its master passed, reporting crashes on the status pipe.
func runWorker(cfg *host.Config, ep endpointPlan, count string, logger *slog.Logger) error {
	os.Unsetenv(workerEnv) // a module's child processes are not workers
	adminDir := os.Getenv(adminDirEnv)
	os.Unsetenv(adminDirEnv)
	n, err := strconv.Atoi(count)
	if err != nil || n != len(ep.addresses) {
		return fmt.Errorf("%s=%q: the master passed a socket count that is not the plan's %d", workerEnv, count, len(ep.addresses))
	}
	statusFd := firstInheritedFd + n
	closeOnExec(statusFd) // a module's child processes must not hold the pipe open
	status = os.NewFile(uintptr(statusFd), "master status pipe")
	if err := host.InstallCrashReporter(statusFd); err != nil {
		return err
	}
	lns := make([]net.Listener, 0, n)
	for i := range n {
		f := os.NewFile(uintptr(firstInheritedFd+i), "listener "+ep.addresses[i])
		ln, err := net.FileListener(f) // a duplicate, close-on-exec
		f.Close()
		if err != nil {
			closeAll(lns)
			return fmt.Errorf("inherited socket for %s: %w", ep.addresses[i], err)
		}
		lns = append(lns, ln)
	}
	pool, err := readPool(cfg)
	if err != nil {
		closeAll(lns)
		return err
	}
	return serveProcess(cfg, ep, lns, logger, func(srv *host.Server) error {
		if pool.ping.enabled {
			go answerPings(srv, pool.ping.responseTime)
		}
		if pool.restartRequests > 0 {
			go recycleAfterRequests(srv, pool.restartRequests)
		}
		if adminDir != "" {
			if err := serveWorkerAdmin(adminDir, srv, logger); err != nil {
				logger.Error("the master will not see this worker's metrics and status", "error", err)
			}
		}
		_, err := status.Write([]byte("ready\n"))
		return err
	}, askRecycle, pool.shutdownTimeLimit)
}

// answerPings answers each "ping" line the master writes on the worker's standard input with
// "pong" on the status pipe, while the server still gets requests through (host.Responsive):
// a worker whose every request is stuck in a module stays silent, and is recycled.
func answerPings(srv *host.Server, responseTime time.Duration) {
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		if sc.Text() == pingLine && srv.Responsive(responseTime) {
			_, _ = status.Write([]byte(pongLine + "\n"))
		}
	}
}

// The master's ping and the worker's answer.
const (
	pingLine = "ping"
	pongLine = "pong"
)

// askRecycle tells the master a module asked for this worker to be recycled.
func askRecycle(r host.RecycleRequest) {
	kind := "RecycleProcess"
	if r.Unhealthy {
		kind = fmt.Sprintf("ReportUnhealthy 0x%08X", r.HRESULT)
	}
	askToBeRecycled(kind, r.Reason)
}

// askToBeRecycled writes one line on the status pipe: "recycle", who asks and why (control
// characters replaced, so a module's text stays one line).
func askToBeRecycled(kind, reason string) {
	reason = strings.Map(func(c rune) rune {
		if c < ' ' {
			return ' '
		}
		return c
	}, reason)
	_, _ = status.Write([]byte(recycleLine + "\t" + kind + "\t" + reason + "\n"))
}

// recycleAfterRequests asks to be recycled once the worker has served limit requests
// (<periodicRestart requests>), looking every requestsPoll.
func recycleAfterRequests(srv *host.Server, limit uint64) {
	t := time.NewTicker(requestsPoll)
	defer t.Stop()
	for range t.C {
		if served := srv.Counters().Requests; served >= 0 && uint64(served) >= limit {
			askToBeRecycled("periodicRestart", fmt.Sprintf("%d requests served (limit %d)", served, limit))
			return
		}
	}
}

const requestsPoll = 250 * time.Millisecond

// recycleLine starts a worker's request to be recycled on its status pipe.
const recycleLine = "recycle"
