// Command benchpending measures what requests parked in RQ_NOTIFICATION_PENDING cost: the
// throughput of a module completing every request from one worker thread of its own against
// the synchronous hello module, and the resident memory per parked request against a plain
// net/http server whose handler waits on a channel. Servers alternate round by round, each
// measured against the other in the same run, and the medians go into docs/performance.md
// between the benchpending markers.
//
//	go run ./scripts/benchpending [-pending 10000] [-n 10000] [-c 8] [-rounds 7] [-mem-rounds 3] [-doc docs/performance.md]
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net"
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
	"github.com/iishost/iishost/internal/modbuild"
)

func main() {
	plain := flag.String("plain", "", "internal: serve the plain net/http baseline on this address")
	pending := flag.Int("pending", 10000, "requests to park at once")
	n := flag.Int("n", 10000, "requests per throughput measurement")
	c := flag.Int("c", 8, "concurrent connections for throughput")
	rounds := flag.Int("rounds", 7, "throughput measurements per server, alternating")
	memRounds := flag.Int("mem-rounds", 3, "parked-memory measurements per server, alternating, each in a fresh process")
	doc := flag.String("doc", "docs/performance.md", "file whose benchpending section is rewritten (relative to the repository root); empty: none")
	flag.Parse()
	if *plain != "" {
		servePlain(*plain)
		return
	}
	if err := run(options{*pending, *n, *c, *rounds, *memRounds, *doc}); err != nil {
		fmt.Fprintln(os.Stderr, "benchpending:", err)
		os.Exit(1)
	}
}

type options struct {
	pending, n, c, rounds, memRounds int
	doc                              string
}

// servePlain is the memory baseline: net/http alone, each held request parked on a channel,
// with the async fixture's hold, count and release answers.
func servePlain(addr string) {
	var mu sync.Mutex
	release := make(chan struct{})
	held := 0
	http.ListenAndServe(addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		switch r.URL.Query().Get("mode") {
		case "hold":
			held++
			ch := release
			mu.Unlock()
			<-ch
			io.WriteString(w, "held")
			return
		case "count":
			io.WriteString(w, strconv.Itoa(held))
		case "release":
			fmt.Fprintf(w, "released=%d", held)
			close(release)
			release, held = make(chan struct{}), 0
		}
		mu.Unlock()
	}))
}

// procStatus reads a numeric field such as VmRSS (in kB) from a status file under
// /proc/<pid>/ ("status", or "task/<tid>/status").
func procStatus(pid int, file, field string) int64 {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/%s", pid, file))
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return -1
}

func get(client *http.Client, url string) (string, error) {
	resp, err := client.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return string(body), err
}

// rate is one throughput measurement: requests per second, and what the server process
// spent per request meanwhile (CPU and the context switches of all its threads), with the share
// of the async fixture's worker thread (named moduleThread) in both.
type rate struct {
	perSecond                float64
	cpu, moduleCPU           time.Duration
	switches, moduleSwitches float64
}

// moduleThread is the name testdata/modules/async.cpp gives its pool worker on Linux.
const moduleThread = "async-pool"

// usage is CPU ticks and context switches, of a whole process and of its module thread.
type usage struct {
	ticks, switches             int64
	moduleTicks, moduleSwitches int64
}

// threadUsage reads every thread of pid from /proc. A thread that ends meanwhile is skipped;
// Go's threads and the module's worker live as long as the server.
func threadUsage(pid int) (usage, error) {
	var u usage
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*", pid))
	if err != nil || len(tasks) == 0 {
		return u, fmt.Errorf("no threads of process %d in /proc", pid)
	}
	for _, task := range tasks {
		tid, err := strconv.Atoi(filepath.Base(task))
		if err != nil {
			continue
		}
		ticks, err := benchutil.ThreadCPUTicks(pid, tid)
		if err != nil {
			continue
		}
		file := fmt.Sprintf("task/%d/status", tid)
		switches := procStatus(pid, file, "voluntary_ctxt_switches") + procStatus(pid, file, "nonvoluntary_ctxt_switches")
		u.ticks, u.switches = u.ticks+ticks, u.switches+switches
		if comm, _ := os.ReadFile(filepath.Join(task, "comm")); strings.TrimSpace(string(comm)) == moduleThread {
			u.moduleTicks, u.moduleSwitches = u.moduleTicks+ticks, u.moduleSwitches+switches
		}
	}
	return u, nil
}

