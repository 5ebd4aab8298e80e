package host

import (
	"fmt"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// traceRule is one compiled <traceFailedRequests><add>: which URLs it traces and when their
// trace is kept.
type traceRule struct {
	path        string // as written: a wildcard ('*', '?') on the URL's last segment
	pattern     string // lower case; "/" matches a URL ending in '/'
	statusCodes []statusRange
	timeTaken   time.Duration // 0: not a condition
	// failVerbosity makes an event this severe or worse (1 critical error, 2 error, 3 warning)
	// a failure; 0 (Ignore) does not.
	failVerbosity int
	// keepVerbosity is the most verbose record the trace keeps: the highest of its traceAreas.
	keepVerbosity int
	areas         []traceArea
}

// traceArea is one <traceAreas><add>, as written, for the trace's summary.
type traceArea struct{ provider, areas, verbosity string }

// statusRange is one item of statusCodes: codes lo to hi, with one substatus or any (-1).
type statusRange struct{ lo, hi, sub int }

// traceVerbosities are the verbosity names of <traceAreas><add> and, up to Warning, of
// <failureDefinitions> (where 0 is called Ignore).
var traceVerbosities = []string{"General", "CriticalError", "Error", "Warning", "Information", "Verbose"}

// matches says whether a status and substatus are in the list.
func matchStatus(list []statusRange, status, sub int) bool {
	for _, r := range list {
		if status >= r.lo && status <= r.hi && (r.sub < 0 || r.sub == sub) {
			return true
		}
	}
	return false
}

// parseStatusCodes reads statusCodes: "404.2, 500-599": codes 100 to 999, a substatus 0 to 999.
func parseStatusCodes(v string) ([]statusRange, error) {
	var out []statusRange
	code := func(s string) (int, bool) {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		return n, err == nil && n >= 100 && n <= 999
	}
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		r := statusRange{sub: -1}
		var ok bool
		if lo, hi, isRange := strings.Cut(item, "-"); isRange {
			r.lo, ok = code(lo)
			if ok {
				r.hi, ok = code(hi)
			}
			ok = ok && r.lo <= r.hi
		} else {
			c, sub, hasSub := strings.Cut(item, ".")
			r.lo, ok = code(c)
			r.hi = r.lo
			if ok && hasSub {
				n, err := strconv.Atoi(sub)
				r.sub, ok = n, err == nil && n >= 0 && n <= 999
			}
		}
		if !ok {
			return nil, fmt.Errorf("%q: want codes from 100 to 999 as 404, 404.2 or 500-599", item)
		}
		out = append(out, r)
	}
	return out, nil
}

// matchesURL says whether the rule traces a canonical URL path.
func (r *traceRule) matchesURL(urlPath string) bool {
	last := urlPath[strings.LastIndexByte(urlPath, '/')+1:]
	if last == "" && r.pattern == "/" {
		return true
	}
	ok, _ := path.Match(r.pattern, strings.ToLower(segmentName(last)))
	return ok
}

// traceRules are the rules in force for a URL, in order: the first whose path matches traces it.
type traceRules []*traceRule

func (rs traceRules) forURL(urlPath string) *traceRule {
	for _, r := range rs {
		if r.matchesURL(urlPath) {
			return r
		}
	}
	return nil
}

// newTraceRules compiles <system.webServer><tracing><traceFailedRequests> for one site, per
// location (compileScoped).
func newTraceRules(c *Config, siteName string) (*scopedSection[traceRules], error) {
	return compileScoped(c, siteName, sectionSpec[traceRules]{
		name: "<traceFailedRequests>",
		find: func(webServer *ConfigElement) []*ConfigElement {
			return grandchildElements(webServer, "tracing", "traceFailedRequests")
		},
		compile: func(chain []*ConfigElement) (traceRules, error) {
			m := newFilterMerge("traceFailedRequests", map[string]filterCollection{"": {"add", "path"}}, c.Source, c.positions)
			for _, el := range chain {
				if err := m.level("", el); err != nil {
					return nil, err
				}
			}
			var rules traceRules
			for _, e := range m.lists[""] {
				r, err := m.traceRule(e)
				if err != nil {
					return nil, err
				}
				rules = append(rules, r)
			}
			return rules, nil
		},
	})
}

