package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"syscall"
	"time"

	"github.com/iishost/iishost/internal/benchutil"
)

// serverSpec is how to start one of the two servers measured.
type serverSpec struct {
	name, url, binary string
	args              []string
}

// serverSpecs are the plain handler (this command, -plain) and the hello module under iishost,
// each on an address of its own.
func serverSpecs(self, iishost, hello, dir string) ([2]serverSpec, error) {
	var specs [2]serverSpec
	for i := range specs {
		addr, err := benchutil.FreeAddr()
		if err != nil {
			return specs, err
		}
		specs[i].url = "http://" + addr + "/hello"
		if i == 0 {
			specs[i].name, specs[i].binary, specs[i].args = "plain Go handler", self, []string{"-plain", addr}
		} else {
			// One process (-workers 0): under a master, the CPU is spent by a worker, not the pid measured.
			specs[i].name, specs[i].binary = "hello module", iishost
			specs[i].args = []string{"-workers", "0", "-listen", addr, "-module", "Hello=" + hello, "-root", dir}
		}
	}
	return specs, nil
}

// profileLoads is how many measurements' worth of requests a profile takes: Go samples at
// 100 Hz, so one measurement gives a few hundred samples only.
const profileLoads = 10

// layers serves n*profileLoads requests under a CPU profile and returns the server's CPU per
// request in µs by benchutil.Layers, followed by the number of samples taken.
func (p serverSpec) layers(ctx context.Context, file string, n, c int) ([]float64, error) {
	cmd := pinned(ctx, p.binary, append(p.args, "-cpuprofile", file)...)
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	defer benchutil.Stop(cmd)
	if err := benchutil.WaitUp(p.url, 60*time.Second); err != nil {
		return nil, err
	}
	m, err := benchutil.Load([]int{cmd.Process.Pid}, p.url, n*profileLoads, c)
	if err != nil {
		return nil, err
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("%s with a CPU profile: %w", p.binary, err)
	}
	shares, sampled, err := benchutil.Breakdown(p.binary, file)
	if err != nil {
		return nil, err
	}
	samples := int(sampled / (10 * time.Millisecond))
	perRequest := float64(m.CPUPerRequest().Nanoseconds()) / 1e3
	for i := range shares {
		shares[i] *= perRequest
	}
	return append(shares, float64(samples)), nil
}

// layersReport is the -profile table: each layer's CPU per request under both servers.
func (r *result) layersReport() string {
	if r.layers[0] == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("\nWhere each server's CPU goes (`-profile`): one more load of each, ")
	fmt.Fprintf(&b, "%d requests, under a Go CPU profile\n", r.n*profileLoads)
	b.WriteString("(100 Hz; kernel time counts where its system call was made), split by the first layer a sample's\n")
	b.WriteString("stack reaches, in this order:\n\n")
	b.WriteString("| layer | what it holds | plain µs/request | module µs/request | module − plain |\n|---|---|---:|---:|---:|\n")
	var sum [2]float64
	samples := func(i int) int { return int(r.layers[i][len(benchutil.Layers)]) }
	for i, l := range benchutil.Layers {
		fmt.Fprintf(&b, "| %s | %s | %.2f | %.2f | %+.2f |\n", l.Name, l.Why, r.layers[0][i], r.layers[1][i], r.layers[1][i]-r.layers[0][i])
		sum[0] += r.layers[0][i]
		sum[1] += r.layers[1][i]
	}
	fmt.Fprintf(&b, "| all | | %.2f | %.2f | %+.2f |\n", sum[0], sum[1], sum[1]-sum[0])
	fmt.Fprintf(&b, "\nSamples: %d plain, %d module (10 ms each); a layer holding k of them is known to about 1/√k of its\nfigure.\n", samples(0), samples(1))
	return b.String()
}
