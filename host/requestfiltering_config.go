package host

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// filterCollection is one collection of <requestFiltering>: the name of its add element and the
// attribute that keys its entries (compared case-insensitively).
type filterCollection struct{ add, key string }

// requestFilteringCollections are the section's collections, by the path of the element that
// holds them under <requestFiltering>.
var requestFilteringCollections = map[string]filterCollection{
	"requestLimits/headerLimits": {"add", "header"},
	"fileExtensions":             {"add", "fileExtension"},
	"verbs":                      {"add", "verb"},
	"hiddenSegments":             {"add", "segment"},
	"denyUrlSequences":           {"add", "sequence"},
	"denyQueryStringSequences":   {"add", "sequence"},
	"alwaysAllowedUrls":          {"add", "url"},
	"alwaysAllowedQueryStrings":  {"add", "queryString"},
	"filteringRules":             {"filteringRule", "name"},
}

// filteringRuleCollections are the collections inside one <filteringRule>.
var filteringRuleCollections = map[string]filterCollection{
	"scanHeaders": {"add", "requestHeader"},
	"appliesTo":   {"add", "fileExtension"},
	"denyStrings": {"add", "string"},
}

// iisDeniedExtensions are the file extensions IIS's shipped applicationHost.config denies
// (allowed="false"). Most name ASP.NET and Visual Studio files, but IIS setup writes the list,
// not ASP.NET's installer.
var iisDeniedExtensions = []string{
	".asa", ".asax", ".ascx", ".master", ".skin", ".browser", ".sitemap", ".config", ".cs",
	".csproj", ".vb", ".vbproj", ".webinfo", ".licx", ".resx", ".resources", ".mdb", ".vjsproj",
	".java", ".jsl", ".ldb", ".dsdgm", ".ssdgm", ".lsad", ".ssmap", ".cd", ".dsprototype",
	".lsaprototype", ".sdm", ".sdmDocument", ".mdf", ".ldf", ".ad", ".dd", ".ldd", ".sd",
	".adprototype", ".lddprototype", ".exclude", ".refresh", ".compiled", ".msgx", ".vsdisco", ".rules",
}

// iisHiddenSegments are the hiddenSegments of IIS's shipped applicationHost.config.
var iisHiddenSegments = []string{"web.config", "bin", "App_code", "App_GlobalResources",
	"App_LocalResources", "App_WebReferences", "App_Data", "App_Browsers"}

// defaultRequestFiltering is the section IIS ships in applicationHost.config, as elements: it
// stands in for the root level when the configuration has no <requestFiltering> of its own.
// requestLimits and the flags need no entry: their schema defaults are the shipped values.
func defaultRequestFiltering() *ConfigElement {
	ext := &ConfigElement{Name: "fileExtensions"}
	for _, e := range iisDeniedExtensions {
		ext.Children = append(ext.Children, &ConfigElement{Name: "add", Attributes: [][2]string{{"fileExtension", e}, {"allowed", "false"}}})
	}
	hidden := &ConfigElement{Name: "hiddenSegments"}
	for _, s := range iisHiddenSegments {
		hidden.Children = append(hidden.Children, &ConfigElement{Name: "add", Attributes: [][2]string{{"segment", s}}})
	}
	return &ConfigElement{Name: "requestFiltering", Children: []*ConfigElement{ext, hidden}}
}

// filterEntry is a live collection entry: its key and the element that added it.
type filterEntry struct {
	key string
	el  *ConfigElement
}

func filterEntryKey(e filterEntry) string { return e.key }

// filterAttr is an attribute's value as written, with the element that set it last.
type filterAttr struct {
	value string
	el    *ConfigElement
}

// filterMerge is a section merged over its levels, outermost first: a level's attributes
// override, its <add>, <remove> and <clear> change the collections it inherits. Paths name
// elements under the section ("requestLimits/headerLimits"); an attribute's path ends with its
// name ("requestLimits/maxUrl").
type filterMerge struct {
	section     string // for errors: "requestFiltering"
	collections map[string]filterCollection
	attrs       map[string]filterAttr
	lists       map[string][]filterEntry
	source      string
	positions   map[*ConfigElement]configPos
}

func newFilterMerge(section string, collections map[string]filterCollection, source string, positions map[*ConfigElement]configPos) *filterMerge {
	return &filterMerge{section: section, collections: collections, attrs: map[string]filterAttr{}, lists: map[string][]filterEntry{},
		source: source, positions: positions}
}

func filterPath(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "/" + name
}

// errorf reports a fault in el, the section's name first.
func (m *filterMerge) errorf(el *ConfigElement, format string, args ...any) error {
	return &configError{source: m.source, at: m.positions[el], err: fmt.Errorf(m.section+" "+format, args...)}
}

