package benchutil

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

// reportHeader opens a report file that WriteSection creates.
const reportHeader = "# Performance\n\nGenerated: each section below is written by the command it names, between its\nmarker comments, and rewritten when that command runs again. Do not edit by hand.\n"

// Machine describes where a measurement ran, for a report: date, processors and their model,
// Go version, and the load average as the measurement started.
func Machine(now time.Time) string {
	model := "unknown"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	load := "unknown"
	if data, err := os.ReadFile("/proc/loadavg"); err == nil {
		load = strings.Join(strings.Fields(string(data))[:3], " ")
	}
	return fmt.Sprintf("- Date: %s\n- Processors online (nproc --all): %d, %s\n- Go: %s %s/%s\n- Load average at the start (1, 5, 15 min): %s\n",
		now.UTC().Format("2006-01-02 15:04 MST"), OnlineCPUs(), model, runtime.Version(), runtime.GOOS, runtime.GOARCH, load)
}

// OnlineCPUs counts the machine's processors, whatever this process's affinity: under
// taskset, runtime.NumCPU counts only the CPUs the process may use.
func OnlineCPUs() int {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.NumCPU()
	}
	n := 0
	for _, line := range strings.Split(string(data), "\n") {
		if k, _, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "processor" {
			n++
		}
	}
	return max(n, runtime.NumCPU())
}
