//go:build !windows

// Command benchfront compares HTTP/1.1 front ends on one core, in one run: a plain net/http
// handler, iishost serving the hello module, nginx answering `return 200`, and the fasthttp
// prototype (scripts/frontproto) both bare and serving the hello module through host.Server.
// Each server is pinned to CPU 0 and the load runs on CPU 1; CPU per request comes from /proc
// (every process of the server: nginx's master and worker). Servers alternate within each
// round, and the results go to docs/performance.md between the benchfront markers.
//
//	go build -o /tmp/benchfront ./scripts/benchfront && /tmp/benchfront [-n 30000] [-c 8,64] [-rounds 7]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/iishost/iishost/internal/benchutil"
	"github.com/iishost/iishost/internal/modbuild"
)

// The server runs on serverCPU; this command re-executes itself on loadCPU.
const (
	serverCPU = 0
	loadCPU   = 1
	pinnedEnv = "BENCHFRONT_PINNED"
)

func main() {
	plain := flag.String("plain", "", "internal: serve the plain net/http handler on this address")
	cpuProfile := flag.String("cpuprofile", "", "internal, with -plain: write a CPU profile until SIGTERM")
	n := flag.Int("n", 30000, "requests per measurement")
	conns := flag.String("c", "8,64", "concurrent connections: a comma-separated list, one table each")
	rounds := flag.Int("rounds", 7, "measurements per server, alternating")
	out := flag.String("out", "docs/performance.md", "document whose benchfront section receives the results (relative to the repository); empty: print only")
	profile := flag.String("profile", "", "after the rounds, profile the plain net/http server under the same load into this file")
	flag.Parse()
	if *plain != "" {
		benchutil.ServePlain(*plain, *cpuProfile)
		return
	}
	pinSelf()
	o := options{n: *n, rounds: *rounds, out: *out, profile: *profile}
	for _, f := range strings.Split(*conns, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || c < 1 {
			fmt.Fprintf(os.Stderr, "benchfront: -c %q: want positive connection counts separated by commas\n", *conns)
			os.Exit(2)
		}
		o.conns = append(o.conns, c)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "benchfront:", err)
		os.Exit(1)
	}
}

// pinSelf re-executes the command on loadCPU, once, when taskset is there.
func pinSelf() {
	taskset, err := exec.LookPath("taskset")
	if err != nil || os.Getenv(pinnedEnv) != "" {
		return
	}
	self, err := os.Executable()
	if err != nil {
		return
	}
	os.Setenv(pinnedEnv, "1")
	args := append([]string{taskset, "-c", fmt.Sprint(loadCPU), self}, os.Args[1:]...)
	err = syscall.Exec(taskset, args, os.Environ())
	fmt.Fprintln(os.Stderr, "benchfront: running unpinned:", err)
}

type options struct {
	n, rounds    int
	conns        []int // one measurement series per count
	out, profile string
}

// server is one front end under test.
type server struct {
	name, url string
	cmd       *exec.Cmd
	pids      []int // the process and its children, once it answers
}

func run(o options) error {
	root, err := modbuild.RepoRoot(".")
	if err != nil {
		return err
	}
	dir, err := benchutil.Workspace("benchfront-", map[string]string{"hello": "samples/hello/hello.cpp"})
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	servers, skipped, err := launchAll(ctx, root, dir)
	for _, s := range servers {
		defer s.stop()
	}
	if err != nil {
		return err
	}
	for _, note := range skipped {
		fmt.Println("skipped:", note)
	}
	for _, s := range servers {
		if err := s.up(o.n/10, o.conns[0]); err != nil { // also warms it up
			return err
		}
	}
	var reports []summary
	for _, c := range o.conns {
		results := make([][]benchutil.Measure, len(servers))
		for round := range o.rounds {
			for k := range servers {
				i := (k + round) % len(servers) // each round starts with the next server
				m, err := benchutil.Load(servers[i].pids, servers[i].url, o.n, c)
				if err != nil {
					return err
				}
				results[i] = append(results[i], m)
			}
		}
		report := summarise(servers, results, c)
		fmt.Print(report.text())
		reports = append(reports, report)
	}
	if o.profile != "" {
		if err := profilePlain(ctx, dir, o); err != nil {
			return err
		}
	}
	if o.out == "" {
		return nil
	}
	doc := o.out
	if !filepath.IsAbs(doc) {
		doc = filepath.Join(root, doc)
	}
	facts := machineFacts(root)
	return benchutil.WriteSection(doc, "benchfront", markdown(reports, o, facts, skipped))
}