// level applies one element (path names it) on top of what the levels before it left.
func (m *filterMerge) level(path string, el *ConfigElement) error {
	for _, a := range el.Attributes {
		m.attrs[filterPath(path, a[0])] = filterAttr{a[1], el}
	}
	coll, isCollection := m.collections[path]
	for _, c := range el.Children {
		switch {
		case isCollection && c.Name == coll.add:
			key, ok := configAttribute(c, coll.key)
			if !ok || key == "" {
				return m.errorf(c, "%s: <%s> has no %s", path, c.Name, coll.key)
			}
			list := m.lists[path]
			if i := configFind(list, filterEntryKey, key); i >= 0 {
				first := m.positions[list[i].el]
				return m.errorf(c, "%s: duplicate %s=%q (first added at %d:%d)", path, coll.key, key, first.line, first.col)
			}
			m.lists[path] = append(slices.Clip(list), filterEntry{key, c})
		case isCollection && c.Name == "remove":
			key, ok := configAttribute(c, coll.key)
			if !ok {
				return m.errorf(c, "%s: <remove> has no %s", path, coll.key)
			}
			m.lists[path], _ = removeOp(filterEntryKey, key)(m.lists[path])
		case isCollection && c.Name == "clear":
			m.lists[path] = nil
		default:
			if err := m.level(filterPath(path, c.Name), c); err != nil {
				return err
			}
		}
	}
	return nil
}

// boolAttr reads a merged attribute written as true or false (any case, as IIS reads it).
func (m *filterMerge) boolAttr(path string, def bool) (bool, error) {
	a, ok := m.attrs[path]
	if !ok {
		return def, nil
	}
	return m.parseBool(a.el, path, a.value)
}

func (m *filterMerge) parseBool(el *ConfigElement, what, v string) (bool, error) {
	switch {
	case strings.EqualFold(v, "true"):
		return true, nil
	case strings.EqualFold(v, "false"):
		return false, nil
	}
	return false, m.errorf(el, "%s=%q: want true or false", what, v)
}

// uintAttr reads a merged attribute of the schema's uint type: 0 to 4294967295.
func (m *filterMerge) uintAttr(path string, def int64) (int64, error) {
	a, ok := m.attrs[path]
	if !ok {
		return def, nil
	}
	return m.parseUint(a.el, path, a.value)
}

func (m *filterMerge) parseUint(el *ConfigElement, what, v string) (int64, error) {
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil {
		return 0, m.errorf(el, "%s=%q: want a whole number from 0 to 4294967295", what, v)
	}
	return int64(n), nil
}

// entryAttr reads a required attribute of a collection entry.
func (m *filterMerge) entryAttr(path string, e filterEntry, name string) (string, error) {
	v, ok := configAttribute(e.el, name)
	if !ok {
		return "", m.errorf(e.el, "%s: <%s %q> has no %s", path, e.el.Name, e.key, name)
	}
	return v, nil
}

func (m *filterMerge) entryBool(path string, e filterEntry, name string) (bool, error) {
	v, err := m.entryAttr(path, e, name)
	if err != nil {
		return false, err
	}
	return m.parseBool(e.el, path+" "+name, v)
}

// keys lists a collection's keys, lower-cased: matching is case-insensitive.
func (m *filterMerge) keys(path string) []string {
	var out []string
	for _, e := range m.lists[path] {
		out = append(out, strings.ToLower(e.key))
	}
	return out
}

func (m *filterMerge) keySet(path string) map[string]bool {
	set := map[string]bool{}
	for _, k := range m.keys(path) {
		set[k] = true
	}
	return set
}

// allowList reads a collection of entries with a required allowed="true|false".
func (m *filterMerge) allowList(path string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, e := range m.lists[path] {
		allowed, err := m.entryBool(path, e, "allowed")
		if err != nil {
			return nil, err
		}
		out[strings.ToLower(e.key)] = allowed
	}
	return out, nil
}

// compileRequestFilter merges the <requestFiltering> elements that apply to a URL, outermost
// first (nil entries are levels without the section), into the filter its requests go through.
// With no section at all, IIS's shipped section applies. Errors name source and the position
// (from positions) of the element at fault.
func compileRequestFilter(chain []*ConfigElement, source string, positions map[*ConfigElement]configPos) (*requestFilter, error) {
	m := newFilterMerge("requestFiltering", requestFilteringCollections, source, positions)
	found := false
	for _, el := range chain {
		if el != nil {
			found = true
			if err := m.level("", el); err != nil {
				return nil, err
			}
		}
	}
	if !found {
		if err := m.level("", defaultRequestFiltering()); err != nil {
			return nil, err
		}
	}
	return m.filter()
}

