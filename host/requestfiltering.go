package host

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/iishost/iishost/internal/cabi"
)

// requestFilter is one URL scope's <requestFiltering>, compiled (see compileRequestFilter). It
// refuses requests the way IIS's request filtering module does at the start of the pipeline:
// 404 with a substatus naming the rule.
type requestFilter struct {
	allowDoubleEscaping, allowHighBit, unescapeQuery bool
	maxContentLength, maxURL, maxQuery               int64
	contentLengthSet                                 bool // a level set maxAllowedContentLength
	headerLimits                                     []headerLimit
	extAllowUnlisted, verbAllowUnlisted              bool
	extensions, verbs                                map[string]bool // lower-case key -> allowed
	hidden                                           [][]string      // lower-case segments
	hiddenASCII                                      bool            // every hidden segment's first name is ASCII
	denyURL, denyQuery                               []string        // lower-case
	allowedURLs, allowedQueries                      map[string]bool // lower-case
	rules                                            []filteringRule
}

type headerLimit struct {
	name string
	size int64
}

type filteringRule struct {
	name                        string
	scanURL, scanQuery, scanAll bool
	headers                     []string        // lower-case names
	appliesTo                   map[string]bool // lower-case extensions; empty: every URL
	deny                        []string        // lower-case
}

// filterRefusal is request filtering's answer to a request it denies.
type filterRefusal struct {
	Status    int    // 404 for every rule, as IIS answers
	Substatus int    // IIS's substatus for the rule; not sent on the wire, as IIS does not
	Reason    string // our words, for the page and the log
}

var (
	refuseURLSequence   = &filterRefusal{404, 5, "Request filtering denies a sequence this URL contains."}
	refuseVerb          = &filterRefusal{404, 6, "Request filtering denies this verb."}
	refuseExtension     = &filterRefusal{404, 7, "Request filtering denies this file extension."}
	refuseHiddenSegment = &filterRefusal{404, 8, "Request filtering hides a segment of this URL."}
	refuseHeaderSize    = &filterRefusal{404, 10, "A request header is longer than request filtering allows."}
	refuseDoubleEscaped = &filterRefusal{404, 11, "Request filtering denies a URL that would decode a second time."}
	refuseHighBit       = &filterRefusal{404, 12, "Request filtering denies non-ASCII characters in this URL."}
	refuseContentLength = &filterRefusal{404, 13, "The request body is larger than request filtering allows."}
	refuseURLLength     = &filterRefusal{404, 14, "The URL is longer than request filtering allows."}
	refuseQueryLength   = &filterRefusal{404, 15, "The query string is longer than request filtering allows."}
	refuseQuerySequence = &filterRefusal{404, 18, "Request filtering denies a sequence this query string contains."}
	refuseRule          = &filterRefusal{404, 19, "A request filtering rule denies this request."}
)

// Code is the status and substatus as IIS logs them, e.g. "404.7".
func (f *filterRefusal) Code() string {
	return strconv.Itoa(f.Status) + "." + strconv.Itoa(f.Substatus)
}

// cabi is the refusal as the host gives it. The page names the substatus; nothing the client
// sent is echoed.
func (f *filterRefusal) cabi() *cabi.Refusal {
	// The body of a refused request is not read, and may be too large to drain.
	return &cabi.Refusal{Status: f.Status, Substatus: f.Substatus, Page: refusalPage(f.Status, f.Substatus, f.Reason),
		Close: f == refuseContentLength}
}

// refusalPage is the page of an answer with IIS's substatus.
func refusalPage(status, substatus int, reason string) string {
	line := "HTTP Error " + strconv.Itoa(status) + "." + strconv.Itoa(substatus) + " - " + http.StatusText(status)
	return "<!DOCTYPE html><html><head><title>" + line + "</title></head><body><h1>" + line +
		"</h1><p>" + line + ": " + reason + "</p></body></html>\n"
}

// filterRequest applies request filtering to an admitted request: the refusal, or nil. A
// request it lets through has a body of undeclared length (chunked) bounded by the scope's
// maxAllowedContentLength: a module's read past it fails with ERROR_FILE_TOO_LARGE (413).
func (s *Server) filterRequest(w http.ResponseWriter, r *http.Request, site *siteRuntime) *cabi.Refusal {
	f := site.filters.forPath(r.URL.Path)
	if refusal := f.check(r); refusal != nil {
		s.logger.Info("request refused by request filtering", "status", refusal.Status, "substatus", refusal.Substatus,
			"reason", refusal.Reason, "method", r.Method, "path", r.URL.Path)
		return refusal.cabi()
	}
	if r.ContentLength < 0 && r.Body != nil && r.Body != http.NoBody {
		r.Body = http.MaxBytesReader(w, r.Body, f.maxContentLength)
	}
	return nil
}

