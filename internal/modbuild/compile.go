package modbuild

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ToolError is a compiler, linker or pkg-config run that failed.
type ToolError struct {
	Step   string // "compiling /src/a.cpp", "linking a.so"
	Output []byte // what the tool printed
	Err    error
}

func (e *ToolError) Error() string {
	return fmt.Sprintf("%s: %v\n%s", e.Step, e.Err, bytes.TrimRight(e.Output, "\n"))
}

// toolchain is how sources compile: the compilers and flags the environment chooses, and those
// of pkg-config packages.
type toolchain struct {
	cc, cxx  []string // CC and CXX, split into words so that "ccache g++" works
	cxxStd   string   // IISHOST_CXX_STD: one C++ standard for every C++ source
	envFlags []string // IISHOST_MODULE_CFLAGS, for sanitizers and the like
	pkgFlags []string
	pkgLibs  []string
}

func toolchainFromEnv() *toolchain {
	words := func(name, fallback string) []string {
		if v := strings.Fields(os.Getenv(name)); len(v) > 0 {
			return v
		}
		return []string{fallback}
	}
	return &toolchain{
		cc: words("CC", "gcc"), cxx: words("CXX", "g++"),
		cxxStd:   os.Getenv("IISHOST_CXX_STD"),
		envFlags: strings.Fields(os.Getenv("IISHOST_MODULE_CFLAGS")),
	}
}

// addPackages asks pkg-config for the packages' compiler flags and libraries.
func (tc *toolchain) addPackages(pkgs []string) error {
	if len(pkgs) == 0 {
		return nil
	}
	for _, what := range []struct {
		flag string
		into *[]string
	}{{"--cflags", &tc.pkgFlags}, {"--libs", &tc.pkgLibs}} {
		out, err := exec.Command("pkg-config", append([]string{what.flag}, pkgs...)...).CombinedOutput()
		if err != nil {
			return &ToolError{"pkg-config " + what.flag + " " + strings.Join(pkgs, " "), out, err}
		}
		if *what.into, err = shellSplit(string(out)); err != nil {
			return fmt.Errorf("pkg-config %s %s: %v", what.flag, strings.Join(pkgs, " "), err)
		}
	}
	return nil
}

// shellSplit splits words as a shell would, for pkg-config, which writes its flags for one:
// blanks separate words, quotes group them, a backslash escapes.
func shellSplit(s string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord := false
	var quote byte // the quote that is open, or 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
			} else {
				w.WriteByte(c)
			}
		case c == '\\' && i+1 < len(s) && (quote == 0 || strings.IndexByte("\"\\$`", s[i+1]) >= 0):
			i++
			w.WriteByte(s[i])
		case c == '"' && quote == '"':
			quote = 0
		case quote == '"':
			w.WriteByte(c)
		case c == '\'' || c == '"':
			quote = c
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, w.String())
				w.Reset()
			}
			inWord = false
			continue
		default:
			w.WriteByte(c)
		}
		inWord = true
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated %c", quote)
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}

// The flags every module compiles and links with. packaging/pkgconfig and packaging/cmake
// hand the same ones to authors' own build systems (ModuleFlags; tested to agree).
var (
	commonFlags = []string{"-fPIC", "-O2", "-Wall", "-Wextra"}
	hiddenFlag  = "-fvisibility=hidden"
	linkFlags   = []string{"-shared"}
)

// Default language standards (std may choose another for one unit).
const (
	cStd   = "-std=c11"
	cxxStd = "-std=c++17"
)

// ModuleFlags are the compiler flags a C or C++ module without a .def file compiles with,
// before the include folder, and the linker's flags.
func ModuleFlags(cxx bool) (compile, link []string) {
	std := cStd
	if cxx {
		std = cxxStd
	}
	compile = append(append([]string{std}, commonFlags...), hiddenFlag)
	return compile, append([]string{}, linkFlags...)
}

// std chooses a unit's language standard: C11; C++17, or gnu++14 where the unit has dynamic
// exception specifications, which C++17 removed and legacy modules still carry.
func (tc *toolchain) std(u unit, su *stagedUnit) string {
	switch {
	case !u.cxx:
		return cStd
	case tc.cxxStd != "":
		return "-std=" + tc.cxxStd
	case su.throwSpecs:
		return "-std=gnu++14"
	}
	return cxxStd
}

