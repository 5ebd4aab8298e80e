package host

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Config is the parsed server configuration.
//
// It is read from an applicationHost.config-shaped file (see ParseConfig), so that a porter can start from
// the file their IIS server already has, and amended by command-line flags (see AddModule).
type Config struct {
	// GlobalModules are the native module images declared by <system.webServer><globalModules>, in
	// configuration order, after <remove> and <clear> have been applied.
	GlobalModules []ModuleSpec
	// Modules are the names of the modules enabled by <system.webServer><modules>, in configuration order.
	// Managed modules are not listed here: see SkippedManaged.
	Modules []string
	// SkippedManaged are the names of <modules> entries that carry a type attribute. Those are managed
	// (.NET) modules, which iishost cannot run, so they are left out without failing the configuration.
	SkippedManaged []string
	// SkippedLocations are the paths of <location> blocks that were not applied because they name
	// no configured site, with the position they start at.
	SkippedLocations []string

	// MaxRequestBodyBytes is the root's requestFiltering requestLimits maxAllowedContentLength,
	// where request filtering takes it when the document does not set it (a declared larger
	// body is 404.13, a chunked one is cut off); 0: IIS's default, 30000000.
	MaxRequestBodyBytes int64
	// Sites are the sites of <system.applicationHost><sites>, in order; a configuration with
	// none gets one (see DefaultSite). SiteDefaults is <siteDefaults>'s limits, which each
	// site's own <limits> overrides attribute by attribute.
	Sites        []Site
	SiteDefaults SiteLimits
	// Handlers are <system.webServer><handlers>'s entries, in order, after <remove> and <clear>.
	Handlers []Handler `json:",omitempty"`
	// HandlersConfigured says a <handlers> section was present: only then does RQ_EXECUTE_REQUEST_HANDLER
	// go to the matched handler's modules alone (see Handler).
	HandlersConfigured bool `json:",omitempty"`
	// Source names the file the configuration came from, for error messages; "" when it came from flags
	// or an embedded default.
	Source string
	// Document is the whole <configuration> element as written, every section and <location> included,
	// which modules read through IHttpServer::GetAdminManager; nil when the configuration did not come
	// from a document.
	Document *ConfigElement `json:"-"`

	// SchemaDirectory holds schema files (*.xml, <configSchema>) that type and default the
	// configuration's sections, beside iishost's own and those modules ship (see Schema). It is
	// iishost's <iishost schemaDirectory="..."/> element under <configuration>, %VAR% references
	// expanded; LoadConfig resolves it against the file's directory. "" reads no directory.
	SchemaDirectory string `json:",omitempty"`
	// LogFormat and LogLevel are <iishost logFormat logLevel>, checked (see NewLogHandler and
	// ParseLogLevel); "" when not set. The command's -log-format and -log-level win over them.
	LogFormat string `json:",omitempty"`
	LogLevel  string `json:",omitempty"`

	// enabledAt remembers where each <modules> entry was added (key: lower-case name), so that
	// EnabledModules can point at it.
	enabledAt map[string]configPos
	// locations are the site's <location> levels with <modules> or <handlers> (see Locations).
	locations []locationLevel
	// positions are where the Document's elements start, for warnings about them.
	positions map[*ConfigElement]configPos
}

// ConfigElement is one element of a configuration document: its local name, its attributes and its
// child elements, both in document order. Text content and comments are not kept.
type ConfigElement struct {
	Name       string
	Attributes [][2]string // name, value
	Children   []*ConfigElement
}

// ModuleSpec names one native module image.
type ModuleSpec struct {
	Name         string // unique, compared case-insensitively as IIS does
	Image        string // the shared library, %VAR% references expanded
	PreCondition string // kept as written, e.g. "bitness64"; "" when absent
}

// configPos is a 1-based line and column (in bytes) in a configuration file; the zero value means unknown.
type configPos struct{ line, col int }

// configError is a configuration or schema problem, printed as "<kind> <file>: <line>:<col>: <reason>".
type configError struct {
	kind   string // "config" when empty, or "schema"
	source string
	at     configPos
	err    error
}

