package modbuild

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Staging: gcc reads neither UTF-16 nor Windows include spellings, so each translation unit
// compiles from copies of the porter's files. A copy is UTF-8; its #include directives name the
// copies of the files MSVC on Windows would have found; MSVC-only pragmas are blank lines. Every
// line stays where it was and each copy starts with a #line naming the original, so compiler
// messages point into the porter's tree.

var (
	includeLine = regexp.MustCompile(`^[ \t]*#[ \t]*include[ \t]*(?:"([^"\r\n]*)"|<([^>\r\n]*)>)`)
	pragmaLine  = regexp.MustCompile(`^[ \t]*#[ \t]*pragma[ \t]+([A-Za-z_]+)[ \t]*(\([ \t]*([A-Za-z_]+))?`)
	// Dynamic exception specifications, `void f() throw(...)`, which C++17 removed.
	throwSpec = regexp.MustCompile(`\)[ \t]*throw[ \t]*\(`)
)

// lineEscaper writes a file name as a #line directive's string literal.
var lineEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// msvcPragmas are pragmas that only MSVC acts on; gcc would warn about each one.
var msvcPragmas = map[string]bool{
	"comment": true, "warning": true, "region": true, "endregion": true, "managed": true,
	"unmanaged": true, "code_seg": true, "data_seg": true, "const_seg": true, "bss_seg": true,
	"init_seg": true, "section": true, "alloc_text": true, "auto_inline": true,
	"inline_depth": true, "inline_recursion": true, "intrinsic": true, "function": true,
	"optimize": true, "check_stack": true, "runtime_checks": true, "strict_gs_check": true,
	"component": true, "conform": true, "deprecated": true, "detect_mismatch": true,
	"execution_character_set": true, "fenv_access": true, "float_control": true,
	"fp_contract": true, "hdrstop": true, "include_alias": true, "make_public": true,
	"setlocale": true, "vtordisp": true, "loop": true,
}

// stagedUnit is one translation unit's copies: the copy of /a/b.cpp is dir/a/b.cpp.
type stagedUnit struct {
	dir         string
	main        string            // the copy of the source
	copies      map[string]string // original -> copy
	wide        bool              // some original was UTF-16
	throwSpecs  bool              // some original has a dynamic exception specification
	includeDirs []string          // the unit's include directories, searched after the includers
}

// stager makes staged units.
type stager struct {
	names   *caseless
	include string // iishost's include/
	warn    func(Warning)
}

// stage copies u's source, and every file it includes from the porter's tree, under dir.
func (s *stager) stage(dir string, u unit) (*stagedUnit, error) {
	su := &stagedUnit{dir: dir, copies: map[string]string{}, includeDirs: u.includeDirs}
	main, err := s.copy(su, u.src, nil)
	if err != nil {
		return nil, err
	}
	su.main = main
	return su, nil
}

// copy stages orig, which the files in chain include (outermost first), and returns its copy.
func (s *stager) copy(su *stagedUnit, orig string, chain []string) (string, error) {
	if c, ok := su.copies[orig]; ok {
		return c, nil
	}
	data, err := os.ReadFile(orig)
	if err != nil {
		return "", err
	}
	text, wide, err := toUTF8(data)
	if err != nil {
		return "", fmt.Errorf("%s: %w", orig, err)
	}
	staged := filepath.Join(su.dir, orig)
	su.copies[orig] = staged // before the includes, so that a cycle ends here
	su.wide = su.wide || wide
	su.throwSpecs = su.throwSpecs || throwSpec.Match(text)

	var out bytes.Buffer
	fmt.Fprintf(&out, "#line 1 \"%s\"\n", lineEscaper.Replace(orig))
	lines := bytes.SplitAfter(text, []byte("\n"))
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if m := includeLine.FindSubmatchIndex(line); m != nil {
			line, err = s.rewriteInclude(su, line, m, orig, chain)
			if err != nil {
				return "", err
			}
		} else if m := pragmaLine.FindSubmatch(line); m != nil && msvcPragmas[string(m[1])] {
			if string(m[1]) == "comment" && string(m[3]) == "linker" {
				s.warn(Warning{orig, i + 1, "#pragma comment(linker, ...) is not applied; list exports in a .def file"})
			}
			// Blank the directive and the lines it continues onto.
			for ; i < len(lines)-1 && continues(lines[i]); i++ {
				out.Write(lineEnd(lines[i]))
			}
			line = lineEnd(lines[i])
		}
		out.Write(line)
	}
	if err := os.MkdirAll(filepath.Dir(staged), 0o755); err != nil {
		return "", err
	}
	return staged, os.WriteFile(staged, out.Bytes(), 0o644)
}

// rewriteInclude makes one #include line (m: includeLine's submatch indexes) name what MSVC
// would find: the copy of a porter's file, or iishost's header by its real name. A name found
// nowhere is left for the compiler to report.
func (s *stager) rewriteInclude(su *stagedUnit, line []byte, m []int, orig string, chain []string) ([]byte, error) {
	quoted := m[2] >= 0
	start, end := m[4]-1, m[5]+1
	if quoted {
		start, end = m[2]-1, m[3]+1
	}
	name := string(line[start+1 : end-1])
	var dirs []string
	if quoted {
		// The including file's folder, then those of the files that included it, innermost first.
		dirs = append(dirs, filepath.Dir(orig))
		for i := len(chain) - 1; i >= 0; i-- {
			dirs = append(dirs, filepath.Dir(chain[i]))
		}
	}
	dirs = append(dirs, su.includeDirs...)
	for _, d := range dirs {
		if found := s.names.file(d, name); found != "" {
			c, err := s.copy(su, found, append(chain[:len(chain):len(chain)], orig))
			if err != nil {
				return nil, err
			}
			return splice(line, start, end, `"`+c+`"`), nil
		}
	}
	if found := s.names.file(s.include, name); found != "" {
		rel, _ := filepath.Rel(s.include, found)
		if rel != name {
			return splice(line, start, end, "<"+filepath.ToSlash(rel)+">"), nil
		}
	}
	return line, nil
}

func splice(line []byte, start, end int, with string) []byte {
	out := append([]byte{}, line[:start]...)
	out = append(out, with...)
	return append(out, line[end:]...)
}

// continues reports a line that ends in a backslash, joining the next line to it.
func continues(line []byte) bool {
	return bytes.HasSuffix(bytes.TrimRight(line, "\r\n"), []byte(`\`))
}

// lineEnd is the line's terminator alone: what is left of a blanked line.
func lineEnd(line []byte) []byte {
	trimmed := bytes.TrimRight(line, "\r\n")
	return line[len(trimmed):]
}