// filterView holds the forms of the URL the rules look at, each computed once.
type filterView struct {
	rawPath, rawQuery string // as the request line had them
	decoded           string // rawPath percent-decoded once, dot segments not applied
	path              string // the canonical path (frontdoor.CanonicalPath)
	query             string // rawQuery unescaped, when unescapeQueryString; else rawQuery
	ext               string // lower-case extension of the last segment, "." for none
}

func newFilterView(r *http.Request, unescapeQuery bool) filterView {
	target := r.RequestURI
	if target == "" { // a request made in process, never read from a client
		target = r.URL.RequestURI()
	}
	rawPath, rawQuery, _ := strings.Cut(target, "?")
	if !strings.HasPrefix(rawPath, "/") {
		// Absolute form (scheme://authority/path): the path starts after the authority.
		if _, rest, ok := strings.Cut(rawPath, "://"); ok {
			rawPath = "/"
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				rawPath = rest[i:]
			}
		}
	}
	v := filterView{rawPath: rawPath, rawQuery: rawQuery, decoded: percentDecode(rawPath, false), path: r.URL.Path, query: rawQuery}
	if unescapeQuery {
		v.query = percentDecode(rawQuery, true)
	}
	v.ext = urlExtension(v.path)
	return v
}

// percentDecode decodes %XX escapes once, leaving malformed ones as written; plus reads '+' as
// a space, as query strings do.
func percentDecode(s string, plus bool) string {
	if !strings.ContainsRune(s, '%') && (!plus || !strings.ContainsRune(s, '+')) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		case c == '+' && plus:
			b = append(b, ' ')
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// segmentName is the name a segment would open on Windows, where IIS's rules were written: NTFS
// drops trailing dots and spaces and reads "name:stream" as a stream of name; ';' starts path
// parameters for some servers and modules. Comparing on it keeps "bin.", "web.config::$DATA"
// and "bin;x" from slipping past a rule written for "bin" or "web.config".
func segmentName(seg string) string {
	for i := 0; i < len(seg); i++ { // strings.IndexAny costs a rune search per byte here
		if seg[i] == ':' || seg[i] == ';' {
			seg = seg[:i]
			break
		}
	}
	end := len(seg)
	for end > 0 && (seg[end-1] == '.' || seg[end-1] == ' ') {
		end--
	}
	return seg[:end]
}

// urlExtension is the lower-case extension of the path's last segment, "." when it has none
// (IIS's key for URLs without an extension).
func urlExtension(path string) string {
	name := segmentName(path[strings.LastIndexByte(path, '/')+1:])
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return strings.ToLower(name[i:])
	}
	return "."
}

// check returns the refusal for r, or nil when request filtering lets it through. r.URL.Path is
// the canonical path the front door left. Rules run cheapest and most structural first; when
// several would deny a request, the first in this order names the substatus.
func (f *requestFilter) check(r *http.Request) *filterRefusal {
	v := newFilterView(r, f.unescapeQuery)
	switch {
	case r.ContentLength > f.maxContentLength:
		return refuseContentLength
	case int64(len(v.rawPath)) > f.maxURL:
		return refuseURLLength
	case int64(len(v.rawQuery)) > f.maxQuery:
		return refuseQueryLength
	case f.headerTooLong(r):
		return refuseHeaderSize
	case !f.verbAllowed(r.Method):
		return refuseVerb
	case !f.allowHighBit && hasHighBit(v.decoded):
		return refuseHighBit
	// One decode leaves a '%' only from %25; a '+' decodes to a space in a second pass.
	case !f.allowDoubleEscaping && strings.ContainsAny(v.decoded, "%+"):
		return refuseDoubleEscaped
	}
	urlExempt := len(f.allowedURLs) > 0 && f.allowedURLs[strings.ToLower(v.path)]
	queryExempt := len(f.allowedQueries) > 0 && f.allowedQueries[strings.ToLower(v.rawQuery)]
	if !urlExempt {
		switch {
		case containsAny(f.denyURL, v.rawPath, v.decoded, v.path):
			return refuseURLSequence
		case f.hiddenSegment(v.path):
			return refuseHiddenSegment
		case !listAllows(f.extensions, v.ext, f.extAllowUnlisted):
			return refuseExtension
		}
	}
	if !queryExempt && containsAny(f.denyQuery, v.rawQuery, v.query) {
		return refuseQuerySequence
	}
	for i := range f.rules {
		if f.rules[i].denies(r, &v, urlExempt, queryExempt) {
			return refuseRule
		}
	}
	return nil
}