func (e *configError) Error() string {
	var b strings.Builder
	if e.kind == "" {
		b.WriteString("config")
	} else {
		b.WriteString(e.kind)
	}
	if e.source != "" {
		b.WriteString(" ")
		b.WriteString(e.source)
	}
	b.WriteString(": ")
	if e.at.line > 0 {
		fmt.Fprintf(&b, "%d:%d: ", e.at.line, e.at.col)
	}
	b.WriteString(e.err.Error())
	return b.String()
}

func (e *configError) Unwrap() error { return e.err }

// ParseConfig reads an applicationHost.config-shaped document.
//
// It understands, under the <configuration> root:
//   - <system.webServer><globalModules> and <modules>, with IIS collection semantics: <add name>,
//     <remove name> (removes an earlier entry; a name not present is ignored) and <clear/>, in document
//     order; adding a name twice is an error. Each section may appear once.
//   - the same <system.webServer> inside <location path=""> or <location path=".">. A location for
//     the site ("Site") or a URL of it ("Site/url") has its <modules> and <handlers> applied to the
//     URLs under it (see Locations); locations for other sites are listed in SkippedLocations, so a
//     real applicationHost.config still loads. Modules read every section of a location through
//     the admin manager.
//   - <system.applicationHost><sites> with at most one <site>, its "/" application's "/" virtual
//     directory, and its <bindings>.
//   - iishost's own <iishost schemaDirectory="DIR" logFormat="text|json" logLevel="..."/> (see
//     Config.SchemaDirectory, Config.LogFormat).
//
// Every other element and attribute is ignored, because real files carry many sections iishost has no
// use for. %VAR% references in image and physicalPath attributes are expanded from the process
// environment (see ExpandEnv). Relative paths are kept as written; LoadConfig resolves them.
// source names the input in errors, which read "config <source>: <line>:<col>: <reason>".
func ParseConfig(r io.Reader, source string) (*Config, error) {
	return parseConfig(r, source, configEnvLookup)
}

// LoadConfig reads the configuration file at path (see ParseConfig). Relative module images and a
// relative site physicalPath are then resolved against the directory that holds the file, so that a
// configuration means the same thing whatever the working directory.
func LoadConfig(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		// The path is already in the prefix; keep the cause only.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &configError{source: path, err: err}
	}
	defer f.Close()
	c, err := ParseConfig(f, path)
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, &configError{source: path, err: err}
	}
	for i := range c.GlobalModules {
		c.GlobalModules[i].Image = configResolve(dir, c.GlobalModules[i].Image)
	}
	for i := range c.Sites {
		c.Sites[i].resolve(dir)
	}
	c.SchemaDirectory = configResolve(dir, c.SchemaDirectory)
	return c, nil
}

func configResolve(dir, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// ExpandEnv expands %NAME% references the way IIS does in image and physicalPath attributes: a reference
// to a variable that lookup knows is replaced by its value; any other is left as written, and its closing
// '%' may open the next reference ("%NOPE%HOME%" keeps "%NOPE" and expands "%HOME%"). "%%" is not an
// escape: it names the empty variable, which is never looked up, so it stays "%%". A nil lookup knows no
// variable.
func ExpandEnv(s string, lookup func(string) (string, bool)) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for {
		open := strings.IndexByte(s, '%')
		if open < 0 {
			break
		}
		end := strings.IndexByte(s[open+1:], '%')
		if end < 0 {
			break
		}
		end += open + 1
		name := s[open+1 : end]
		if name != "" && lookup != nil {
			if v, ok := lookup(name); ok {
				b.WriteString(s[:open])
				b.WriteString(v)
				s = s[end+1:]
				continue
			}
		}
		b.WriteString(s[:end])
		s = s[end:]
	}
	b.WriteString(s)
	return b.String()
}

