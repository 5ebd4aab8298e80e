package benchutil

import (
	"bytes"
	"errors"
	"fmt"
	"os"
)

// WriteSection replaces what lies between the lines `<!-- name:begin -->` and
// `<!-- name:end -->` in the Markdown file path with body, leaving the rest of the file as it
// was, so that several benchmark commands can each own a section of one document. The
// section is appended when absent, and the file created, with reportHeader, when missing.
func WriteSection(path, name, body string) error {
	begin := []byte("<!-- " + name + ":begin -->\n")
	end := []byte("<!-- " + name + ":end -->\n")
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if len(old) == 0 {
		old = []byte(reportHeader)
	}
	var section bytes.Buffer
	section.Write(begin)
	section.WriteString(body)
	if len(body) > 0 && body[len(body)-1] != '\n' {
		section.WriteByte('\n')
	}
	section.Write(end)
	i, j := bytes.Index(old, begin), bytes.Index(old, end)
	var out []byte
	switch {
	case i < 0 && j < 0:
		out = old
		if len(out) > 0 && out[len(out)-1] != '\n' {
			out = append(out, '\n')
		}
		if len(out) > 0 {
			out = append(out, '\n')
		}
		out = append(out, section.Bytes()...)
	case i >= 0 && j > i:
		out = append(append(append([]byte{}, old[:i]...), section.Bytes()...), old[j+len(end):]...)
	default:
		return fmt.Errorf("%s: the %q section's markers are missing one end or out of order", path, name)
	}
	return os.WriteFile(path, out, 0o644)
}