// filter builds the compiled filter from the merged section.
func (m *filterMerge) filter() (*requestFilter, error) {
	f := &requestFilter{}
	var err error
	bools := []struct {
		path string
		def  bool
		dst  *bool
	}{
		{"allowDoubleEscaping", false, &f.allowDoubleEscaping},
		{"allowHighBitCharacters", true, &f.allowHighBit},
		{"unescapeQueryString", true, &f.unescapeQuery},
		{"fileExtensions/allowUnlisted", true, &f.extAllowUnlisted},
		{"verbs/allowUnlisted", true, &f.verbAllowUnlisted},
	}
	for _, b := range bools {
		if *b.dst, err = m.boolAttr(b.path, b.def); err != nil {
			return nil, err
		}
	}
	uints := []struct {
		path string
		def  int64
		dst  *int64
	}{
		{"requestLimits/maxAllowedContentLength", 30000000, &f.maxContentLength},
		{"requestLimits/maxUrl", 4096, &f.maxURL},
		{"requestLimits/maxQueryString", 2048, &f.maxQuery},
	}
	for _, u := range uints {
		if *u.dst, err = m.uintAttr(u.path, u.def); err != nil {
			return nil, err
		}
	}
	_, f.contentLengthSet = m.attrs["requestLimits/maxAllowedContentLength"]
	for _, e := range m.lists["requestLimits/headerLimits"] {
		v, err := m.entryAttr("requestLimits/headerLimits", e, "sizeLimit")
		if err != nil {
			return nil, err
		}
		n, err := m.parseUint(e.el, "requestLimits/headerLimits sizeLimit", v)
		if err != nil {
			return nil, err
		}
		f.headerLimits = append(f.headerLimits, headerLimit{name: e.key, size: n})
	}
	if f.extensions, err = m.allowList("fileExtensions"); err != nil {
		return nil, err
	}
	if f.verbs, err = m.allowList("verbs"); err != nil {
		return nil, err
	}
	for _, s := range m.keys("hiddenSegments") {
		if segs := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '\\' }); len(segs) > 0 {
			f.hidden = append(f.hidden, segs)
		}
	}
	f.hiddenASCII = !slices.ContainsFunc(f.hidden, func(segs []string) bool { return hasHighBit(segs[0]) })
	f.denyURL = m.keys("denyUrlSequences")
	f.denyQuery = m.keys("denyQueryStringSequences")
	f.allowedURLs = m.keySet("alwaysAllowedUrls")
	f.allowedQueries = m.keySet("alwaysAllowedQueryStrings")
	for _, e := range m.lists["filteringRules"] {
		rule, err := m.filteringRule(e)
		if err != nil {
			return nil, err
		}
		f.rules = append(f.rules, rule)
	}
	return f, nil
}

// filteringRule compiles one <filteringRule>: its own collections start empty, whatever the
// levels above held under the same name (a level replaces a rule by <remove> and <add>).
func (m *filterMerge) filteringRule(e filterEntry) (filteringRule, error) {
	rm := newFilterMerge(m.section, filteringRuleCollections, m.source, m.positions)
	if err := rm.level("", e.el); err != nil {
		return filteringRule{}, err
	}
	r := filteringRule{name: e.key, headers: rm.keys("scanHeaders"), appliesTo: rm.keySet("appliesTo"), deny: rm.keys("denyStrings")}
	for _, b := range []struct {
		path string
		dst  *bool
	}{{"scanUrl", &r.scanURL}, {"scanQueryString", &r.scanQuery}, {"scanAllRaw", &r.scanAll}} {
		var err error
		if *b.dst, err = rm.boolAttr(b.path, false); err != nil {
			return filteringRule{}, err
		}
	}
	return r, nil
}

// requestFilters are a site's filters, compiled once at startup (see compileScoped).
type requestFilters = scopedSection[*requestFilter]

// newRequestFilters compiles the filters of one site from c.Document; when the root level has
// no <requestFiltering>, IIS's shipped section stands in for it. A programmatic Config's
// MaxRequestBodyBytes sets maxAllowedContentLength where the document does not.
func newRequestFilters(c *Config, siteName string) (*requestFilters, error) {
	return compileScoped(c, siteName, sectionSpec[*requestFilter]{
		name: "<requestFiltering>",
		find: func(webServer *ConfigElement) []*ConfigElement {
			return grandchildElements(webServer, "security", "requestFiltering")
		},
		rootDefault: defaultRequestFiltering,
		compile: func(chain []*ConfigElement) (*requestFilter, error) {
			f, err := compileRequestFilter(chain, c.Source, c.positions)
			if err == nil && !f.contentLengthSet && c.MaxRequestBodyBytes > 0 {
				f.maxContentLength = c.MaxRequestBodyBytes
			}
			return f, err
		},
	})
}
