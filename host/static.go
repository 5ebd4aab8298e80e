package host

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/iishost/iishost/internal/cabi"
	"github.com/iishost/iishost/internal/frontdoor"
)

// defaultDocuments are tried, in order, for a request naming a directory, as IIS's
// defaultDocument feature does out of the box.
var defaultDocuments = []string{"Default.htm", "Default.asp", "index.htm", "index.html", "iisstart.htm", "default.aspx"}

// StaticFiles serves files under Root the way IIS's static file handler does: GET and HEAD
// only, no directory listings, 404 for anything missing. A path is canonicalised as HTTP.sys
// does (so '\' is a separator and ".." cannot climb out), and a file reached through a
// symbolic link that leads out of Root is not found unless FollowSymlinksOutsideRoot is set.
// Under a Server it serves the physical path the host mapped the URL to (RQ_MAP_PATH), and
// reads the file it serves through the host's file cache, raising GL_CACHE_OPERATION.
type StaticFiles struct {
	Root                      string
	FollowSymlinksOutsideRoot bool
	// followUnder holds, under a Server, the virtual directory folders whose configuration
	// lets links lead out (FollowSymlinksOutsideRoot per directory).
	followUnder map[string]bool
}

var staticLimits = frontdoor.Limits{}.WithDefaults()

func (s StaticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	clean, bad := frontdoor.CanonicalPath(r.URL.Path, &staticLimits)
	if bad != nil {
		http.Error(w, "404 Not Found", http.StatusNotFound)
		return
	}
	root, follow := s.Root, s.FollowSymlinksOutsideRoot
	name := filepath.Join(root, filepath.FromSlash(clean))
	if dir, ok := cabi.MappedDirectory(r); ok {
		// Under a Server the URL maps through the site's virtual directories.
		root, name, follow = dir.Root, dir.Path, s.followUnder[dir.Root]
	}
	movedByModule := false
	if mapped, ok := cabi.PhysicalPath(r); ok {
		// The host mapped the URL and raised RQ_MAP_PATH: a module may have moved it, and
		// then the module's choice stands, as in IIS.
		movedByModule = filepath.Clean(mapped) != filepath.Clean(name)
		name = mapped
	}
	info, err := os.Stat(name)
	if err == nil && info.IsDir() {
		if !strings.HasSuffix(clean, "/") {
			http.Redirect(w, r, clean+"/", http.StatusMovedPermanently)
			return
		}
		found := false
		for _, doc := range defaultDocuments {
			if fi, e := os.Stat(filepath.Join(name, doc)); e == nil && !fi.IsDir() {
				name, info, found = filepath.Join(name, doc), fi, true
				break
			}
		}
		if !found {
			err = os.ErrNotExist
		}
	}
	var f *os.File
	if err == nil {
		f, err = os.Open(name)
	}
	if err == nil && !follow && !movedByModule && !holds(root, f) {
		f.Close()
		err = os.ErrNotExist
	}
	if err != nil {
		http.Error(w, "404 Not Found", http.StatusNotFound)
		return
	}
	defer f.Close()
	if info.Mode().IsRegular() {
		cabi.ThroughFileCache(r, name)
	}
	http.ServeContent(w, r, info.Name(), info.ModTime(), f)
}

// holds reports whether the file f has open lies under dir once every symbolic link is
// resolved. It asks about the open file itself, so a link swapped after the check changes nothing.
func holds(dir string, f *os.File) bool {
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return false
	}
	real, err := openedPath(f)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(root, real)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