// compile stages one unit under dir and compiles it to an object file there.
func (tc *toolchain) compile(st *stager, dir string, u unit, hasDef bool, o Options, log *logger) (string, error) {
	su, err := st.stage(filepath.Join(dir, "src"), u)
	if err != nil {
		return "", fmt.Errorf("staging %s: %w", u.src, err)
	}
	obj := filepath.Join(dir, strings.TrimSuffix(filepath.Base(u.src), filepath.Ext(u.src))+".o")
	args := append([]string{tc.std(u, su)}, commonFlags...)
	if !hasDef {
		// Without a .def, what is exported is what the source marks: RegisterModule and
		// __declspec(dllexport). With one, the version script decides (docs/design.md §16).
		args = append(args, hiddenFlag)
	}
	if su.wide {
		// gcc quotes source lines from the file #line names, the UTF-16 original.
		args = append(args, "-fno-diagnostics-show-caret")
	}
	for _, d := range u.defines {
		args = append(args, "-D"+d)
	}
	for _, d := range u.includeDirs {
		args = append(args, "-I", d) // for includes named through macros, which staging cannot see
	}
	args = append(args, "-I", st.include)
	args = append(args, tc.pkgFlags...)
	args = append(args, tc.envFlags...)
	args = append(args, o.Flags...)
	args = append(args, "-c", su.main, "-o", obj)
	compiler := tc.cc
	if u.cxx {
		compiler = tc.cxx
	}
	return obj, run("compiling "+u.src, append(append([]string{}, compiler...), args...), o.Verbose, log)
}

// link writes the shared library, exporting only a .def file's names when there is one.
func (tc *toolchain) link(p *project, objs []string, exports []export, tmp string, o Options, log *logger) error {
	linker := tc.cc
	for _, u := range p.units {
		if u.cxx {
			linker = tc.cxx
		}
	}
	args := append(append(append([]string{}, linker...), linkFlags...), "-o", o.Out)
	args = append(args, objs...)
	if p.def != "" {
		script := filepath.Join(tmp, "exports.map")
		if err := os.WriteFile(script, []byte(versionScript(exports)), 0o644); err != nil {
			return err
		}
		args = append(args, "-Wl,--version-script="+script)
		args = append(args, aliasFlags(exports)...)
	}
	for _, d := range o.LibDirs {
		args = append(args, "-L"+d)
	}
	for _, l := range o.Libs {
		args = append(args, "-l"+l)
	}
	args = append(args, tc.pkgLibs...)
	args = append(args, tc.envFlags...)
	args = append(args, o.Flags...)
	if err := run("linking "+o.Out, args, o.Verbose, log); err != nil {
		return err
	}
	if err := checkExports(o.Out, p.def, exports); err != nil {
		os.Remove(o.Out)
		return err
	}
	return nil
}

// checkExports fails, as Windows' linker would, when a .def lists a name nothing defines.
func checkExports(lib, def string, exports []export) error {
	f, err := elf.Open(lib)
	if err != nil {
		return err
	}
	defer f.Close()
	syms, err := f.DynamicSymbols()
	if err != nil && len(exports) > 0 {
		return fmt.Errorf("%s: %w", lib, err)
	}
	defined := map[string]bool{}
	for _, s := range syms {
		if s.Section != elf.SHN_UNDEF {
			defined[s.Name] = true
		}
	}
	var missing []error
	for _, e := range exports {
		if !defined[e.name] {
			missing = append(missing, fmt.Errorf("%s:%d: %s is listed under EXPORTS, but no source defines it with C linkage", def, e.line, e.name))
		}
	}
	return errors.Join(missing...)
}

// run runs a tool; its messages go to the log when it succeeds and into the error when not.
func run(step string, args []string, verbose bool, log *logger) error {
	if verbose {
		log.write([]byte(shellWords(args) + "\n"))
	}
	out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
	if err != nil {
		return &ToolError{step, out, err}
	}
	log.write(out)
	return nil
}

// shellWords writes a command as a shell would read it back.
func shellWords(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=+/.,:@%") == "" {
			quoted[i] = a
		} else {
			quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(quoted, " ")
}