// measure runs throughput against s, reading the server's threads around it.
func measure(s *server, url string, n, c int) (rate, error) {
	before, err := threadUsage(s.cmd.Process.Pid)
	if err != nil {
		return rate{}, err
	}
	perSecond, err := throughput(url, n, c)
	if err != nil {
		return rate{}, err
	}
	after, err := threadUsage(s.cmd.Process.Pid)
	perRequest := func(ticks int64) time.Duration {
		return benchutil.Measure{Ticks: ticks, Requests: n}.CPUPerRequest()
	}
	return rate{
		perSecond: perSecond,
		cpu:       perRequest(after.ticks - before.ticks), moduleCPU: perRequest(after.moduleTicks - before.moduleTicks),
		switches:       float64(after.switches-before.switches) / float64(n),
		moduleSwitches: float64(after.moduleSwitches-before.moduleSwitches) / float64(n),
	}, err
}

func throughput(url string, n, c int) (float64, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: c}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(n) {
				if _, err := get(client, url); err != nil {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if f := failed.Load(); f > 0 {
		return 0, fmt.Errorf("%d requests to %s failed", f, url)
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// server is one process under measurement.
type server struct {
	cmd  *exec.Cmd
	base string
}

// start runs name with args and listenFlag set to a free address, and waits until it serves.
func start(name, listenFlag string, args ...string) (*server, error) {
	addr, err := benchutil.FreeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(name, append(args, listenFlag, addr)...)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, base: "http://" + addr}
	if err := benchutil.WaitUp(s.base+"/async?mode=count", 30*time.Second); err != nil {
		benchutil.Stop(cmd)
		return nil, err
	}
	return s, nil
}

// resident is a process's resident memory, split between Go's heap arenas (objects and
// goroutine stacks) and the rest (C and C++ allocations, the Go runtime's own metadata, code).
type resident struct{ goHeap, rest int64 }

// goArenasStart and goArenasEnd bound where Go places its heap arenas on 64-bit Linux: from
// 0xc000000000 up, well below the top-down region where mmap (so malloc's arenas too) puts
// other mappings.
const goArenasStart, goArenasEnd = 0xc000000000, 0x7f0000000000

// residentOf classifies the resident bytes of pid's mappings (/proc/<pid>/smaps).
func residentOf(pid int) (resident, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		return resident{}, err
	}
	var r resident
	inGo := false
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) >= 5 && strings.Contains(fields[0], "-") && len(fields[1]) == 4 {
			start, _, _ := strings.Cut(fields[0], "-")
			addr, err := strconv.ParseUint(start, 16, 64)
			inGo = err == nil && addr >= goArenasStart && addr < goArenasEnd && len(fields) == 5 // anonymous
			continue
		}
		if len(fields) == 3 && fields[0] == "Rss:" {
			kb, _ := strconv.ParseInt(fields[1], 10, 64)
			if inGo {
				r.goHeap += kb * 1024
			} else {
				r.rest += kb * 1024
			}
		}
	}
	return r, nil
}

// parked is the growth of a server's resident memory per parked request.
type parked struct{ total, goHeap, rest int64 }

