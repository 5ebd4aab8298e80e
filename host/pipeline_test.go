package host_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// traceStages are the 12 deterministic request stages in pipeline order, as trace.cpp names its
// events (the CHttpModule method name without "On").
var traceStages = []string{
	"BeginRequest", "AuthenticateRequest", "AuthorizeRequest", "ResolveRequestCache",
	"MapRequestHandler", "AcquireRequestState", "PreExecuteRequestHandler", "ExecuteRequestHandler",
	"ReleaseRequestState", "UpdateRequestCache", "LogRequest", "EndRequest",
}

const notFoundBody = "404 Not Found\n"

// traceModules builds trace.cpp once and names one instance per label, in configuration order.
func traceModules(t *testing.T, labels ...string) []hosttest.Module {
	t.Helper()
	return hosttest.Instances(hosttest.Build(t, "testdata/modules/trace.cpp"), labels...)
}

// expectedTrace is the X-Trace of a request nothing interrupts: per stage, notifications in
// `order`, then post-notifications in `postOrder`; finally SendResponse in `sendOrder`.
func expectedTrace(order, postOrder, sendOrder []string) []string {
	var out []string
	for _, s := range traceStages {
		for _, l := range order {
			out = append(out, l+":"+s)
		}
		for _, l := range postOrder {
			out = append(out, l+":Post"+s)
		}
	}
	for _, l := range sendOrder {
		out = append(out, l+":SendResponse")
	}
	return out
}

// traceWithout drops the given entries from a trace.
func traceWithout(trace []string, drop ...string) []string {
	return slices.DeleteFunc(slices.Clone(trace), func(e string) bool { return slices.Contains(drop, e) })
}

// traceFrom keeps the trace from the first entry of stage `stage` on (its notifications, posts and
// everything later).
func traceFrom(trace []string, stage string) []string {
	i := slices.IndexFunc(trace, func(e string) bool { return strings.HasSuffix(e, ":"+stage) })
	if i < 0 {
		panic("no " + stage + " in trace")
	}
	return slices.Clone(trace[i:])
}

// traceUpTo keeps the trace up to and including entry.
func traceUpTo(trace []string, entry string) []string {
	i := slices.Index(trace, entry)
	if i < 0 {
		panic("no " + entry + " in trace")
	}
	return slices.Clone(trace[:i+1])
}

