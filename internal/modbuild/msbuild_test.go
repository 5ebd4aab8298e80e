package modbuild

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

func testEvaluator(warnings *[]string) *evaluator {
	return &evaluator{
		props: map[string]string{"configuration": "Release", "platform": "x64", "projectdir": "/p/"},
		fixed: map[string]bool{}, names: newCaseless(),
		warn: func(w Warning) { *warnings = append(*warnings, w.String()) },
	}
}

func TestExpand(t *testing.T) {
	t.Setenv("IISHOST_TEST_ENV", "from-env")
	at := where{"p.vcxproj", 7}
	meta := func(name string) (string, bool) {
		if name == "Filename" {
			return "main", true
		}
		return "", false
	}
	tests := []struct {
		in, out  string
		warnings []string
	}{
		{"$(ProjectDir)inc;$(CONFIGURATION)|$(Platform)", "/p/inc;Release|x64", nil},
		{"$(IISHOST_TEST_ENV)", "from-env", nil},
		{"a$(NoSuchProperty)b", "ab", []string{"p.vcxproj:7: warning: unknown property $(NoSuchProperty), read as empty"}},
		{"$([System.IO.Path]::Combine($(ProjectDir), 'x'))", "", []string{"p.vcxproj:7: warning: $([System.IO.Path]::Combine($(ProjectDir), 'x')) is a property function, which is not evaluated; read as empty"}},
		{"%(Filename).obj;%(ClCompile.Filename)", "main.obj;main", nil},
		{"%(Other)", "", []string{"p.vcxproj:7: warning: unknown item metadata %(Other), dropped"}},
		{"@(ClCompile)", "", []string{"p.vcxproj:7: warning: item list @(ClCompile) is not evaluated; dropped"}},
		{"50% $(", "50% $(", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var warnings []string
			assert.Equal(t, tt.out, testEvaluator(&warnings).expand(tt.in, at, meta))
			assert.Equal(t, tt.warnings, warnings)
		})
	}
}

func TestCondition(t *testing.T) {
	dir := writeTree(t, t.TempDir(), map[string][]byte{"Sheet.props": nil})
	at := where{filepath.Join(dir, "p.vcxproj"), 3}
	tests := []struct {
		cond    string
		want    bool
		warning string
	}{
		{"", true, ""},
		{"'$(Configuration)|$(Platform)'=='Release|x64'", true, ""},
		{" '$(Configuration)|$(Platform)' == 'release|X64' ", true, ""},
		{"'$(Configuration)|$(Platform)'=='Debug|x64'", false, ""},
		{"'$(Configuration)' != 'Debug' and '$(Platform)'=='x64'", true, ""},
		{"'$(Configuration)'=='Debug' or ('$(Platform)'=='x64' AND !false)", true, ""},
		{"$(Configuration) == Release", true, ""},
		{"Exists('sheet.PROPS') and !exists('none.props')", true, ""},
		{"HasTrailingSlash('$(ProjectDir)')", true, ""},
		{"'10' < '9'", false, ""},
		{"'$(Configuration)' >= '9'", false, `p.vcxproj:3: warning: cannot read condition '$(Configuration)' >= '9' (>= compares numbers, not "Release" and "9"); taken as false`},
		{"'a' == ", false, `p.vcxproj:3: warning: cannot read condition 'a' ==  (ends too soon); taken as false`},
		{"'a", false, `p.vcxproj:3: warning: cannot read condition 'a (unterminated string); taken as false`},
		{"'a' == 'a' 'b'", false, `p.vcxproj:3: warning: cannot read condition 'a' == 'a' 'b' (unexpected "b"); taken as false`},
		{"Foo('x')", false, `p.vcxproj:3: warning: cannot read condition Foo('x') (function Foo is not supported); taken as false`},
		{"'maybe'", false, `p.vcxproj:3: warning: cannot read condition 'maybe' ("maybe" is not a boolean); taken as false`},
	}
	for _, tt := range tests {
		t.Run(tt.cond, func(t *testing.T) {
			var warnings []string
			assert.Equal(t, tt.want, testEvaluator(&warnings).condition(tt.cond, at))
			if tt.warning == "" {
				assert.Empty(t, warnings)
			} else {
				assert.Equal(t, []string{filepath.Join(dir, tt.warning)}, warnings)
			}
		})
	}
}
