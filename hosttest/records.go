package hosttest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
)

// Record is one log record of a host run by Run: its level, message and attributes (groups as
// nested maps; numbers as float64, as JSON decodes them).
type Record struct {
	Level string
	Msg   string
	Attrs map[string]any
}

// String writes the record as the host's text log would.
func (r Record) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "level=%s msg=%q", r.Level, r.Msg)
	for _, k := range slices.Sorted(maps.Keys(r.Attrs)) {
		fmt.Fprintf(&b, " %s=%v", k, r.Attrs[k])
	}
	return b.String()
}

// hostLog reads a host process's standard error: JSON records, any other line a module or the
// runtime wrote, and sync markers.
type hostLog struct {
	mu      sync.Mutex
	records []Record
	text    strings.Builder // every line, records in text form
	synced  map[string]chan struct{}
	done    chan struct{} // the stream ended
}

func newHostLog() *hostLog {
	return &hostLog{synced: map[string]chan struct{}{}, done: make(chan struct{})}
}

// read consumes r to its end.
func (l *hostLog) read(r io.Reader) {
	defer close(l.done)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20) // a module may log long lines; longer ones end the read
	for sc.Scan() {
		l.line(sc.Text())
	}
	if err := sc.Err(); err != nil {
		l.line(fmt.Sprintf("hosttest: reading the host's log: %v", err))
		io.Copy(io.Discard, r) // the host must not block on a full pipe
	}
}

func (l *hostLog) line(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n, ok := strings.CutPrefix(s, syncMarker); ok {
		if ch := l.synced[n]; ch != nil {
			close(ch)
			delete(l.synced, n)
		}
		return
	}
	if rec, ok := parseRecord(s); ok {
		l.records = append(l.records, rec)
		s = rec.String()
	}
	l.text.WriteString(s)
	l.text.WriteByte('\n')
}

// parseRecord reads one slog JSON record.
func parseRecord(s string) (Record, bool) {
	if !strings.HasPrefix(s, "{") {
		return Record{}, false
	}
	var fields map[string]any
	if json.Unmarshal([]byte(s), &fields) != nil {
		return Record{}, false
	}
	level, _ := fields["level"].(string)
	msg, ok := fields["msg"].(string)
	if !ok {
		return Record{}, false
	}
	delete(fields, "time")
	delete(fields, "level")
	delete(fields, "msg")
	return Record{Level: level, Msg: msg, Attrs: fields}, true
}

// expectSync registers the marker the host will echo for n.
func (l *hostLog) expectSync(n string) <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	ch := make(chan struct{})
	l.synced[n] = ch
	return ch
}

func (l *hostLog) snapshot() []Record {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Record(nil), l.records...)
}

func (l *hostLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.text.String()
}
