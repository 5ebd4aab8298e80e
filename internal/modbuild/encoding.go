package modbuild

import (
	"bytes"
	"errors"
	"unicode/utf16"
	"unicode/utf8"
)

// toUTF8 returns a source file's text as UTF-8. Visual Studio saves files as UTF-16 or as UTF-8
// with a byte-order mark; both are converted here because gcc reads neither. Text without a mark
// is returned as it is. wide reports a UTF-16 original, whose lines gcc cannot quote back.
func toUTF8(data []byte) (text []byte, wide bool, err error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], false, nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		text, err = fromUTF16(data[2:], func(b []byte) uint16 { return uint16(b[0]) | uint16(b[1])<<8 })
		return text, true, err
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		text, err = fromUTF16(data[2:], func(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) })
		return text, true, err
	}
	return data, false, nil
}

func fromUTF16(data []byte, unit func([]byte) uint16) ([]byte, error) {
	if len(data)%2 != 0 {
		return nil, errors.New("UTF-16 text with an odd number of bytes")
	}
	units := make([]uint16, len(data)/2)
	for i := range units {
		units[i] = unit(data[2*i:])
	}
	out := make([]byte, 0, len(units))
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	return out, nil
}
