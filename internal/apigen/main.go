// Command apigen writes the generated headers and host stubs from the API description in api/.
//
// Run it from the repository root (go generate ./... does): `go run ./internal/apigen`.
// With -check it writes nothing and fails when a generated file is out of date.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/iishost/iishost/internal/apispec"
)

func main() {
	root := flag.String("root", ".", "repository root")
	check := flag.Bool("check", false, "only verify that the generated files are current")
	flag.Parse()
	api, err := apispec.Load(filepath.Join(*root, "api"))
	if err != nil {
		fail(err)
	}
	stale := 0
	for path, content := range Generate(api) {
		full := filepath.Join(*root, path)
		old, _ := os.ReadFile(full)
		if bytes.Equal(old, content) {
			continue
		}
		if *check {
			fmt.Fprintf(os.Stderr, "apigen: %s is out of date; run go run ./internal/apigen\n", path)
			stale++
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			fail(err)
		}
		if err := os.WriteFile(full, content, 0o644); err != nil {
			fail(err)
		}
	}
	if stale > 0 {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "apigen:", err)
	os.Exit(1)
}
