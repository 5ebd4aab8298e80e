package host_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/host"
	"github.com/iishost/iishost/hosttest"
)

var helloBody = []byte("Hello, world!")

// plainHello is the baseline: a Go handler writing the bytes the hello module writes.
func plainHello(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	w.Write(helloBody)
}

// discard is a ResponseWriter that keeps nothing, so the benchmarks measure the handlers.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

func benchHandler(b *testing.B, h http.Handler) { benchHandlerURL(b, h, "/hello") }

func benchHandlerURL(b *testing.B, h http.Handler, url string) {
	b.SetParallelism(4)
	r := httptest.NewRequest(http.MethodGet, url, nil)
	r.Header.Set("User-Agent", "bench")
	r.Header.Set("Accept", "*/*")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		w := &discard{h: http.Header{}}
		for pb.Next() {
			clear(w.h)
			h.ServeHTTP(w, r)
		}
	})
}

// startHello is a host serving the hello sample, closed when the test or benchmark ends.
func startHello(b testing.TB) http.Handler {
	srv, _, err := hosttest.Start(b, hosttest.Options{}, hosttest.Module{Name: "Hello", Image: hosttest.Build(b, "samples/hello/hello.cpp")})
	require.NoError(b, err)
	b.Cleanup(func() { srv.Close() })
	return srv
}

// BenchmarkHandlerPlain and BenchmarkHandlerHelloModule compare the per-request cost of the
// handlers alone; go run ./scripts/benchcpu measures whole servers.
func BenchmarkHandlerPlain(b *testing.B) { benchHandler(b, http.HandlerFunc(plainHello)) }

func BenchmarkHandlerHelloModule(b *testing.B) { benchHandler(b, startHello(b)) }

// BenchmarkHandlerHelloModuleAccessLog is the hello module with a W3C access log of IIS's
// default fields: the cost of an entry per request.
func BenchmarkHandlerHelloModuleAccessLog(b *testing.B) {
	doc := `<configuration><system.applicationHost><sites><site name="S" id="1">
<application path="/"><virtualDirectory path="/" physicalPath="."/></application>
<logFile directory="` + b.TempDir() + `"/></site></sites></system.applicationHost></configuration>`
	cfg, err := host.ParseConfig(strings.NewReader(doc), "")
	require.NoError(b, err)
	srv, _, err := hosttest.Start(b, hosttest.Options{Config: cfg}, hosttest.Module{Name: "Hello", Image: hosttest.Build(b, "samples/hello/hello.cpp")})
	require.NoError(b, err)
	b.Cleanup(func() { srv.Close() })
	benchHandler(b, srv)
}

func benchLoopback(b *testing.B, h http.Handler) {
	ts := httptest.NewServer(h)
	defer ts.Close()
	client := ts.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Get(ts.URL + "/hello")
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}

// BenchmarkLoopbackPlain and BenchmarkLoopbackHelloModule serve over real HTTP on loopback.
func BenchmarkLoopbackPlain(b *testing.B) { benchLoopback(b, http.HandlerFunc(plainHello)) }

func BenchmarkLoopbackHelloModule(b *testing.B) { benchLoopback(b, startHello(b)) }

// BenchmarkHandlerAsyncPool is a module completing every request from one worker thread of its
// own (RQ_NOTIFICATION_PENDING, then PostCompletion): the host's async path against
// BenchmarkHandlerHelloModule.
func BenchmarkHandlerAsyncPool(b *testing.B) {
	srv, _, err := hosttest.Start(b, hosttest.Options{}, hosttest.Module{Name: "Async", Image: hosttest.Build(b, "testdata/modules/async.cpp")})
	require.NoError(b, err)
	b.Cleanup(func() { srv.Close() })
	benchHandlerURL(b, srv, "/async?mode=pool")
}

// The hello request allocates nothing in the host's Go code: the slot, its encoding buffer and
// the response's one header value are all reused (net/http's own allocations are outside
// this handler).
func TestHelloHandlerAllocatesNothing(t *testing.T) {
	h := startHello(t)
	r := httptest.NewRequest(http.MethodGet, "/hello", nil)
	w := &discard{h: http.Header{}}
	h.ServeHTTP(w, r) // the first request makes the slot
	require.Equal(t, "text/plain", w.h.Get("Content-Type"))
	assert.Zero(t, testing.AllocsPerRun(200, func() {
		clear(w.h)
		h.ServeHTTP(w, r)
	}))
}