// stop asks a server with children (nginx's master) to end them and itself, so that none is
// left serving or unreaped; what has not ended after a few seconds is killed.
func (s *server) stop() {
	if len(s.pids) > 1 {
		s.cmd.Process.Signal(syscall.SIGTERM)
		ended := make(chan struct{})
		go func() { s.cmd.Wait(); close(ended) }()
		select {
		case <-ended:
			return
		case <-time.After(5 * time.Second):
			for _, pid := range s.pids[1:] {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	}
	benchutil.Stop(s.cmd)
}

// up waits for the server to answer, records its processes, and warms it with n requests.
func (s *server) up(n, c int) error {
	if err := benchutil.WaitUp(s.url, 120*time.Second); err != nil {
		return fmt.Errorf("%s: %w", s.name, err)
	}
	s.pids = benchutil.ProcessTree(s.cmd.Process.Pid)
	_, err := benchutil.Load(s.pids, s.url, n, c)
	return err
}

// launchAll starts every server it can; a front end that cannot run here (no nginx, the
// prototype not building) is skipped with a note rather than failing the run.
func launchAll(ctx context.Context, root, dir string) (servers []*server, skipped []string, err error) {
	self, err := os.Executable()
	if err != nil {
		return nil, nil, err
	}
	// start runs path with args, the listening address appended by listen.
	start := func(name, path string, listen func(addr string) ([]string, error), args ...string) error {
		addr, err := benchutil.FreeAddr()
		if err != nil {
			return err
		}
		more, err := listen(addr)
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s: %v", name, err))
			return nil
		}
		cmd := benchutil.Pinned(ctx, serverCPU, path, append(args, more...)...)
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		servers = append(servers, &server{name: name, url: "http://" + addr + "/hello", cmd: cmd})
		return nil
	}
	flag := func(name string) func(string) ([]string, error) {
		return func(addr string) ([]string, error) { return []string{name, addr}, nil }
	}
	hello, bin := filepath.Join(dir, "hello.so"), filepath.Join(dir, "iishost")
	if err := start(kindPlain, self, flag("-plain")); err != nil {
		return servers, nil, err
	}
	// One process (-workers 0): under a master, the CPU is spent by a worker.
	if err := start(kindIIS, bin, flag("-listen"), "-workers", "0", "-module", "Hello="+hello, "-root", dir); err != nil {
		return servers, nil, err
	}
	if nginx, err := exec.LookPath("nginx"); err != nil {
		skipped = append(skipped, "nginx: not installed (apt-get install nginx-light)")
	} else if err := start(kindNginx, nginx, func(addr string) ([]string, error) { return nginxArgs(dir, addr) }); err != nil {
		return servers, nil, err
	}
	proto, err := buildPrototype(root, dir)
	if err != nil {
		skipped = append(skipped, err.Error())
		return servers, skipped, nil
	}
	if err := start(kindFastBare, proto, flag("-listen"), "-bare"); err != nil {
		return servers, nil, err
	}
	if err := start(kindFastIIS, proto, flag("-listen"), "-module", "Hello="+hello, "-root", dir); err != nil {
		return servers, nil, err
	}
	return servers, skipped, nil
}

// buildPrototype builds scripts/frontproto, a module of its own, into dir.
func buildPrototype(root, dir string) (string, error) {
	out := filepath.Join(dir, "frontproto")
	cmd := exec.Command("go", "build", "-o", out, ".")
	cmd.Dir = filepath.Join(root, "scripts", "frontproto")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("fasthttp prototype (scripts/frontproto) did not build: %v\n%s", err, msg)
	}
	return out, nil
}

// profilePlain profiles the plain net/http server under one more measurement's load.
func profilePlain(ctx context.Context, dir string, o options) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	addr, err := benchutil.FreeAddr()
	if err != nil {
		return err
	}
	file, err := filepath.Abs(o.profile)
	if err != nil {
		return err
	}
	cmd := benchutil.Pinned(ctx, serverCPU, self, "-plain", addr, "-cpuprofile", file)
	if err := cmd.Start(); err != nil {
		return err
	}
	s := &server{name: kindPlain, url: "http://" + addr + "/hello", cmd: cmd}
	defer s.stop()
	if err := s.up(o.n/10, o.conns[0]); err != nil {
		return err
	}
	if _, err := benchutil.Load(s.pids, s.url, o.n, o.conns[0]); err != nil {
		return err
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("profiled server: %w", err)
	}
	fmt.Printf("CPU profile of %s under load: %s (go tool pprof -top %s)\n", kindPlain, file, file)
	return nil
}
