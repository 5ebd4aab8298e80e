package host

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/iishost/iishost/internal/cabi"
)

// Parse types an attribute's text as the schema declares it, giving the VARIANT modules read
// through IAppHostProperty::get_Value and the text get_StringValue answers:
//
//	bool      VT_BOOL; text "true" or "false" (written in any case)
//	int       VT_I4
//	uint      VT_UI4
//	int64     VT_I8
//	string    VT_BSTR, as written
//	enum      VT_I4 of the named value; text the declared name (a number that is a declared value is
//	          accepted too)
//	flags     VT_I4 of the named values OR-ed; text their declared names joined by ", "
//	timeSpan  VT_UI8 of 100-nanosecond ticks, the unit module helpers divide by 10000 to get
//	          milliseconds; text [d.]hh:mm:ss[.fffffff]
//
// The declared validation is applied: integerRange ("min,max", with ",exclude" to forbid that
// range instead) and nonEmptyString; other validation types are not checked.
func (a *SchemaAttribute) parse(text string) (cabi.ConfigAttribute, error) {
	v := cabi.ConfigAttribute{Name: a.Name, Text: text}
	var err error
	switch a.Type {
	case "bool":
		v.Type = cabi.VTBool
		switch strings.ToLower(text) {
		case "true":
			v.Number, v.Text = 1, "true"
		case "false":
			v.Text = "false"
		default:
			err = fmt.Errorf("%q is not true or false", text)
		}
	case "int":
		v.Type = cabi.VTI4
		v.Number, err = strconv.ParseInt(strings.TrimSpace(text), 10, 32)
	case "uint":
		v.Type = cabi.VTUI4
		var n uint64
		n, err = strconv.ParseUint(strings.TrimSpace(text), 10, 32)
		v.Number = int64(n)
	case "int64":
		v.Type = cabi.VTI8
		v.Number, err = strconv.ParseInt(strings.TrimSpace(text), 10, 64)
	case "string":
		v.Type = cabi.VTBSTR
	case "enum":
		v.Type = cabi.VTI4
		v.Number, v.Text, err = a.enumValue(strings.TrimSpace(text))
	case "flags":
		v.Type = cabi.VTI4
		v.Number, v.Text, err = a.flagsValue(text)
	case "timeSpan":
		v.Type = cabi.VTUI8
		var ticks uint64
		ticks, err = parseTimeSpan(text, a.TimeSpanFormat)
		v.Number, v.Text = int64(ticks), formatTimeSpan(ticks)
	default:
		err = fmt.Errorf("unknown type %q", a.Type)
	}
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok {
			err = fmt.Errorf("%q is not a %s value", text, a.Type)
			if ne.Err == strconv.ErrRange {
				err = fmt.Errorf("%q is out of range for %s", text, a.Type)
			}
		}
		return v, err
	}
	return v, a.validate(v)
}

// Zero is the value of an attribute that is not set and declares no default: IIS's empty value
// of its type.
func (a *SchemaAttribute) zero() cabi.ConfigAttribute {
	switch a.Type {
	case "bool":
		return cabi.ConfigAttribute{Name: a.Name, Type: cabi.VTBool, Text: "false"}
	case "string":
		return cabi.ConfigAttribute{Name: a.Name, Type: cabi.VTBSTR}
	case "enum", "flags":
		v := cabi.ConfigAttribute{Name: a.Name, Type: cabi.VTI4}
		for _, e := range a.Values {
			if e.Value == 0 {
				v.Text = e.Name
				break
			}
		}
		return v
	case "timeSpan":
		return cabi.ConfigAttribute{Name: a.Name, Type: cabi.VTUI8, Text: formatTimeSpan(0)}
	}
	return cabi.ConfigAttribute{Name: a.Name, Type: map[string]uint16{"int": cabi.VTI4, "uint": cabi.VTUI4, "int64": cabi.VTI8}[a.Type], Text: "0"}
}

// DefaultValue is what an unset attribute reads: its defaultValue, typed, or Zero.
func (a *SchemaAttribute) defaultValue() cabi.ConfigAttribute {
	if a.HasDefault {
		if v, err := a.parse(a.Default); err == nil { // checked when the schema was read
			return v
		}
	}
	return a.zero()
}

func (a *SchemaAttribute) enumValue(text string) (int64, string, error) {
	for _, e := range a.Values {
		if strings.EqualFold(e.Name, text) {
			return e.Value, e.Name, nil
		}
	}
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		for _, e := range a.Values {
			if e.Value == n {
				return e.Value, e.Name, nil
			}
		}
	}
	return 0, text, fmt.Errorf("%q is not one of %s", text, a.valueNames())
}

