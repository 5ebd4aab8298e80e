// Command benchpending measures what parked requests cost the server: OS threads and resident
// memory while many requests wait in RQ_NOTIFICATION_PENDING, and the throughput of a module that
// completes from its own thread against the synchronous hello module.
//
//	go run ./scripts/benchpending [-pending 10000] [-n 20000] [-c 8]
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
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iishost/iishost/internal/benchutil"
)

func main() {
	pending := flag.Int("pending", 10000, "requests to park at once")
	n := flag.Int("n", 20000, "requests per throughput measurement")
	c := flag.Int("c", 8, "concurrent connections for throughput")
	flag.Parse()
	if err := run(*pending, *n, *c); err != nil {
		fmt.Fprintln(os.Stderr, "benchpending:", err)
		os.Exit(1)
	}
}

// procStatus reads fields such as Threads and VmRSS from /proc/<pid>/status.
func procStatus(pid int, field string) string {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "?"
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
		return 0, fmt.Errorf("%d requests failed", f)
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

func run(pending, n, c int) error {
	dir, err := benchutil.Workspace("benchpending-", map[string]string{"async": "testdata/modules/async.cpp", "hello": "samples/hello/hello.cpp"})
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "iishost")
	addr, err := benchutil.FreeAddr()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// One process (-workers 0): the threads, memory and CPU measured are the ones serving.
	server := exec.CommandContext(ctx, bin, "-workers", "0", "-listen", addr, "-root", dir,
		"-module", "Async="+filepath.Join(dir, "async.so"), "-module", "Hello="+filepath.Join(dir, "hello.so"))
	if err := server.Start(); err != nil {
		return err
	}
	defer benchutil.Stop(server)
	base := "http://" + addr
	control := &http.Client{Transport: &http.Transport{}}
	if err := benchutil.WaitUp(base+"/async?mode=count", 30*time.Second); err != nil {
		return err
	}
	pid := server.Process.Pid
	fmt.Printf("idle:     threads=%s rss=%s\n", procStatus(pid, "Threads"), procStatus(pid, "VmRSS"))

	holders := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: pending, MaxConnsPerHost: 0}}
	results := make(chan error, pending)
	for range pending {
		go func() {
			body, err := get(holders, base+"/async?mode=hold")
			if err == nil && body != "held" {
				err = fmt.Errorf("unexpected body %q", body)
			}
			results <- err
		}()
	}
	want := strconv.Itoa(pending)
	for deadline := time.Now().Add(120 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if got, _ := get(control, base+"/async?mode=count"); got == want {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("only some of %d requests parked", pending)
		}
	}
	fmt.Printf("parked:   %d requests, threads=%s rss=%s\n", pending, procStatus(pid, "Threads"), procStatus(pid, "VmRSS"))
	if _, err := get(control, base+"/async?mode=release"); err != nil {
		return err
	}
	for range pending {
		if err := <-results; err != nil {
			return err
		}
	}
	fmt.Printf("released: threads=%s rss=%s\n", procStatus(pid, "Threads"), procStatus(pid, "VmRSS"))

	syncRate, err := throughput(base+"/hello", n, c)
	if err != nil {
		return err
	}
	poolRate, err := throughput(base+"/async?mode=pool", n, c)
	if err != nil {
		return err
	}
	threadRate, err := throughput(base+"/async?mode=post", n, c)
	if err != nil {
		return err
	}
	fmt.Printf("throughput: sync hello %.0f req/s; async from a worker thread %.0f req/s (%.2f); async with a new thread per request %.0f req/s (%.2f)\n",
		syncRate, poolRate, poolRate/syncRate, threadRate, threadRate/syncRate)
	return nil
}
