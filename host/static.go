package host

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/iishost/iishost/internal/frontdoor"
)

// defaultDocuments are tried, in order, for a request naming a directory, as IIS's
// defaultDocument feature does out of the box.
var defaultDocuments = []string{"Default.htm", "Default.asp", "index.htm", "index.html", "iisstart.htm", "default.aspx"}

// StaticFiles serves files under Root the way IIS's static file handler does: GET and HEAD
// only, no directory listings, 404 for anything missing. A path is canonicalised as HTTP.sys
// does (so '\' is a separator and ".." cannot climb out), and a file reached through a
// symbolic link that leads out of Root is not found unless FollowSymlinksOutsideRoot is set.
type StaticFiles struct {
	Root                      string
	FollowSymlinksOutsideRoot bool
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
	name := filepath.Join(s.Root, filepath.FromSlash(clean))
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
	if err == nil && !s.FollowSymlinksOutsideRoot && !s.holds(f) {
		f.Close()
		err = os.ErrNotExist
	}
	if err != nil {
		http.Error(w, "404 Not Found", http.StatusNotFound)
		return
	}
	defer f.Close()
	http.ServeContent(w, r, info.Name(), info.ModTime(), f)
}

// holds reports whether the file f has open lies under Root once every symbolic link is
// resolved. It asks about the open file itself, so a link swapped after the check changes nothing.
func (s StaticFiles) holds(f *os.File) bool {
	root, err := filepath.EvalSymlinks(s.Root)
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
