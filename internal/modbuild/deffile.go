package modbuild

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// A module-definition (.def) file names a DLL's exports. Here its EXPORTS become a GNU ld version
// script, so the library exports those names and nothing else (docs/design.md §16).

// export is one entry under EXPORTS: name, or name=internal for an alias.
type export struct {
	name, internal string
	line           int
}

// defSections are the statements that start a new part of a .def file.
var defSections = map[string]bool{
	"NAME": true, "LIBRARY": true, "DESCRIPTION": true, "STACKSIZE": true, "HEAPSIZE": true,
	"SECTIONS": true, "SEGMENTS": true, "VERSION": true, "EXPORTS": true, "IMPORTS": true,
	"STUB": true, "CODE": true, "DATA": true,
}

// cName is a name a version script can list and C code can define.
var cName = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

// readDef reads the EXPORTS of a .def file. Ordinals, NONAME, PRIVATE and DATA mean nothing to
// an ELF library and are accepted silently; what cannot be exported is warned about and skipped.
func readDef(path string, warn func(Warning)) ([]export, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("module-definition file: %w", err)
	}
	text, _, err := toUTF8(data)
	if err != nil {
		return nil, fmt.Errorf("module-definition file %s: %w", path, err)
	}
	var exports []export
	inExports := false
	sc := bufio.NewScanner(bytes.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), ";")
		fields := defFields(line)
		if len(fields) == 0 {
			continue
		}
		if defSections[fields[0]] {
			inExports = fields[0] == "EXPORTS"
			if !inExports {
				continue
			}
			fields = fields[1:]
			if len(fields) == 0 {
				continue
			}
		}
		if !inExports {
			continue
		}
		e, problem := parseExport(fields)
		if problem != "" {
			warn(Warning{path, n, problem})
			continue
		}
		e.line = n
		exports = append(exports, e)
	}
	return exports, sc.Err()
}

// defFields splits a .def line into words, with "=" a word of its own and quotes removed.
func defFields(line string) []string {
	line = strings.ReplaceAll(line, "=", " = ")
	var out []string
	for _, f := range strings.Fields(line) {
		out = append(out, strings.Trim(f, `"`))
	}
	return out
}

// parseExport reads `name[=internal] [@ordinal [NONAME]] [PRIVATE] [DATA]`.
func parseExport(f []string) (export, string) {
	e := export{name: f[0]}
	rest := f[1:]
	if len(rest) >= 2 && rest[0] == "=" {
		e.internal, rest = rest[1], rest[2:]
	}
	for i := 0; i < len(rest); i++ {
		switch w := rest[i]; {
		case w == "NONAME" || w == "PRIVATE" || w == "DATA" || w == "CONSTANT":
		case w == "@" && i+1 < len(rest):
			i++ // "@ 3"
		case strings.HasPrefix(w, "@") && len(w) > 1:
		default:
			return e, fmt.Sprintf("export %s: %q is not understood; entry skipped", e.name, w)
		}
	}
	for _, n := range []string{e.name, e.internal} {
		switch {
		case n == "":
		case strings.Contains(n, "."):
			return e, fmt.Sprintf("export %s forwards to another DLL (%s), which a Linux library cannot do; entry skipped", e.name, n)
		case !cName.MatchString(n):
			return e, fmt.Sprintf("export %s: %s is not a C name (an MSVC-decorated C++ name?); give the function extern \"C\" and list its plain name; entry skipped", e.name, n)
		}
	}
	return e, ""
}

// hostSymbols stay exported whatever a .def file says: the host looks them up itself, as
// Windows finds DllMain without an export (docs/design.md §3).
var hostSymbols = []string{"DllMain", "iishost_services"}

// versionScript exports the listed names and hides everything else.
func versionScript(exports []export) string {
	var b strings.Builder
	b.WriteString("{\n  global:\n")
	seen := map[string]bool{}
	names := append([]string{}, hostSymbols...)
	for _, e := range exports {
		names = append(names, e.name)
	}
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			fmt.Fprintf(&b, "    %s;\n", n)
		}
	}
	b.WriteString("  local: *;\n};\n")
	return b.String()
}

// aliasFlags define each name=internal alias for the linker.
func aliasFlags(exports []export) []string {
	var out []string
	for _, e := range exports {
		if e.internal != "" && e.internal != e.name {
			out = append(out, "-Wl,--defsym="+e.name+"="+e.internal)
		}
	}
	return out
}
