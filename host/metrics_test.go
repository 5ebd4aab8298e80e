package host_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// gather collects the server's metrics through a registry, as a scrape would, by family name.
func gather(t *testing.T, c prometheus.Collector) map[string]*dto.MetricFamily {
	t.Helper()
	reg := prometheus.NewRegistry()
	require.NoError(t, reg.Register(c))
	families, err := reg.Gather()
	require.NoError(t, err)
	out := map[string]*dto.MetricFamily{}
	for _, f := range families {
		out[f.GetName()] = f
	}
	return out
}

func labels(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

// TestMetricsFloodOfURLs: requests to many distinct URLs are counted by site and status
// only: the number of series does not grow with the URLs, and every request is in the
// latency histogram.
func TestMetricsFloodOfURLs(t *testing.T) {
	srv := responseServer(t)
	const n = 300
	for i := range n {
		require.Equal(t, http.StatusNotFound, getStatus(t, fmt.Sprintf("%s/flood/%d?q=%d", srv.URL, i, i)))
	}
	for range 5 {
		require.Equal(t, 418, getStatus(t, srv.URL+"/status?code=418"))
	}
	families := gather(t, srv.Host.Collector())

	requests := families["iishost_requests_total"]
	require.NotNil(t, requests)
	byStatus := map[string]float64{}
	for _, m := range requests.GetMetric() {
		l := labels(m)
		assert.Equal(t, "Default Web Site", l["site"])
		byStatus[l["status"]] = m.GetCounter().GetValue()
	}
	assert.Equal(t, map[string]float64{"404": n, "418": 5}, byStatus)

	hist := families["iishost_request_duration_seconds"].GetMetric()
	require.Len(t, hist, 1)
	assert.Equal(t, uint64(n+5), hist[0].GetHistogram().GetSampleCount())
	buckets := hist[0].GetHistogram().GetBucket()
	require.NotEmpty(t, buckets)
	for i := 1; i < len(buckets); i++ {
		assert.GreaterOrEqual(t, buckets[i].GetCumulativeCount(), buckets[i-1].GetCumulativeCount(), "cumulative")
	}

	calls := map[string]float64{}
	for _, m := range families["iishost_module_notification_calls_total"].GetMetric() {
		l := labels(m)
		assert.Equal(t, "Response", l["module"])
		calls[l["notification"]] = m.GetCounter().GetValue()
	}
	assert.Equal(t, map[string]float64{"BeginRequest": n + 5, "ExecuteRequestHandler": n + 5}, calls)

	series := 0
	for name, f := range families {
		series += len(f.GetMetric())
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				assert.NotContains(t, l.GetValue(), "/flood/", name)
			}
		}
	}
	assert.Less(t, series, 20, "series must not grow with URLs")
	assert.Positive(t, families["iishost_sent_bytes_total"].GetMetric()[0].GetCounter().GetValue())
}

// TestMetricsPending: a parked request shows in the pending and in-flight gauges until its
// completion.
func TestMetricsPending(t *testing.T) {
	srv := asyncServer(t)
	gauge := func(name string) float64 {
		return gather(t, srv.Host.Collector())[name].GetMetric()[0].GetGauge().GetValue()
	}
	done := make(chan int, 1)
	go func() { done <- getStatus(t, srv.URL+"/async?mode=hold") }()
	require.Eventually(t, func() bool { return gauge("iishost_requests_pending") == 1 }, 10*time.Second, 5*time.Millisecond)
	assert.Equal(t, 1.0, gauge("iishost_requests_in_flight"))
	getStatus(t, srv.URL+"/async?mode=release")
	assert.Equal(t, http.StatusOK, <-done)
	require.Eventually(t, func() bool { return gauge("iishost_requests_in_flight") == 0 }, 10*time.Second, 5*time.Millisecond)
	assert.Zero(t, gauge("iishost_requests_pending"))
}

// TestMetricsPerfCounters: the counters a module keeps through IHttpPerfCounterInfo are
// exported by scope and index; zero ones are left out.
func TestMetricsPerfCounters(t *testing.T) {
	srv := hosttest.Serve(t, hosttest.Module{Name: "Perf", Image: hosttest.Build(t, "testdata/modules/perf.cpp")})
	for _, p := range []string{"/perf?scope=server&op=inc&index=3&value=10", "/perf?scope=site&op=dec&index=0&value=2",
		"/perf?scope=site&op=inc&index=5&value=1", "/perf?scope=site&op=dec&index=5&value=1"} {
		require.Equal(t, http.StatusOK, getStatus(t, srv.URL+p))
	}
	got := map[string]float64{}
	for _, m := range gather(t, srv.Host.Collector())["iishost_module_perf_counter"].GetMetric() {
		l := labels(m)
		got[l["scope"]+"/"+l["index"]] = m.GetGauge().GetValue()
	}
	assert.Equal(t, map[string]float64{"server/3": 10, "Default Web Site/0": -2}, got)
}

// TestMetricsAndStatusUnderLoad reads metrics and status while requests run and park, for the
// race detector.
func TestMetricsAndStatusUnderLoad(t *testing.T) {
	srv := asyncServer(t, responseServerModules(t)...)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if w%2 == 0 {
					getStatus(t, fmt.Sprintf("%s/async?mode=post&i=%d", srv.URL, i))
				} else {
					getStatus(t, fmt.Sprintf("%s/status?code=5%02d", srv.URL, i%100))
				}
			}
		}()
	}
	for range 50 {
		st := srv.Host.Status()
		assert.LessOrEqual(t, len(st.InFlight), st.InFlightTotal)
		gather(t, srv.Host.Collector())
	}
	close(stop)
	wg.Wait()
	st := srv.Host.Status()
	assert.Zero(t, st.InFlightTotal)
	assert.NotEmpty(t, st.Failures)
}

// TestMetricsRefusals: a request the front door refuses before any module, sent raw as a
// client library would not, is counted as refused and not among the site's statuses.
func TestMetricsRefusals(t *testing.T) {
	srv := responseServer(t)
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, err = fmt.Fprintf(conn, "GET /%s HTTP/1.1\r\nHost: x\r\n\r\n", strings.Repeat("a", 300)) // a segment past HTTP.sys's 260
	require.NoError(t, err)
	line, err := bufio.NewReader(conn).ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "HTTP/1.1 400 Bad Request\r\n", line)
	families := gather(t, srv.Host.Collector())
	assert.Equal(t, 1.0, families["iishost_refused_requests_total"].GetMetric()[0].GetCounter().GetValue())
	assert.Nil(t, families["iishost_requests_total"], "no site status counted")
}
