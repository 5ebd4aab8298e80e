package host

import (
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iishost/iishost/internal/cabi"
)

// FailedRequestTrace is a failed request whose trace was written (Server.RecentTraces).
type FailedRequestTrace struct {
	Time              time.Time // when the request began
	Site              string
	SiteID            uint32
	URL               string // as the client sent it
	Verb              string
	Status, SubStatus int
	TimeTaken         time.Duration
	// Reason is what made the request a failure: STATUS_CODE, TIME_TAKEN or VERBOSITY.
	Reason string
	// Path is the trace file: <directory>/W3SVC<site id>/frNNNNNN.html.
	Path string
}

// Limits of failed-request tracing's own.
const (
	// maxTraceRecordBytes caps what one request records in memory when maxLogFileSizeKB does
	// not cap it lower (or is 0: no cap on the file).
	maxTraceRecordBytes = 16 << 20
	// traceQueueLength is how many failed requests may wait for the writer; more are dropped.
	traceQueueLength = 64
	// recentTraceCount is how many written traces RecentTraces lists.
	recentTraceCount = 100
)

// siteTracing is a site's failed-request tracing while serving; nil when the site's
// traceFailedRequestsLogging is off or no rule applies anywhere in it.
type siteTracing struct {
	site    *Site
	logging traceLogging
	rules   *scopedSection[traceRules]
	log     *traceLog
	dir     string // <directory>/W3SVC<id>
	next    int    // the next file's number, once the folder was read (writer goroutine only)
}

func newSiteTracing(c *Config, site *Site, log *traceLog) (*siteTracing, error) {
	logging, err := siteTraceLogging(c, site.Name)
	if err != nil || !logging.enabled {
		return nil, err
	}
	rules, err := newTraceRules(c, site.Name)
	if err != nil {
		return nil, err
	}
	any := len(rules.root) > 0
	for _, s := range rules.scopes {
		any = any || len(s.value) > 0
	}
	if !any {
		return nil, nil
	}
	dir := filepath.Join(logging.directory, "W3SVC"+strconv.FormatUint(uint64(site.ID), 10))
	return &siteTracing{site: site, logging: logging, rules: rules, log: log, dir: dir}, nil
}

// begin has the request recorded when a rule covers its URL.
func (t *siteTracing) begin(route *cabi.Route, r *http.Request) {
	rule := t.rules.forPath(r.URL.Path).forURL(r.URL.Path)
	if rule == nil {
		return
	}
	capBytes := int64(maxTraceRecordBytes)
	if t.logging.maxFileSize > 0 {
		capBytes = min(capBytes, t.logging.maxFileSize)
	}
	route.Trace = &tracedRequest{site: t, rule: rule, start: time.Now(), url: r.RequestURI, verb: r.Method}
	route.TraceCap = uint32(capBytes)
}

// tracedRequest is one request being recorded.
type tracedRequest struct {
	site      *siteTracing
	rule      *traceRule
	start     time.Time
	url, verb string
	file      *traceFile // set when its trace is queued
}

// traceFile is where a queued trace was written, once it was (the status page's link).
type traceFile struct{ path atomic.Pointer[string] }

// RequestTraced judges the request by the rule's failure definitions once its response is
// sent, and queues a failure's trace for the writer.
func (q *tracedRequest) RequestTraced(rec *cabi.RequestTrace) {
	taken := time.Since(q.start)
	reason := q.rule.failure(rec, taken)
	if reason == "" {
		return
	}
	rec.Keep()
	q.file = &traceFile{}
	q.site.log.enqueue(traceJob{site: q.site, rule: q.rule, rec: rec, file: q.file, info: FailedRequestTrace{
		Time: q.start, Site: q.site.site.Name, SiteID: q.site.site.ID, URL: q.url, Verb: q.verb,
		Status: rec.Status, SubStatus: rec.SubStatus, TimeTaken: taken, Reason: reason,
	}})
}

// failure names the first failure definition the request meets, "" for none.
func (r *traceRule) failure(rec *cabi.RequestTrace, taken time.Duration) string {
	switch {
	case matchStatus(r.statusCodes, rec.Status, rec.SubStatus):
		return "STATUS_CODE"
	case r.timeTaken > 0 && taken > r.timeTaken:
		return "TIME_TAKEN"
	case r.failVerbosity > 0 && rec.WorstVerbosity > 0 && rec.WorstVerbosity <= r.failVerbosity:
		return "VERBOSITY"
	}
	return ""
}

type traceJob struct {
	site *siteTracing
	rule *traceRule
	rec  *cabi.RequestTrace
	info FailedRequestTrace
	file *traceFile
}

// traceLog writes failed requests' traces on a goroutine of its own, so that a request never
// waits for the disk, and remembers the recent ones.
type traceLog struct {
	logger *slog.Logger

	mu             sync.Mutex
	written        *sync.Cond // signalled as jobs are done
	queue          chan traceJob
	closed         bool
	queued, done   uint64
	dropped        uint64
	recent         []FailedRequestTrace // oldest first
	writerFinished chan struct{}
}

