package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/iishost/iishost/host"
)

// rapidFail is IIS's rapid-fail protection of an application pool: more than maxCrashes worker
// failures within interval stop the pool, and the server answers 503 until an operator acts.
type rapidFail struct {
	enabled    bool
	maxCrashes int
	interval   time.Duration
}

// IIS's defaults for <applicationPoolDefaults><failure>.
var defaultRapidFail = rapidFail{enabled: true, maxCrashes: 5, interval: 5 * time.Minute}

const defaultStartupTimeLimit = 90 * time.Second

// defaultRestartAfter is IIS's periodicRestart time: 1740 minutes.
const defaultRestartAfter = 29 * time.Hour

// appPoolName is the pool the command's workers are (cabi's ServerConfig.AppPoolName).
const appPoolName = "DefaultAppPool"

// maxWorkers bounds -workers and maxProcesses: each worker is a whole server's memory.
const maxWorkers = 64

// poolSettings are what the master takes from the application pool's configuration.
type poolSettings struct {
	rapidFail    rapidFail
	maxProcesses int // <processModel maxProcesses>; 0 when not configured
	// startupTimeLimit is how long a worker may take to start serving before it is killed
	// (<processModel startupTimeLimit>, IIS's default 90 seconds).
	startupTimeLimit time.Duration
	// privateMemoryKB, virtualMemoryKB and restartAfter are <recycling><periodicRestart
	// privateMemory memory time>: a worker whose private or virtual memory passes its limit,
	// or that has served for restartAfter, is recycled. 0: no limit (IIS's defaults: no memory
	// limits, 29 hours).
	privateMemoryKB uint64
	virtualMemoryKB uint64
	restartAfter    time.Duration
	restartRequests uint64 // <periodicRestart requests>: 0, no limit
	// ping is <processModel pingingEnabled pingInterval pingResponseTime>; shutdownTimeLimit
	// is how long a stopped worker may drain before it is killed.
	ping              pingPolicy
	shutdownTimeLimit time.Duration
}

// pingPolicy is how the master checks a worker still gets requests through.
type pingPolicy struct {
	enabled                bool
	interval, responseTime time.Duration
}

// IIS's defaults for <processModel>'s pinging and shutdownTimeLimit.
var (
	defaultPing              = pingPolicy{enabled: true, interval: 30 * time.Second, responseTime: 90 * time.Second}
	defaultShutdownTimeLimit = 90 * time.Second
)

// readPool reads <system.applicationHost><applicationPools>: <applicationPoolDefaults>, then
// DefaultAppPool's own <add>, attribute by attribute over IIS's defaults.
func readPool(cfg *host.Config) (poolSettings, error) {
	p := poolSettings{rapidFail: defaultRapidFail, startupTimeLimit: defaultStartupTimeLimit, restartAfter: defaultRestartAfter,
		ping: defaultPing, shutdownTimeLimit: defaultShutdownTimeLimit}
	pools := child(child(cfg.Document, "system.applicationHost"), "applicationPools")
	if pools == nil {
		return p, nil
	}
	levels := []*host.ConfigElement{child(pools, "applicationPoolDefaults")}
	for _, el := range pools.Children {
		if el.Name == "add" && strings.EqualFold(attr(el, "name"), appPoolName) {
			levels = append(levels, el)
		}
	}
	for _, level := range levels {
		for _, a := range attributes(child(level, "processModel")) {
			switch a[0] {
			case "maxProcesses":
				n, err := strconv.ParseUint(a[1], 10, 31)
				switch {
				case err != nil:
					return p, poolError(cfg, a, err.Error())
				case n == 0:
					return p, poolError(cfg, a, "0 (a worker per NUMA node) is not supported; give a count")
				case n > maxWorkers:
					return p, poolError(cfg, a, fmt.Sprintf("at most %d", maxWorkers))
				}
				p.maxProcesses = int(n)
			case "startupTimeLimit", "shutdownTimeLimit", "pingInterval", "pingResponseTime":
				d, err := positiveTimeSpan(a[1])
				if err != nil {
					return p, poolError(cfg, a, err.Error())
				}
				*map[string]*time.Duration{"startupTimeLimit": &p.startupTimeLimit, "shutdownTimeLimit": &p.shutdownTimeLimit,
					"pingInterval": &p.ping.interval, "pingResponseTime": &p.ping.responseTime}[a[0]] = d
			case "pingingEnabled":
				on, err := strconv.ParseBool(a[1])
				if err != nil {
					return p, poolError(cfg, a, err.Error())
				}
				p.ping.enabled = on
			}
		}
		for _, a := range attributes(child(child(level, "recycling"), "periodicRestart")) {
			var err error
			switch a[0] {
			case "privateMemory":
				p.privateMemoryKB, err = strconv.ParseUint(a[1], 10, 32)
			case "memory":
				p.virtualMemoryKB, err = strconv.ParseUint(a[1], 10, 32)
			case "requests":
				p.restartRequests, err = strconv.ParseUint(a[1], 10, 32)
			case "time":
				p.restartAfter, err = host.TimeSpan(a[1])
			}
			if err != nil {
				return p, poolError(cfg, a, err.Error())
			}
		}
		for _, a := range attributes(child(level, "failure")) {
			var err error
			switch a[0] {
			case "rapidFailProtection":
				p.rapidFail.enabled, err = strconv.ParseBool(a[1])
			case "rapidFailProtectionMaxCrashes":
				var n uint64
				n, err = strconv.ParseUint(a[1], 10, 31)
				p.rapidFail.maxCrashes = int(n)
			case "rapidFailProtectionInterval":
				p.rapidFail.interval, err = positiveTimeSpan(a[1])
			}
			if err != nil {
				return p, poolError(cfg, a, err.Error())
			}
		}
	}
	return p, nil
}

func positiveTimeSpan(s string) (time.Duration, error) {
	d, err := host.TimeSpan(s)
	if err == nil && d <= 0 {
		err = fmt.Errorf("must be longer than 0")
	}
	return d, err
}

func poolError(cfg *host.Config, a [2]string, reason string) error {
	return fmt.Errorf("config %s: application pool %s %s=%q: %s", cfg.Source, appPoolName, a[0], a[1], reason)
}

// failed records a worker failure at now and says whether the pool must stop.
func (p rapidFail) failed(history []time.Time, now time.Time) ([]time.Time, bool) {
	kept := history[:0]
	for _, t := range history {
		if now.Sub(t) < p.interval {
			kept = append(kept, t)
		}
	}
	kept = append(kept, now)
	return kept, p.enabled && len(kept) > p.maxCrashes
}

func child(el *host.ConfigElement, name string) *host.ConfigElement {
	if el == nil {
		return nil
	}
	for _, c := range el.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func attributes(el *host.ConfigElement) [][2]string {
	if el == nil {
		return nil
	}
	return el.Attributes
}

func attr(el *host.ConfigElement, name string) string {
	for _, a := range el.Attributes {
		if a[0] == name {
			return a[1]
		}
	}
	return ""
}