// verbAllowed applies verbs, case-insensitively, so that "delete" cannot pass a denied DELETE.
func (f *requestFilter) verbAllowed(method string) bool {
	if len(f.verbs) == 0 {
		return f.verbAllowUnlisted
	}
	return listAllows(f.verbs, strings.ToLower(method), f.verbAllowUnlisted)
}

// listAllows applies an allowUnlisted flag and an allowed="true|false" list to a key.
func listAllows(list map[string]bool, key string, allowUnlisted bool) bool {
	if allowed, listed := list[key]; listed {
		return allowed
	}
	return allowUnlisted
}

func isASCII(s string) bool { return !hasHighBit(s) }

func hasHighBit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return false
}

// containsAny says whether any of the texts contains any of the lower-case sequences, ignoring
// case.
func containsAny(sequences []string, texts ...string) bool {
	if len(sequences) == 0 {
		return false
	}
	for _, t := range texts {
		t = strings.ToLower(t)
		for _, s := range sequences {
			if strings.Contains(t, s) {
				return true
			}
		}
	}
	return false
}

// hiddenSegment says whether a segment of path (or a run of them, for an entry with '/') names
// a hidden segment, case-insensitively, on the segments' names (segmentName).
func (f *requestFilter) hiddenSegment(path string) bool {
	if len(f.hidden) == 0 {
		return false
	}
	for rest := path; rest != ""; {
		seg, after, _ := strings.Cut(strings.TrimLeft(rest, "/"), "/")
		name := segmentName(seg)
		// ASCII names of different lengths never fold equal: most segments stop here.
		lengthDecides := f.hiddenASCII && isASCII(name)
		for _, h := range f.hidden {
			if lengthDecides && len(name) != len(h[0]) {
				continue
			}
			if strings.EqualFold(name, h[0]) && segmentsAt(after, h[1:]) {
				return true
			}
		}
		rest = after
	}
	return false
}

// segmentsAt says whether path begins with the segments want, compared on their names.
func segmentsAt(path string, want []string) bool {
	for _, w := range want {
		seg, rest, _ := strings.Cut(path, "/")
		if !strings.EqualFold(segmentName(seg), w) {
			return false
		}
		path = rest
	}
	return true
}

// headerValue is a request header's value as modules see it: repeated fields joined with ", ",
// and the two net/http moves out of the header map put back.
func headerValue(r *http.Request, name string) (string, bool) {
	switch {
	case strings.EqualFold(name, "Host"):
		return r.Host, r.Host != ""
	case strings.EqualFold(name, "Transfer-Encoding") && len(r.TransferEncoding) > 0:
		return strings.Join(r.TransferEncoding, ", "), true
	}
	values := r.Header.Values(name)
	return strings.Join(values, ", "), len(values) > 0
}

// headerTooLong applies headerLimits: a header whose value is longer than its sizeLimit.
func (f *requestFilter) headerTooLong(r *http.Request) bool {
	for _, l := range f.headerLimits {
		if v, ok := headerValue(r, l.name); ok && int64(len(v)) > l.size {
			return true
		}
	}
	return false
}

// denies says whether a filtering rule finds one of its deny strings where it scans.
func (rule *filteringRule) denies(r *http.Request, v *filterView, urlExempt, queryExempt bool) bool {
	if len(rule.deny) == 0 || len(rule.appliesTo) > 0 && !rule.appliesTo[v.ext] {
		return false
	}
	if rule.scanURL && !urlExempt && containsAny(rule.deny, v.rawPath, v.decoded, v.path) {
		return true
	}
	if rule.scanQuery && !queryExempt && containsAny(rule.deny, v.rawQuery, v.query) {
		return true
	}
	for _, name := range rule.headers {
		if value, ok := headerValue(r, name); ok && containsAny(rule.deny, value) {
			return true
		}
	}
	if rule.scanAll {
		if containsAny(rule.deny, r.Method, v.rawPath, v.rawQuery, r.Host, strings.Join(r.TransferEncoding, ", ")) {
			return true
		}
		for name, values := range r.Header {
			if containsAny(rule.deny, name) || containsAny(rule.deny, values...) {
				return true
			}
		}
	}
	return false
}
