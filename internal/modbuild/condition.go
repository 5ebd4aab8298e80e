package modbuild

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// condition evaluates an MSBuild Condition: quoted strings and properties compared with ==, !=,
// <, >, <=, >=; and, or, !, parentheses; Exists() and HasTrailingSlash(). Comparisons ignore
// case, as MSBuild's do. An empty condition holds; one that cannot be read does not, with a
// warning.
func (ev *evaluator) condition(cond string, at where) bool {
	if strings.TrimSpace(cond) == "" {
		return true
	}
	toks, err := condTokens(cond)
	if err == nil {
		p := &condParser{ev: ev, at: at, toks: toks}
		var v condValue
		if v, err = p.or(); err == nil && p.pos < len(toks) {
			err = fmt.Errorf("unexpected %q", toks[p.pos].text)
		}
		var b bool
		if err == nil {
			if b, err = v.boolean(); err == nil {
				return b
			}
		}
	}
	ev.warn(at.warning("cannot read condition %s (%v); taken as false", cond, err))
	return false
}

type condToken struct {
	text   string
	quoted bool // a '...' string, text without the quotes
}

func condTokens(s string) ([]condToken, error) {
	var toks []condToken
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("unterminated string")
			}
			toks = append(toks, condToken{s[i+1 : i+1+end], true})
			i += end + 2
		case c == '$' && i+1 < len(s) && s[i+1] == '(':
			end := closingParen(s, i+1)
			if end < 0 {
				return nil, fmt.Errorf("unclosed $(")
			}
			toks = append(toks, condToken{s[i : end+1], true})
			i = end + 1
		case strings.HasPrefix(s[i:], "==") || strings.HasPrefix(s[i:], "!=") ||
			strings.HasPrefix(s[i:], "<=") || strings.HasPrefix(s[i:], ">="):
			toks = append(toks, condToken{s[i : i+2], false})
			i += 2
		case strings.ContainsRune("()!<>,", rune(c)):
			toks = append(toks, condToken{s[i : i+1], false})
			i++
		default:
			j := i
			for j < len(s) && (isWordByte(s[j])) {
				j++
			}
			if j == i {
				return nil, fmt.Errorf("unexpected %q", s[i:i+1])
			}
			toks = append(toks, condToken{s[i:j], false})
			i = j
		}
	}
	return toks, nil
}

func isWordByte(c byte) bool {
	return c == '_' || c == '.' || c == '-' || c == ':' || c >= '0' && c <= '9' || (c|0x20) >= 'a' && (c|0x20) <= 'z'
}

// condValue is a string, or the result of a test.
type condValue struct {
	s      string
	isBool bool
	b      bool
}

func (v condValue) boolean() (bool, error) {
	if v.isBool {
		return v.b, nil
	}
	switch strings.ToLower(v.s) {
	case "true", "on", "yes":
		return true, nil
	case "false", "off", "no":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean", v.s)
}

func (v condValue) str() string {
	if v.isBool {
		return strconv.FormatBool(v.b)
	}
	return v.s
}

func boolValue(b bool) condValue { return condValue{isBool: true, b: b} }

type condParser struct {
	ev   *evaluator
	at   where
	toks []condToken
	pos  int
}

// peek reports whether the next token is the operator or keyword word (case ignored).
func (p *condParser) peek(word string) bool {
	return p.pos < len(p.toks) && !p.toks[p.pos].quoted && strings.EqualFold(p.toks[p.pos].text, word)
}

func (p *condParser) or() (condValue, error) { return p.chain("or", p.and) }

func (p *condParser) and() (condValue, error) { return p.chain("and", p.not) }

// chain reads operands joined by a logical keyword; every operand is read, as MSBuild reads them.
func (p *condParser) chain(keyword string, next func() (condValue, error)) (condValue, error) {
	v, err := next()
	for err == nil && p.peek(keyword) {
		p.pos++
		var r condValue
		if r, err = next(); err != nil {
			break
		}
		var a, b bool
		if a, err = v.boolean(); err == nil {
			if b, err = r.boolean(); err == nil {
				v = boolValue(keyword == "or" && (a || b) || keyword == "and" && a && b)
			}
		}
	}
	return v, err
}

func (p *condParser) not() (condValue, error) {
	if p.peek("!") {
		p.pos++
		v, err := p.not()
		if err != nil {
			return v, err
		}
		b, err := v.boolean()
		return boolValue(!b), err
	}
	return p.compare()
}

func (p *condParser) compare() (condValue, error) {
	l, err := p.operand()
	if err != nil {
		return l, err
	}
	for _, op := range []string{"==", "!=", "<=", ">=", "<", ">"} {
		if !p.peek(op) {
			continue
		}
		p.pos++
		r, err := p.operand()
		if err != nil {
			return r, err
		}
		switch op {
		case "==":
			return boolValue(strings.EqualFold(l.str(), r.str())), nil
		case "!=":
			return boolValue(!strings.EqualFold(l.str(), r.str())), nil
		}
		a, errA := strconv.ParseFloat(l.str(), 64)
		b, errB := strconv.ParseFloat(r.str(), 64)
		if errA != nil || errB != nil {
			return l, fmt.Errorf("%s compares numbers, not %q and %q", op, l.str(), r.str())
		}
		return boolValue(op == "<" && a < b || op == ">" && a > b || op == "<=" && a <= b || op == ">=" && a >= b), nil
	}
	return l, nil
}

func (p *condParser) operand() (condValue, error) {
	if p.pos >= len(p.toks) {
		return condValue{}, fmt.Errorf("ends too soon")
	}
	t := p.toks[p.pos]
	p.pos++
	switch {
	case t.quoted:
		return condValue{s: p.ev.expand(t.text, p.at, nil)}, nil
	case t.text == "(":
		v, err := p.or()
		if err == nil && !p.peek(")") {
			err = fmt.Errorf("missing )")
		}
		p.pos++
		return v, err
	case p.peek("("):
		return p.call(t.text)
	}
	return condValue{s: t.text}, nil
}

// call runs the condition functions projects use on paths.
func (p *condParser) call(name string) (condValue, error) {
	p.pos++ // (
	arg, err := p.operand()
	if err != nil {
		return arg, err
	}
	if !p.peek(")") {
		return arg, fmt.Errorf("%s takes one argument", name)
	}
	p.pos++
	path := strings.TrimSpace(arg.str())
	switch strings.ToLower(name) {
	case "exists":
		return boolValue(path != "" && p.ev.names.path(filepath.Dir(p.at.file), path) != ""), nil
	case "hastrailingslash":
		return boolValue(strings.HasSuffix(path, "/") || strings.HasSuffix(path, `\`)), nil
	}
	return arg, fmt.Errorf("function %s is not supported", name)
}
