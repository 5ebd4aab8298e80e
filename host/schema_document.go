package host

import (
	"fmt"
	"os"
	"strings"

	"github.com/iishost/iishost/internal/cabi"
)

// loadSchema gathers the schema a configuration is read with: iishost's own, the files of
// cfg.SchemaDirectory, and each global module's ModuleSchemaFile when there is one.
func loadSchema(cfg *Config) (*Schema, error) {
	s := NewSchema()
	if cfg.SchemaDirectory != "" {
		if err := s.ReadDir(cfg.SchemaDirectory); err != nil {
			return nil, err
		}
	}
	for _, m := range cfg.GlobalModules {
		f := ModuleSchemaFile(m.Image)
		if _, err := os.Stat(f); err != nil {
			continue // most modules ship no schema
		}
		if err := s.ReadFile(f); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// configWarning is one thing a configuration holds that its schema does not declare.
type configWarning struct {
	msg  string
	at   configPos
	args []any
	// caseOf is the declared name an undeclared one matches but for letter case: IIS compares
	// names case-sensitively, so iishost check makes such a name an error.
	caseOf string
}

// typeDocument converts the configuration document for modules, typing the attributes of every
// section the schema declares. A value its type or validation refuses, and two entries of one
// collection with the same keys, are errors, as IIS refuses to serve them. Names the schema does
// not declare are warnings (their values keep being typed from their text), and so is a missing
// required attribute, which iishost's own parser defaults where IIS would refuse.
func (s *Schema) typeDocument(cfg *Config) (*cabi.ConfigNode, []configWarning, error) {
	if cfg.Document == nil {
		return nil, nil, nil
	}
	return s.typeDocumentWith(&documentTyper{schema: s, cfg: cfg})
}

// typeDocumentWith is typeDocument with a typer set up by the caller (see documentTyper.collect).
func (s *Schema) typeDocumentWith(w *documentTyper) (*cabi.ConfigNode, []configWarning, error) {
	cfg := w.cfg
	root := &cabi.ConfigNode{Name: cfg.Document.Name, Attributes: untypedAttributes(cfg.Document)}
	for _, c := range cfg.Document.Children {
		n, err := w.top(c, "")
		if err != nil {
			return nil, nil, err
		}
		root.Children = append(root.Children, n)
	}
	return root, w.warnings, nil
}

type documentTyper struct {
	schema   *Schema
	cfg      *Config
	warnings []configWarning
	// collect keeps typing past an error, gathering every one in errs (iishost check); the
	// value in error is passed on untyped.
	collect bool
	errs    []error
}

func (w *documentTyper) warn(el *ConfigElement, msg string, args ...any) {
	w.warnings = append(w.warnings, configWarning{msg: msg, at: w.cfg.positions[el], args: args})
}

// warnUndeclared warns about a name no declaration has, noting the declared name it matches
// but for letter case, if any.
func (w *documentTyper) warnUndeclared(el *ConfigElement, caseOf, msg string, args ...any) {
	if caseOf != "" {
		args = append(args, "declared", caseOf)
	}
	w.warn(el, msg, args...)
	w.warnings[len(w.warnings)-1].caseOf = caseOf
}

func (w *documentTyper) errorf(el *ConfigElement, format string, args ...any) error {
	return &configError{source: w.cfg.Source, at: w.cfg.positions[el], err: fmt.Errorf(format, args...)}
}

// fail reports an error: it ends typing, or, when the typer collects errors, is kept and nil
// is returned so that typing goes on.
func (w *documentTyper) fail(el *ConfigElement, format string, args ...any) error {
	err := w.errorf(el, format, args...)
	if w.collect {
		w.errs = append(w.errs, err)
		return nil
	}
	return err
}

// configStructure names the elements of <configuration> that hold no section.
var configStructure = map[string]bool{"configSections": true, "configProtectedData": true}

// top reads an element outside any section: under <configuration>, a <location>, or a section
// group; group is the group path so far.
func (w *documentTyper) top(el *ConfigElement, group string) (*cabi.ConfigNode, error) {
	path := el.Name
	if group != "" {
		path = group + "/" + el.Name
	}
	switch {
	case group == "" && (configStructure[el.Name]):
		return untypedNode(el), nil
	case group == "" && el.Name == "location":
		n := &cabi.ConfigNode{Name: el.Name, Attributes: untypedAttributes(el)}
		for _, c := range el.Children {
			child, err := w.top(c, "")
			if err != nil {
				return nil, err
			}
			n.Children = append(n.Children, child)
		}
		return n, nil
	}
	if sec := w.schema.Section(path); sec != nil {
		return w.element(el, sec, path)
	}
	if !w.schema.isGroup(path) {
		w.warnUndeclared(el, w.schema.sectionCase(path, group == ""),
			"configuration section not declared by any schema; its values are typed from their text", "section", path)
		return untypedNode(el), nil
	}
	n := &cabi.ConfigNode{Name: el.Name, Attributes: untypedAttributes(el)}
	for _, c := range el.Children {
		child, err := w.top(c, path)
		if err != nil {
			return nil, err
		}
		n.Children = append(n.Children, child)
	}
	return n, nil
}

// isGroup says whether path is a section group: a prefix of a declared section's path.
func (s *Schema) isGroup(path string) bool {
	for _, name := range s.order {
		if strings.HasPrefix(name, path+"/") {
			return true
		}
	}
	return false
}

// sectionCase returns the declared section or group path that path matches but for letter
// case, or ""; at the top level the elements that hold no section count too.
func (s *Schema) sectionCase(path string, top bool) string {
	if top {
		for name := range configStructure {
			if strings.EqualFold(name, path) {
				return name
			}
		}
		if strings.EqualFold("location", path) {
			return "location"
		}
	}
	for _, name := range s.order {
		if len(name) >= len(path) && strings.EqualFold(name[:len(path)], path) &&
			(len(name) == len(path) || name[len(path)] == '/') {
			return name[:len(path)]
		}
	}
	return ""
}

// nameCase returns the name of names that name matches but for letter case, or "".
func nameCase(name string, names []string) string {
	for _, n := range names {
		if n != name && strings.EqualFold(n, name) {
			return n
		}
	}
	return ""
}

// childNames lists the child elements el declares: its elements and its collection's.
func (el *SchemaElement) childNames() []string {
	var out []string
	for _, c := range el.Elements {
		out = append(out, c.Name)
	}
	if c := el.Collection; c != nil {
		out = append(out, c.AddElements...)
		out = append(out, c.RemoveElement, c.ClearElement)
	}
	return out
}

func (el *SchemaElement) attributeNames() []string {
	out := make([]string, len(el.Attributes))
	for i, a := range el.Attributes {
		out[i] = a.Name
	}
	return out
}

// configGeneral are the attributes every element may carry (locking and configSource), which
// no schema declares.
var configGeneral = map[string]bool{"lockAttributes": true, "lockAllAttributesExcept": true, "lockElements": true,
	"lockAllElementsExcept": true, "lockItem": true, "configSource": true}

// element types one element of a section by its declaration; where names it in messages.
func (w *documentTyper) element(el *ConfigElement, decl *SchemaElement, where string) (*cabi.ConfigNode, error) {
	n := &cabi.ConfigNode{Name: el.Name}
	for _, a := range el.Attributes {
		name, text := a[0], a[1]
		d := decl.attribute(name)
		if d == nil {
			if !decl.AllowUnrecognizedAttributes && !configGeneral[name] {
				w.warnUndeclared(el, nameCase(name, decl.attributeNames()),
					"configuration attribute not declared by the schema; its value is typed from its text",
					"element", where, "attribute", name)
			}
			n.Attributes = append(n.Attributes, cabi.ConfigAttribute{Name: name, Text: text})
			continue
		}
		v, err := d.parse(text)
		if err != nil {
			if err := w.fail(el, "%s: attribute %s: %v", where, name, err); err != nil {
				return nil, err
			}
			v = cabi.ConfigAttribute{Name: name, Text: text}
		}
		if d.Encrypted && strings.HasPrefix(text, "[enc:") {
			w.warn(el, "encrypted configuration value passed to modules as written: iishost cannot decrypt it",
				"element", where, "attribute", name)
		}
		n.Attributes = append(n.Attributes, v)
	}
	var live [][]cabi.ConfigAttribute // the entries added so far, to find duplicates
	coll := decl.Collection
	for _, c := range el.Children {
		var child *cabi.ConfigNode
		var err error
		switch coll.role(c.Name) {
		case "add":
			if child, err = w.element(c, coll.Entry, where+"/"+c.Name); err != nil {
				return nil, err
			}
			for _, a := range coll.Entry.Attributes {
				if _, ok := configAttribute(c, a.Name); a.Required && !ok {
					w.warn(c, "configuration entry lacks a required attribute; it reads the default",
						"element", where+"/"+c.Name, "attribute", a.Name)
				}
			}
			keys := coll.Entry.keys()
			if !coll.AllowDuplicates && len(keys) > 0 {
				for _, e := range live {
					if sameKeys(e, child.Attributes, keys) {
						if err := w.fail(c, "%s: duplicate <%s> entry (%s)", where, c.Name, describeKeys(child.Attributes, keys)); err != nil {
							return nil, err
						}
						break
					}
				}
			}
			live = append(live, child.Attributes)
		case "remove":
			if child, err = w.element(c, coll.Entry, where+"/"+c.Name); err != nil {
				return nil, err
			}
			keep := live[:0]
			for _, e := range live {
				if keys := coll.Entry.keys(); len(keys) == 0 || !sameKeys(e, child.Attributes, keys) {
					keep = append(keep, e)
				}
			}
			live = keep
		case "clear":
			child, live = untypedNode(c), nil
		default:
			d := decl.element(c.Name)
			if d == nil {
				w.warnUndeclared(c, nameCase(c.Name, decl.childNames()),
					"configuration element not declared by the schema; its values are typed from their text",
					"element", where+"/"+c.Name)
				child = untypedNode(c)
			} else if child, err = w.element(c, d, where+"/"+c.Name); err != nil {
				return nil, err
			}
		}
		n.Children = append(n.Children, child)
	}
	return n, nil
}

func configAttribute(el *ConfigElement, name string) (string, bool) {
	for _, a := range el.Attributes {
		if a[0] == name {
			return a[1], true
		}
	}
	return "", false
}

// sameKeys compares two entries on their keys; a key either leaves unset reads its default.
func sameKeys(a, b []cabi.ConfigAttribute, keys []*SchemaAttribute) bool {
	for _, k := range keys {
		x, y := keyValue(a, k), keyValue(b, k)
		if x.Type != cabi.VTBSTR && x.Type != cabi.VTEmpty && x.Type == y.Type {
			if x.Number != y.Number {
				return false
			}
		} else if k.CaseSensitive && x.Text != y.Text || !k.CaseSensitive && !strings.EqualFold(x.Text, y.Text) {
			return false
		}
	}
	return true
}

func keyValue(attrs []cabi.ConfigAttribute, k *SchemaAttribute) cabi.ConfigAttribute {
	for _, a := range attrs {
		if a.Name == k.Name {
			return a
		}
	}
	return k.defaultValue()
}

func describeKeys(attrs []cabi.ConfigAttribute, keys []*SchemaAttribute) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%q", k.Name, keyValue(attrs, k).Text)
	}
	return strings.Join(parts, " ")
}

