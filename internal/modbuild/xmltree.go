package modbuild

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
)

// element is an XML element with the line it starts on, so that messages can point at it.
type element struct {
	name     string            // local name, namespace dropped
	attrs    map[string]string // by local name
	text     string            // the character data directly inside, trimmed
	children []*element
	line     int
}

// attr returns an attribute by name, ignoring case as MSBuild does.
func (e *element) attr(name string) string {
	for k, v := range e.attrs {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// parseXML reads a document (any encoding toUTF8 understands) into elements.
func parseXML(data []byte) (*element, error) {
	text, _, err := toUTF8(data)
	if err != nil {
		return nil, err
	}
	d := xml.NewDecoder(bytes.NewReader(text))
	// The text is UTF-8 by now, whatever the declaration says.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var root *element
	var stack []*element
	var chars [][]byte // the character data of each open element
	line, seen := 1, 0
	for {
		off := int(d.InputOffset())
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		line += bytes.Count(text[seen:off], []byte("\n"))
		seen = off
		switch t := tok.(type) {
		case xml.StartElement:
			e := &element{name: t.Name.Local, attrs: map[string]string{}, line: line}
			for _, a := range t.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, e)
			} else if root == nil {
				root = e
			}
			stack = append(stack, e)
			chars = append(chars, nil)
		case xml.CharData:
			if len(chars) > 0 {
				chars[len(chars)-1] = append(chars[len(chars)-1], t...)
			}
		case xml.EndElement:
			stack[len(stack)-1].text = strings.TrimSpace(string(chars[len(chars)-1]))
			stack, chars = stack[:len(stack)-1], chars[:len(chars)-1]
		}
	}
	if root == nil {
		return nil, io.ErrUnexpectedEOF
	}
	return root, nil
}
