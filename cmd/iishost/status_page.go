package main

import (
	"cmp"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"time"

	"github.com/iishost/iishost/host"
)

// statusPage is what /status shows: the pool and each worker's host.Status. The HTML view
// merges the workers' (sites and modules summed, requests and failures listed with their
// worker); ?format=json gives this structure as is.
type statusPage struct {
	Time    time.Time    `json:"time"`
	Pool    string       `json:"pool"`
	Workers []workerView `json:"workers"`
}

// workerView is one worker (or the single process): Status is nil, and Error says why, when
// it did not answer.
type workerView struct {
	PID     int          `json:"pid"`
	Started time.Time    `json:"started"`
	State   string       `json:"state"`
	Status  *host.Status `json:"status,omitempty"`
	Error   string       `json:"error,omitempty"`
}

// first is the status of the first worker that answered: sites and modules are the same in
// every worker.
func (p statusPage) first() *host.Status {
	for _, w := range p.Workers {
		if w.Status != nil {
			return w.Status
		}
	}
	return nil
}

// Sites are the sites with their requests summed over the workers.
func (p statusPage) Sites() []host.SiteStatus {
	first := p.first()
	if first == nil {
		return nil
	}
	sites := slices.Clone(first.Sites)
	for i := range sites {
		sites[i].Requests, sites[i].Failed = 0, 0
	}
	for _, w := range p.Workers {
		if w.Status == nil {
			continue
		}
		for i, s := range w.Status.Sites {
			if i < len(sites) {
				sites[i].Requests += s.Requests
				sites[i].Failed += s.Failed
			}
		}
	}
	return sites
}

// Modules are the modules with their calls summed over the workers.
func (p statusPage) Modules() []host.ModuleStatus {
	first := p.first()
	if first == nil {
		return nil
	}
	modules := slices.Clone(first.Modules)
	for i := range modules {
		calls := map[string]host.CallTime{}
		for _, w := range p.Workers {
			if w.Status == nil || i >= len(w.Status.Modules) {
				continue
			}
			for _, c := range w.Status.Modules[i].Calls {
				sum := calls[c.Notification]
				sum.Notification = c.Notification
				sum.Calls += c.Calls
				sum.Time += c.Time
				calls[c.Notification] = sum
			}
		}
		modules[i].Calls = nil
		for _, c := range calls {
			modules[i].Calls = append(modules[i].Calls, c)
		}
		slices.SortFunc(modules[i].Calls, func(a, b host.CallTime) int { return cmp.Compare(a.Notification, b.Notification) })
	}
	return modules
}

type inFlightView struct {
	PID int
	host.InFlightRequest
}

// InFlight lists every worker's requests in flight, longest in its module first.
func (p statusPage) InFlight() []inFlightView {
	out := perWorker(p, func(st *host.Status) []host.InFlightRequest { return st.InFlight },
		func(pid int, r host.InFlightRequest) inFlightView { return inFlightView{pid, r} })
	slices.SortFunc(out, func(a, b inFlightView) int { return cmp.Compare(b.InModule, a.InModule) })
	return out
}

type failureView struct {
	PID int
	host.FailedRequest
}

// Failures lists the workers' recent failed requests, newest first, at most
// host.DefaultRecentFailures.
func (p statusPage) Failures() []failureView {
	out := perWorker(p, func(st *host.Status) []host.FailedRequest { return st.Failures },
		func(pid int, f host.FailedRequest) failureView { return failureView{pid, f} })
	slices.SortFunc(out, func(a, b failureView) int { return b.Time.Compare(a.Time) })
	return out[:min(len(out), host.DefaultRecentFailures)]
}

// perWorker gathers a list from every worker that answered, each item tagged with its pid.
func perWorker[T, V any](p statusPage, list func(*host.Status) []T, tag func(int, T) V) []V {
	var out []V
	for _, w := range p.Workers {
		if w.Status != nil {
			for _, item := range list(w.Status) {
				out = append(out, tag(w.PID, item))
			}
		}
	}
	return out
}

type perfView struct {
	Scope        string
	Index, Value int64
}

// PerfCounters are the nonzero counters modules keep (IHttpPerfCounterInfo), summed over the
// workers.
func (p statusPage) PerfCounters() []perfView {
	first := p.first()
	if first == nil {
		return nil
	}
	sums := map[[2]int]int64{} // scope (0 server, 1+ site), index
	for _, w := range p.Workers {
		if w.Status == nil {
			continue
		}
		c := &w.Status.Counters
		for i, v := range c.Server {
			sums[[2]int{0, i}] += v
		}
		for s := range c.Sites {
			for i, v := range c.Sites[s] {
				sums[[2]int{s + 1, i}] += v
			}
		}
	}
	var out []perfView
	for key, v := range sums {
		if v == 0 {
			continue
		}
		scope := "server"
		if key[0] > 0 {
			scope = "site " + strconv.Itoa(key[0])
			if key[0]-1 < len(first.Sites) {
				scope = first.Sites[key[0]-1].Name
			}
		}
		out = append(out, perfView{scope, int64(key[1]), v})
	}
	slices.SortFunc(out, func(a, b perfView) int {
		return cmp.Or(cmp.Compare(a.Scope, b.Scope), cmp.Compare(a.Index, b.Index))
	})
	return out
}

