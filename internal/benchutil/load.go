package benchutil

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// TicksPerSecond is USER_HZ on Linux, the unit of /proc's CPU times.
const TicksPerSecond = 100

// CPUTicks sums the user and system CPU time of pids, in clock ticks, from /proc.
func CPUTicks(pids ...int) (int64, error) {
	var total int64
	for _, pid := range pids {
		ticks, err := statTicks(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return 0, err
		}
		total += ticks
	}
	return total, nil
}

// ThreadCPUTicks is the user and system CPU time of one thread of pid, in clock ticks
// (/proc/<tid>/stat would count the whole process).
func ThreadCPUTicks(pid, tid int) (int64, error) {
	return statTicks(fmt.Sprintf("/proc/%d/task/%d/stat", pid, tid))
}

// statTicks reads utime plus stime from a /proc stat file.
func statTicks(path string) (int64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	s := string(data)
	// The command name may hold spaces; the fields after it are plain numbers.
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("%s: %d fields after the name", path, len(fields))
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("%s: unreadable CPU times", path)
	}
	return utime + stime, nil
}

// ProcessTree lists pid and its descendants (a master and its workers, such as nginx's).
// Children are listed per thread of the parent: each thread's list holds those it forked.
func ProcessTree(pid int) []int {
	pids := []int{pid}
	for i := 0; i < len(pids); i++ {
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pids[i]))
		for _, task := range tasks {
			data, err := os.ReadFile(task)
			if err != nil {
				continue // the thread ended meanwhile
			}
			for _, f := range strings.Fields(string(data)) {
				if child, err := strconv.Atoi(f); err == nil {
					pids = append(pids, child)
				}
			}
		}
	}
	return pids
}

// Measure is one load run against a server: its CPU ticks and the wall time taken.
type Measure struct {
	Ticks    int64
	Requests int
	Elapsed  time.Duration
}

// CPUPerRequest is the server's CPU per request.
func (m Measure) CPUPerRequest() time.Duration {
	return time.Duration(float64(m.Ticks) / TicksPerSecond / float64(m.Requests) * float64(time.Second))
}

// RequestsPerSecond is the throughput the load saw.
func (m Measure) RequestsPerSecond() float64 { return float64(m.Requests) / m.Elapsed.Seconds() }

// Load sends n GETs to url over c keep-alive connections and measures the CPU the processes
// pids spent meanwhile. Any failed request or status other than 200 fails the run.
//
// The client writes the request bytes and reads each response on a plain TCP connection: it
// spends a fraction of net/http's client CPU, so that on its own core it keeps the server busy.
// Responses must carry Content-Length (fixed bodies, as benchmarks serve).
func Load(pids []int, url string, n, c int) (Measure, error) {
	u, err := neturl.Parse(url)
	if err != nil {
		return Measure{}, err
	}
	request := []byte("GET " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host + "\r\nUser-Agent: benchutil\r\n\r\n")
	before, err := CPUTicks(pids...)
	if err != nil {
		return Measure{}, err
	}
	start := time.Now()
	var next atomic.Int64
	errs := make(chan error, c)
	for range c {
		go func() { errs <- keepAlive(u.Host, request, &next, int64(n)) }()
	}
	var failed error
	for range c {
		if err := <-errs; err != nil && failed == nil {
			failed = fmt.Errorf("%s: %w", url, err)
		}
	}
	elapsed := time.Since(start)
	if failed != nil {
		return Measure{}, failed
	}
	after, err := CPUTicks(pids...)
	return Measure{Ticks: after - before, Requests: n, Elapsed: elapsed}, err
}

// keepAlive sends request on one connection, and reads its response, while next stays within n.
func keepAlive(addr string, request []byte, next *atomic.Int64, n int64) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	br := bufio.NewReaderSize(conn, 16<<10)
	for next.Add(1) <= n {
		if _, err := conn.Write(request); err != nil {
			return err
		}
		if err := readResponse(br); err != nil {
			return err
		}
	}
	return nil
}

// readResponse reads one response, checking its status is 200, and skips its body.
func readResponse(br *bufio.Reader) error {
	status, err := br.ReadSlice('\n')
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(status, []byte("HTTP/1.1 200 ")) {
		return fmt.Errorf("status line %q", bytes.TrimSpace(status))
	}
	length := int64(-1)
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return err
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			break
		}
		name, value, _ := bytes.Cut(line, []byte(":"))
		if bytes.EqualFold(name, []byte("Content-Length")) {
			if length, err = strconv.ParseInt(string(bytes.TrimSpace(value)), 10, 64); err != nil || length < 0 {
				return fmt.Errorf("Content-Length %q", value)
			}
		}
	}
	if length < 0 {
		return errors.New("response without Content-Length")
	}
	_, err = br.Discard(int(length))
	return err
}

// Pinned makes a command that runs on the given CPU when taskset is available, so that the
// server does not share a core with the load generator.
func Pinned(ctx context.Context, cpu int, name string, args ...string) *exec.Cmd {
	if taskset, err := exec.LookPath("taskset"); err == nil {
		return exec.CommandContext(ctx, taskset, append([]string{"-c", strconv.Itoa(cpu), name}, args...)...)
	}
	return exec.CommandContext(ctx, name, args...)
}
