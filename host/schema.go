package host

import (
	"bytes"
	_ "embed"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Schema types and defaults configuration sections the way IIS's schema files do
// (docs/design.md §14): each <configSchema><sectionSchema name="group/section"> declares the
// section's attributes with their types and defaults, its child elements and its collection.
//
// A Schema is built from iishost's own schema (embedded), then from the files of a schema
// directory, then from the file each module ships beside its image (ModuleSchemaFile). A section
// declared again extends the first declaration, as IIS lets a product add attributes to another's
// section; a file that declares a section iishost's own schema declares replaces iishost's, so a
// directory holding the server's real schema files is taken at its word.
type Schema struct {
	sections map[string]*SchemaElement
	order    []string // section paths in first-declared order
	builtin  map[string]bool
}

// SchemaElement declares one element: a section, a child element or a collection entry.
type SchemaElement struct {
	Name       string
	Attributes []*SchemaAttribute
	Elements   []*SchemaElement
	Collection *SchemaCollection
	// AllowUnrecognizedAttributes keeps attributes the schema does not name from being warned about.
	AllowUnrecognizedAttributes bool
}

// SchemaAttribute declares one attribute.
type SchemaAttribute struct {
	Name string
	// Type is one of bool, int, uint, int64, string, enum, flags, timeSpan (lower case but for
	// timeSpan, as schema files spell them).
	Type                string
	Default             string // defaultValue as written; "" when absent
	HasDefault          bool
	Required            bool
	IsUniqueKey         bool
	IsCombinedKey       bool
	CaseSensitive       bool
	Encrypted           bool
	ValidationType      string
	ValidationParameter string
	// TimeSpanFormat says what a bare number means for a timeSpan: "seconds", "minutes", or
	// "string" (the default: days, as .NET's TimeSpan reads it).
	TimeSpanFormat string
	Values         []SchemaValue // the <enum> names of an enum or flags attribute
}

// SchemaValue is one named value of an enum or flags attribute.
type SchemaValue struct {
	Name  string
	Value int64
}

// SchemaCollection declares an element's collection.
type SchemaCollection struct {
	AddElements     []string // addElement, which may list several names
	RemoveElement   string
	ClearElement    string
	AllowDuplicates bool
	// MergeAppend (the default) puts a deeper level's entries after the inherited ones; false puts
	// them first.
	MergeAppend bool
	Entry       *SchemaElement // the attributes (and elements) of an entry
}

// ModuleSchemaFile is where a module's schema lives: beside its image, named after it with
// "_schema.xml" for the extension ("/opt/m/rewrite.so" → "/opt/m/rewrite_schema.xml"), as IIS
// names the files in its schema folder.
func ModuleSchemaFile(image string) string {
	return strings.TrimSuffix(image, filepath.Ext(image)) + "_schema.xml"
}

//go:embed schema/iishost_schema.xml
var builtinSchema []byte

// BuiltinSchemaSource names the embedded schema in messages.
const BuiltinSchemaSource = "embedded iishost_schema.xml"

// NewSchema returns iishost's own schema: the sections iishost reads itself.
func NewSchema() *Schema {
	s := &Schema{sections: map[string]*SchemaElement{}, builtin: map[string]bool{}}
	if err := s.Read(bytes.NewReader(builtinSchema), BuiltinSchemaSource); err != nil {
		panic(err) // the embedded file is ours; a test reads it
	}
	for _, name := range s.order {
		s.builtin[name] = true
	}
	return s
}

// Section returns a section's declaration, nil when no schema declares it.
func (s *Schema) Section(path string) *SchemaElement { return s.sections[path] }

// Sections lists the declared section paths in the order they were first declared.
func (s *Schema) Sections() []string { return s.order }

// ReadDir reads every *.xml file of dir, in name order.
func (s *Schema) ReadDir(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.xml"))
	if err != nil {
		return err
	}
	if _, err := os.Stat(dir); err != nil {
		return &configError{kind: "schema", source: dir, err: unwrapPathError(err)}
	}
	for _, f := range files {
		if err := s.ReadFile(f); err != nil {
			return err
		}
	}
	return nil
}

// ReadFile reads one schema file.
func (s *Schema) ReadFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return &configError{kind: "schema", source: path, err: unwrapPathError(err)}
	}
	defer f.Close()
	return s.Read(f, path)
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Read reads one <configSchema> document; source names it in errors.
func (s *Schema) Read(r io.Reader, source string) error {
	p := &schemaParser{xmlReader{d: xml.NewDecoder(r), kind: "schema", source: source}}
	sections, err := p.document()
	if err != nil {
		return err
	}
	replaced := map[string]bool{}
	for _, sec := range sections {
		name := sec.el.Name
		old := s.sections[name]
		if old != nil && s.builtin[name] && !replaced[name] {
			old = nil // a file's own declaration wins over iishost's
			delete(s.builtin, name)
		}
		replaced[name] = true
		if old == nil {
			if _, seen := s.sections[name]; !seen {
				s.order = append(s.order, name)
			}
			s.sections[name] = sec.el
			continue
		}
		if err := extendSchema(old, sec.el); err != nil {
			return &configError{kind: "schema", source: source, at: sec.at, err: fmt.Errorf("section %s: %w", name, err)}
		}
	}
	return nil
}

