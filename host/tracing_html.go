package host

import (
	"bytes"
	"fmt"
	"html"
	"strconv"
	"strings"
	"time"

	"github.com/iishost/iishost/internal/cabi"
)

// A trace is one HTML page with its own style, so that it opens from disk in any browser (IIS's
// XML with an XSL style sheet does not: browsers refuse file:// style sheets). Every text from
// the request, a module or the configuration is escaped.

const traceStyle = `body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em;margin:0 0 .6em}h2{font-size:1.1em;margin:1.4em 0 .4em}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#f2f2f2}.summary th{width:11em}.at{text-align:right;font-variant-numeric:tabular-nums}
.C td{color:#555}.R td{color:#555}.S td{background:#fff4d6}.E td{background:#fde2e2}.T td{background:#e6f0ff}
.H td{background:#eef8ee}.A td{color:#555}code{font:12px ui-monospace,monospace;white-space:pre-wrap;word-break:break-all}
.cut{background:#fde2e2;padding:.5em;border:1px solid #c00}`

// traceKinds labels each kind of record, with the verbosity (as traceAreas counts it) at which
// a trace keeps it.
var traceKinds = map[cabi.TraceKind]struct {
	label     string
	verbosity int
}{
	cabi.TraceCall:       {"NOTIFY", 5},
	cabi.TraceReturn:     {"RETURN", 5},
	cabi.TraceHeader:     {"HEADER", 5},
	cabi.TraceStatus:     {"SET_STATUS", 4},
	cabi.TraceError:      {"ERROR", 2},
	cabi.TraceCompletion: {"COMPLETION", 5},
	cabi.TraceEvent:      {"TRACE_EVENT", 5}, // the event's own verbosity, when it has one
}

func esc(s string) string { return html.EscapeString(s) }

// renderTrace makes a trace's page, at most capBytes long (0: no cap) but for the summary,
// which is always kept: records that would not fit are left out, and a marker says so.
func renderTrace(info FailedRequestTrace, rule *traceRule, rec *cabi.RequestTrace, capBytes int64) []byte {
	var head bytes.Buffer
	title := fmt.Sprintf("%s %s: %s", info.Verb, info.URL, statusText(info.Status, info.SubStatus))
	fmt.Fprintf(&head, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Failed request %s</title><style>%s</style></head><body>\n",
		esc(title), traceStyle)
	fmt.Fprintf(&head, "<h1>Failed request: %s</h1>\n<table class=\"summary\">\n", esc(title))
	var areas []string
	for _, a := range rule.areas {
		areas = append(areas, a.provider+" ("+a.areas+") "+a.verbosity)
	}
	rows := [][2]string{
		{"URL", info.URL},
		{"Verb", info.Verb},
		{"Site", fmt.Sprintf("%s (id %d)", info.Site, info.SiteID)},
		{"Status", statusText(info.Status, info.SubStatus)},
		{"Error code", fmt.Sprintf("0x%08X", rec.HResult)},
		{"Time taken", fmt.Sprintf("%d ms", info.TimeTaken.Milliseconds())},
		{"Failure reason", info.Reason},
		{"Started", info.Time.UTC().Format(time.RFC3339Nano)},
		{"Rule", "path " + rule.path},
		{"Trace areas", strings.Join(areas, "; ")},
	}
	for _, r := range rows {
		fmt.Fprintf(&head, "<tr><th>%s</th><td><code>%s</code></td></tr>\n", esc(r[0]), esc(r[1]))
	}
	head.WriteString("</table>\n<h2>Events</h2>\n<table class=\"events\">\n<tr><th>µs</th><th>Event</th><th>Module</th><th>Details</th></tr>\n")
	const tail = "</table>\n</body></html>\n"
	const cutMarker = "<tr><td colspan=\"4\" class=\"cut\">The trace is truncated here: it reached maxLogFileSizeKB.</td></tr>\n"

	out := head.Bytes()
	cut := rec.Truncated
	for _, e := range rec.Entries() {
		row := traceRow(e, rule.keepVerbosity)
		if row == "" {
			continue
		}
		if capBytes > 0 && int64(len(out)+len(row)+len(cutMarker)+len(tail)) > capBytes {
			cut = true
			break
		}
		out = append(out, row...)
	}
	if cut {
		out = append(out, cutMarker...)
	}
	return append(out, tail...)
}

func statusText(status, sub int) string {
	return strconv.Itoa(status) + "." + strconv.Itoa(sub)
}

// traceRow renders one record as a table row; "" when it is more verbose than the rule keeps.
func traceRow(e cabi.TraceEntry, keep int) string {
	kind, ok := traceKinds[e.Kind]
	if !ok || len(e.Fields) == 0 {
		return ""
	}
	verbosity := kind.verbosity
	module, rest := e.Fields[0], e.Fields[1:]
	var details string
	switch e.Kind {
	case cabi.TraceCall:
		details = field(rest, 0)
	case cabi.TraceReturn:
		details = field(rest, 0) + " returned " + field(rest, 1)
	case cabi.TraceCompletion:
		details = field(rest, 0) + " completed by " + field(rest, 1)
	case cabi.TraceStatus:
		status := field(rest, 0) + "." + field(rest, 1)
		if reason := field(rest, 3); reason != "" { // the host's own statuses may carry none
			status += " " + reason
		}
		details = status + ", error 0x" + strings.TrimPrefix(field(rest, 2), "0x")
	case cabi.TraceHeader:
		details = field(rest, 0) + " header " + field(rest, 1) + " " + field(rest, 2)
		if field(rest, 1) != "delete" {
			details += ": " + field(rest, 3)
		}
	case cabi.TraceError:
		details = field(rest, 0)
	case cabi.TraceEvent:
		var pairs []string
		for i := 0; i+1 < len(rest); i += 2 {
			pairs = append(pairs, rest[i]+"="+rest[i+1])
			if rest[i] == "verbosity" {
				if v, err := strconv.Atoi(rest[i+1]); err == nil && v > 0 {
					verbosity = v
				}
			}
		}
		details = strings.Join(pairs, " ")
	}
	if verbosity > keep {
		return ""
	}
	return fmt.Sprintf("<tr class=\"%c\"><td class=\"at\">%d</td><td>%s</td><td>%s</td><td><code>%s</code></td></tr>\n",
		e.Kind, e.At.Microseconds(), kind.label, esc(module), esc(details))
}

func field(f []string, i int) string {
	if i < len(f) {
		return f[i]
	}
	return ""
}