// configEnvLookup finds an environment variable by exact name, then case-insensitively, as Windows
// (where configuration files come from) treats variable names.
func configEnvLookup(name string) (string, bool) {
	if v, ok := os.LookupEnv(name); ok {
		return v, true
	}
	for _, kv := range os.Environ() {
		k, v, ok := strings.Cut(kv, "=")
		if ok && strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
}

// AddModule appends a module given as NAME=PATH (the -module flag): it is added to GlobalModules and
// enabled in Modules, after the ones already there. PATH is kept as given. It is an error when the
// value has no '=', the name or the path is empty, or the name is already configured.
func (c *Config) AddModule(flagValue string) error {
	name, image, ok := strings.Cut(flagValue, "=")
	switch {
	case !ok:
		return fmt.Errorf("-module %q: want NAME=PATH", flagValue)
	case name == "":
		return fmt.Errorf("-module %q: empty module name", flagValue)
	case image == "":
		return fmt.Errorf("-module %q: empty module path", flagValue)
	}
	where := ""
	if c.Source != "" {
		where = " in " + c.Source
	}
	for _, m := range c.GlobalModules {
		if strings.EqualFold(m.Name, name) {
			return fmt.Errorf("-module %q: module %q is already declared%s", flagValue, m.Name, where)
		}
	}
	for _, n := range c.Modules {
		if strings.EqualFold(n, name) {
			return fmt.Errorf("-module %q: module %q is already enabled%s", flagValue, n, where)
		}
	}
	c.GlobalModules = append(c.GlobalModules, ModuleSpec{Name: name, Image: image})
	c.Modules = append(c.Modules, name)
	return nil
}

// EnabledModules returns the GlobalModules that <modules> enables, in <modules> order: the order in
// which the pipeline calls them. A name enabled in <modules> but not declared in <globalModules> is an
// error that names the module and the file. Managed modules never appear (see Config.SkippedManaged).
func (c *Config) EnabledModules() ([]ModuleSpec, error) {
	return c.enabled(c.Modules, c.enabledAt)
}

// enabled finds the declarations of the modules a <modules> list names.
func (c *Config) enabled(names []string, at map[string]configPos) ([]ModuleSpec, error) {
	out := make([]ModuleSpec, 0, len(names))
	for _, name := range names {
		i := configFind(c.GlobalModules, func(m ModuleSpec) string { return m.Name }, name)
		if i < 0 {
			return nil, &configError{
				source: c.Source,
				at:     at[strings.ToLower(name)],
				err:    fmt.Errorf("module %q is enabled in <modules> but not declared in <globalModules>", name),
			}
		}
		out = append(out, c.GlobalModules[i])
	}
	return out, nil
}

// configFind returns the index of the element whose key equals name case-insensitively, or -1.
func configFind[T any](list []T, key func(T) string, name string) int {
	for i, v := range list {
		if strings.EqualFold(key(v), name) {
			return i
		}
	}
	return -1
}

// configEntry is one live entry of a <globalModules> or <modules> collection while parsing.
type configEntry struct {
	spec    ModuleSpec
	managed bool // a <modules> entry with a type attribute
	at      configPos
}

func configEntryName(e configEntry) string { return e.spec.Name }

// configParser reads a configuration document in one pass.
type configParser struct {
	xmlReader
	lookup              func(string) (string, bool)
	sections            map[string]configPos
	globals             []configEntry
	modules             []configEntry
	handlers            []Handler
	sites               []Site
	defaults            SiteLimits
	logDefaults         *logFileText // <siteDefaults><logFile>
	skipped             []string
	maxBody             int64
	schema              string // <iishost schemaDirectory>
	logFormat, logLevel string // <iishost logFormat logLevel>
	// locations are the <location> blocks other than the root's, by lower-case path.
	locations     map[string]*configLocation
	locationOrder []string
	// open is the path from the root to the element being read, for Document.
	open      []*ConfigElement
	root      *ConfigElement
	positions map[*ConfigElement]configPos
}

func parseConfig(r io.Reader, source string, lookup func(string) (string, bool)) (*Config, error) {
	p := &configParser{
		xmlReader: xmlReader{d: xml.NewDecoder(r), source: source},
		lookup:    lookup,
		sections:  map[string]configPos{},
		defaults:  defaultSiteLimits,
		positions: map[*ConfigElement]configPos{},
		locations: map[string]*configLocation{},
	}
	p.onToken = p.record
	if err := p.document(); err != nil {
		return nil, err
	}
	_, handlersConfigured := p.sections["handlers"]
	sites := p.sites
	if len(sites) == 0 {
		sites = []Site{DefaultSite(".")}
	}
	for i := range sites {
		sites[i].Limits = sites[i].limits.over(p.defaults)
		if err := p.siteLogFile(&sites[i], sites[i].logFile, p.logDefaults); err != nil {
			return nil, err
		}
	}
	locations := p.siteLocations(sites)
	c := &Config{Sites: sites, SiteDefaults: p.defaults, Source: source, SkippedLocations: p.skipped, MaxRequestBodyBytes: p.maxBody,
		Document: p.root, enabledAt: map[string]configPos{}, Handlers: p.handlers, SchemaDirectory: p.schema,
		LogFormat: p.logFormat, LogLevel: p.logLevel,
		positions: p.positions, locations: locations, HandlersConfigured: handlersConfigured}
	for _, e := range p.globals {
		c.GlobalModules = append(c.GlobalModules, e.spec)
	}
	for _, e := range p.modules {
		if e.managed {
			c.SkippedManaged = append(c.SkippedManaged, e.spec.Name)
			continue
		}
		c.Modules = append(c.Modules, e.spec.Name)
		c.enabledAt[strings.ToLower(e.spec.Name)] = e.at
	}
	return c, nil
}

// record keeps the generic tree of the document: every token passes through next, whichever
// handler reads it, so the tree holds the sections iishost ignores too.
func (p *configParser) record(tok xml.Token) {
	switch t := tok.(type) {
	case xml.StartElement:
		el := &ConfigElement{Name: t.Name.Local}
		p.positions[el] = p.at
		for _, a := range t.Attr {
			if a.Name.Space == "" { // IIS attributes carry no namespace
				el.Attributes = append(el.Attributes, [2]string{a.Name.Local, a.Value})
			}
		}
		if n := len(p.open); n > 0 {
			parent := p.open[n-1]
			parent.Children = append(parent.Children, el)
		} else if p.root == nil {
			p.root = el
		}
		p.open = append(p.open, el)
	case xml.EndElement:
		if n := len(p.open); n > 0 {
			p.open = p.open[:n-1]
		}
	}
}

func (p *configParser) document() error {
	for {
		tok, err := p.next()
		if err == io.EOF {
			return p.errorf(p.at, "no <configuration> element")
		}
		if err != nil {
			return err
		}
		if el, ok := tok.(xml.StartElement); ok {
			if el.Name.Local != "configuration" {
				return p.errorf(p.at, "root element is <%s>, want <configuration>", el.Name.Local)
			}
			if err := p.children(p.configuration); err != nil {
				return err
			}
			break
		}
	}
	// Read to the end so that trailing garbage is reported too.
	for {
		tok, err := p.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if el, ok := tok.(xml.StartElement); ok {
			return p.errorf(p.at, "<%s> after the end of <configuration>", el.Name.Local)
		}
	}
}

// Element names are matched on their local part: old web.config files put an xmlns on <configuration>.

func (p *configParser) configuration(el xml.StartElement, at configPos) error {
	switch el.Name.Local {
	case "system.webServer":
		return p.children(p.webServer)
	case "system.applicationHost":
		return p.children(p.applicationHost)
	case "location":
		return p.location(el, at)
	case "iishost":
		if err := p.section("iishost", at); err != nil {
			return err
		}
		p.schema = ExpandEnv(configAttr(el, "schemaDirectory"), p.lookup)
		p.logFormat, p.logLevel = configAttr(el, "logFormat"), configAttr(el, "logLevel")
		if err := CheckLogFormat(p.logFormat); err != nil {
			return p.errorf(at, "<iishost> logFormat %v", err)
		}
		if _, err := ParseLogLevel(p.logLevel); err != nil {
			return p.errorf(at, "<iishost> logLevel %v", err)
		}
	}
	return p.skip()
}

// section records that a section was seen; IIS rejects a section defined twice for the same path, and so
// do we (the root and <location path=""> are the same path).
func (p *configParser) section(name string, at configPos) error {
	if first, ok := p.sections[name]; ok {
		return p.errorf(at, "duplicate <%s> section (first at %d:%d)", name, first.line, first.col)
	}
	p.sections[name] = at
	return nil
}

func (p *configParser) webServer(el xml.StartElement, at configPos) error {
	switch el.Name.Local {
	case "globalModules":
		if err := p.section("globalModules", at); err != nil {
			return err
		}
		return p.children(applyAt(&p.globals, func(el xml.StartElement, at configPos) (listOp[configEntry], error) {
			return p.collectionOp("globalModules", el, at)
		}))
	case "modules":
		if err := p.section("modules", at); err != nil {
			return err
		}
		return p.children(applyAt(&p.modules, func(el xml.StartElement, at configPos) (listOp[configEntry], error) {
			return p.collectionOp("modules", el, at)
		}))
	case "handlers":
		if err := p.section("handlers", at); err != nil {
			return err
		}
		return p.children(applyAt(&p.handlers, p.handlerOp))
	case "security":
		return p.children(func(el xml.StartElement, at configPos) error {
			if el.Name.Local != "requestFiltering" {
				return p.skip()
			}
			return p.children(p.requestFiltering)
		})
	}
	return p.skip()
}

// requestFiltering reads the body limit from <requestLimits maxAllowedContentLength>.
func (p *configParser) requestFiltering(el xml.StartElement, at configPos) error {
	if el.Name.Local == "requestLimits" {
		if v, ok := configAttrOK(el, "maxAllowedContentLength"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return p.errorf(at, "maxAllowedContentLength %q is not a byte count", v)
			}
			p.maxBody = n
		}
	}
	return p.skip()
}

