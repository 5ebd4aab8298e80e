// Package apispec reads the machine-readable IIS API description kept in api/*.tsv.
//
// The tables are facts (names, slots, signatures, values, layouts); the header generator,
// the host stubs and the coverage table are all derived from them, so a slot is written
// down exactly once.
package apispec

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Param is one method parameter.
type Param struct {
	Type    string // native type as written, e.g. "const GUID &", "USHORT *"
	Name    string
	Default string // default argument value, "" when none
}

// Method is one vtable slot of an interface.
type Method struct {
	Interface  string
	Slot       int // MSVC x64 slot
	Itanium    []int
	Name       string
	Returns    string
	Params     []Param
	Const      bool
	Overload   bool // the name is overloaded inside one class (MSVC regroups these)
	DeclaredIn string
	Notes      string
}

// Interface is one class or interface with its whole vtable, inherited slots included.
type Interface struct {
	Name    string
	Base    string // "" for a root interface
	Methods []*Method
	IID     string // "" when the class has no uuid
	Header  string // header that declares it: httpserv.h, ahadmin.h, unknwn.h, oaidl.h, iiswebsocket.h
}

// Own returns the methods this interface declares itself, in declaration (Itanium) order.
func (i *Interface) Own() []*Method {
	var own []*Method
	for _, m := range i.ByItanium() {
		if m.DeclaredIn == i.Name {
			own = append(own, m)
		}
	}
	return own
}

// ByItanium returns the whole vtable in GCC/Clang slot order.
func (i *Interface) ByItanium() []*Method {
	out := make([]*Method, len(i.Methods))
	copy(out, i.Methods)
	for a := 1; a < len(out); a++ {
		for b := a; b > 0 && out[b].Itanium[0] < out[b-1].Itanium[0]; b-- {
			out[b], out[b-1] = out[b-1], out[b]
		}
	}
	return out
}

// Constant is one enumerator or #define.
type Constant struct {
	Group, Name, Value, Notes string
}

// Header returns the SDK header the constant belongs to, taken from its notes.
func (c Constant) Header() string {
	for _, h := range []string{"httpserv.h", "httptrace.h", "iiswebsocket.h", "wtypes.h", "oaidl.h", "http.h"} {
		if strings.HasPrefix(c.Group, h) || strings.Contains(c.Notes, h) {
			return h
		}
	}
	return ""
}

// IsEnum reports whether the constant is an enumerator of a C enum type (named by Group).
func (c Constant) IsEnum() bool { return strings.HasPrefix(c.Notes, "enum ") }

// API is the whole description.
type API struct {
	Interfaces []*Interface
	ByName     map[string]*Interface
	Constants  []Constant
	GUIDs      map[string]string
}

// Load reads the tables from dir (the repository's api/ folder).
func Load(dir string) (*API, error) {
	api := &API{ByName: map[string]*Interface{}, GUIDs: map[string]string{}}
	rows, err := readTSV(filepath.Join(dir, "guids.tsv"))
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if r["kind"] != "none" {
			api.GUIDs[r["name"]] = r["guid"]
		}
	}
	if rows, err = readTSV(filepath.Join(dir, "interfaces.tsv")); err != nil {
		return nil, err
	}
	for n, r := range rows {
		m, err := parseMethod(r)
		if err != nil {
			return nil, fmt.Errorf("interfaces.tsv row %d: %w", n+2, err)
		}
		it := api.ByName[m.Interface]
		if it == nil {
			base := r["base"]
			if base == "-" {
				base = ""
			}
			it = &Interface{Name: m.Interface, Base: base, IID: api.GUIDs[m.Interface], Header: headerOf(m.Interface)}
			api.ByName[it.Name] = it
			api.Interfaces = append(api.Interfaces, it)
		}
		it.Methods = append(it.Methods, m)
	}
	if rows, err = readTSV(filepath.Join(dir, "constants.tsv")); err != nil {
		return nil, err
	}
	for _, r := range rows {
		api.Constants = append(api.Constants, Constant{r["group"], r["name"], r["value"], r["notes"]})
	}
	return api, nil
}

func headerOf(iface string) string {
	switch {
	case iface == "IUnknown":
		return "unknwn.h"
	case iface == "IDispatch":
		return "oaidl.h"
	case strings.HasPrefix(iface, "IAppHost"):
		return "ahadmin.h"
	case iface == "IWebSocketContext":
		return "iiswebsocket.h"
	}
	return "httpserv.h"
}

func parseMethod(r map[string]string) (*Method, error) {
	m := &Method{
		Interface: r["interface"], Name: r["method"], Returns: r["returns"],
		Const: r["const"] == "yes", Overload: r["overload_group"] != "-" && r["overload_group"] != "",
		DeclaredIn: r["declared_in"], Notes: r["notes"],
	}
	if _, err := fmt.Sscan(r["slot"], &m.Slot); err != nil {
		return nil, fmt.Errorf("slot %q: %w", r["slot"], err)
	}
	for _, s := range strings.Split(r["itanium_slot"], ",") {
		var n int
		if _, err := fmt.Sscan(s, &n); err != nil {
			return nil, fmt.Errorf("itanium_slot %q: %w", r["itanium_slot"], err)
		}
		m.Itanium = append(m.Itanium, n)
	}
	defaults := parseDefaults(m.Notes)
	if p := r["params"]; p != "-" && p != "" {
		for _, part := range strings.Split(p, "; ") {
			cut := strings.LastIndexAny(part, " *&")
			if cut < 0 {
				return nil, fmt.Errorf("parameter %q has no name", part)
			}
			prm := Param{Type: strings.TrimSpace(part[:cut+1]), Name: part[cut+1:]}
			prm.Default = defaults[prm.Name]
			m.Params = append(m.Params, prm)
		}
	}
	return m, nil
}

// parseDefaults reads "default args: a=NULL, b=FALSE" out of a notes cell.
func parseDefaults(notes string) map[string]string {
	out := map[string]string{}
	for _, part := range strings.Split(notes, " | ") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(part), "default args: ")
		if !ok {
			continue
		}
		for _, kv := range strings.Split(rest, ", ") {
			if k, v, ok := strings.Cut(kv, "="); ok {
				// "0 (S_OK)" records a value and the constant the header spells it with.
				if _, named, ok := strings.Cut(v, " ("); ok {
					v = strings.TrimSuffix(named, ")")
				}
				out[k] = v
			}
		}
	}
	return out
}

func readTSV(path string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var cols []string
	var rows []map[string]string
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if cols == nil {
			cols = fields
			continue
		}
		if len(fields) != len(cols) {
			return nil, fmt.Errorf("%s: row %d has %d fields, want %d", path, len(rows)+2, len(fields), len(cols))
		}
		row := make(map[string]string, len(cols))
		for i, c := range cols {
			row[c] = fields[i]
		}
		rows = append(rows, row)
	}
	return rows, sc.Err()
}

// SlotIn returns the method's vtable slot in one ABI's layout: MSVC's (msvc) or GCC/Clang's
// Itanium layout, whose first slot a method with two (a virtual destructor) is named by.
func (m *Method) SlotIn(msvc bool) int {
	if msvc {
		return m.Slot
	}
	return m.Itanium[0]
}