// headerItems returns a response header's comma-joined items, whether the host sent them as
// one joined line or as repeated lines.
func headerItems(h http.Header, name string) []string {
	var out []string
	for _, v := range h.Values(name) {
		for item := range strings.SplitSeq(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out
}

type traceResult struct {
	status int
	header http.Header
	body   string
	trace  []string
}

// traceGet sends one GET with the given request headers (each value sent as its own line).
func traceGet(t *testing.T, url string, headers map[string][]string) traceResult {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	for k, vs := range headers {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return traceResult{status: resp.StatusCode, header: resp.Header, body: string(body), trace: headerItems(resp.Header, "X-Trace")}
}

func TestPipelineFullOrderOneModule(t *testing.T) {
	srv := hosttest.Serve(t, traceModules(t, "a")...)
	r := traceGet(t, srv.URL+"/", nil)

	want := []string{
		"a:BeginRequest", "a:PostBeginRequest",
		"a:AuthenticateRequest", "a:PostAuthenticateRequest",
		"a:AuthorizeRequest", "a:PostAuthorizeRequest",
		"a:ResolveRequestCache", "a:PostResolveRequestCache",
		"a:MapRequestHandler", "a:PostMapRequestHandler",
		"a:AcquireRequestState", "a:PostAcquireRequestState",
		"a:PreExecuteRequestHandler", "a:PostPreExecuteRequestHandler",
		"a:ExecuteRequestHandler", "a:PostExecuteRequestHandler",
		"a:ReleaseRequestState", "a:PostReleaseRequestState",
		"a:UpdateRequestCache", "a:PostUpdateRequestCache",
		"a:LogRequest", "a:PostLogRequest",
		"a:EndRequest", "a:PostEndRequest",
		"a:SendResponse",
	}
	assert.Equal(t, want, r.trace)
	assert.Equal(t, want, expectedTrace([]string{"a"}, []string{"a"}, []string{"a"}), "helper agrees with the literal")
	// Nothing answered: the fallback found no file in the empty site root.
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Equal(t, notFoundBody, r.body)
}

func TestPipelineTwoModulesConfigurationOrder(t *testing.T) {
	srv := hosttest.Serve(t, traceModules(t, "b", "a")...)
	r := traceGet(t, srv.URL+"/", nil)
	assert.Equal(t, expectedTrace([]string{"b", "a"}, []string{"b", "a"}, []string{"a", "b"}), r.trace)
}

func TestPipelinePriority(t *testing.T) {
	// Deliberately scrambled configuration order; names without a token are MEDIUM.
	config := []string{"m1", "p-LOW", "a-FIRST", "m2", "x-LAST", "h-HIGH", "b-FIRST", "q-LOW", "i-HIGH", "m3-MEDIUM"}
	srv := hosttest.Serve(t, traceModules(t, config...)...)
	r := traceGet(t, srv.URL+"/", nil)

	// FIRST, HIGH, MEDIUM, LOW, LAST; ties in configuration order.
	byPriority := []string{"a-FIRST", "b-FIRST", "h-HIGH", "i-HIGH", "m1", "m2", "m3-MEDIUM", "p-LOW", "q-LOW", "x-LAST"}
	only := func(event string) []string {
		var out []string
		for _, e := range r.trace {
			if _, ev, _ := strings.Cut(e, ":"); ev == event {
				out = append(out, strings.TrimSuffix(e, ":"+event))
			}
		}
		return out
	}
	assert.Equal(t, byPriority, only("BeginRequest"))

	// Pre-send: priority inverted and configuration order walked backwards.
	send := slices.Clone(byPriority)
	slices.Reverse(send)
	assert.Equal(t, []string{"x-LAST", "q-LOW", "p-LOW", "m3-MEDIUM", "m2", "m1", "i-HIGH", "h-HIGH", "b-FIRST", "a-FIRST"}, send)
	assert.Equal(t, send, only("SendResponse"))

	// The fixture sets only request-notification priorities; post-notifications keep their own
	// (MEDIUM) table, so they run in configuration order.
	assert.Equal(t, config, only("PostBeginRequest"))

	assert.Equal(t, expectedTrace(byPriority, config, send), r.trace)
}

func TestPipelineFinishRequest(t *testing.T) {
	full := expectedTrace([]string{"a", "b"}, []string{"a", "b"}, []string{"b", "a"})
	tests := []struct {
		name  string
		at    string
		trace []string
		body  string
	}{
		{
			name: "BeginRequest of the first module",
			at:   "a:BeginRequest",
			// The rest of BEGIN (b and both posts) and every stage up to LOG are skipped.
			trace: append([]string{"a:BeginRequest"}, traceFrom(full, "LogRequest")...),
			body:  "",
		},
		{
			name: "post-notification",
			at:   "a:PostAuthorizeRequest",
			// b's post of that stage is skipped too.
			trace: append(traceUpTo(full, "a:PostAuthorizeRequest"), traceFrom(full, "LogRequest")...),
			body:  "",
		},
		{
			name:  "LogRequest: END still runs",
			at:    "a:LogRequest",
			trace: append(traceUpTo(full, "a:LogRequest"), traceFrom(full, "EndRequest")...),
			body:  notFoundBody, // the fallback had answered in ExecuteRequestHandler
		},
		{
			name:  "EndRequest of the last module",
			at:    "b:EndRequest",
			trace: append(traceUpTo(full, "b:EndRequest"), "b:SendResponse", "a:SendResponse"),
			body:  notFoundBody,
		},
	}
	srv := hosttest.Serve(t, traceModules(t, "a", "b")...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := traceGet(t, srv.URL+"/", map[string][]string{"X-Finish-At": {tt.at}})
			assert.Equal(t, 299, r.status)
			assert.Equal(t, tt.trace, r.trace)
			assert.Equal(t, tt.body, r.body)
		})
	}
}

func TestPipelineDisableNotifications(t *testing.T) {
	full := expectedTrace([]string{"a", "b"}, []string{"a", "b"}, []string{"b", "a"})
	tests := []struct {
		name    string
		disable string
		trace   []string
	}{
		{
			name:    "END and LOG from BeginRequest",
			disable: "a:BeginRequest=0xC00",
			// Only a's notifications go; its post-notifications and b's stay.
			trace: traceWithout(full, "a:LogRequest", "a:EndRequest"),
		},
		{
			name:    "post mask",
			disable: "a:BeginRequest=0/402",
			trace:   traceWithout(full, "a:PostAuthenticateRequest", "a:PostLogRequest"),
		},
		{
			name:    "own post of the running stage",
			disable: "b:BeginRequest=0/1",
			trace:   traceWithout(full, "b:PostBeginRequest"),
		},
		{
			name:    "SendResponse",
			disable: "a:ExecuteRequestHandler=20000000",
			trace:   traceWithout(full, "a:SendResponse"),
		},
		{
			name:    "an earlier stage has no effect",
			disable: "b:AuthorizeRequest=1/1",
			trace:   full,
		},
	}
	srv := hosttest.Serve(t, traceModules(t, "a", "b")...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := traceGet(t, srv.URL+"/", map[string][]string{"X-Disable-At": {tt.disable}})
			assert.Equal(t, tt.trace, r.trace)
			assert.Equal(t, http.StatusNotFound, r.status)
		})
	}
}

