package host

import (
	"strconv"

	"github.com/iishost/iishost/internal/cabi"
	"github.com/prometheus/client_golang/prometheus"
)

// The server's Prometheus metrics. Each is read from the host's own counters when scraped;
// serving a request touches no Prometheus object. No label carries a URL: every label's values
// come from the configuration (sites, modules) or a bounded set (status codes below 600,
// notification names, counter indices).
var (
	requestsDesc = prometheus.NewDesc("iishost_requests_total",
		"Requests served, by site and the status they ended with (0: the client left before any response).",
		[]string{"site", "status"}, nil)
	durationDesc = prometheus.NewDesc("iishost_request_duration_seconds",
		"Time from a request's arrival to its end, by site.", []string{"site"}, nil)
	inFlightDesc = prometheus.NewDesc("iishost_requests_in_flight", "Requests being served now.", nil, nil)
	pendingDesc  = prometheus.NewDesc("iishost_requests_pending",
		"Requests parked after a module returned RQ_NOTIFICATION_PENDING, waiting for its completion.", nil, nil)
	sentDesc     = prometheus.NewDesc("iishost_sent_bytes_total", "Response body bytes written to clients.", nil, nil)
	receivedDesc = prometheus.NewDesc("iishost_received_bytes_total", "Request body bytes modules read from clients.", nil, nil)
	refusedDesc  = prometheus.NewDesc("iishost_refused_requests_total",
		"Requests refused before any module: by the front door (HTTP.sys's rules), for an unknown host name, or by a site's limits.", nil, nil)
	abandonDesc = prometheus.NewDesc("iishost_abandoned_requests",
		"Requests held after their client left while their module never completed.", nil, nil)
	callsDesc = prometheus.NewDesc("iishost_module_notification_calls_total",
		"Calls of a module's notification methods.", []string{"module", "notification"}, nil)
	callSecondsDesc = prometheus.NewDesc("iishost_module_notification_seconds_total",
		"Time spent in a module's notification methods, including notifications raised inside them.",
		[]string{"module", "notification"}, nil)
	perfDesc = prometheus.NewDesc("iishost_module_perf_counter",
		"Counters modules keep through IHttpPerfCounterInfo, by scope (server or a site's name) and index; zero ones are left out.",
		[]string{"scope", "index"}, nil)
)

// Collector returns the server's metrics as a prometheus.Collector, to register where the
// embedder serves metrics.
func (s *Server) Collector() prometheus.Collector { return serverCollector{s} }

type serverCollector struct{ s *Server }

func (c serverCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{requestsDesc, durationDesc, inFlightDesc, pendingDesc, sentDesc,
		receivedDesc, refusedDesc, abandonDesc, callsDesc, callSecondsDesc, perfDesc} {
		ch <- d
	}
}

func (c serverCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.s
	names, outcomes := s.siteOutcomes()
	for i, o := range outcomes {
		collectSite(ch, names[i], &o)
	}
	counters := s.Counters()
	_, _, parked := s.host.InFlight(0)
	ch <- prometheus.MustNewConstMetric(inFlightDesc, prometheus.GaugeValue, float64(counters.CurrentRequests))
	ch <- prometheus.MustNewConstMetric(pendingDesc, prometheus.GaugeValue, float64(parked))
	ch <- prometheus.MustNewConstMetric(sentDesc, prometheus.CounterValue, float64(counters.BytesSent))
	ch <- prometheus.MustNewConstMetric(receivedDesc, prometheus.CounterValue, float64(counters.BytesReceived))
	ch <- prometheus.MustNewConstMetric(refusedDesc, prometheus.CounterValue, float64(s.refused.Load()))
	ch <- prometheus.MustNewConstMetric(abandonDesc, prometheus.GaugeValue, float64(counters.AbandonedRequests))
	for _, m := range s.modules {
		for _, t := range s.host.CallTimes(m.Index) {
			ch <- prometheus.MustNewConstMetric(callsDesc, prometheus.CounterValue, float64(t.Calls), m.Name, t.Notification)
			ch <- prometheus.MustNewConstMetric(callSecondsDesc, prometheus.CounterValue, t.Time.Seconds(), m.Name, t.Notification)
		}
	}
	collectPerf(ch, "server", &counters.Server)
	for i := range counters.Sites {
		collectPerf(ch, s.siteName(i), &counters.Sites[i])
	}
}

// collectSite sends a site's requests by status and its latency histogram; statuses no
// request ended with are left out.
func collectSite(ch chan<- prometheus.Metric, site string, o *cabi.SiteStats) {
	total := uint64(0)
	for code, n := range o.Statuses {
		if n > 0 {
			ch <- prometheus.MustNewConstMetric(requestsDesc, prometheus.CounterValue, float64(n), site, strconv.Itoa(code))
		}
	}
	buckets := make(map[float64]uint64, len(cabi.LatencyBuckets))
	for i, bound := range cabi.LatencyBuckets {
		total += uint64(o.Latency[i])
		buckets[bound] = total // cumulative, as Prometheus wants
	}
	total += uint64(o.Latency[len(cabi.LatencyBuckets)])
	ch <- prometheus.MustNewConstHistogram(durationDesc, total, o.LatencySum.Seconds(), buckets, site)
}

func collectPerf(ch chan<- prometheus.Metric, scope string, values *[cabi.PerfCounterCount]int64) {
	for i, v := range values {
		if v != 0 {
			ch <- prometheus.MustNewConstMetric(perfDesc, prometheus.GaugeValue, float64(v), scope, strconv.Itoa(i))
		}
	}
}
