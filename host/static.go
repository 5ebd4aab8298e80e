package host

import (
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// defaultDocuments are tried, in order, for a request naming a directory, as IIS's
// defaultDocument feature does out of the box.
var defaultDocuments = []string{"Default.htm", "Default.asp", "index.htm", "index.html", "iisstart.htm", "default.aspx"}

// StaticFiles serves files under root the way IIS's static file handler does: GET and HEAD
// only, no directory listings, 404 for anything missing.
type StaticFiles struct{ Root string }

func (s StaticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	clean := path.Clean("/" + r.URL.Path)
	name := filepath.Join(s.Root, filepath.FromSlash(clean))
	info, err := os.Stat(name)
	if err == nil && info.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
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
	if err != nil {
		http.Error(w, "404 Not Found", http.StatusNotFound)
		return
	}
	f, err := os.Open(name)
	if err != nil {
		http.Error(w, "404 Not Found", http.StatusNotFound)
		return
	}
	defer f.Close()
	http.ServeContent(w, r, info.Name(), info.ModTime(), f)
}
