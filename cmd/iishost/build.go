package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/iishost/iishost/internal/modbuild"
)

const buildUsage = `Usage: iishost build [flags] INPUT... [-- compiler flags]

Builds an IIS native module into a shared library (.so) against iishost's include/.

INPUT is:
  - C and C++ sources: .c compiles as C11; .cpp, .cc and .cxx as C++17, or as gnu++14 where a
    source or a header it includes has dynamic exception specifications such as throw(...);
  - a folder: every .c, .cpp, .cc and .cxx file directly in it;
  - a Visual Studio project (.vcxproj), alone: for the configuration -config names, its ClCompile
    sources (less those ExcludedFromBuild), PreprocessorDefinitions, AdditionalIncludeDirectories,
    CharacterSet (Unicode defines UNICODE and _UNICODE), CompileAs and ModuleDefinitionFile, as
    its conditions, $(Properties), %(Metadata) and imported property sheets set them. What cannot
    be read is warned about with its file and line.

Sources are read as MSVC on Windows reads them. UTF-16 files and UTF-8 files with a byte-order
mark are converted. #include "..." finds a file in any letter case, with \ or / between names,
in the including file's folder, then those of the files that included it, then the include
directories; #include <...> searches the include directories. MSVC-only pragmas (comment,
warning, region, managed, ...) are dropped. The compiler's messages name your files and lines.

Without a .def file the module exports RegisterModule and what is marked __declspec(dllexport).
With one, it exports exactly the names under EXPORTS (name, name=internal; ordinals, NONAME,
PRIVATE and DATA are accepted), and the build fails if a source does not define one.

Flags (-lNAME, -LDIR, -IDIR and -DNAME=V may be written joined):
`

const buildEnvironment = `
Arguments after -- go to the compiler, as -cflags do, when compiling and when linking.

Environment:
  CC, CXX                the C and C++ compilers (default gcc, g++; "ccache g++" works)
  IISHOST_CXX_STD        the C++ standard of every C++ source (c++17, gnu++14, ...)
  IISHOST_MODULE_CFLAGS  more compiler flags, such as sanitizers
  PKG_CONFIG_PATH        where -pkg looks for packages

Examples:
  iishost build -o mymodule.so mymodule.cpp helpers.cpp
  iishost build -config "Debug|x64" MyModule.vcxproj
  iishost build -def MyModule.def -pkg libxml-2.0 -lz src/ -- -fsanitize=address
`

// listFlag collects a repeatable flag's values in order.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// runBuild is `iishost build` (docs/design.md §16). Compiler messages and warnings go to stderr.
// -h prints the usage on stdout.
func runBuild(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("iishost build", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned; -h prints the usage below
	o := modbuild.Options{Log: stderr}
	var cflags string
	fs.StringVar(&o.Out, "o", "", "the library `file` to write (default NAME.so here: the project's TargetName or the first input's name)")
	fs.StringVar(&o.Config, "config", "", "a project's `Configuration|Platform`; the platform is x64 if left out (default "+modbuild.DefaultConfig+")")
	fs.StringVar(&o.Def, "def", "", "a module-definition `file` whose EXPORTS are all the module exports (replaces the project's)")
	fs.StringVar(&cflags, "cflags", "", "more compiler `flags`, split on spaces")
	fs.Var((*listFlag)(&o.IncludeDirs), "I", "an include `dir`ectory, searched after the project's, repeatable")
	fs.Var((*listFlag)(&o.Defines), "D", "define `NAME` or NAME=VALUE, repeatable")
	fs.Var((*listFlag)(&o.Libs), "l", "link the library `name`, repeatable")
	fs.Var((*listFlag)(&o.LibDirs), "L", "search `dir` for libraries, repeatable")
	fs.Var((*listFlag)(&o.Packages), "pkg", "use the pkg-config package `name`: its --cflags and --libs, repeatable")
	fs.BoolVar(&o.Verbose, "v", false, "print every command run")

	compilerArgs := []string{}
	for i, a := range args {
		if a == "--" {
			args, compilerArgs = args[:i], args[i+1:]
			break
		}
	}
	inputs, err := parseInterleaved(fs, splitJoined(fs, args))
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, buildUsage)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		fmt.Fprint(stdout, buildEnvironment)
		return err
	}
	if err != nil {
		return fmt.Errorf("%w (see iishost build -h)", err)
	}
	if len(inputs) == 0 {
		return errors.New("nothing to build: name sources, a folder of sources or a .vcxproj (see iishost build -h)")
	}
	o.Inputs = inputs
	o.Flags = append(strings.Fields(cflags), compilerArgs...)
	if o.Root, err = modbuild.Tree(); err != nil {
		return err
	}
	return modbuild.Build(o)
}

// parseInterleaved parses flags that may come before, between or after the inputs.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var inputs []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return inputs, nil
		}
		inputs = append(inputs, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// splitJoined writes compiler-style -lNAME, -LDIR, -IDIR and -DNAME=V as a flag and its value.
// Values of the flags defined are left alone, so -cflags -DX stays as it is.
func splitJoined(fs *flag.FlagSet, args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if f := fs.Lookup(name); f != nil && strings.HasPrefix(a, "-") {
			out = append(out, a)
			if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !hasValue && !(ok && b.IsBoolFlag()) && i+1 < len(args) {
				i++
				out = append(out, args[i])
			}
			continue
		}
		if len(a) > 2 && a[0] == '-' && strings.ContainsRune("lLID", rune(a[1])) {
			out = append(out, a[:2], a[2:])
			continue
		}
		out = append(out, a)
	}
	return out
}

// reportBuildError prints a failed build's errors; a tool's messages come first, as it printed
// them, then what failed.
func reportBuildError(w io.Writer, err error) {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			reportBuildError(w, e)
		}
		return
	}
	var tool *modbuild.ToolError
	if errors.As(err, &tool) {
		w.Write(tool.Output)
		fmt.Fprintf(w, "iishost build: %s: %v\n", tool.Step, tool.Err)
		return
	}
	fmt.Fprintf(w, "iishost build: %v\n", err)
}
