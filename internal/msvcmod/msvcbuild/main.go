// Command msvcbuild builds a module's sources into an MSVC-ABI .dll (see package msvcmod):
//
//	msvcbuild -o OUT.dll SRC... [-- extra compiler flags]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/iishost/iishost/internal/msvcmod"
)

func main() {
	out := flag.String("o", "", "the .dll to write")
	flag.Parse()
	args := flag.Args()
	var extra []string
	if i := slices.Index(args, "--"); i >= 0 {
		args, extra = args[:i], args[i+1:]
	}
	if *out == "" || len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: msvcbuild -o OUT.dll SRC... [-- extra compiler flags]")
		os.Exit(2)
	}
	// The tools run from this folder; absolute paths keep the caller's meaning.
	for i, a := range args {
		if abs, err := filepath.Abs(a); err == nil {
			args[i] = abs
		}
	}
	target, err := filepath.Abs(*out)
	if err == nil {
		err = msvcmod.Build(context.Background(), args, target, extra...)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
