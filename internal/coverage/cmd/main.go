// Command cmd rewrites the API coverage table in docs/coverage.md from the API description,
// api/unimplemented.tsv, api/noop.tsv and the compiled host. Run from the repository root:
// go run ./internal/coverage/cmd
package main

import (
	"fmt"
	"os"

	"github.com/iishost/iishost/internal/coverage"
)

func main() {
	want, _, _, err := coverage.Generate(".")
	if err == nil {
		err = os.WriteFile(coverage.Document, []byte(want), 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