func untypedAttributes(el *ConfigElement) []cabi.ConfigAttribute {
	out := make([]cabi.ConfigAttribute, len(el.Attributes))
	for i, a := range el.Attributes {
		out[i] = cabi.ConfigAttribute{Name: a[0], Text: a[1]}
	}
	return out
}

// untypedNode converts an element and everything under it with no schema.
func untypedNode(el *ConfigElement) *cabi.ConfigNode {
	n := &cabi.ConfigNode{Name: el.Name, Attributes: untypedAttributes(el), Children: make([]*cabi.ConfigNode, len(el.Children))}
	for i, c := range el.Children {
		n.Children[i] = untypedNode(c)
	}
	return n
}

// cabiSchema converts the declared sections for the admin manager.
func (s *Schema) cabiSchema() []*cabi.SchemaNode {
	out := make([]*cabi.SchemaNode, 0, len(s.order))
	for _, name := range s.order {
		out = append(out, s.sections[name].cabiNode())
	}
	return out
}

func (el *SchemaElement) cabiNode() *cabi.SchemaNode {
	n := &cabi.SchemaNode{Name: el.Name}
	keys := el.keys()
	for _, a := range el.Attributes {
		isKey := false
		for _, k := range keys {
			isKey = isKey || k == a
		}
		n.Attributes = append(n.Attributes, cabi.SchemaAttribute{Default: a.defaultValue(), Key: isKey, CaseSensitive: a.CaseSensitive})
	}
	for _, e := range el.Elements {
		n.Elements = append(n.Elements, e.cabiNode())
	}
	if c := el.Collection; c != nil {
		n.Collection = &cabi.SchemaCollection{Add: c.AddElements, Remove: c.RemoveElement, Clear: c.ClearElement,
			AllowDuplicates: c.AllowDuplicates, MergeAppend: c.MergeAppend, Entry: c.Entry.cabiNode()}
	}
	return n
}