func newTraceLog(logger *slog.Logger) *traceLog {
	l := &traceLog{logger: logger}
	l.written = sync.NewCond(&l.mu)
	return l
}

func (l *traceLog) enqueue(job traceJob) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	if l.queue == nil {
		l.queue = make(chan traceJob, traceQueueLength)
		l.writerFinished = make(chan struct{})
		go l.writer()
	}
	select {
	case l.queue <- job:
		l.queued++
	default:
		if l.dropped++; l.dropped == 1 || l.dropped%100 == 0 {
			l.logger.Warn("failed-request trace dropped: the writer is behind", "site", job.info.Site, "url", job.info.URL,
				"dropped", l.dropped)
		}
	}
}

func (l *traceLog) writer() {
	defer close(l.writerFinished)
	for job := range l.queue {
		path, err := job.site.write(job)
		l.mu.Lock()
		if err != nil {
			l.logger.Error("failed-request trace not written", "site", job.info.Site, "url", job.info.URL, "error", err)
		} else {
			job.info.Path = path
			job.file.path.Store(&path)
			l.recent = append(l.recent, job.info)
			if len(l.recent) > recentTraceCount {
				l.recent = slices.Delete(l.recent, 0, len(l.recent)-recentTraceCount)
			}
		}
		l.done++
		l.written.Broadcast()
		l.mu.Unlock()
	}
}

// forget drops the recent entries of trace files rotation removed.
func (l *traceLog) forget(removed map[string]bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recent = slices.DeleteFunc(l.recent, func(t FailedRequestTrace) bool { return removed[t.Path] })
}

// list waits for the traces already queued to be written, then lists the recent ones, newest
// first.
func (l *traceLog) list() []FailedRequestTrace {
	l.mu.Lock()
	defer l.mu.Unlock()
	for target := l.queued; l.done < target; {
		l.written.Wait()
	}
	out := slices.Clone(l.recent)
	slices.Reverse(out)
	return out
}

// close lets the writer finish what is queued, then stops it.
func (l *traceLog) close() {
	l.mu.Lock()
	l.closed = true
	queue, finished := l.queue, l.writerFinished
	l.queue = nil
	l.mu.Unlock()
	if queue != nil {
		close(queue)
		<-finished
	}
}

// RecentTraces lists the most recent failed-request traces written (up to 100, newest first),
// once those of requests already answered are on disk. A trace that rotation removed is no
// longer listed.
func (s *Server) RecentTraces() []FailedRequestTrace { return s.traces.list() }

// traceFileName is IIS's name for a site's n-th trace, with the .html our traces are.
func traceFileName(n int) string { return fmt.Sprintf("fr%06d.html", n) }

// traceFileNumber reads a trace file's number; false for other names.
func traceFileNumber(name string) (int, bool) {
	digits, ok := strings.CutPrefix(name, "fr")
	if digits, ok = strings.CutSuffix(digits, ".html"); !ok || len(digits) < 6 {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	return n, err == nil && n >= 0
}

// traceFiles lists the numbers of the trace files in the site's folder, lowest first.
func (t *siteTracing) traceFiles() ([]int, error) {
	entries, err := os.ReadDir(t.dir)
	if err != nil {
		return nil, err
	}
	var out []int
	for _, e := range entries {
		if n, ok := traceFileNumber(e.Name()); ok && e.Type().IsRegular() {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out, nil
}

// write renders a job's trace into the site's next file, then removes the oldest files past
// maxLogFiles. Numbers go on from the highest file already there, so a restart overwrites none,
// and a file is only ever created anew, so that worker processes sharing the folder take turns
// rather than overwrite each other's.
func (t *siteTracing) write(job traceJob) (string, error) {
	if t.next == 0 {
		if err := os.MkdirAll(t.dir, 0o755); err != nil {
			return "", err
		}
		files, err := t.traceFiles()
		if err != nil {
			return "", err
		}
		t.next = 1
		if len(files) > 0 {
			t.next = files[len(files)-1] + 1
		}
	}
	page := renderTrace(job.info, job.rule, job.rec, t.logging.maxFileSize)
	path, err := t.create(page)
	if err != nil {
		return "", err
	}
	files, err := t.traceFiles()
	if err != nil {
		return path, nil // written; rotation tries again after the next one
	}
	removed := map[string]bool{}
	for len(files) > int(t.logging.maxLogFiles) {
		old := filepath.Join(t.dir, traceFileName(files[0]))
		if err := os.Remove(old); err != nil && !os.IsNotExist(err) { // another worker may have removed it
			t.log.logger.Error("old failed-request trace not removed", "path", old, "error", err)
			break
		}
		removed[old] = true
		files = files[1:]
	}
	if len(removed) > 0 {
		t.log.forget(removed)
	}
	return path, nil
}

// create writes page to the first free file number from t.next on.
func (t *siteTracing) create(page []byte) (string, error) {
	for tries := 0; ; tries++ {
		path := filepath.Join(t.dir, traceFileName(t.next))
		t.next++
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if os.IsExist(err) && tries < 1000 {
			continue
		}
		if err != nil {
			return "", err
		}
		_, err = f.Write(page)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return path, err
	}
}
