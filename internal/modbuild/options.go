package modbuild

import (
	"fmt"
	"io"
	"sync"
)

// Options say what Build compiles and how.
type Options struct {
	Root   string   // the iishost tree: modules compile against its include/
	Inputs []string // C/C++ sources, folders of sources, or one Visual Studio project (.vcxproj)
	// Out is the shared library to write; by default NAME.so in the working directory, NAME a
	// project's TargetName or the first input's name.
	Out string
	// Config is a project's "Configuration|Platform" (DefaultConfig when empty; the platform is
	// x64 when only a configuration is given).
	Config string
	// Def is a module-definition file: only the names under its EXPORTS are exported. It
	// replaces a project's ModuleDefinitionFile.
	Def         string
	IncludeDirs []string // searched after a project's own, for every source
	Defines     []string // NAME or NAME=VALUE, for every source
	Flags       []string // compiler flags, given when compiling and when linking
	Libs        []string // libraries to link, by name (m for libm)
	LibDirs     []string // folders the linker searches for them
	Packages    []string // pkg-config packages whose flags and libraries are used
	// Log receives warnings and the compiler's messages about sources that compiled, and with
	// Verbose every command run. Nil discards them.
	Log     io.Writer
	Verbose bool
}

// Warning is a problem that does not stop a build, at a place in the porter's files.
type Warning struct {
	File string
	Line int // 0 when the whole file is meant
	Msg  string
}

// String is written as compilers write their warnings, so that editors can jump to it.
func (w Warning) String() string {
	if w.Line > 0 {
		return fmt.Sprintf("%s:%d: warning: %s", w.File, w.Line, w.Msg)
	}
	return fmt.Sprintf("%s: warning: %s", w.File, w.Msg)
}

// logger writes a build's messages from its parallel compiles, each warning once.
type logger struct {
	mu   sync.Mutex
	w    io.Writer
	seen map[string]bool
}

func newLogger(w io.Writer) *logger {
	if w == nil {
		w = io.Discard
	}
	return &logger{w: w, seen: map[string]bool{}}
}

func (l *logger) warn(w Warning) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s := w.String(); !l.seen[s] {
		l.seen[s] = true
		fmt.Fprintln(l.w, s)
	}
}

func (l *logger) write(p []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.w.Write(p)
}