// lastReport renders what trace.cpp reports in X-Last-<label> for the events it sees.
func lastReport(events []string, pending func(i int) bool) []string {
	out := make([]string, len(events))
	for i, e := range events {
		v := "0"
		if pending(i) {
			v = "1"
		}
		out[i] = e + "=" + v
	}
	return out
}

func TestPipelineGetIsLastNotification(t *testing.T) {
	// Documented meaning: TRUE when more notifications are pending for this module in this
	// request. trace.cpp subscribes to every stage, every post and SendResponse.
	var events []string
	for _, s := range traceStages {
		events = append(events, s, "Post"+s)
	}
	events = append(events, "SendResponse")
	srv := hosttest.Serve(t, traceModules(t, "a")...)

	t.Run("all subscribed", func(t *testing.T) {
		r := traceGet(t, srv.URL+"/", map[string][]string{"X-Want-Last": {"1"}})
		got := headerItems(r.header, "X-Last-a")
		require.Len(t, got, 25)
		assert.Equal(t, "BeginRequest=1", got[0])
		assert.Equal(t, "PostEndRequest=1", got[23], "SendResponse is still pending")
		assert.Equal(t, "SendResponse=0", got[24])
		assert.Equal(t, lastReport(events, func(i int) bool { return i < 24 }), got)
	})

	t.Run("SendResponse disabled", func(t *testing.T) {
		// Reported before the disable takes effect, so BeginRequest still counts SendResponse.
		r := traceGet(t, srv.URL+"/", map[string][]string{
			"X-Want-Last":  {"1"},
			"X-Disable-At": {"a:BeginRequest=20000000"},
		})
		got := headerItems(r.header, "X-Last-a")
		assert.Equal(t, lastReport(events[:24], func(i int) bool { return i < 23 }), got)
	})

	t.Run("finished in LogRequest", func(t *testing.T) {
		// FINISH_REQUEST in LOG skips LOG's posts, but END runs whole: at EndRequest its own
		// post-notification is still pending.
		r := traceGet(t, srv.URL+"/", map[string][]string{
			"X-Want-Last":  {"1"},
			"X-Disable-At": {"a:BeginRequest=20000000"},
			"X-Finish-At":  {"a:LogRequest"},
		})
		want := lastReport(events[:20], func(int) bool { return true })
		want = append(want, "LogRequest=1", "EndRequest=1", "PostEndRequest=0")
		assert.Equal(t, want, headerItems(r.header, "X-Last-a"))
		assert.Equal(t, 299, r.status)
	})

	t.Run("only the end stage left", func(t *testing.T) {
		// Everything but END's post and SendResponse disabled from BeginRequest.
		r := traceGet(t, srv.URL+"/", map[string][]string{
			"X-Want-Last":  {"1"},
			"X-Disable-At": {"a:BeginRequest=20000FFF/7FF"},
		})
		got := headerItems(r.header, "X-Last-a")
		assert.Equal(t, []string{"BeginRequest=1", "PostEndRequest=0"}, got)
		assert.Equal(t, []string{"a:BeginRequest", "a:PostEndRequest"}, r.trace)
	})
}

func TestPipelineSetRequestHandled(t *testing.T) {
	full := expectedTrace([]string{"a", "b"}, []string{"a", "b"}, []string{"b", "a"})
	tests := []struct {
		at    string
		trace []string
		body  string
	}{
		// The later module's handler is skipped; every post-notification still runs.
		{"a:ExecuteRequestHandler", traceWithout(full, "b:ExecuteRequestHandler"), "handled by a"},
		{"b:ExecuteRequestHandler", full, "handled by b"},
	}
	dir := t.TempDir()
	// A file the fallback would serve if it ran.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "page.txt"), []byte("static"), 0o644))
	srv := hosttest.ServeWith(t, hosttest.Options{Root: dir}, traceModules(t, "a", "b")...)
	for _, tt := range tests {
		t.Run(tt.at, func(t *testing.T) {
			r := traceGet(t, srv.URL+"/page.txt", map[string][]string{"X-Handle-At": {tt.at}})
			assert.Equal(t, http.StatusOK, r.status)
			assert.Equal(t, "text/plain", r.header.Get("Content-Type"))
			assert.Equal(t, tt.body, r.body)
			assert.Equal(t, tt.trace, r.trace)
		})
	}
}

