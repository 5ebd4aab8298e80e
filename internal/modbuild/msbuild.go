package modbuild

import (
	"fmt"
	"os"
	"regexp"
	"strings"
)

// evaluator knows what MSBuild would while it reads a project: the properties set so far.
type evaluator struct {
	props map[string]string // by lower-case name
	fixed map[string]bool   // properties the project cannot set: global and reserved ones
	names *caseless
	warn  func(Warning)
}

// where is a place in a project file, for warnings.
type where struct {
	file string
	line int
}

func (w where) warning(format string, args ...any) Warning {
	return Warning{w.file, w.line, fmt.Sprintf(format, args...)}
}

// metaFunc answers %(Name) where item metadata may be used; ok false means unknown.
type metaFunc func(name string) (value string, ok bool)

var propertyName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

func (ev *evaluator) get(name string) (string, bool) {
	v, ok := ev.props[strings.ToLower(name)]
	return v, ok
}

// set records a property the project defines; global and reserved ones keep their value.
func (ev *evaluator) set(name, value string) {
	if !ev.fixed[strings.ToLower(name)] {
		ev.props[strings.ToLower(name)] = value
	}
}

// expand replaces $(Property) and %(Metadata) references. What is not known reads as empty,
// with a warning at `at`, as an unset property would in MSBuild.
func (ev *evaluator) expand(s string, at where, meta metaFunc) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c == '$' || c == '%' || c == '@') && i+1 < len(s) && s[i+1] == '(' {
			if end := closingParen(s, i+1); end > 0 {
				b.WriteString(ev.reference(c, s[i+2:end], at, meta))
				i = end
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// closingParen finds the parenthesis that closes the one at open, or -1.
func closingParen(s string, open int) int {
	depth := 0
	for j := open; j < len(s); j++ {
		switch s[j] {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return j
			}
		}
	}
	return -1
}

func (ev *evaluator) reference(kind byte, name string, at where, meta metaFunc) string {
	switch kind {
	case '$':
		if !propertyName.MatchString(name) {
			ev.warn(at.warning("$(%s) is a property function, which is not evaluated; read as empty", name))
			return ""
		}
		if v, ok := ev.get(name); ok {
			return v
		}
		// MSBuild reads environment variables as properties.
		if v, ok := os.LookupEnv(name); ok {
			return v
		}
		ev.warn(at.warning("unknown property $(%s), read as empty", name))
	case '%':
		if _, short, ok := strings.Cut(name, "."); ok {
			name = short // %(ClCompile.PreprocessorDefinitions)
		}
		if meta != nil {
			if v, ok := meta(name); ok {
				return v
			}
		}
		ev.warn(at.warning("unknown item metadata %%(%s), dropped", name))
	case '@':
		ev.warn(at.warning("item list @(%s) is not evaluated; dropped", name))
	}
	return ""
}

// splitList splits an MSBuild list on ';', trimming entries and dropping empty ones.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ";") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
