package host

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/iishost/iishost/internal/cabi"
)

// Access log buffering: entries wait in memory for the writer, which runs every
// accessLogFlushEvery, and sooner once accessLogFlushAt bytes wait. Past accessLogMaxPending
// bytes (a disk that cannot keep up) entries are dropped and counted, so that no request
// waits on the disk and memory stays bounded.
const (
	accessLogFlushEvery  = time.Second
	accessLogFlushAt     = 64 << 10
	accessLogMaxPending  = 4 << 20
	accessLogErrorsEvery = time.Minute // at most one record of write errors per site this often
)

// accessLog writes one site's W3C extended log (LogFile) under Directory/W3SVC<site id>.
// Requests format their entry into a pending buffer (record); the writer goroutine (run)
// appends it to the file the entry's time falls in, writing the header directives whenever it
// opens a file.
type accessLog struct {
	cfg          LogFile
	dir          string // Directory/W3SVC<id>
	serviceName  string // W3SVC<id>, the s-sitename field
	computerName string
	fieldsLine   string
	loc          *time.Location // where periods start: UTC, or local with localTimeRollover
	logger       *slog.Logger

	mu      sync.Mutex
	now     func() time.Time // the clock entries are stamped with; tests replace it
	window  logWindow        // the file the latest entries go to (not MaxSize)
	pending []logBatch       // oldest first
	spare   [][]byte         // written batches' buffers, for new batches to reuse
	size    int              // bytes pending
	dropped int              // entries dropped since the last write
	closed  bool
	started bool
	kick    chan struct{} // asks the writer to write now
	stop    chan struct{}
	done    chan struct{}

	// The writer's own.
	file       *os.File
	fileName   string
	fileSize   int64
	headerSize int64 // of the directives open wrote
	seq        int   // MaxSize: the current u_extend<seq>.log
	lost       int   // entries lost to write errors or drops, not yet reported
	lastError  time.Time
}

// logBatch is entries bound for one file ("" for MaxSize, which picks its file as it writes).
type logBatch struct {
	name  string
	first time.Time // its first entry's, which dates a file it opens
	data  []byte
}

func newAccessLog(site *Site, computerName string, logger *slog.Logger) *accessLog {
	service := "W3SVC" + strconv.FormatUint(uint64(site.ID), 10)
	a := &accessLog{cfg: site.LogFile, dir: filepath.Join(site.LogFile.Directory, service), serviceName: service,
		computerName: computerName, fieldsLine: fieldsLine(site.LogFile.Fields), loc: time.UTC, logger: logger,
		now: time.Now, kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	if site.LogFile.LocalTimeRollover {
		a.loc = time.Local
	}
	return a
}

// record adds a request's entry; it never touches the disk.
func (a *accessLog) record(c *cabi.Completed) {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return
	}
	at := a.now()
	name := ""
	if a.cfg.Period != LogMaxSize {
		if at.Before(a.window.start) || !at.Before(a.window.end) {
			a.window = logWindowAt(at, a.cfg.Period, a.loc)
		}
		name = a.window.name
	}
	if n := len(a.pending); n == 0 || a.pending[n-1].name != name {
		var data []byte
		if n := len(a.spare); n > 0 {
			data, a.spare = a.spare[n-1][:0], a.spare[:n-1]
		}
		a.pending = append(a.pending, logBatch{name: name, first: at, data: data})
	}
	batch := &a.pending[len(a.pending)-1]
	before := len(batch.data)
	batch.data = a.appendEntry(batch.data, at, c)
	a.size += len(batch.data) - before
	if a.size > accessLogMaxPending {
		a.size -= len(batch.data) - before
		batch.data = batch.data[:before]
		a.dropped++
	}
	full := a.size >= accessLogFlushAt
	a.mu.Unlock()
	if full {
		select {
		case a.kick <- struct{}{}:
		default:
		}
	}
}

// start runs the writer until close.
func (a *accessLog) start() {
	a.started = true
	go func() {
		defer close(a.done)
		t := time.NewTicker(accessLogFlushEvery)
		defer t.Stop()
		for {
			select {
			case <-t.C:
			case <-a.kick:
			case <-a.stop:
				a.flush(true)
				a.closeFile()
				return
			}
			a.flush(false)
		}
	}()
}

// close stops taking entries, writes those pending and closes the file.
func (a *accessLog) close() {
	a.mu.Lock()
	already := a.closed
	a.closed = true
	a.mu.Unlock()
	if !already && a.started {
		close(a.stop)
		<-a.done
	}
}

