package frontdoor

import "strings"

func isSeparator(r rune) bool { return r == '/' || r == '\\' }

// CanonicalPath turns a percent-decoded URL path into the path HTTP.sys hands on: '\' is read
// as '/', empty and "." segments go, ".." removes the segment before it, and a trailing
// separator is kept (RFC 3986 §5.2.4). It refuses control characters (HTTP.sys's restricted
// characters), a ".." that climbs above the root, and segments past the limits.
func CanonicalPath(p string, l *Limits) (string, *Refusal) {
	if p == "" {
		return "/", nil
	}
	if clean, ok := alreadyCanonical(p, l); ok {
		return clean, nil
	}
	segments := make([]string, 0, 8)
	for _, seg := range strings.FieldsFunc(p, isSeparator) {
		switch seg {
		case ".":
		case "..":
			if len(segments) == 0 {
				return "", errBadURL
			}
			segments = segments[:len(segments)-1]
		default:
			if bad := checkSegment(seg, l); bad != nil {
				return "", bad
			}
			segments = append(segments, seg)
		}
	}
	last := p[strings.LastIndexAny(p, "/\\")+1:]
	trailing := last == "" || last == "." || last == ".."
	if len(segments) > l.MaxSegments {
		return "", errBadURL
	}
	var b strings.Builder
	b.Grow(len(p) + 1)
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(s)
	}
	if trailing || len(segments) == 0 {
		b.WriteByte('/')
	}
	return b.String(), nil
}

// alreadyCanonical is the fast path for the usual request: one pass, no allocation.
func alreadyCanonical(p string, l *Limits) (string, bool) {
	if p[0] != '/' {
		return "", false
	}
	segments, start := 0, 1
	for i := 1; i <= len(p); i++ {
		if i < len(p) && p[i] != '/' {
			if c := p[i]; c < 0x20 || c == 0x7f || c == '\\' || (c == 0xc2 && i+1 < len(p) && p[i+1] >= 0x80 && p[i+1] <= 0x9f) {
				return "", false
			}
			continue
		}
		seg := p[start:i]
		if seg == "" && i < len(p) || seg == "." || seg == ".." || len(seg) > l.MaxSegmentLength {
			return "", false
		}
		if seg != "" {
			segments++
		}
		start = i + 1
	}
	return p, segments <= l.MaxSegments
}

// checkSegment refuses a decoded segment HTTP.sys would not accept.
func checkSegment(seg string, l *Limits) *Refusal {
	if len(seg) > l.MaxSegmentLength {
		return errBadURL
	}
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		// C0 controls, DEL, and the C1 controls U+0080..U+009F (UTF-8 C2 80..C2 9F).
		if c < 0x20 || c == 0x7f || (c == 0xc2 && i+1 < len(seg) && seg[i+1] >= 0x80 && seg[i+1] <= 0x9f) {
			return errBadURL
		}
	}
	return nil
}
