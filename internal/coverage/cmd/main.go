// Command cmd rewrites the API coverage table in README.md from the API description and the
// compiled host. Run from the repository root: go run ./internal/coverage/cmd
package main

import (
	"fmt"
	"os"

	"github.com/iishost/iishost/internal/apispec"
	"github.com/iishost/iishost/internal/coverage"
)

func main() {
	api, err := apispec.Load("api")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	reasons, _, err := coverage.LoadReasons("api/unimplemented.tsv")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	table, _ := coverage.Markdown(api, reasons)
	out, err := coverage.Splice(string(readme), table)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.WriteFile("README.md", []byte(out), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
