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

// WriteSection puts body into the report at path between the markers
// <!-- name:begin --> and <!-- name:end -->, replacing what they held and leaving every other
// section as it was; a section not there yet is appended, and a missing file is created.
func WriteSection(path, name, body string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	text := string(old)
	if text == "" {
		text = reportHeader
	}
	begin, end := "<!-- "+name+":begin -->", "<!-- "+name+":end -->"
	section := begin + "\n" + strings.TrimRight(body, "\n") + "\n" + end
	i, j := strings.Index(text, begin), strings.Index(text, end)
	switch {
	case i < 0 && j < 0:
		text = strings.TrimRight(text, "\n") + "\n\n" + section + "\n"
	case i >= 0 && j > i && strings.Count(text, begin) == 1 && strings.Count(text, end) == 1:
		text = text[:i] + section + text[j+len(end):]
	default:
		return fmt.Errorf("%s: the markers of section %q are not one begin followed by one end", path, name)
	}
	return os.WriteFile(path, []byte(text), 0o644)
}

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
