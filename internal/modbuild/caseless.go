package modbuild

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// caseless finds files as Windows does: any letter case, `\` or `/` between names. A name that
// matches exactly wins over one that matches only when case is folded. Folder listings are
// cached for one build.
type caseless struct {
	mu   sync.Mutex
	dirs map[string][]string
}

func newCaseless() *caseless { return &caseless{dirs: map[string][]string{}} }

func (c *caseless) list(dir string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if names, ok := c.dirs[dir]; ok {
		return names
	}
	entries, _ := os.ReadDir(dir)
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	sort.Strings(names)
	c.dirs[dir] = names
	return names
}

// path resolves rel (Windows or Linux spelling, relative to base unless absolute) to the path
// that exists, or "" when none does.
func (c *caseless) path(base, rel string) string {
	rel = strings.ReplaceAll(rel, `\`, "/")
	if isWindowsAbs(rel) {
		return ""
	}
	p := base
	if strings.HasPrefix(rel, "/") {
		p = "/"
	}
	for _, name := range strings.Split(rel, "/") {
		switch name {
		case "", ".":
			continue
		case "..":
			p = filepath.Dir(p) // lexical, as Windows resolves `..`
			continue
		}
		match := ""
		for _, n := range c.list(p) {
			if n == name {
				match = n
				break
			}
			if match == "" && strings.EqualFold(n, name) {
				match = n
			}
		}
		if match == "" {
			return ""
		}
		p = filepath.Join(p, match)
	}
	return p
}

// file resolves rel to a regular file (or a link to one).
func (c *caseless) file(base, rel string) string {
	p := c.path(base, rel)
	if info, err := os.Stat(p); p == "" || err != nil || !info.Mode().IsRegular() {
		return ""
	}
	return p
}

// dir resolves rel to a folder.
func (c *caseless) dir(base, rel string) string {
	p := c.path(base, rel)
	if info, err := os.Stat(p); p == "" || err != nil || !info.IsDir() {
		return ""
	}
	return p
}

// isWindowsAbs reports a drive-letter path such as C:/x, which names nothing here.
func isWindowsAbs(p string) bool {
	return len(p) >= 2 && p[1] == ':' && (p[0]|0x20) >= 'a' && (p[0]|0x20) <= 'z'
}