// traceRule compiles one <add path> with its <traceAreas> and <failureDefinitions>.
func (m *filterMerge) traceRule(e filterEntry) (*traceRule, error) {
	r := &traceRule{path: e.key, pattern: strings.ToLower(e.key)}
	if _, err := path.Match(r.pattern, ""); err != nil {
		return nil, m.errorf(e.el, "path %q: %v", e.key, err)
	}
	for _, areas := range childElements(e.el, "traceAreas") {
		for _, a := range childElements(areas, "add") {
			provider, _ := configAttribute(a, "provider")
			if provider == "" {
				return nil, m.errorf(a, "<add path=%q> <traceAreas><add> has no provider", e.key)
			}
			ar := traceArea{provider: provider, verbosity: "Verbose"}
			ar.areas, _ = configAttribute(a, "areas")
			if v, ok := configAttribute(a, "verbosity"); ok {
				ar.verbosity = v
			}
			level := configFind(traceVerbosities, func(s string) string { return s }, ar.verbosity)
			if level < 0 {
				return nil, m.errorf(a, "traceAreas verbosity=%q: want one of %s", ar.verbosity, strings.Join(traceVerbosities, ", "))
			}
			r.keepVerbosity = max(r.keepVerbosity, level)
			r.areas = append(r.areas, ar)
		}
	}
	if len(r.areas) == 0 {
		r.keepVerbosity = len(traceVerbosities) - 1 // no areas named: keep everything
	}
	defs := childElements(e.el, "failureDefinitions")
	if len(defs) == 0 {
		return nil, m.errorf(e.el, "<add path=%q> has no <failureDefinitions>", e.key)
	}
	fd := defs[len(defs)-1]
	var err error
	if v, ok := configAttribute(fd, "statusCodes"); ok {
		if r.statusCodes, err = parseStatusCodes(v); err != nil {
			return nil, m.errorf(fd, "failureDefinitions statusCodes %v", err)
		}
	}
	if v, ok := configAttribute(fd, "timeTaken"); ok {
		if r.timeTaken, err = TimeSpan(v); err != nil {
			return nil, m.errorf(fd, "failureDefinitions timeTaken %v", err)
		}
	}
	if v, ok := configAttribute(fd, "verbosity"); ok {
		names := append([]string{"Ignore"}, traceVerbosities[1:4]...)
		if r.failVerbosity = configFind(names, func(s string) string { return s }, v); r.failVerbosity < 0 {
			return nil, m.errorf(fd, "failureDefinitions verbosity=%q: want one of %s", v, strings.Join(names, ", "))
		}
	}
	return r, nil
}

// traceLogging is a site's <traceFailedRequestsLogging>, over <siteDefaults>'s, defaults filled in.
type traceLogging struct {
	enabled     bool
	directory   string // absolute; the site's traces go to its W3SVC<id> folder
	maxLogFiles int64
	maxFileSize int64 // bytes; 0: no cap
}

// Defaults of <traceFailedRequestsLogging>, IIS's (the directory read by logDirectory).
const (
	defaultTraceDirectory   = `%SystemDrive%\inetpub\logs\FailedReqLogFiles`
	defaultTraceMaxLogFiles = 50
	defaultTraceMaxFileKB   = 1024
)

// siteTraceLogging reads the site's settings from c.Document: <siteDefaults>'s attributes,
// then the site's own. A relative directory is taken against the configuration file's folder.
func siteTraceLogging(c *Config, siteName string) (traceLogging, error) {
	m := newFilterMerge("traceFailedRequestsLogging", nil, c.Source, c.positions)
	if c.Document != nil {
		for _, ah := range childElements(c.Document, "system.applicationHost") {
			for _, sites := range childElements(ah, "sites") {
				var levels []*ConfigElement
				for _, d := range childElements(sites, "siteDefaults") {
					levels = append(levels, childElements(d, "traceFailedRequestsLogging")...)
				}
				for _, s := range childElements(sites, "site") {
					if name, _ := configAttribute(s, "name"); strings.EqualFold(name, siteName) {
						levels = append(levels, childElements(s, "traceFailedRequestsLogging")...)
					}
				}
				for _, el := range levels {
					if err := m.level("", el); err != nil {
						return traceLogging{}, err
					}
				}
			}
		}
	}
	var t traceLogging
	var err error
	if t.enabled, err = m.boolAttr("enabled", false); err != nil {
		return t, err
	}
	if _, err = m.boolAttr("customActionsEnabled", false); err != nil {
		return t, err
	}
	if t.maxLogFiles, err = m.uintAttr("maxLogFiles", defaultTraceMaxLogFiles); err != nil {
		return t, err
	}
	if t.maxLogFiles == 0 {
		return t, m.errorf(m.attrs["maxLogFiles"].el, "maxLogFiles=0: want 1 or more")
	}
	kb, err := m.uintAttr("maxLogFileSizeKB", defaultTraceMaxFileKB)
	if err != nil {
		return t, err
	}
	t.maxFileSize = kb * 1024
	raw, at := defaultTraceDirectory, (*ConfigElement)(nil)
	if a, ok := m.attrs["directory"]; ok {
		raw, at = a.value, a.el
	}
	dir, err := logDirectory(raw, configEnvLookup)
	if err != nil {
		return t, m.errorf(at, "directory %q of site %q: %v", raw, siteName, err)
	}
	if c.Source != "" {
		dir = configResolve(filepath.Dir(c.Source), dir)
	}
	if t.directory, err = filepath.Abs(dir); err != nil {
		return t, fmt.Errorf("%s: site %q: traceFailedRequestsLogging directory %q: %w", c.Source, siteName, dir, err)
	}
	return t, nil
}
