package modbuild

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// DefaultConfig is the configuration and platform a project is built in unless one is chosen.
const DefaultConfig = "Release|x64"

// project is what a Visual Studio project builds in one configuration.
type project struct {
	units []unit
	def   string // its ModuleDefinitionFile, or ""
	name  string // its TargetName
}

// metaValue is an item's metadata value and where it was set.
type metaValue struct {
	value string
	at    where
}

type metadata map[string]metaValue // by lower-case name

func (m metadata) clone() metadata {
	out := make(metadata, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// projectReader reads a project as MSBuild evaluates one: properties and imports in order, then
// item definitions, then items, with conditions read against the properties.
type projectReader struct {
	ev      *evaluator
	dir     string              // the project's folder: item and include paths are relative to it
	groups  []placed            // ItemDefinitionGroup and ItemGroup elements, imports included, in order
	reading []string            // the files being read, against import cycles
	defs    map[string]metadata // item definitions by lower-case item type
}

type placed struct {
	file string
	e    *element
}

// toolsetProperties name Visual Studio's own folders; imports from there hold the toolset's
// defaults, which mean nothing here, and are skipped without a word.
var toolsetProperties = []string{"$(vctargetspath)", "$(userrootdir)", "$(msbuildextensionspath", "$(msbuildtoolspath)", "$(msbuildbinpath)", "$(msbuildsdkspath)"}

// loadProject reads path for config ("Configuration|Platform"; the platform is x64 when left out).
func loadProject(path, config string, names *caseless, warn func(Warning)) (*project, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	root, err := readProjectFile(abs)
	if err != nil {
		return nil, err
	}
	cfg, plat, _ := strings.Cut(config, "|")
	if plat == "" {
		plat = "x64"
	}
	if cfg, plat, err = chooseConfig(abs, root, cfg, plat); err != nil {
		return nil, err
	}

	dir := filepath.Dir(abs)
	base := filepath.Base(abs)
	name := strings.TrimSuffix(base, filepath.Ext(base))
	ev := &evaluator{props: map[string]string{}, fixed: map[string]bool{}, names: names, warn: warn}
	for k, v := range map[string]string{
		"Configuration": cfg, "Platform": plat, "MSBuildProjectDirectory": dir,
		"MSBuildProjectFullPath": abs, "MSBuildProjectFile": base, "MSBuildProjectName": name,
		"MSBuildProjectExtension": filepath.Ext(base),
	} {
		ev.props[strings.ToLower(k)] = v
		ev.fixed[strings.ToLower(k)] = true
	}
	for _, k := range []string{"msbuildthisfiledirectory", "msbuildthisfile", "msbuildthisfilefullpath"} {
		ev.fixed[k] = true // enter sets them for each file
	}
	solution := solutionDir(dir)
	for k, v := range map[string]string{
		"ProjectDir": dir + "/", "ProjectPath": abs, "ProjectName": name, "ProjectFileName": base,
		"ProjectExt": filepath.Ext(base), "SolutionDir": solution + "/", "TargetName": name,
		"PlatformName": plat, "OutDir": solution + "/" + plat + "/" + cfg + "/", "IntDir": plat + "/" + cfg + "/",
	} {
		ev.set(k, v)
	}

	r := &projectReader{ev: ev, dir: dir, defs: map[string]metadata{}}
	r.reading = []string{abs}
	r.enter(abs)
	r.properties(abs, root)
	r.itemDefinitions()
	p := &project{}
	if p.units, err = r.sources(); err != nil {
		return nil, err
	}
	if len(p.units) == 0 {
		return nil, fmt.Errorf("%s: no ClCompile source is built in %s|%s", abs, cfg, plat)
	}
	if p.def, err = r.moduleDefinition(); err != nil {
		return nil, err
	}
	p.name, _ = ev.get("TargetName")
	charset := r.characterSet()
	for i := range p.units {
		p.units[i].defines = append(append([]string{}, charset...), p.units[i].defines...)
	}
	if t, _ := ev.get("ConfigurationType"); t != "" && !strings.EqualFold(t, "DynamicLibrary") {
		warn(Warning{abs, 0, fmt.Sprintf("ConfigurationType is %s, not DynamicLibrary; building a module (.so) all the same", t)})
	}
	return p, nil
}

func readProjectFile(path string) (*element, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("project %s: no such file", path)
		}
		return nil, fmt.Errorf("project: %w", err)
	}
	root, err := parseXML(data)
	if err != nil {
		return nil, fmt.Errorf("project %s: not readable XML: %v", path, err)
	}
	if root.name != "Project" {
		return nil, fmt.Errorf("project %s: the root element is <%s>, not an MSBuild <Project>", path, root.name)
	}
	return root, nil
}

