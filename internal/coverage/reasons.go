package coverage

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// Reasons says, for a set of methods, why they are as they are: why each method the host
// leaves at E_NOTIMPL is not implemented (api/unimplemented.tsv), or why one implemented as a
// no-op has nothing to do here (api/noop.tsv). Keys are interface then method signature as the table renders it
// (Signature); the signature "*" covers every unimplemented method of an interface.
type Reasons map[string]map[string]string

// Row is one reason as written in the file, with its line for error messages.
type Row struct {
	Line                         int
	Interface, Signature, Reason string
}

// LoadReasons reads a tab-separated file with the header "interface	method	reason".
func LoadReasons(path string) (Reasons, []Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := Reasons{}
	var rows []Row
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			if text != "interface\tmethod\treason" {
				return nil, nil, fmt.Errorf("%s:1: header must be \"interface\\tmethod\\treason\"", path)
			}
			continue
		}
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		cols := strings.Split(text, "\t")
		if len(cols) != 3 || cols[0] == "" || cols[1] == "" || strings.TrimSpace(cols[2]) == "" {
			return nil, nil, fmt.Errorf("%s:%d: want three non-empty tab-separated columns", path, line)
		}
		if r[cols[0]] == nil {
			r[cols[0]] = map[string]string{}
		}
		if _, dup := r[cols[0]][cols[1]]; dup {
			return nil, nil, fmt.Errorf("%s:%d: %s %s listed twice", path, line, cols[0], cols[1])
		}
		r[cols[0]][cols[1]] = cols[2]
		rows = append(rows, Row{Line: line, Interface: cols[0], Signature: cols[1], Reason: cols[2]})
	}
	return r, rows, sc.Err()
}

// For returns the reason for one method, or "".
func (r Reasons) For(iface, sig string) string {
	if why := r[iface][sig]; why != "" {
		return why
	}
	return r[iface]["*"]
}