func TestPipelineFallback(t *testing.T) {
	dir := t.TempDir()
	content := []byte("static bytes\x00\xff\n")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "file.bin"), content, 0o644))
	srv := hosttest.ServeWith(t, hosttest.Options{Root: dir}, traceModules(t, "a")...)
	full := expectedTrace([]string{"a"}, []string{"a"}, []string{"a"})

	tests := []struct {
		path   string
		status int
		body   string
	}{
		{"/file.bin", http.StatusOK, string(content)},
		{"/missing.txt", http.StatusNotFound, notFoundBody},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := traceGet(t, srv.URL+tt.path, nil)
			assert.Equal(t, tt.status, r.status)
			assert.Equal(t, tt.body, r.body)
			assert.Equal(t, full, r.trace)
		})
	}
}

// exceptionLog is the log record text FailRequest writes through the text handler.
func exceptionLog(module, notification, what string) string {
	return fmt.Sprintf("level=ERROR msg=%q module=%s", "exception escaped "+notification+": "+what, module)
}

const internalError = "500 Internal Server Error\n"

func TestPipelineExceptionInTrace(t *testing.T) {
	full := expectedTrace([]string{"a", "b"}, []string{"a", "b"}, []string{"b", "a"})
	tests := []struct {
		at    string
		event string
		// The 500 replaces the headers set so far; only what runs afterwards is traced.
		trace []string
	}{
		{"a:BeginRequest", "BeginRequest", traceFrom(full, "LogRequest")},
		{"b:PostAuthorizeRequest", "PostAuthorizeRequest", traceFrom(full, "LogRequest")},
		{"a:ExecuteRequestHandler", "ExecuteRequestHandler", traceFrom(full, "LogRequest")},
		// RQ_RELEASE_REQUEST_STATE has GL_PRE_BEGIN_REQUEST's value; the stage names it.
		{"b:ReleaseRequestState", "ReleaseRequestState", traceFrom(full, "LogRequest")},
		{"a:LogRequest", "LogRequest", traceFrom(full, "EndRequest")},
		{"b:EndRequest", "EndRequest", []string{"b:SendResponse", "a:SendResponse"}},
		{"b:SendResponse", "SendResponse", nil},
	}
	srv := hosttest.Serve(t, traceModules(t, "a", "b")...)
	for _, tt := range tests {
		t.Run(tt.at, func(t *testing.T) {
			r := traceGet(t, srv.URL+"/", map[string][]string{"X-Throw-At": {tt.at}})
			assert.Equal(t, http.StatusInternalServerError, r.status)
			assert.Equal(t, internalError, r.body)
			assert.Equal(t, "text/plain", r.header.Get("Content-Type"))
			assert.Equal(t, tt.trace, r.trace)
			module, _, _ := strings.Cut(tt.at, ":")
			assert.Contains(t, srv.Log.String(), exceptionLog(module, tt.event, "trace: thrown at "+tt.at))

			// The server keeps serving.
			next := traceGet(t, srv.URL+"/", nil)
			assert.Equal(t, http.StatusNotFound, next.status)
			assert.Equal(t, full, next.trace)
		})
	}
}

func TestPipelineExceptionThrowingModule(t *testing.T) {
	so := hosttest.Build(t, "testdata/modules/throwing.cpp")
	srv := hosttest.Serve(t, append([]hosttest.Module{{Name: "thrower", Image: so}}, traceModules(t, "t")...)...)
	afterLog := []string{"t:LogRequest", "t:PostLogRequest", "t:EndRequest", "t:PostEndRequest", "t:SendResponse"}

	tests := []struct {
		path   string
		status int
		body   string
		log    string
	}{
		{"/throw", http.StatusInternalServerError, internalError, exceptionLog("thrower", "BeginRequest", "boom")},
		{"/throw-int", http.StatusInternalServerError, internalError, exceptionLog("thrower", "BeginRequest", "a non-standard exception")},
		{"/throw-com", http.StatusInternalServerError, internalError, exceptionLog("thrower", "BeginRequest", "_com_error 0x80070005: Access denied (E_ACCESSDENIED)")},
		// FINISH_REQUEST from the first module: t never sees BeginRequest.
		{"/ok", http.StatusOK, "ok", ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := traceGet(t, srv.URL+tt.path, nil)
			assert.Equal(t, tt.status, r.status)
			assert.Equal(t, tt.body, r.body)
			assert.Equal(t, "text/plain", r.header.Get("Content-Type"))
			assert.Equal(t, afterLog, r.trace)
			if tt.log != "" {
				assert.Contains(t, srv.Log.String(), tt.log)
			}
			next := traceGet(t, srv.URL+"/next", nil)
			assert.Equal(t, http.StatusOK, next.status)
			assert.Equal(t, "ok", next.body)
		})
	}
}

