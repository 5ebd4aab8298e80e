package cabi

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestUtfConvert compiles and runs testdata/utf_convert, which checks the UTF-8 conversions in
// both wide forms: UTF-16 as Windows builds use it (with surrogate pairs and lone surrogates)
// and UTF-32 as Linux builds do. The cgo build of this package needs the same C++ compiler.
func TestUtfConvert(t *testing.T) {
	cxx := os.Getenv("CXX")
	if cxx == "" {
		cxx = "g++"
	}
	exe := filepath.Join(t.TempDir(), "utf_convert_test")
	build := exec.Command(cxx, "-std=c++17", "-Wall", "-Wextra", "-Werror", "-o", exe, filepath.Join("testdata", "utf_convert", "utf_convert_test.cpp"))
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(build.Args, " "), err, out)
	}
	out, err := exec.Command(exe).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Fatalf("utf_convert_test: %v\n%s", err, out)
	}
}
