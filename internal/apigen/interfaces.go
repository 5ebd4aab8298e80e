package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/iishost/iishost/internal/apispec"
)

// moduleClasses are the two classes modules derive from; they carry default bodies.
var moduleClasses = map[string]bool{"CHttpModule": true, "CGlobalModule": true}

// keyword is the C++ class-key: the httpserv.h classes are classes, COM interfaces are structs.
func keyword(it *apispec.Interface) string {
	if it.Header == "httpserv.h" || it.Header == "iiswebsocket.h" {
		return "class"
	}
	return "struct"
}

func paramList(m *apispec.Method, withDefaults, named bool) string {
	var ps []string
	for _, p := range m.Params {
		s := p.Type
		if named {
			s = spaced(p.Type, p.Name)
		} else {
			s = p.Type + " /*" + p.Name + "*/"
		}
		if withDefaults && p.Default != "" {
			s += " = " + p.Default
		}
		ps = append(ps, s)
	}
	return strings.Join(ps, ", ")
}

// writeCxxClass emits one C++ class with its own methods in declaration order.
func writeCxxClass(b *strings.Builder, it *apispec.Interface) {
	fmt.Fprintf(b, "%s %s", keyword(it), it.Name)
	if it.Base != "" {
		fmt.Fprintf(b, " : public %s", it.Base)
	}
	b.WriteString("\n{\npublic:\n")
	own := it.Own()
	writeOrdered(b, "IISHOST_DECLARE_IN_SLOT_ORDER", cxxMethods(it, bySlot(own)), cxxMethods(it, own))
	// An overload added by a later version would hide the base's; keep both callable. Last in
	// the class: MSVC places a name's overload group where the name first appears in the class,
	// a using-declaration included, and the SDK declares none.
	hidden := map[string]bool{}
	for _, m := range own {
		for _, other := range it.Methods {
			if other.Name == m.Name && other.DeclaredIn != it.Name && !hidden[m.Name] {
				hidden[m.Name] = true
				fmt.Fprintf(b, "    using %s::%s;\n", it.Base, m.Name)
			}
		}
	}
	b.WriteString("};\n\n")
}

// cxxMethods renders the declarations of ms, one entry per method.
func cxxMethods(it *apispec.Interface, ms []*apispec.Method) []string {
	var out []string
	for _, m := range ms {
		if m.Name == "~CHttpModule" {
			out = append(out, "protected:\n    // Modules are released through Dispose, never deleted by the host. Last in every layout:\n"+
				"    // MinGW g++ gives it two slots where MSVC gives one, which is harmless, since only the\n"+
				"    // module's own Dispose calls it, through the module's own vtable.\n    virtual ~CHttpModule() {}\n")
			continue
		}
		cnst := ""
		if m.Const {
			cnst = " const"
		}
		head := fmt.Sprintf("    virtual %s STDMETHODCALLTYPE %s(%s)%s", m.Returns, m.Name, paramList(m, true, !moduleClasses[it.Name]), cnst)
		if it.Header != "httpserv.h" && it.Header != "iiswebsocket.h" {
			head = fmt.Sprintf("    virtual %s STDMETHODCALLTYPE %s(%s)%s", m.Returns, m.Name, paramList(m, true, true), cnst)
		}
		switch {
		case !moduleClasses[it.Name] || m.Name == "Terminate":
			out = append(out, head+" = 0;\n")
		case m.Name == "Dispose":
			out = append(out, head+" { delete this; }\n")
		case m.Returns == "GLOBAL_NOTIFICATION_STATUS":
			out = append(out, head+" { return GL_NOTIFICATION_CONTINUE; }\n")
		default:
			out = append(out, head+" { return RQ_NOTIFICATION_CONTINUE; }\n")
		}
	}
	return out
}

// bySlot returns ms in MSVC slot order.
func bySlot(ms []*apispec.Method) []*apispec.Method {
	out := append([]*apispec.Method(nil), ms...)
	sort.SliceStable(out, func(a, b int) bool { return out[a].Slot < out[b].Slot })
	return out
}

// writeOrdered writes two orderings of the same entries, ifTrue under #if cond and otherwise
// the other, keeping the conditional to the stretches where they differ.
func writeOrdered(b *strings.Builder, cond string, ifTrue, otherwise []string) {
	i, j := 0, 0
	for i < len(ifTrue) || j < len(otherwise) {
		if i < len(ifTrue) && j < len(otherwise) && ifTrue[i] == otherwise[j] {
			b.WriteString(ifTrue[i])
			i, j = i+1, j+1
			continue
		}
		// The stretch ends where both hold the same entries (reordered); else it runs to the end.
		endI, endJ := len(ifTrue), len(otherwise)
		for k := 1; i+k < len(ifTrue) && j+k < len(otherwise); k++ {
			if sameEntries(ifTrue[i:i+k], otherwise[j:j+k]) {
				endI, endJ = i+k, j+k
				break
			}
		}
		b.WriteString("#if " + cond + "\n" + strings.Join(ifTrue[i:endI], "") + "#else\n" + strings.Join(otherwise[j:endJ], "") + "#endif\n")
		i, j = endI, endJ
	}
}

