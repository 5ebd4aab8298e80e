package host

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// xmlReader walks an XML document's tokens once, remembering where each starts, for the
// configuration and schema parsers; each element handler consumes its element up to the end tag.
type xmlReader struct {
	d       *xml.Decoder
	kind    string // configError's
	source  string
	at      configPos       // start of the token read last
	onToken func(xml.Token) // sees every token read; may be nil
}

func (r *xmlReader) errorf(at configPos, format string, args ...any) error {
	return &configError{kind: r.kind, source: r.source, at: at, err: fmt.Errorf(format, args...)}
}

// next reads one token, remembering where it starts. io.EOF is returned unwrapped.
func (r *xmlReader) next() (xml.Token, error) {
	line, col := r.d.InputPos()
	r.at = configPos{line, col}
	tok, err := r.d.Token()
	switch {
	case err == nil:
		if r.onToken != nil {
			r.onToken(tok)
		}
		return tok, nil
	case err == io.EOF:
		return tok, err
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return nil, r.errorf(r.at, "malformed XML: %s", se.Msg)
	}
	return nil, &configError{kind: r.kind, source: r.source, at: r.at, err: err}
}

// children calls fn for each child element of the element just read, up to its end tag. fn must
// consume the child (by calling children or skip).
func (r *xmlReader) children(fn func(el xml.StartElement, at configPos) error) error {
	for {
		tok, err := r.next()
		if err == io.EOF {
			return r.errorf(r.at, "malformed XML: unexpected EOF")
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(t, r.at); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// skip consumes an element that has no use here, still checking that it is well formed.
func (r *xmlReader) skip() error {
	return r.children(func(xml.StartElement, configPos) error { return r.skip() })
}
