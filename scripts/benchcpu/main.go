// Command benchcpu measures server CPU per request for the hello module under iishost against a
// plain Go handler writing the same bytes, each in its own process, driven by the same load over
// loopback. It reports the ratio the hello budget (issue 13: <= 1.02) is about, and with -write
// rewrites its own section of a generated report (internal/benchutil.WriteSection).
//
//	go build -o /tmp/benchcpu ./scripts/benchcpu && taskset -c 0 /tmp/benchcpu [-n 50000] [-c 8] [-rounds 7] [-write docs/performance.md] [-shared]
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
	write := flag.String("write", "", "rewrite the benchcpu section of this report (docs/performance.md)")
	shared := flag.Bool("shared", false, "say in the report that other work shared the machine during the run")
	flag.Parse()
	if *plain != "" {
		servePlain(*plain)
		return
	}
	started := time.Now()
	machine := benchutil.Machine(started)
	res, err := run(*n, *c, *rounds)
	if err == nil {
		res.print(os.Stdout)
		if *write != "" {
			err = benchutil.WriteSection(*write, "benchcpu", res.report(machine, *shared))
		}
	}
	if err != nil {
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

// pinned starts a server on the machine's last CPU when taskset is available, so that the load
// generator (run this command under `taskset -c 0`) does not compete with it for the same core.
// The machine's count, not runtime.NumCPU: under taskset that is 1, and nothing was pinned.
func pinned(ctx context.Context, name string, args ...string) *exec.Cmd {
	if taskset, err := exec.LookPath("taskset"); err == nil && benchutil.OnlineCPUs() > 1 {
		cpu := strconv.Itoa(benchutil.OnlineCPUs() - 1)
		return exec.CommandContext(ctx, taskset, append([]string{"-c", cpu, name}, args...)...)
	}
	return exec.CommandContext(ctx, name, args...)
}

// result is one run: the servers' CPU ticks per round, in the order they were measured.
type result struct {
	n, c  int
	names [2]string
	ticks [][2]int64 // per round, by server
	first []int      // per round, the server measured first
}

// hz is USER_HZ on Linux, the unit of /proc's CPU times.
const hz = 100

// budget is the most the hello module may cost per request against the plain handler.
const budget = 1.02

func (r *result) perRequest(ticks int64) float64 { return float64(ticks) / hz / float64(r.n) * 1e6 }

func (r *result) ratio(round int) float64 {
	return float64(r.ticks[round][1]) / float64(r.ticks[round][0])
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// column is one server's µs per request by round (i 0, 1), or the ratios (i -1).
func (r *result) column(i int) []float64 {
	var v []float64
	for round := range r.ticks {
		if i < 0 {
			v = append(v, r.ratio(round))
		} else {
			v = append(v, r.perRequest(r.ticks[round][i]))
		}
	}
	return v
}

func (r *result) print(w io.Writer) {
	for i, name := range r.names {
		fmt.Fprintf(w, "%-18s %8.2f µs CPU per request median (%d requests x %d rounds)\n", name, median(r.column(i)), r.n, len(r.ticks))
	}
	ratios := r.column(-1)
	fmt.Fprintf(w, "per-round ratios: %.3f\n", ratios)
	fmt.Fprintf(w, "median ratio module/plain: %.3f (budget %.2f)\n", median(ratios), budget)
}

// report is the benchcpu section of docs/performance.md.
func (r *result) report(machine string, shared bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## CPU per request: the hello module against a plain Go handler\n\n")
	fmt.Fprintf(&b, "Generated by `go build -o /tmp/benchcpu ./scripts/benchcpu && %s`;\n", command())
	fmt.Fprintf(&b, "rerun it to replace this section.\n\n%s", machine)
	if shared {
		b.WriteString("- The machine was shared: other work (builds, tests, benchmarks) ran during the measurement, so\n  single rounds are noisy; the median of the per-round ratios is the figure to read.\n")
	}
	fmt.Fprintf(&b, "- This command ran on CPUs %s; each server was %s.\n\n", allowedCPUs(), pinning())
	fmt.Fprintf(&b, "Each round sends %d GETs of /hello over %d keep-alive connections to each server in turn (the\n", r.n, r.c)
	b.WriteString("order alternating by round) and reads the server process's user+system CPU time from /proc/<pid>/stat\n")
	fmt.Fprintf(&b, "(resolution 1/%d s). The hello module runs in iishost with -workers 0 (one process).\n\n", hz)
	b.WriteString("| round | measured first | plain µs/request | module µs/request | module/plain |\n|---:|---|---:|---:|---:|\n")
	for round, t := range r.ticks {
		fmt.Fprintf(&b, "| %d | %s | %.2f | %.2f | %.3f |\n", round+1, r.names[r.first[round]], r.perRequest(t[0]), r.perRequest(t[1]), r.ratio(round))
	}
	ratios := r.column(-1)
	sorted := append([]float64(nil), ratios...)
	sort.Float64s(sorted)
	fmt.Fprintf(&b, "\nMedians: plain %.2f µs/request, module %.2f µs/request. Median of the per-round ratios: **%.3f**\n",
		median(r.column(0)), median(r.column(1)), median(ratios))
	fmt.Fprintf(&b, "(spread %.3f to %.3f); budget %.2f: %s.\n", sorted[0], sorted[len(sorted)-1], budget, verdict(median(ratios)))
	return b.String()
}

func verdict(ratio float64) string {
	if ratio <= budget {
		return "within"
	}
	return "over"
}

// command is this run's command line as typed (the binary as /tmp/benchcpu), under taskset
// when the process's CPUs are not all the machine's.
func command() string {
	args := append([]string{"/tmp/benchcpu"}, os.Args[1:]...)
	if cpus := allowedCPUs(); cpus != fmt.Sprintf("0-%d", benchutil.OnlineCPUs()-1) {
		args = append([]string{"taskset", "-c", cpus}, args...)
	}
	return strings.Join(args, " ")
}

// allowedCPUs is the CPU list this process may run on (taskset's), from /proc.
func allowedCPUs() string {
	data, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "Cpus_allowed_list:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func pinning() string {
	if _, err := exec.LookPath("taskset"); err == nil && benchutil.OnlineCPUs() > 1 {
		return fmt.Sprintf("pinned to CPU %d with taskset", benchutil.OnlineCPUs()-1)
	}
	return "not pinned (no taskset, or one CPU)"
}

func run(n, c, rounds int) (*result, error) {
	dir, err := benchutil.Workspace("benchcpu-", map[string]string{"hello": "samples/hello/hello.cpp"})
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	hello, bin := filepath.Join(dir, "hello.so"), filepath.Join(dir, "iishost")
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	moduleAddr, err := benchutil.FreeAddr()
	if err != nil {
		return nil, err
	}
	plainAddr, err := benchutil.FreeAddr()
	if err != nil {
		return nil, err
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
			return nil, err
		}
		defer benchutil.Stop(s.cmd)
		if err := benchutil.WaitUp(s.url, 60*time.Second); err != nil {
			return nil, err
		}
		if _, err := load(s.cmd.Process.Pid, s.url, n/10, c); err != nil { // warm up
			return nil, err
		}
	}
	// Alternate the order each round and take the median of the per-round ratios, so a burst
	// of noise on this shared machine skews one round, not the result.
	res := &result{n: n, c: c, names: [2]string{servers[0].name, servers[1].name}}
	for round := range rounds {
		var t [2]int64
		for k := range servers {
			i := (k + round) % len(servers) // alternate which server goes first
			s := servers[i]
			ticks, err := load(s.cmd.Process.Pid, s.url, n, c)
			if err != nil {
				return nil, err
			}
			t[i] = ticks
		}
		res.ticks = append(res.ticks, t)
		res.first = append(res.first, round%len(servers))
	}
	return res, nil
}