// listOp is one <add>, <remove> or <clear> of a collection, ready to apply to the list it
// changes: at once for the root level, later for a <location>, on top of what it inherits. It
// never changes the list it is given in place, so inherited lists stay whole.
type listOp[T any] func(list []T) ([]T, error)

// collectionOp reads one child of a <globalModules> or <modules> section; nil for elements that
// are not <add>, <remove> or <clear>.
func (p *configParser) collectionOp(section string, el xml.StartElement, at configPos) (listOp[configEntry], error) {
	var op listOp[configEntry]
	switch el.Name.Local {
	case "add":
		name := configAttr(el, "name")
		if name == "" {
			return nil, p.errorf(at, "<add> in <%s> has no name", section)
		}
		e := configEntry{spec: ModuleSpec{Name: name, PreCondition: configAttr(el, "preCondition")}, at: at}
		if section == "globalModules" {
			image := configAttr(el, "image")
			if image == "" {
				return nil, p.errorf(at, "<add name=%q> in <globalModules> has no image", name)
			}
			e.spec.Image = ExpandEnv(image, p.lookup)
		} else if configAttr(el, "type") != "" {
			e.managed = true
		}
		op = func(list []configEntry) ([]configEntry, error) {
			if i := configFind(list, configEntryName, name); i >= 0 {
				first := list[i].at
				return nil, p.errorf(at, "duplicate module %q in <%s> (first added at %d:%d)", name, section, first.line, first.col)
			}
			return append(slices.Clip(list), e), nil
		}
	case "remove":
		name := configAttr(el, "name")
		if name == "" {
			return nil, p.errorf(at, "<remove> in <%s> has no name", section)
		}
		op = removeOp(configEntryName, name)
	case "clear":
		op = func([]configEntry) ([]configEntry, error) { return nil, nil }
	}
	return op, p.skip()
}

// removeOp drops the entry named name, if there is one.
func removeOp[T any](key func(T) string, name string) listOp[T] {
	return func(list []T) ([]T, error) {
		if i := configFind(list, key, name); i >= 0 {
			return slices.Delete(slices.Clone(list), i, i+1), nil
		}
		return list, nil
	}
}

// applyAt returns a children handler that reads each child's op with read and applies it to
// *list at once.
func applyAt[T any](list *[]T, read func(el xml.StartElement, at configPos) (listOp[T], error)) func(xml.StartElement, configPos) error {
	return func(el xml.StartElement, at configPos) error {
		op, err := read(el, at)
		if err != nil || op == nil {
			return err
		}
		*list, err = op(*list)
		return err
	}
}

// configAttr returns an attribute's value, "" when absent. IIS attributes carry no namespace.
func configAttr(el xml.StartElement, name string) string {
	v, _ := configAttrOK(el, name)
	return v
}

func configAttrOK(el xml.StartElement, name string) (string, bool) {
	for _, a := range el.Attr {
		if a.Name.Space == "" && a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}
