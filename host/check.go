package host

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/iishost/iishost/internal/cabi"
)

// CheckOptions adjust Check.
type CheckOptions struct {
	// Dir is the directory relative paths of the configuration (physical paths, certificate
	// files, the schema directory) are resolved against, as LoadConfig resolves them against the
	// file's; "" is the working directory.
	Dir string
	// Root, when set, replaces the physicalPath of the first site's root virtual directory, as
	// the command's -root flag does.
	Root string
	// Logger receives what modules log while they register. Default: discarded.
	Logger *slog.Logger
}

// Severity says whether a Problem keeps the configuration from being served as written.
type Severity int

const (
	// SeverityError: IIS would refuse the configuration, or iishost cannot serve it as written.
	SeverityError Severity = iota
	// SeverityWarning: the configuration is served, but something in it is ignored or read
	// otherwise than its author may expect.
	SeverityWarning
)

func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
}

// Problem is one thing Check found, with where it is; Line and Col are 0 when it has no place
// in a file, and File is "" when it concerns no file.
type Problem struct {
	Severity  Severity
	File      string
	Line, Col int
	Message   string
}

// String formats the problem as compilers do: "FILE:LINE:COL: error: message".
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d:%d", p.Line, p.Col)
		}
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%s: %s", p.Severity, p.Message)
	return b.String()
}

// CheckReport is what Check found, in file order.
type CheckReport struct {
	Problems []Problem
}

// Count returns how many problems have the severity.
func (r *CheckReport) Count(s Severity) int {
	n := 0
	for _, p := range r.Problems {
		if p.Severity == s {
			n++
		}
	}
	return n
}

// Failed says whether any problem is an error.
func (r *CheckReport) Failed() bool { return r.Count(SeverityError) > 0 }

// ErrorProblem turns an error from loading a configuration (LoadConfig, ParseConfig, AddModule)
// into a Problem, with the file and position the error names.
func ErrorProblem(err error) Problem {
	var ce *configError
	if errors.As(err, &ce) {
		return Problem{File: ce.source, Line: ce.at.line, Col: ce.at.col, Message: ce.err.Error()}
	}
	return Problem{Message: err.Error()}
}

