// Package cpuprofile writes a Go CPU profile to a file, for the command's -cpuprofile and the
// benchmark scripts' servers.
package cpuprofile

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// Start writes the process's CPU profile to file until stop is called; the file is complete
// only after stop.
func Start(file string) (stop func(), err error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, fmt.Errorf("CPU profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("CPU profile %s: %w", file, err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
