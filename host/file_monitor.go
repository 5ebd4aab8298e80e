package host

import (
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/iishost/iishost/internal/cabi"
)

// glFileChange is GL_FILE_CHANGE's bit.
const glFileChange = 0x00000080

// DefaultFileMonitorInterval is how often monitored directories are polled when Options
// leaves FileMonitorInterval 0.
const DefaultFileMonitorInterval = time.Second

// fileState is what a poll remembers of one directory entry.
type fileState struct {
	mod  time.Time
	size int64
	dir  bool
}

// filePoller polls the directories modules monitor (RegisterFileChangeMonitor) with the
// standard library alone: each poll lists every directory and compares names, sizes and
// modification times with the poll before. The first poll of a directory only takes its
// picture, so a change becomes an event from the poll after it; a change that keeps size and
// modification time (within the file system's time resolution) goes unseen.
type filePoller struct {
	stop  chan struct{}
	done  sync.WaitGroup
	known map[uint64]map[string]fileState // by monitor id
}

// startFileMonitors starts the poller when some module subscribed to GL_FILE_CHANGE and the
// interval is not negative; 0 means DefaultFileMonitorInterval.
func (s *Server) startFileMonitors(interval time.Duration) {
	if interval < 0 {
		return
	}
	if interval == 0 {
		interval = DefaultFileMonitorInterval
	}
	subscribed := false
	for _, m := range s.modules {
		subscribed = subscribed || m.Registration.GlobalMask&glFileChange != 0
	}
	if !subscribed {
		return
	}
	p := &filePoller{stop: make(chan struct{}), known: map[uint64]map[string]fileState{}}
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				s.pollFileMonitors(p)
			}
		}
	}()
	s.files = p
}

func (s *Server) stopFileMonitors() {
	if s.files != nil {
		close(s.files.stop)
		s.files.done.Wait()
	}
}

// pollFileMonitors compares each monitored directory with its last picture and raises
// GL_FILE_CHANGE for every name that appeared, changed or went away, in name order.
func (s *Server) pollFileMonitors(p *filePoller) {
	var monitors []cabi.FileMonitor
	if open := s.raise(func() bool { monitors = s.host.FileMonitors(); return true }); !open {
		return // shut down
	}
	live := map[uint64]bool{}
	for _, m := range monitors {
		live[m.ID] = true
		now := scanDirectory(m.Path)
		before, seen := p.known[m.ID]
		p.known[m.ID] = now
		if !seen {
			continue
		}
		var changed []string
		for name, st := range now {
			if old, ok := before[name]; !ok || old != st {
				changed = append(changed, name)
			}
		}
		for name := range before {
			if _, ok := now[name]; !ok {
				changed = append(changed, name)
			}
		}
		sort.Strings(changed)
		for _, name := range changed {
			file := filepath.Join(m.Path, name)
			s.raise(func() bool { return s.host.FileMonitorChanged(m.ID, file) })
		}
	}
	for id := range p.known {
		if !live[id] {
			delete(p.known, id)
		}
	}
}

// scanDirectory pictures a directory's entries; an unreadable directory pictures as empty, so
// its files read as gone.
func scanDirectory(dir string) map[string]fileState {
	out := map[string]fileState{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return out
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			continue // removed between the listing and the stat: the next poll sees it gone
		}
		out[e.Name()] = fileState{mod: info.ModTime(), size: info.Size(), dir: e.IsDir()}
	}
	return out
}
