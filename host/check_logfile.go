package host

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// logDirectories warns about each site whose access log could not be written: the first
// folder of its W3SVC<id> path that exists must be a directory the process may write, or the
// host would lose every entry (and say so only once it serves).
func (c *checker) logDirectories() {
	for i := range c.cfg.Sites {
		site := &c.cfg.Sites[i]
		if !site.LogFile.Enabled {
			continue
		}
		dir := filepath.Join(c.resolve(site.LogFile.Directory), fmt.Sprintf("W3SVC%d", site.ID))
		if problem := creatableDirectory(dir); problem != "" {
			c.problems = append(c.problems, Problem{Severity: SeverityWarning, File: c.cfg.Source, Line: site.at.line, Col: site.at.col,
				Message: fmt.Sprintf("site %q: access log directory %s: %s; its entries would be lost", site.Name, dir, problem)})
		}
	}
}

// creatableDirectory says why dir could not be created or written to, "" when it could.
func creatableDirectory(dir string) string {
	for path := dir; ; path = filepath.Dir(path) {
		info, err := os.Stat(path)
		switch {
		case (errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)) && filepath.Dir(path) != path:
			continue // below a file, the walk up names the file
		case err != nil:
			return unwrapPathError(err).Error()
		case !info.IsDir():
			return path + " is not a directory"
		}
		if err := writableDirectory(path); err != nil {
			return path + ": " + err.Error()
		}
		return ""
	}
}
