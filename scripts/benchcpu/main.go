// Command benchcpu measures server CPU per request for the hello module under iishost against a
// plain Go handler writing the same bytes, each in its own process, driven by the same load over
// loopback. It reports the ratio that docs/design.md's budget (<= 1.05) is about.
//
//	go build -o /tmp/benchcpu ./scripts/benchcpu && taskset -c 0 /tmp/benchcpu [-n 50000] [-c 8] [-rounds 7]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iishost/iishost/internal/benchutil"
)

func main() {
	plain := flag.String("plain", "", "internal: serve the plain handler on this address")
	n := flag.Int("n", 50000, "requests per measurement")
	c := flag.Int("c", 8, "concurrent connections")
	rounds := flag.Int("rounds", 7, "measurements per server, alternating")
	flag.Parse()
	if *plain != "" {
		servePlain(*plain)
		return
	}
	if err := run(*n, *c, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "benchcpu:", err)
		os.Exit(1)
	}
}

func servePlain(addr string) {
	body := []byte("Hello, world!")
	http.ListenAndServe(addr, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(body)
	}))
}

// cpuTicks reads a process's user+system CPU time in clock ticks from /proc.
func cpuTicks(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+2:]))
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return utime + stime, nil
}

// load sends n GETs over c keep-alive connections and returns the server's CPU ticks spent.
func load(pid int, url string, n, c int) (int64, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: c}
	client := &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()
	before, err := cpuTicks(pid)
	if err != nil {
		return 0, err
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Int64
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(n) {
				resp, err := client.Get(url)
				if err != nil || resp.StatusCode != 200 {
					failed.Add(1)
					if resp != nil {
						resp.Body.Close()
					}
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	if f := failed.Load(); f > 0 {
		return 0, fmt.Errorf("%d requests failed", f)
	}
	after, err := cpuTicks(pid)
	return after - before, err
}

// pinned starts a server on the last CPU when taskset is available, so that the load generator
// (run this command under `taskset -c 0`) does not compete with it for the same core.
func pinned(ctx context.Context, name string, args ...string) *exec.Cmd {
	if taskset, err := exec.LookPath("taskset"); err == nil && runtime.NumCPU() > 1 {
		cpu := strconv.Itoa(runtime.NumCPU() - 1)
		return exec.CommandContext(ctx, taskset, append([]string{"-c", cpu, name}, args...)...)
	}
	return exec.CommandContext(ctx, name, args...)
}

func run(n, c, rounds int) error {
	dir, err := benchutil.Workspace("benchcpu-", map[string]string{"hello": "samples/hello/hello.cpp"})
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	hello, bin := filepath.Join(dir, "hello.so"), filepath.Join(dir, "iishost")
	self, err := os.Executable()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	moduleAddr, err := benchutil.FreeAddr()
	if err != nil {
		return err
	}
	plainAddr, err := benchutil.FreeAddr()
	if err != nil {
		return err
	}
	servers := []struct {
		name, url string
		cmd       *exec.Cmd
	}{
		{"plain Go handler", "http://" + plainAddr + "/hello", pinned(ctx, self, "-plain", plainAddr)},
		// One process (-workers 0): under a master, the CPU is spent by a worker, not the pid measured.
		{"hello module", "http://" + moduleAddr + "/hello", pinned(ctx, bin, "-workers", "0", "-listen", moduleAddr, "-module", "Hello="+hello, "-root", dir)},
	}
	for _, s := range servers {
		s.cmd.Stderr = io.Discard
		if err := s.cmd.Start(); err != nil {
			return err
		}
		defer benchutil.Stop(s.cmd)
		if err := benchutil.WaitUp(s.url, 60*time.Second); err != nil {
			return err
		}
		if _, err := load(s.cmd.Process.Pid, s.url, n/10, c); err != nil { // warm up
			return err
		}
	}
	// Alternate the order each round and take the median of the per-round ratios, so a burst
	// of noise on this shared machine skews one round, not the result.
	const hz = 100 // USER_HZ on Linux
	var ratios []float64
	var total [2]int64
	for round := range rounds {
		var t [2]int64
		for k := range servers {
			i := (k + round) % len(servers) // alternate which server goes first
			s := servers[i]
			ticks, err := load(s.cmd.Process.Pid, s.url, n, c)
			if err != nil {
				return err
			}
			t[i] = ticks
			total[i] += ticks
		}
		ratios = append(ratios, float64(t[1])/float64(t[0]))
	}
	sort.Float64s(ratios)
	for i, s := range servers {
		fmt.Printf("%-18s %8.2f µs CPU per request (%d requests)\n", s.name, float64(total[i])/hz/float64(n*rounds)*1e6, n*rounds)
	}
	fmt.Printf("per-round ratios: %.3f\n", ratios)
	fmt.Printf("median ratio module/plain: %.3f (budget 1.05)\n", ratios[len(ratios)/2])
	return nil
}