// chooseConfig checks the configuration against the project's ProjectConfiguration items and
// returns it spelled as the project spells it. A project that lists none accepts any.
func chooseConfig(path string, root *element, cfg, plat string) (string, string, error) {
	var known []string
	for _, g := range root.children {
		if g.name != "ItemGroup" {
			continue
		}
		for _, item := range g.children {
			if item.name != "ProjectConfiguration" {
				continue
			}
			inc := item.attr("Include")
			known = append(known, inc)
			if c, p, _ := strings.Cut(inc, "|"); strings.EqualFold(c, cfg) && strings.EqualFold(p, plat) {
				return c, p, nil
			}
		}
	}
	if len(known) == 0 {
		return cfg, plat, nil
	}
	return "", "", fmt.Errorf("project %s has no configuration %q; it has %s", path, cfg+"|"+plat, strings.Join(known, ", "))
}

// solutionDir is the nearest folder at or above dir that holds a .sln, as Visual Studio would
// set $(SolutionDir) when it builds the solution; dir itself when there is none.
func solutionDir(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if m, _ := filepath.Glob(filepath.Join(d, "*.sln")); len(m) > 0 {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

// properties reads a file's property groups and imports in order (MSBuild's first pass) and
// keeps its item groups for later.
func (r *projectReader) properties(file string, root *element) {
	for _, c := range root.children {
		at := where{file, c.line}
		switch c.name {
		case "PropertyGroup":
			if !r.ev.condition(c.attr("Condition"), at) {
				continue
			}
			for _, p := range c.children {
				pat := where{file, p.line}
				if r.ev.condition(p.attr("Condition"), pat) {
					r.ev.set(p.name, r.ev.expand(p.text, pat, nil))
				}
			}
		case "Import":
			r.importFile(file, c)
		case "ImportGroup":
			if r.ev.condition(c.attr("Condition"), at) {
				for _, imp := range c.children {
					if imp.name == "Import" {
						r.importFile(file, imp)
					}
				}
			}
		case "ItemDefinitionGroup", "ItemGroup":
			r.groups = append(r.groups, placed{file, c})
		case "Choose":
			r.ev.warn(at.warning("<Choose> is not read"))
		}
	}
}

// importFile reads a property sheet the project imports, relative to the importing file.
func (r *projectReader) importFile(file string, imp *element) {
	at := where{file, imp.line}
	spec := imp.attr("Project")
	for _, t := range toolsetProperties {
		if strings.Contains(strings.ToLower(spec), t) {
			return
		}
	}
	if !r.ev.condition(imp.attr("Condition"), at) {
		return
	}
	path := r.ev.names.file(filepath.Dir(file), r.ev.expand(spec, at, nil))
	if path == "" {
		r.ev.warn(at.warning("imported project %s not found; skipped", spec))
		return
	}
	for _, f := range r.reading {
		if f == path {
			r.ev.warn(at.warning("%s imports itself; skipped", spec))
			return
		}
	}
	root, err := readProjectFile(path)
	if err != nil {
		r.ev.warn(at.warning("import skipped: %v", err))
		return
	}
	r.reading = append(r.reading, path)
	r.enter(path)
	r.properties(path, root)
	r.reading = r.reading[:len(r.reading)-1]
	r.enter(file)
}

// enter sets the properties that name the file being read, which MSBuild gives each file its own
// value of, in every pass.
func (r *projectReader) enter(file string) {
	r.ev.props["msbuildthisfiledirectory"] = filepath.Dir(file) + "/"
	r.ev.props["msbuildthisfile"] = filepath.Base(file)
	r.ev.props["msbuildthisfilefullpath"] = file
}

// itemDefinitions reads the ItemDefinitionGroups: the default metadata of each item type.
func (r *projectReader) itemDefinitions() {
	for _, g := range r.groups {
		r.enter(g.file)
		if g.e.name != "ItemDefinitionGroup" || !r.ev.condition(g.e.attr("Condition"), where{g.file, g.e.line}) {
			continue
		}
		for _, item := range g.e.children {
			if !r.ev.condition(item.attr("Condition"), where{g.file, item.line}) {
				continue
			}
			t := strings.ToLower(item.name)
			if r.defs[t] == nil {
				r.defs[t] = metadata{}
			}
			r.readMetadata(g.file, item, r.defs[t], nil)
		}
	}
}

// readMetadata applies an item's or item definition's metadata elements to m. %(Name) inside a
// value is m's value so far (the idiom A;B;%(Name) extends what was inherited); extra answers
// other references, such as %(Filename).
func (r *projectReader) readMetadata(file string, item *element, m metadata, extra metaFunc) {
	for _, md := range item.children {
		at := where{file, md.line}
		if !r.ev.condition(md.attr("Condition"), at) {
			continue
		}
		key := strings.ToLower(md.name)
		m[key] = metaValue{r.ev.expand(md.text, at, func(name string) (string, bool) {
			if v, ok := m[strings.ToLower(name)]; ok || strings.EqualFold(name, md.name) {
				return v.value, true
			}
			if extra != nil {
				return extra(name)
			}
			return "", false
		}), at}
	}
}

// itemAttributes are an item element's attributes that are not metadata.
var itemAttributes = map[string]bool{"include": true, "exclude": true, "remove": true, "update": true, "condition": true, "label": true, "keepmetadata": true, "removemetadata": true, "keepduplicates": true}

// sources reads the ClCompile items built in the configuration.
func (r *projectReader) sources() ([]unit, error) {
	var units []unit
	seen := map[string]bool{}
	for _, g := range r.groups {
		r.enter(g.file)
		if g.e.name != "ItemGroup" || !r.ev.condition(g.e.attr("Condition"), where{g.file, g.e.line}) {
			continue
		}
		for _, item := range g.e.children {
			at := where{g.file, item.line}
			if !strings.EqualFold(item.name, "ClCompile") || item.attr("Include") == "" || !r.ev.condition(item.attr("Condition"), at) {
				continue
			}
			for _, inc := range splitList(r.ev.expand(item.attr("Include"), at, nil)) {
				u, ok, err := r.source(g.file, item, inc)
				if err != nil {
					return nil, err
				}
				if ok && !seen[u.src] {
					seen[u.src] = true
					units = append(units, u)
				}
			}
		}
	}
	return units, nil
}

// source makes one ClCompile item a unit; ok is false for an item excluded from the build.
func (r *projectReader) source(file string, item *element, inc string) (u unit, ok bool, err error) {
	at := where{file, item.line}
	m := r.defs["clcompile"].clone()
	for k, v := range item.attrs {
		if !itemAttributes[strings.ToLower(k)] {
			m[strings.ToLower(k)] = metaValue{r.ev.expand(v, at, nil), at}
		}
	}
	slashed := strings.ReplaceAll(inc, `\`, "/")
	ext := filepath.Ext(slashed)
	r.readMetadata(file, item, m, func(name string) (string, bool) {
		switch strings.ToLower(name) {
		case "identity":
			return inc, true
		case "filename":
			return strings.TrimSuffix(filepath.Base(slashed), ext), true
		case "extension":
			return ext, true
		case "relativedir":
			return inc[:len(inc)-len(filepath.Base(slashed))], true
		case "fullpath":
			return filepath.Join(r.dir, slashed), true
		}
		return "", false
	})
	if strings.EqualFold(strings.TrimSpace(m["excludedfrombuild"].value), "true") {
		return u, false, nil
	}
	if strings.ContainsAny(inc, "*?") {
		r.ev.warn(at.warning("ClCompile %s: wildcards are not expanded; skipped", inc))
		return u, false, nil
	}
	u.src = r.ev.names.file(r.dir, inc)
	if u.src == "" {
		return u, false, fmt.Errorf("%s:%d: ClCompile %s: no such file in %s", file, item.line, inc, r.dir)
	}
	switch as := m["compileas"].value; {
	case strings.EqualFold(as, "CompileAsC"):
	case strings.EqualFold(as, "CompileAsCpp"):
		u.cxx = true
	default:
		if u.cxx, err = isCxx(u.src); err != nil {
			return u, false, fmt.Errorf("%s:%d: ClCompile %s: %v", file, item.line, inc, err)
		}
	}
	u.defines = splitList(m["preprocessordefinitions"].value)
	dirs := m["additionalincludedirectories"]
	for _, d := range splitList(dirs.value) {
		if found := r.ev.names.dir(r.dir, d); found != "" {
			u.includeDirs = append(u.includeDirs, found)
		} else {
			r.ev.warn(dirs.at.warning("include directory %s not found", d))
		}
	}
	return u, true, nil
}

// moduleDefinition is the Link item definition's ModuleDefinitionFile, found in the project.
func (r *projectReader) moduleDefinition() (string, error) {
	def := r.defs["link"]["moduledefinitionfile"]
	if strings.TrimSpace(def.value) == "" {
		return "", nil
	}
	path := r.ev.names.file(r.dir, strings.TrimSpace(def.value))
	if path == "" {
		return "", fmt.Errorf("%s:%d: ModuleDefinitionFile %s: no such file in %s", def.at.file, def.at.line, def.value, r.dir)
	}
	return path, nil
}

// characterSet is what Visual Studio defines for the CharacterSet property.
func (r *projectReader) characterSet() []string {
	cs, _ := r.ev.get("CharacterSet")
	switch strings.ToLower(cs) {
	case "unicode":
		return []string{"UNICODE", "_UNICODE"}
	case "multibyte":
		return []string{"_MBCS"}
	}
	return nil
}