// flush writes the pending entries; the last one (final) reports losses whenever they were.
func (a *accessLog) flush(final bool) {
	a.mu.Lock()
	batches, dropped := a.pending, a.dropped
	a.pending, a.size, a.dropped = nil, 0, 0
	a.mu.Unlock()
	a.lost += dropped
	var failed error
	for _, b := range batches {
		if len(b.data) == 0 {
			continue // its one entry was dropped: no file for it
		}
		if err := a.write(b); err != nil {
			failed = err
			a.lost += countLines(b.data)
			a.closeFile() // try afresh next time
		}
	}
	a.report(failed, final)
	a.mu.Lock()
	for _, b := range batches {
		if len(a.spare) < 4 && cap(b.data) <= accessLogFlushAt*2 {
			a.spare = append(a.spare, b.data)
		}
	}
	if a.pending == nil {
		a.pending = batches[:0] // the list's backing array too
	}
	a.mu.Unlock()
}

// report logs lost entries and the last write error, at most once per accessLogErrorsEvery
// unless final.
func (a *accessLog) report(err error, final bool) {
	if a.lost == 0 || !final && time.Since(a.lastError) < accessLogErrorsEvery {
		return
	}
	attrs := []any{"site", a.serviceName, "directory", a.dir, "lost_entries", a.lost}
	if err != nil {
		attrs = append(attrs, "error", err)
	}
	a.logger.Error("access log entries lost", attrs...)
	a.lost, a.lastError = 0, time.Now()
}

func countLines(b []byte) int {
	n := 0
	for _, c := range b {
		if c == '\n' {
			n++
		}
	}
	return n
}

// write appends a batch to its file, moving to the next file first where the period (or, for
// MaxSize, the size) says so.
func (a *accessLog) write(b logBatch) error {
	if a.cfg.Period != LogMaxSize {
		if a.file == nil || a.fileName != b.name {
			if err := a.open(b.name, b.first); err != nil {
				return err
			}
		}
		return a.append(b.data)
	}
	data := b.data
	for len(data) > 0 {
		if a.file == nil {
			if a.seq == 0 {
				a.seq, _ = lastMaxSizeFile(a.dir)
			}
			if err := a.open(maxSizeName(a.seq), b.first); err != nil {
				return err
			}
		}
		room := a.cfg.TruncateSize - a.fileSize
		cut := len(data)
		if int64(cut) > room {
			cut = lastLineEnd(data, room)
			if cut == 0 && a.fileSize > a.headerSize {
				a.closeFile()
				a.seq++
				continue
			}
			if cut == 0 {
				cut = lineEnd(data) // one line longer than the file may be: it goes whole
			}
		}
		if err := a.append(data[:cut]); err != nil {
			return err
		}
		data = data[cut:]
	}
	return nil
}

// lastLineEnd is the length of data's longest prefix of whole lines within limit bytes.
func lastLineEnd(data []byte, limit int64) int {
	end := 0
	for i := 0; i < len(data) && int64(i) < limit; i++ {
		if data[i] == '\n' {
			end = i + 1
		}
	}
	return end
}

func lineEnd(data []byte) int {
	for i, c := range data {
		if c == '\n' {
			return i + 1
		}
	}
	return len(data)
}

// open opens (or creates) a log file for appending and writes the header directives, dated
// at, as IIS does each time it starts writing a file.
func (a *accessLog) open(name string, at time.Time) error {
	a.closeFile()
	if err := os.MkdirAll(a.dir, 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(a.dir, name), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	a.file, a.fileName, a.fileSize = f, name, info.Size()
	header := fmt.Appendf(nil, "#Software: iishost\r\n#Version: 1.0\r\n#Date: %s\r\n%s\r\n", at.UTC().Format("2006-01-02 15:04:05"), a.fieldsLine)
	a.headerSize = int64(len(header))
	return a.append(header)
}

func (a *accessLog) append(data []byte) error {
	n, err := a.file.Write(data)
	a.fileSize += int64(n)
	return err
}

func (a *accessLog) closeFile() {
	if a.file != nil {
		a.file.Close()
		a.file = nil
	}
}

// startAccessLogs starts the writers of the sites that log and has the host report each
// request that ends; with none, requests pay nothing.
func (s *Server) startAccessLogs() {
	logging := false
	for _, site := range s.sites {
		if site.access != nil {
			site.access.start()
			logging = true
		}
	}
	if logging {
		s.host.OnComplete = s.logRequest
	}
}

func (s *Server) logRequest(c *cabi.Completed) {
	if c.Site >= 0 && c.Site < len(s.sites) {
		if a := s.sites[c.Site].access; a != nil {
			a.record(c)
		}
	}
}

// closeAccessLogs writes what is pending and closes the files; entries of requests still
// running are dropped.
func (s *Server) closeAccessLogs() {
	for _, site := range s.sites {
		if site.access != nil {
			site.access.close()
		}
	}
}

// computerName is the s-computername field: the host name, "-" when unknown.
func computerName() string {
	name, err := os.Hostname()
	if err != nil {
		return ""
	}
	return name
}