// extendSchema adds what ext declares to el; declaring an attribute twice is an error, as it is
// for IIS.
func extendSchema(el, ext *SchemaElement) error {
	for _, a := range ext.Attributes {
		if el.attribute(a.Name) != nil {
			return fmt.Errorf("attribute %q is already declared", a.Name)
		}
		el.Attributes = append(el.Attributes, a)
	}
	for _, c := range ext.Elements {
		if old := el.element(c.Name); old != nil {
			if err := extendSchema(old, c); err != nil {
				return fmt.Errorf("element %s: %w", c.Name, err)
			}
			continue
		}
		el.Elements = append(el.Elements, c)
	}
	if ext.Collection != nil {
		if el.Collection != nil {
			return errors.New("a second <collection>")
		}
		el.Collection = ext.Collection
	}
	el.AllowUnrecognizedAttributes = el.AllowUnrecognizedAttributes || ext.AllowUnrecognizedAttributes
	return nil
}

func (el *SchemaElement) attribute(name string) *SchemaAttribute {
	for _, a := range el.Attributes {
		if a.Name == name {
			return a
		}
	}
	return nil
}

func (el *SchemaElement) element(name string) *SchemaElement {
	for _, c := range el.Elements {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// keys are the attributes that identify an entry: the unique key, or else the combined keys.
func (el *SchemaElement) keys() []*SchemaAttribute {
	var unique, combined []*SchemaAttribute
	for _, a := range el.Attributes {
		switch {
		case a.IsUniqueKey:
			unique = append(unique, a)
		case a.IsCombinedKey:
			combined = append(combined, a)
		}
	}
	if len(unique) > 0 {
		return unique
	}
	return combined
}

// role says what a child element named name is to a collection: "add", "remove", "clear" or "".
func (c *SchemaCollection) role(name string) string {
	if c == nil {
		return ""
	}
	for _, a := range c.AddElements {
		if a == name {
			return "add"
		}
	}
	switch name {
	case c.RemoveElement:
		return "remove"
	case c.ClearElement:
		return "clear"
	}
	return ""
}

// ---------------------------------------------------------------- the file

type schemaSection struct {
	el *SchemaElement
	at configPos
}

type schemaParser struct{ xmlReader }

func (p *schemaParser) document() ([]schemaSection, error) {
	for {
		tok, err := p.next()
		if err == io.EOF {
			return nil, p.errorf(p.at, "no <configSchema> element")
		}
		if err != nil {
			return nil, err
		}
		root, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root.Name.Local != "configSchema" {
			return nil, p.errorf(p.at, "root element is <%s>, want <configSchema>", root.Name.Local)
		}
		var out []schemaSection
		err = p.children(func(el xml.StartElement, at configPos) error {
			if el.Name.Local != "sectionSchema" {
				return p.skip()
			}
			name := configAttr(el, "name")
			if name == "" || strings.HasPrefix(name, "/") || strings.HasSuffix(name, "/") || strings.Contains(name, "//") {
				return p.errorf(at, "<sectionSchema> needs a name such as group/section, not %q", name)
			}
			sec := &SchemaElement{Name: name}
			if err := p.elementBody(sec, el); err != nil {
				return err
			}
			out = append(out, schemaSection{el: sec, at: at})
			return nil
		})
		return out, err
	}
}

// elementBody reads the attributes, elements and collection an element declaration holds.
func (p *schemaParser) elementBody(el *SchemaElement, start xml.StartElement) error {
	var err error
	if el.AllowUnrecognizedAttributes, err = p.boolAttr(start, "allowUnrecognizedAttributes", false); err != nil {
		return err
	}
	return p.children(func(child xml.StartElement, at configPos) error {
		switch child.Name.Local {
		case "attribute":
			a, err := p.attribute(child, at)
			if err != nil {
				return err
			}
			if el.attribute(a.Name) != nil {
				return p.errorf(at, "attribute %q declared twice in %s", a.Name, el.Name)
			}
			el.Attributes = append(el.Attributes, a)
			return nil
		case "element":
			name := configAttr(child, "name")
			if name == "" {
				return p.errorf(at, "<element> has no name")
			}
			if el.element(name) != nil {
				return p.errorf(at, "element %q declared twice in %s", name, el.Name)
			}
			c := &SchemaElement{Name: name}
			el.Elements = append(el.Elements, c)
			return p.elementBody(c, child)
		case "collection":
			if el.Collection != nil {
				return p.errorf(at, "a second <collection> in %s", el.Name)
			}
			c, err := p.collection(child, at, el.Name)
			el.Collection = c
			return err
		}
		return p.skip()
	})
}

func (p *schemaParser) collection(start xml.StartElement, at configPos, owner string) (*SchemaCollection, error) {
	c := &SchemaCollection{RemoveElement: configAttr(start, "removeElement"), ClearElement: configAttr(start, "clearElement")}
	for _, n := range strings.Split(configAttr(start, "addElement"), ",") {
		if n = strings.TrimSpace(n); n != "" {
			c.AddElements = append(c.AddElements, n)
		}
	}
	if len(c.AddElements) == 0 {
		return nil, p.errorf(at, "<collection> in %s has no addElement", owner)
	}
	var err error
	if c.AllowDuplicates, err = p.boolAttr(start, "allowDuplicates", false); err != nil {
		return nil, err
	}
	if c.MergeAppend, err = p.boolAttr(start, "mergeAppend", true); err != nil {
		return nil, err
	}
	c.Entry = &SchemaElement{Name: c.AddElements[0]}
	return c, p.elementBody(c.Entry, start)
}

var schemaTypes = map[string]string{"bool": "bool", "int": "int", "uint": "uint", "int64": "int64",
	"string": "string", "enum": "enum", "flags": "flags", "timespan": "timeSpan"}

func (p *schemaParser) attribute(start xml.StartElement, at configPos) (*SchemaAttribute, error) {
	a := &SchemaAttribute{Name: configAttr(start, "name"), ValidationType: configAttr(start, "validationType"),
		ValidationParameter: configAttr(start, "validationParameter"), TimeSpanFormat: configAttr(start, "timeSpanFormat")}
	if a.Name == "" {
		return nil, p.errorf(at, "<attribute> has no name")
	}
	typ, ok := schemaTypes[strings.ToLower(configAttr(start, "type"))]
	if !ok {
		return nil, p.errorf(at, "attribute %q has type %q: want bool, int, uint, int64, string, enum, flags or timeSpan",
			a.Name, configAttr(start, "type"))
	}
	a.Type = typ
	a.Default, a.HasDefault = configAttrOK(start, "defaultValue")
	for _, f := range []struct {
		name string
		to   *bool
	}{{"required", &a.Required}, {"isUniqueKey", &a.IsUniqueKey}, {"isCombinedKey", &a.IsCombinedKey},
		{"caseSensitive", &a.CaseSensitive}, {"encrypted", &a.Encrypted}} {
		v, err := p.boolAttr(start, f.name, false)
		if err != nil {
			return nil, err
		}
		*f.to = v
	}
	err := p.children(func(el xml.StartElement, at configPos) error {
		if el.Name.Local != "enum" {
			return p.skip()
		}
		name, text := configAttr(el, "name"), configAttr(el, "value")
		n, err := strconv.ParseInt(text, 0, 64)
		if name == "" || err != nil {
			return p.errorf(at, "<enum name=%q value=%q> of attribute %q: want a name and a number", name, text, a.Name)
		}
		a.Values = append(a.Values, SchemaValue{Name: name, Value: n})
		return p.skip()
	})
	if err != nil {
		return nil, err
	}
	if (a.Type == "enum" || a.Type == "flags") && len(a.Values) == 0 {
		return nil, p.errorf(at, "%s attribute %q has no <enum> values", a.Type, a.Name)
	}
	if a.HasDefault {
		if _, err := a.parse(a.Default); err != nil {
			return nil, p.errorf(at, "attribute %q: defaultValue: %v", a.Name, err)
		}
	}
	return a, nil
}

func (p *schemaParser) boolAttr(el xml.StartElement, name string, def bool) (bool, error) {
	v, ok := configAttrOK(el, name)
	if !ok {
		return def, nil
	}
	switch strings.ToLower(v) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, p.errorf(p.at, "%s=%q is not true or false", name, v)
}