func TestPipelineExceptionHammer(t *testing.T) {
	so := hosttest.Build(t, "testdata/modules/throwing.cpp")
	srv := hosttest.Serve(t, append([]hosttest.Module{{Name: "thrower", Image: so}}, traceModules(t, "t")...)...)
	afterLog := []string{"t:LogRequest", "t:PostLogRequest", "t:EndRequest", "t:PostEndRequest", "t:SendResponse"}

	const requests, workers = 200, 8
	paths := []string{"/throw", "/a", "/throw-int", "/b"}
	jobs := make(chan int)
	errs := make(chan error, requests)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				errs <- hammerOnce(srv.URL+paths[i%len(paths)]+fmt.Sprintf("?i=%d", i), afterLog)
			}
		})
	}
	for i := range requests {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
}

// hammerOnce checks one request from a worker goroutine (no t.FailNow off the test goroutine).
func hammerOnce(url string, afterLog []string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	wantStatus, wantBody := http.StatusOK, "ok"
	if strings.Contains(url, "/throw") {
		wantStatus, wantBody = http.StatusInternalServerError, internalError
	}
	trace := headerItems(resp.Header, "X-Trace")
	if resp.StatusCode != wantStatus || string(body) != wantBody || !slices.Equal(trace, afterLog) {
		return fmt.Errorf("%s: got %d %q trace %q, want %d %q trace %q", url, resp.StatusCode, body, trace, wantStatus, wantBody, afterLog)
	}
	return nil
}

// TestPipelineGetNextNotification: a module may handle its own next notifications in place
// when no other module runs in between; the pipeline then goes on after them and never calls
// them again. With another module in between, the call is refused.
func TestPipelineGetNextNotification(t *testing.T) {
	image := hosttest.Build(t, "testdata/modules/nextnotify.cpp")
	get := func(t *testing.T, srv *hosttest.Server, query string) http.Header {
		resp, err := http.Get(srv.URL + "/next?" + query)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		assert.Equal(t, "ok", string(body))
		return resp.Header
	}
	t.Run("alone", func(t *testing.T) {
		srv := hosttest.Serve(t, hosttest.Instances(image, "A")...)
		h := get(t, srv, "merge=A&answer=A")
		assert.Equal(t, "begin,next:0x1:1,next:0x2:0,post-auth,exec", h.Get("X-Calls-A"))
		h = get(t, srv, "answer=A")
		assert.Equal(t, "begin,post-begin,auth,post-auth,exec", h.Get("X-Calls-A"), "without merging")
	})
	t.Run("another module in between", func(t *testing.T) {
		srv := hosttest.Serve(t, hosttest.Instances(image, "A", "B")...)
		h := get(t, srv, "merge=A&answer=B")
		assert.Equal(t, "begin,refused,post-begin,auth,post-auth,exec", h.Get("X-Calls-A"))
		assert.Equal(t, "begin,post-begin,auth,post-auth,exec", h.Get("X-Calls-B"))
		// B is last in RQ_BEGIN_REQUEST, but A comes first in its post-notification.
		h = get(t, srv, "merge=B&answer=B")
		assert.Equal(t, "begin,post-begin,auth,post-auth,exec", h.Get("X-Calls-A"))
		assert.Equal(t, "begin,refused,post-begin,auth,post-auth,exec", h.Get("X-Calls-B"))
	})
}

// TestPipelinePostPriority: SetPriorityForPostRequestNotification orders post-notifications as
// the request-notification priorities order notifications.
func TestPipelinePostPriority(t *testing.T) {
	config := []string{"m1", "z-LAST+post", "a-FIRST+post", "m2"}
	srv := hosttest.Serve(t, traceModules(t, config...)...)
	r := traceGet(t, srv.URL+"/", nil)
	var post []string
	for _, e := range r.trace {
		if label, ev, _ := strings.Cut(e, ":"); ev == "PostBeginRequest" {
			post = append(post, label)
		}
	}
	assert.Equal(t, []string{"a-FIRST+post", "m1", "m2", "z-LAST+post"}, post)
}