// parkedBytes parks pending requests on s over raw connections and returns the growth of its
// resident memory per parked request, then releases them and checks every answer.
func parkedBytes(s *server, pending int) (parked, error) {
	control := &http.Client{Transport: &http.Transport{}}
	pid := s.cmd.Process.Pid
	idle, err := residentOf(pid)
	if err != nil {
		return parked{}, err
	}
	addr := strings.TrimPrefix(s.base, "http://")
	conns := make([]net.Conn, 0, pending)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range pending {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return parked{}, err
		}
		conns = append(conns, c)
		if _, err := io.WriteString(c, "GET /async?mode=hold HTTP/1.1\r\nHost: bench\r\nUser-Agent: benchpending\r\nAccept: */*\r\n\r\n"); err != nil {
			return parked{}, err
		}
	}
	want := strconv.Itoa(pending)
	for deadline := time.Now().Add(120 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if got, _ := get(control, s.base+"/async?mode=count"); got == want {
			break
		}
		if time.Now().After(deadline) {
			return parked{}, fmt.Errorf("only some of %d requests parked", pending)
		}
	}
	full, err := residentOf(pid)
	if err != nil {
		return parked{}, err
	}
	if got, err := get(control, s.base+"/async?mode=release"); err != nil || got != "released="+want {
		return parked{}, fmt.Errorf("release: %q %v", got, err)
	}
	for _, c := range conns {
		c.SetReadDeadline(time.Now().Add(60 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			return parked{}, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || string(body) != "held" {
			return parked{}, fmt.Errorf("a held request answered %q %v", body, err)
		}
	}
	goHeap, rest := (full.goHeap-idle.goHeap)/int64(pending), (full.rest-idle.rest)/int64(pending)
	return parked{goHeap + rest, goHeap, rest}, nil
}

// figures are one server's measurements across rounds.
type figures []float64

func (f figures) median() float64 {
	s := append(figures(nil), f...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func (f figures) spread() (lo, hi float64) {
	s := append(figures(nil), f...)
	sort.Float64s(s)
	return s[0], s[len(s)-1]
}

func (f figures) format(verb string) string {
	parts := make([]string, len(f))
	for i, v := range f {
		parts[i] = fmt.Sprintf(verb, v)
	}
	return strings.Join(parts, " ")
}

func run(o options) error {
	if o.rounds < 1 || o.memRounds < 0 || o.pending < 1 || o.n < 1 || o.c < 1 {
		return fmt.Errorf("rounds, pending, n and c must be at least 1, mem-rounds at least 0")
	}
	dir, err := benchutil.Workspace("benchpending-", map[string]string{"async": "testdata/modules/async.cpp", "hello": "samples/hello/hello.cpp"})
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	self, err := os.Executable()
	if err != nil {
		return err
	}
	iishost := []string{"-workers", "0", "-root", dir,
		"-module", "Async=" + filepath.Join(dir, "async.so"), "-module", "Hello=" + filepath.Join(dir, "hello.so")}
	load := "unknown"
	if data, err := os.ReadFile("/proc/loadavg"); err == nil && len(strings.Fields(string(data))) >= 3 {
		load = strings.Join(strings.Fields(string(data))[:3], " ")
	}
	startedAt := time.Now().UTC()

	// Throughput: one iishost process (-workers 0), sync and async alternating round by round.
	srv, err := start(filepath.Join(dir, "iishost"), "-listen", iishost...)
	if err != nil {
		return err
	}
	syncURL, asyncURL := srv.base+"/hello", srv.base+"/async?mode=pool"
	for _, u := range []string{syncURL, asyncURL} { // warm up connections, pools and the worker thread
		if _, err := throughput(u, o.n/5+1, o.c); err != nil {
			benchutil.Stop(srv.cmd)
			return err
		}
	}
	var t throughputs
	for i := range o.rounds {
		order := []string{syncURL, asyncURL}
		if i%2 == 1 {
			order[0], order[1] = order[1], order[0]
		}
		rates := map[string]rate{}
		for _, u := range order {
			r, err := measure(srv, u, o.n, o.c)
			if err != nil {
				benchutil.Stop(srv.cmd)
				return err
			}
			rates[u] = r
		}
		t.add(rates[syncURL], rates[asyncURL])
		fmt.Printf("throughput round %d: sync %.0f req/s, async %.0f req/s, ratio %.2f; server CPU per request sync %.0fµs, async %.0fµs (module thread %.0fµs); context switches per request sync %.2f, async %.2f (module thread %.2f)\n",
			i+1, t.syncRates[i], t.asyncRates[i], t.ratios[i], t.syncCPU[i], t.asyncCPU[i], t.moduleCPU[i], t.syncSwitches[i], t.asyncSwitches[i], t.moduleSwitches[i])
	}
	benchutil.Stop(srv.cmd)

	// Memory: each round parks requests in a fresh process of each server, alternating.
	var host, plain memoryFigures
	for i := range o.memRounds {
		kinds := []bool{true, false}
		if i%2 == 1 {
			kinds[0], kinds[1] = false, true
		}
		for _, isHost := range kinds {
			var s *server
			if isHost {
				s, err = start(filepath.Join(dir, "iishost"), "-listen", iishost...)
			} else {
				s, err = start(self, "-plain")
			}
			if err != nil {
				return err
			}
			b, err := parkedBytes(s, o.pending)
			benchutil.Stop(s.cmd)
			if err != nil {
				return err
			}
			if isHost {
				host.add(b)
			} else {
				plain.add(b)
			}
		}
		fmt.Printf("memory round %d: %d parked requests: iishost %.0f B each (Go heap %.0f), plain net/http %.0f B each (Go heap %.0f)\n",
			i+1, o.pending, host.total[i], host.goHeap[i], plain.total[i], plain.goHeap[i])
	}

	section := report(o, startedAt, load, &t, &host, &plain)
	fmt.Print(section)
	if o.doc == "" {
		return nil
	}
	root, err := modbuild.RepoRoot(".")
	if err != nil {
		return err
	}
	return writeSection(filepath.Join(root, o.doc), section)
}

// throughputs are the alternating rounds' figures, sync and async side by side.
type throughputs struct {
	syncRates, asyncRates, ratios figures
	syncCPU, asyncCPU, cpuRatios  figures // microseconds of server CPU per request
	syncSwitches, asyncSwitches   figures
	moduleCPU, moduleSwitches     figures // the async fixture's worker thread's share
}

func (t *throughputs) add(sync, async rate) {
	t.syncRates, t.asyncRates = append(t.syncRates, sync.perSecond), append(t.asyncRates, async.perSecond)
	t.ratios = append(t.ratios, async.perSecond/sync.perSecond)
	us := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
	t.syncCPU, t.asyncCPU = append(t.syncCPU, us(sync.cpu)), append(t.asyncCPU, us(async.cpu))
	t.cpuRatios = append(t.cpuRatios, us(async.cpu)/us(sync.cpu))
	t.syncSwitches, t.asyncSwitches = append(t.syncSwitches, sync.switches), append(t.asyncSwitches, async.switches)
	t.moduleCPU, t.moduleSwitches = append(t.moduleCPU, us(async.moduleCPU)), append(t.moduleSwitches, async.moduleSwitches)
}

// row writes one table row: the median, the spread and every round's figure.
func row(b *strings.Builder, measure string, f figures, verb string) {
	lo, hi := f.spread()
	fmt.Fprintf(b, "| %s | "+verb+" | "+verb+"-"+verb+" | %s |\n", measure, f.median(), lo, hi, f.format(verb))
}

// memoryFigures are one server's parked-memory rounds, whole and split.
type memoryFigures struct{ total, goHeap, rest figures }

func (m *memoryFigures) add(p parked) {
	m.total = append(m.total, float64(p.total))
	m.goHeap, m.rest = append(m.goHeap, float64(p.goHeap)), append(m.rest, float64(p.rest))
}

func report(o options, at time.Time, load string, t *throughputs, host, plain *memoryFigures) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### Parked requests and async throughput (scripts/benchpending)\n\n")
	fmt.Fprintf(&b, "Generated by `go run ./scripts/benchpending -pending %d -n %d -c %d -rounds %d -mem-rounds %d` on %s.\n\n",
		o.pending, o.n, o.c, o.rounds, o.memRounds, at.Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "Machine: %d CPUs (%s), %s, load average at start %s. The machine may be shared with\n",
		runtime.NumCPU(), cpuModel(), runtime.Version(), load)
	fmt.Fprintf(&b, "other work, so each figure is set against a baseline measured alternately with it in the same run.\n\n")
	fmt.Fprintf(&b, "| measure | median | spread (min-max) | rounds |\n|---|---|---|---|\n")
	row(&b, "async (one module worker thread completes each request) / sync hello, req/s", t.ratios, "%.2f")
	row(&b, "sync hello, req/s", t.syncRates, "%.0f")
	row(&b, "async, req/s", t.asyncRates, "%.0f")
	row(&b, "server CPU per request, async / sync", t.cpuRatios, "%.2f")
	row(&b, "server CPU per request, sync, µs", t.syncCPU, "%.0f")
	row(&b, "server CPU per request, async, µs", t.asyncCPU, "%.0f")
	row(&b, "of which the module's worker thread (async), µs", t.moduleCPU, "%.0f")
	row(&b, "server context switches per request (all threads), sync", t.syncSwitches, "%.2f")
	row(&b, "same, async", t.asyncSwitches, "%.2f")
	row(&b, "of which the module's worker thread (async)", t.moduleSwitches, "%.2f")
	if len(host.total) > 0 {
		row(&b, fmt.Sprintf("iishost, resident bytes per parked request (%d parked)", o.pending), host.total, "%.0f")
		row(&b, "of which in Go's heap (objects, goroutine stacks)", host.goHeap, "%.0f")
		row(&b, "of which elsewhere (C++ request state, runtime metadata)", host.rest, "%.0f")
		row(&b, "plain net/http handler waiting on a channel, same", plain.total, "%.0f")
		row(&b, "of which in Go's heap", plain.goHeap, "%.0f")
		row(&b, "of which elsewhere", plain.rest, "%.0f")
		fmt.Fprintf(&b, "| iishost's own share (difference of medians) | %.0f | | |\n", host.total.median()-plain.total.median())
		fmt.Fprintf(&b, "| of which in Go's heap | %.0f | | |\n", host.goHeap.median()-plain.goHeap.median())
		fmt.Fprintf(&b, "| of which elsewhere | %.0f | | |\n", host.rest.median()-plain.rest.median())
		fmt.Fprintf(&b, "\nThe plain server's figure is net/http's own cost of a waiting request: its connection's\n"+
			"reader and writer buffers, the response's buffer, the connection's goroutine and the one that\n"+
			"watches for the client leaving. iishost's share is the request state (C++, outside Go's heap)\n"+
			"and, in Go's heap, the slot, the request's encoding buffer and the front door's per-connection state.\n"+
			"Resident memory is split by mapping (/proc/<pid>/smaps): Go's heap arenas, and the rest.\n")
	}
	return b.String()
}

func cpuModel() string {
	data, _ := os.ReadFile("/proc/cpuinfo")
	for _, line := range strings.Split(string(data), "\n") {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return "unknown CPU"
}

const (
	beginMarker = "<!-- benchpending:begin -->"
	endMarker   = "<!-- benchpending:end -->"
)

// writeSection replaces the text between the benchpending markers in path, adding the markers
// at the end when absent and creating the file when missing; the rest is left as it is.
func writeSection(path, section string) error {
	data, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	text := string(data)
	if text == "" {
		text = "# Performance\n\nMeasured figures, each section written by the script it names.\n"
	}
	block := beginMarker + "\n" + section + endMarker
	before, rest, found := strings.Cut(text, beginMarker)
	if found {
		_, after, ok := strings.Cut(rest, endMarker)
		if !ok {
			return fmt.Errorf("%s: %s without %s", path, beginMarker, endMarker)
		}
		text = before + block + after
	} else {
		text = strings.TrimRight(text, "\n") + "\n\n" + block + "\n"
	}
	return os.WriteFile(path, []byte(text), 0o644)
}
