package modbuild

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// utf16Text encodes s as UTF-16 with a byte-order mark, little- or big-endian.
func utf16Text(s string, little bool) []byte {
	out := []byte{0xFE, 0xFF}
	if little {
		out = []byte{0xFF, 0xFE}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if little {
			out = append(out, byte(u), byte(u>>8))
		} else {
			out = append(out, byte(u>>8), byte(u))
		}
	}
	return out
}

// writeTree writes files (path relative to dir -> content) and returns dir.
func writeTree(t *testing.T, dir string, files map[string][]byte) string {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, data, 0o644))
	}
	return dir
}

func TestStage(t *testing.T) {
	d := writeTree(t, t.TempDir(), map[string][]byte{
		"proj/Main.cpp": utf16Text("#include \"Sub\\Inner.H\"\r\n"+ // the including folder, any case, \ separators
			"#include <Api.h>\r\n"+ // an include directory
			"  #  include <Windows.h> // iishost's windows.h\r\n"+
			"#include \"missing.h\"\r\n"+ // left for the compiler to report
			"#pragma comment(lib, \"ws2_32.lib\")\r\n"+
			"#pragma warning(push, \\\r\n"+
			"    3)\r\n"+
			"#pragma once\r\n"+
			"#pragma comment(linker, \"/EXPORT:Foo\")\r\n"+
			"#pragma region Mine\r\n"+
			"int line11;\r\n", false),
		"proj/sub/inner.h":  []byte("#include \"config.h\"\n"), // found in the includer's folder
		"proj/config.h":     []byte("\xEF\xBB\xBFvoid f() throw(int);\n"),
		"api/api.h":         []byte("int api;\n"),
		"include/windows.h": []byte("\n"),
	})
	var warnings []string
	st := &stager{names: newCaseless(), include: filepath.Join(d, "include"), warn: func(w Warning) { warnings = append(warnings, w.String()) }}
	stage := filepath.Join(d, "stage")
	su, err := st.stage(stage, unit{src: filepath.Join(d, "proj", "Main.cpp"), cxx: true, includeDirs: []string{filepath.Join(d, "api")}})
	require.NoError(t, err)

	copyOf := func(orig string) string { return filepath.Join(stage, d, orig) }
	assert.Equal(t, copyOf("proj/Main.cpp"), su.main)
	assert.Equal(t, map[string]string{
		filepath.Join(d, "proj/Main.cpp"):    copyOf("proj/Main.cpp"),
		filepath.Join(d, "proj/sub/inner.h"): copyOf("proj/sub/inner.h"),
		filepath.Join(d, "proj/config.h"):    copyOf("proj/config.h"),
		filepath.Join(d, "api/api.h"):        copyOf("api/api.h"),
	}, su.copies)
	assert.True(t, su.wide, "Main.cpp is UTF-16")
	assert.True(t, su.throwSpecs, "config.h has throw(int)")

	read := func(p string) string {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		return string(data)
	}
	assert.Equal(t, "#line 1 \""+filepath.Join(d, "proj/Main.cpp")+"\"\n"+
		"#include \""+copyOf("proj/sub/inner.h")+"\"\r\n"+
		"#include \""+copyOf("api/api.h")+"\"\r\n"+
		"  #  include <windows.h> // iishost's windows.h\r\n"+
		"#include \"missing.h\"\r\n"+
		"\r\n\r\n\r\n"+
		"#pragma once\r\n"+
		"\r\n\r\n"+
		"int line11;\r\n", read(su.main))
	assert.Equal(t, "#line 1 \""+filepath.Join(d, "proj/sub/inner.h")+"\"\n#include \""+copyOf("proj/config.h")+"\"\n", read(copyOf("proj/sub/inner.h")))
	assert.Equal(t, "#line 1 \""+filepath.Join(d, "proj/config.h")+"\"\nvoid f() throw(int);\n", read(copyOf("proj/config.h")))
	assert.Equal(t, []string{filepath.Join(d, "proj/Main.cpp") + ":9: warning: #pragma comment(linker, ...) is not applied; list exports in a .def file"}, warnings)
}

func TestStageAngleIncludesSkipTheIncludingFolder(t *testing.T) {
	d := writeTree(t, t.TempDir(), map[string][]byte{
		"a.c":        []byte("#include <local.h>\n#include \"LOCAL.H\"\n"),
		"local.h":    []byte("\n"),
		"inc/a b.h":  []byte("\n"),
		"inc/x/y.h":  []byte("#include \"../A B.h\"\n"),
		"b.c":        []byte("#include <X\\Y.h>\n"),
		"include/.k": nil,
	})
	st := &stager{names: newCaseless(), include: filepath.Join(d, "include"), warn: func(Warning) {}}
	su, err := st.stage(filepath.Join(d, "s1"), unit{src: filepath.Join(d, "a.c")})
	require.NoError(t, err)
	data, err := os.ReadFile(su.main)
	require.NoError(t, err)
	assert.Equal(t, "#line 1 \""+filepath.Join(d, "a.c")+"\"\n#include <local.h>\n#include \""+filepath.Join(d, "s1", d, "local.h")+"\"\n", string(data))

	su, err = st.stage(filepath.Join(d, "s2"), unit{src: filepath.Join(d, "b.c"), includeDirs: []string{filepath.Join(d, "inc")}})
	require.NoError(t, err)
	assert.Contains(t, su.copies, filepath.Join(d, "inc/a b.h"), "`..` inside a found header's name")
}

func TestStageErrors(t *testing.T) {
	d := writeTree(t, t.TempDir(), map[string][]byte{"odd.cpp": {0xFF, 0xFE, 'x'}})
	st := &stager{names: newCaseless(), include: d, warn: func(Warning) {}}
	_, err := st.stage(filepath.Join(d, "s"), unit{src: filepath.Join(d, "odd.cpp")})
	assert.EqualError(t, err, filepath.Join(d, "odd.cpp")+": UTF-16 text with an odd number of bytes")
}

func TestToUTF8(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		out  string
		wide bool
	}{
		{"UTF-16LE", utf16Text("é\U0001F600\r\n", true), "é\U0001F600\r\n", true},
		{"UTF-16BE", utf16Text("é\U0001F600\r\n", false), "é\U0001F600\r\n", true},
		{"UTF-8 with a mark", []byte("\xEF\xBB\xBFé"), "é", false},
		{"no mark", []byte("plain \xE9"), "plain \xE9", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, wide, err := toUTF8(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.out, string(out))
			assert.Equal(t, tt.wide, wide)
		})
	}
}

func TestCaseless(t *testing.T) {
	d := writeTree(t, t.TempDir(), map[string][]byte{"Inc/Helper.h": nil, "Inc/helper.H": nil, "Inc/only.h": nil})
	c := newCaseless()
	assert.Equal(t, filepath.Join(d, "Inc/helper.H"), c.file(d, `inc\helper.H`), "an exact name wins")
	assert.Equal(t, filepath.Join(d, "Inc/Helper.h"), c.file(d, "INC/HELPER.h"), "else the first folded match, in name order")
	assert.Equal(t, filepath.Join(d, "Inc/only.h"), c.file(filepath.Join(d, "Inc"), `..\inc\.\ONLY.H`))
	assert.Equal(t, "", c.file(d, "inc"), "a folder is no file")
	assert.Equal(t, filepath.Join(d, "Inc"), c.dir(d, "INC"))
	assert.Equal(t, "", c.file(d, `C:\inc\only.h`), "a drive letter names nothing here")
	assert.Equal(t, filepath.Join(d, "Inc/only.h"), c.file("/elsewhere", filepath.Join(d, "inc/only.h")))
}