// sameEntries reports whether a and b hold the same entries in any order.
func sameEntries(a, b []string) bool {
	x, y := append([]string(nil), a...), append([]string(nil), b...)
	sort.Strings(x)
	sort.Strings(y)
	return strings.Join(x, "\x00") == strings.Join(y, "\x00")
}

// vtableEntries lists the C vtable members in the order of one ABI.
func vtableEntries(it *apispec.Interface, msvc bool) []string {
	var out []string
	ms := it.ByItanium()
	if msvc {
		ms = bySlot(it.Methods)
	}
	for _, m := range ms {
		if m.Name == "~CHttpModule" {
			if msvc {
				out = append(out, "    void *(STDMETHODCALLTYPE *DeletingDestructor)(CHttpModule *This, unsigned int flags);\n")
			} else {
				out = append(out, "    void (STDMETHODCALLTYPE *Destructor)(CHttpModule *This);\n",
					"    void (STDMETHODCALLTYPE *DeletingDestructor)(CHttpModule *This);\n")
			}
			continue
		}
		params := []string{it.Name + " *This"}
		for _, p := range m.Params {
			params = append(params, spaced(cType(p.Type), p.Name))
		}
		out = append(out, fmt.Sprintf("    %s (STDMETHODCALLTYPE *%s)(%s);\n", m.Returns, cName(it, m), strings.Join(params, ", ")))
	}
	return out
}

// writeCStruct emits the COM C binding: a vtable struct and an object whose first member is lpVtbl.
func writeCStruct(b *strings.Builder, it *apispec.Interface) {
	fmt.Fprintf(b, "typedef struct %sVtbl {\n", it.Name)
	writeOrdered(b, "IISHOST_MSVC_VTABLES", vtableEntries(it, true), vtableEntries(it, false))
	fmt.Fprintf(b, "} %sVtbl;\n\nstruct %s {\n    const struct %sVtbl *lpVtbl;\n};\n\n", it.Name, it.Name, it.Name)
}

// writeCDefaults gives C modules the default bodies C++ modules inherit, and an initializer.
func writeCDefaults(b *strings.Builder, it *apispec.Interface) {
	var init []string
	for _, m := range it.ByItanium() {
		name := cName(it, m)
		fn := it.Name + "_Default" + name
		switch {
		case m.Name == "Terminate":
			continue // a module must say how it frees itself
		case m.Name == "~CHttpModule":
			// MSVC's one deleting destructor (flags bit 0: free the memory); Itanium's two. Neither
			// frees here: a C object is freed by its Dispose.
			b.WriteString("#if IISHOST_MSVC_VTABLES\nstatic inline void *CHttpModule_DefaultDeletingDestructor(CHttpModule *This, unsigned int flags) { (void)flags; return This; }\n" +
				"#else\nstatic inline void CHttpModule_DefaultDestructor(CHttpModule *This) { (void)This; }\nstatic inline void CHttpModule_DefaultDeletingDestructor(CHttpModule *This) { (void)This; }\n#endif\n")
			init = append(init, "#if !IISHOST_MSVC_VTABLES\n    v->Destructor = CHttpModule_DefaultDestructor;\n#endif",
				"    v->DeletingDestructor = CHttpModule_DefaultDeletingDestructor;")
			continue
		}
		params := []string{it.Name + " *This"}
		voids := []string{"(void)This;"}
		for _, p := range m.Params {
			params = append(params, spaced(cType(p.Type), p.Name))
			voids = append(voids, "(void)"+p.Name+";")
		}
		ret := "return RQ_NOTIFICATION_CONTINUE;"
		if m.Returns == "GLOBAL_NOTIFICATION_STATUS" {
			ret = "return GL_NOTIFICATION_CONTINUE;"
		} else if m.Returns == "void" || m.Returns == "VOID" {
			ret = ""
		}
		fmt.Fprintf(b, "static inline %s %s(%s) { %s %s }\n", m.Returns, fn, strings.Join(params, ", "), strings.Join(voids, " "), ret)
		init = append(init, fmt.Sprintf("    v->%s = %s;", name, fn))
	}
	fmt.Fprintf(b, "\n/* Fills every slot with the behaviour a C++ module inherits%s. */\nstatic inline void %s_InitVtbl(%sVtbl *v)\n{\n%s\n}\n\n",
		map[bool]string{true: " (Terminate is left to the module)", false: " (Dispose does nothing: set your own to free the object)"}[it.Name == "CGlobalModule"],
		it.Name, it.Name, strings.Join(init, "\n"))
}