// Check validates a parsed configuration as `nginx -t` does, without serving: it types the
// document by the schemas, checks letter case of names, the physical paths, the bindings, and
// loads every global module (RegisterModule, then Terminate) on a host that is then freed. No
// global notification is raised. It reads the document's elements rather than the Config's
// digest of them, so that it sees every site.
func Check(cfg *Config, opts CheckOptions) *CheckReport {
	c := &checker{cfg: cfg, opts: opts}
	c.schemaDirectory()
	doc, schema := c.schema()
	c.sites()
	c.logDirectories()
	c.modules(doc, schema)
	src := cfg.Source
	// The configuration's own problems in position order; those of other files (schemas) after.
	slices.SortStableFunc(c.problems, func(a, b Problem) int {
		if a.File != src || b.File != src {
			return cmp.Compare(boolInt(a.File != src), boolInt(b.File != src))
		}
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	return &CheckReport{Problems: c.problems}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

type checker struct {
	cfg      *Config
	opts     CheckOptions
	problems []Problem
	// skipSchemaDir is set when the schema directory is unusable and was reported already.
	skipSchemaDir bool
	// typed says the document was typed by the schemas, which report duplicate entries of a
	// collection, such as a site's bindings.
	typed bool
}

func (c *checker) add(sev Severity, el *ConfigElement, format string, args ...any) {
	var at configPos
	if el != nil {
		at = c.cfg.positions[el]
	}
	c.problems = append(c.problems, Problem{Severity: sev, File: c.cfg.Source, Line: at.line, Col: at.col,
		Message: fmt.Sprintf(format, args...)})
}

func (c *checker) addError(err error) {
	c.problems = append(c.problems, ErrorProblem(err))
}

// addErrorOnce adds err unless an error is already reported at its position (a duplicate
// binding the schema's typing found first, say).
func (c *checker) addErrorOnce(err error) {
	p := ErrorProblem(err)
	for _, q := range c.problems {
		if q.Severity == SeverityError && q.File == p.File && q.Line == p.Line && q.Col == p.Col {
			return
		}
	}
	c.problems = append(c.problems, p)
}

// schemaDirectory checks the schema directory is one: Schema.ReadDir reads nothing from a
// file, and the typing below would then warn about every section it should have declared.
func (c *checker) schemaDirectory() {
	dir := c.cfg.SchemaDirectory
	if dir == "" {
		return
	}
	if msg := c.directoryProblem(c.resolve(dir)); msg != "" {
		c.add(SeverityError, c.topElement("iishost"), "schemaDirectory %s: %s", dir, msg)
		c.skipSchemaDir = true
	}
}

// schema types the document by the schemas, keeping every error and warning; it returns the
// typed document and schema for the modules, nil when the schemas cannot be read.
func (c *checker) schema() (*cabi.ConfigNode, *Schema) {
	cfg := *c.cfg
	if c.skipSchemaDir {
		cfg.SchemaDirectory = ""
	} else {
		cfg.SchemaDirectory = c.resolve(cfg.SchemaDirectory)
	}
	s, err := loadSchema(&cfg)
	if err != nil {
		c.addError(err)
		return nil, nil
	}
	if cfg.Document == nil {
		return nil, s
	}
	w := &documentTyper{schema: s, cfg: &cfg, collect: true}
	doc, warnings, err := s.typeDocumentWith(w)
	c.typed = err == nil
	for _, e := range append(w.errs, err) {
		if e != nil {
			c.addError(e)
		}
	}
	for _, wn := range warnings {
		p := Problem{Severity: SeverityWarning, File: cfg.Source, Line: wn.at.line, Col: wn.at.col}
		if wn.caseOf != "" {
			p.Severity = SeverityError
			p.Message = fmt.Sprintf("%s: the schema declares %q, which differs in letter case only; IIS reads names case-sensitively and refuses it, iishost ignores it",
				describeArgs(wn.args), wn.caseOf)
		} else {
			p.Message = wn.msg + " (" + describeArgs(wn.args) + ")"
		}
		c.problems = append(c.problems, p)
	}
	return doc, s
}

// describeArgs writes a warning's key/value pairs as "key value, key value"; a declared name
// is left out, as the message says it.
func describeArgs(args []any) string {
	var parts []string
	for i := 0; i+1 < len(args); i += 2 {
		if args[i] != "declared" {
			parts = append(parts, fmt.Sprintf("%v %v", args[i], args[i+1]))
		}
	}
	return strings.Join(parts, ", ")
}

// modules checks each <modules> entry is declared, then loads every global module on a host
// of its own, as New would, and releases them.
func (c *checker) modules(doc *cabi.ConfigNode, schema *Schema) {
	levels := []Location{{Modules: c.cfg.Modules, enabledAt: c.cfg.enabledAt}}
	for _, site := range c.cfg.Sites {
		locations, err := c.cfg.Locations(site.Name)
		if err != nil {
			c.addError(err)
		}
		levels = append(levels, locations...)
	}
	reported := map[configPos]bool{} // a location inherits its parent's entries
	for _, l := range levels {
		for _, name := range l.Modules {
			at := l.enabledAt[strings.ToLower(name)]
			if _, err := c.cfg.enabled([]string{name}, l.enabledAt); err != nil && !reported[at] {
				reported[at] = true
				c.addError(err)
			}
		}
	}
	if len(c.cfg.GlobalModules) == 0 {
		return
	}
	h := cabi.NewHost(cabi.ServerConfig{AppPoolName: "DefaultAppPool", ConfigPath: c.cfg.Source})
	defer h.Close()
	defer h.TerminateModules()
	h.Logger = c.opts.Logger
	if h.Logger == nil {
		h.Logger = slog.New(slog.DiscardHandler)
	}
	if schema != nil {
		h.SetConfiguration(doc, schema.cabiSchema()) // RegisterModule often reads its section
	}
	declared := c.globalModuleElements()
	for _, spec := range c.cfg.GlobalModules {
		el := declared[strings.ToLower(spec.Name)]
		m, err := loadModule(h, spec)
		if err != nil {
			c.add(SeverityError, el, "%v", err)
			continue
		}
		for _, n := range cabi.NeverRaised {
			if m.Registration.GlobalMask&n.Bit != 0 {
				c.add(SeverityWarning, el, "module %q subscribes to %s, which iishost never raises: %s", m.Name, n.Name, n.Reason)
			}
		}
	}
}

// globalModuleElements finds the <add> of each global module, by lower-case name; the last
// one wins, as later entries replace removed ones.
func (c *checker) globalModuleElements() map[string]*ConfigElement {
	out := map[string]*ConfigElement{}
	for _, sec := range c.sections("system.webServer") {
		for _, gm := range childElements(sec, "globalModules") {
			for _, add := range childElements(gm, "add") {
				name, _ := configAttribute(add, "name")
				out[strings.ToLower(name)] = add
			}
		}
	}
	return out
}

// sections returns the elements named name under <configuration> and under its <location>s.
func (c *checker) sections(name string) []*ConfigElement {
	if c.cfg.Document == nil {
		return nil
	}
	var out []*ConfigElement
	for _, el := range c.cfg.Document.Children {
		if el.Name == name {
			out = append(out, el)
		}
		if el.Name == "location" {
			out = append(out, childElements(el, name)...)
		}
	}
	return out
}

// topElement returns the first element named name under <configuration>, nil if none.
func (c *checker) topElement(name string) *ConfigElement {
	if c.cfg.Document == nil {
		return nil
	}
	if els := childElements(c.cfg.Document, name); len(els) > 0 {
		return els[0]
	}
	return nil
}

// childElements returns el's children named name, in document order.
func childElements(el *ConfigElement, name string) []*ConfigElement {
	var out []*ConfigElement
	for _, c := range el.Children {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}