var statusFuncs = template.FuncMap{
	"ms": func(d time.Duration) string {
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 3, 64)
	},
	"clock": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04:05.000Z")
	},
	"status": func(code, sub int) string { return fmt.Sprintf("%d.%d", code, sub) },
}

// statusTemplate is the page; html/template escapes every value (URLs and module names come
// from clients and modules).
var statusTemplate = template.Must(template.New("status").Funcs(statusFuncs).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>iishost status</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.4em 0 1.4em}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f0f0f0}
td.n{text-align:right;font-variant-numeric:tabular-nums}
code{font-size:13px}
</style></head>
<body>
<h1>iishost status</h1>
<p>At <span id="time">{{clock .Time}}</span>; application pool: <strong id="pool">{{.Pool}}</strong>.</p>

<h2>Workers</h2>
<table id="workers"><tr><th>PID</th><th>Started</th><th>State</th><th>Requests</th><th>In flight</th><th>Bytes sent</th><th>Bytes received</th></tr>
{{range .Workers}}<tr><td class="n">{{.PID}}</td><td>{{clock .Started}}</td><td>{{.State}}{{with .Error}} ({{.}}){{end}}</td>
{{with .Status}}<td class="n">{{.Counters.Requests}}</td><td class="n">{{.InFlightTotal}}</td><td class="n">{{.Counters.BytesSent}}</td><td class="n">{{.Counters.BytesReceived}}</td>{{else}}<td></td><td></td><td></td><td></td>{{end}}</tr>
{{end}}</table>

<h2>Sites</h2>
<table id="sites"><tr><th>Site</th><th>ID</th><th>Bindings</th><th>Requests</th><th>Failed</th></tr>
{{range .Sites}}<tr><td>{{.Name}}</td><td class="n">{{.ID}}</td><td>{{range .Bindings}}<code>{{.}}</code><br>{{end}}</td><td class="n">{{.Requests}}</td><td class="n">{{.Failed}}</td></tr>
{{end}}</table>

<h2>Modules</h2>
<table id="modules"><tr><th>Module</th><th>Notifications</th><th>Post</th><th>Global</th><th>Calls (count, time in ms)</th></tr>
{{range .Modules}}<tr><td>{{.Name}}<br><code>{{.Image}}</code></td><td>{{range .Notifications}}{{.}}<br>{{end}}</td><td>{{range .PostNotifications}}{{.}}<br>{{end}}</td><td>{{range .GlobalNotifications}}{{.}}<br>{{end}}</td>
<td>{{range .Calls}}{{.Notification}}: {{.Calls}}, {{ms .Time}}<br>{{end}}</td></tr>
{{end}}</table>

<h2>Requests in flight</h2>
<table id="inflight"><tr><th>Worker</th><th>Site</th><th>Method</th><th>URL</th><th>Module</th><th>Notification</th><th>In module (ms)</th><th>State</th><th>Started</th></tr>
{{range .InFlight}}<tr><td class="n">{{.PID}}</td><td>{{.Site}}</td><td>{{.Method}}</td><td><code>{{.URL}}</code></td><td class="module">{{.Module}}</td><td class="notification">{{.Notification}}</td><td class="n">{{ms .InModule}}</td><td>{{if .Parked}}pending{{else if .Module}}running{{else}}between modules{{end}}</td><td>{{clock .Started}}</td></tr>
{{end}}</table>

<h2>Recent failed requests</h2>
<table id="failures"><tr><th>Time</th><th>Worker</th><th>Site</th><th>Method</th><th>URL</th><th>Status</th><th>Time taken (ms)</th><th>Trace</th></tr>
{{range .Failures}}<tr><td>{{clock .Time}}</td><td class="n">{{.PID}}</td><td>{{.Site}}</td><td>{{.Method}}</td><td><code>{{.URL}}</code></td><td class="n">{{status .Status .Substatus}}</td><td class="n">{{ms .TimeTaken}}</td><td>{{with .TracePath}}<a href="/trace?file={{.}}">trace</a>{{end}}</td></tr>
{{end}}</table>

<h2>Module counters</h2>
<table id="counters"><tr><th>Scope</th><th>Index</th><th>Value</th></tr>
{{range .PerfCounters}}<tr><td>{{.Scope}}</td><td class="n">{{.Index}}</td><td class="n">{{.Value}}</td></tr>
{{end}}</table>
</body></html>
`))
