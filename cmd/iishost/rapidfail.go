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

// appPoolName is the pool the command's workers are (cabi's ServerConfig.AppPoolName).
const appPoolName = "DefaultAppPool"

// rapidFailPolicy reads <system.applicationHost><applicationPools>: <applicationPoolDefaults>'s
// <failure>, then DefaultAppPool's own <failure>, attribute by attribute over IIS's defaults.
func rapidFailPolicy(cfg *host.Config) (rapidFail, error) {
	p := defaultRapidFail
	pools := child(child(cfg.Document, "system.applicationHost"), "applicationPools")
	if pools == nil {
		return p, nil
	}
	failures := []*host.ConfigElement{child(child(pools, "applicationPoolDefaults"), "failure")}
	for _, el := range pools.Children {
		if el.Name == "add" && strings.EqualFold(attr(el, "name"), appPoolName) {
			failures = append(failures, child(el, "failure"))
		}
	}
	for _, f := range failures {
		if f == nil {
			continue
		}
		for _, a := range f.Attributes {
			var err error
			switch a[0] {
			case "rapidFailProtection":
				p.enabled, err = strconv.ParseBool(a[1])
			case "rapidFailProtectionMaxCrashes":
				var n uint64
				n, err = strconv.ParseUint(a[1], 10, 31)
				p.maxCrashes = int(n)
			case "rapidFailProtectionInterval":
				p.interval, err = host.TimeSpan(a[1])
				if err == nil && p.interval <= 0 {
					err = fmt.Errorf("must be longer than 0")
				}
			}
			if err != nil {
				return p, fmt.Errorf("config %s: applicationPools failure %s=%q: %v", cfg.Source, a[0], a[1], err)
			}
		}
	}
	return p, nil
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

func attr(el *host.ConfigElement, name string) string {
	for _, a := range el.Attributes {
		if a[0] == name {
			return a[1]
		}
	}
	return ""
}