func (a *SchemaAttribute) flagsValue(text string) (int64, string, error) {
	var n int64
	for _, part := range strings.Split(text, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		v, _, err := a.enumValue(part)
		if err != nil {
			return 0, text, fmt.Errorf("%q is not a combination of %s", text, a.valueNames())
		}
		n |= v
	}
	// The canonical text names each declared value whose bits are all set, in declaration order;
	// a zero value names the empty set.
	var names []string
	for _, e := range a.Values {
		if (e.Value == 0 && n == 0) || (e.Value != 0 && n&e.Value == e.Value) {
			names = append(names, e.Name)
		}
	}
	return n, strings.Join(names, ", "), nil
}

func (a *SchemaAttribute) valueNames() string {
	names := make([]string, len(a.Values))
	for i, e := range a.Values {
		names[i] = e.Name
	}
	return strings.Join(names, ", ")
}

func (a *SchemaAttribute) validate(v cabi.ConfigAttribute) error {
	switch strings.ToLower(a.ValidationType) {
	case "integerrange":
		parts := strings.Split(a.ValidationParameter, ",")
		if len(parts) < 2 {
			return nil
		}
		lo, err1 := strconv.ParseInt(strings.TrimSpace(parts[0]), 10, 64)
		hi, err2 := strconv.ParseInt(strings.TrimSpace(parts[1]), 10, 64)
		if err1 != nil || err2 != nil {
			return nil
		}
		exclude := len(parts) > 2 && strings.EqualFold(strings.TrimSpace(parts[2]), "exclude")
		in := v.Number >= lo && v.Number <= hi
		if in == exclude {
			if exclude {
				return fmt.Errorf("%s must not be from %d to %d", v.Text, lo, hi)
			}
			return fmt.Errorf("%s is not from %d to %d", v.Text, lo, hi)
		}
	case "nonemptystring":
		if v.Text == "" {
			return fmt.Errorf("it must not be empty")
		}
	}
	return nil
}

const ticksPerSecond = 10_000_000

// parseTimeSpan reads [d.]hh:mm[:ss[.fffffff]], or a bare number in the unit format names.
func parseTimeSpan(text, format string) (uint64, error) {
	bad := fmt.Errorf("%q is not a time span ([d.]hh:mm:ss)", text)
	s := strings.TrimSpace(text)
	if !strings.Contains(s, ":") {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, bad
		}
		unit := uint64(86400) // .NET's TimeSpan reads a bare number as days
		switch strings.ToLower(format) {
		case "seconds":
			unit = 1
		case "minutes":
			unit = 60
		}
		if n > math.MaxUint64/(unit*ticksPerSecond) {
			return 0, bad
		}
		return n * unit * ticksPerSecond, nil
	}
	var days uint64
	if d, rest, ok := strings.Cut(s, "."); ok && !strings.Contains(d, ":") {
		var err error
		if days, err = strconv.ParseUint(d, 10, 32); err != nil {
			return 0, bad
		}
		s = rest
	}
	var frac uint64
	if hms, f, ok := strings.Cut(s, "."); ok {
		if len(f) == 0 || len(f) > 7 {
			return 0, bad
		}
		n, err := strconv.ParseUint(f, 10, 64)
		if err != nil {
			return 0, bad
		}
		for i := len(f); i < 7; i++ {
			n *= 10
		}
		frac, s = n, hms
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, bad
	}
	limits := []uint64{23, 59, 59}
	var secs uint64
	for i, p := range parts {
		n, err := strconv.ParseUint(p, 10, 32)
		if err != nil || n > limits[i] {
			return 0, bad
		}
		secs = secs*60 + n
	}
	if len(parts) == 2 {
		secs *= 60
	}
	return (days*86400+secs)*ticksPerSecond + frac, nil
}

// formatTimeSpan writes ticks as .NET's TimeSpan does: [d.]hh:mm:ss[.fffffff].
func formatTimeSpan(ticks uint64) string {
	secs, frac := ticks/ticksPerSecond, ticks%ticksPerSecond
	s := fmt.Sprintf("%02d:%02d:%02d", secs/3600%24, secs/60%60, secs%60)
	if d := secs / 86400; d > 0 {
		s = strconv.FormatUint(d, 10) + "." + s
	}
	if frac > 0 {
		s += fmt.Sprintf(".%07d", frac)
	}
	return s
}
