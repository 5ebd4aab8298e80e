package benchutil

import (
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// Layers name where a server's CPU goes, in the order a sample is tested against them: a
// sample counts for the first layer one of its stack's frames belongs to.
var Layers = []struct{ Name, Why string }{
	{"C++: bridge pipeline and module", "under a cgo call (_Cfunc_)"},
	{"socket system calls", "in syscall or internal/poll: read, write, accept"},
	{"iishost front door (Go)", "internal/frontdoor: following heads, admission, deadlines"},
	{"the handler (Go)", "iishost's host and internal/cabi (routing, filtering, encoding, sending), or the plain handler"},
	{"net/http", "parsing requests, writing responses"},
	{"Go runtime", "scheduler, netpoll, GC, and the rest"},
}

func layerOf(stack []string) int {
	has := func(prefixes ...string) bool {
		for _, f := range stack {
			for _, p := range prefixes {
				if strings.HasPrefix(f, p) || p == "_Cfunc_" && strings.Contains(f, "._Cfunc_") {
					return true
				}
			}
		}
		return false
	}
	switch {
	case has("_Cfunc_"):
		return 0
	case has("syscall.", "internal/runtime/syscall.", "internal/poll."):
		return 1
	case has("github.com/iishost/iishost/internal/frontdoor."):
		return 2
	case has("github.com/iishost/iishost/"):
		return 3
	case has("net/http."):
		return 4
	}
	return 5
}

// Breakdown reads a CPU profile of binary with `go tool pprof -traces` and returns each
// layer's share of the CPU time sampled (see Layers), and that time.
func Breakdown(binary, profile string) ([]float64, time.Duration, error) {
	out, err := exec.Command("go", "tool", "pprof", "-traces", binary, profile).Output()
	if err != nil {
		return nil, 0, fmt.Errorf("go tool pprof -traces %s: %w", profile, err)
	}
	return breakdownOfTraces(string(out))
}

// breakdownOfTraces parses pprof's -traces text: blocks between "-----------+" lines, each a
// sample value and its leaf frame on the first line, then the callers one per line.
func breakdownOfTraces(text string) ([]float64, time.Duration, error) {
	shares := make([]float64, len(Layers))
	var total time.Duration
	for _, block := range strings.Split(text, "-----------+")[1:] {
		lines := strings.Split(strings.TrimSpace(block), "\n")
		if len(lines) < 2 {
			continue // the separator's own tail
		}
		first := strings.Fields(lines[1])
		if len(first) < 2 {
			continue
		}
		took, err := time.ParseDuration(first[0])
		if err != nil {
			return nil, 0, fmt.Errorf("pprof -traces: sample value %q: %w", first[0], err)
		}
		stack := []string{first[1]}
		for _, l := range lines[2:] {
			if f := strings.Fields(l); len(f) > 0 {
				stack = append(stack, f[0])
			}
		}
		shares[layerOf(stack)] += float64(took)
		total += took
	}
	if total == 0 {
		return nil, 0, fmt.Errorf("pprof -traces: no samples")
	}
	for i := range shares {
		shares[i] /= float64(total)
	}
	return shares, total, nil
}
