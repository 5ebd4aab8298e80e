package main

import (
	"fmt"
	"strings"

	"github.com/iishost/iishost/internal/apispec"
)

// writeConstants emits every constant of one SDK header: enums as typedef'd C enums,
// the rest as #defines.
func writeConstants(b *strings.Builder, api *apispec.API, header string) {
	var order []string
	groups := map[string][]apispec.Constant{}
	for _, c := range api.Constants {
		if c.Header() != header {
			continue
		}
		key := c.Group
		if !c.IsEnum() {
			key = "#define " + c.Group
		}
		if _, seen := groups[key]; !seen {
			order = append(order, key)
		}
		groups[key] = append(groups[key], c)
	}
	for _, key := range order {
		cs := groups[key]
		if strings.HasPrefix(key, "#define ") {
			for _, c := range cs {
				fmt.Fprintf(b, "#define %s %s\n", c.Name, defineValue(c))
			}
			b.WriteString("\n")
			continue
		}
		name := cs[0].Group
		if cs[0].Name == "(none)" {
			// The SDK declares this enum with no enumerators, which only C++ allows.
			fmt.Fprintf(b, "#ifdef __cplusplus\ntypedef enum _%s { } %s;\n#else\ntypedef int %s;\n#endif\n\n", name, name, name)
			continue
		}
		fmt.Fprintf(b, "typedef enum _%s {\n", name)
		for _, c := range cs {
			fmt.Fprintf(b, "    %s = %s,\n", c.Name, c.Value)
		}
		fmt.Fprintf(b, "} %s, *P%s;\n\n", name, name)
	}
}

// defineValue is the macro body: the header's own expression where the table records one,
// otherwise the value with the width the notes give.
func defineValue(c apispec.Constant) string {
	if _, text, ok := strings.Cut(c.Notes, "#define text: "); ok {
		text, _, _ = strings.Cut(text, ";")
		return strings.TrimSpace(text)
	}
	switch {
	case strings.HasPrefix(c.Notes, "64-bit unsigned"):
		return "((ULONGLONG)" + c.Value + ")"
	case strings.HasPrefix(c.Notes, "32-bit unsigned") && strings.HasPrefix(c.Value, "0x"):
		return "((ULONG)" + c.Value + ")"
	}
	return c.Value
}
