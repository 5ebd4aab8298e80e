package modbuild

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadDef(t *testing.T) {
	def := filepath.Join(t.TempDir(), "m.def")
	require.NoError(t, os.WriteFile(def, []byte(""+
		"; exports of m\r\n"+
		"LIBRARY \"m\"\r\n"+
		"DESCRIPTION 'not an export'\r\n"+
		"EXPORTS RegisterModule\r\n"+
		"   Plain            ; a comment\r\n"+
		"   Alias = Target   @3 NONAME\r\n"+
		"   Other=Target2 @ 4 PRIVATE\r\n"+
		"   Table DATA\r\n"+
		"   ?Mangled@@YAXXZ\r\n"+
		"   Forward=other.Func\r\n"+
		"   Odd SOMETHING\r\n"+
		"SECTIONS\r\n"+
		"   .shared READ WRITE SHARED\r\n"), 0o644))
	var warnings []string
	exports, err := readDef(def, func(w Warning) { warnings = append(warnings, w.String()) })
	require.NoError(t, err)
	assert.Equal(t, []export{
		{"RegisterModule", "", 4}, {"Plain", "", 5}, {"Alias", "Target", 6}, {"Other", "Target2", 7}, {"Table", "", 8},
	}, exports)
	assert.Equal(t, []string{
		def + `:9: warning: export ?Mangled@@YAXXZ: ?Mangled@@YAXXZ is not a C name (an MSVC-decorated C++ name?); give the function extern "C" and list its plain name; entry skipped`,
		def + ":10: warning: export Forward forwards to another DLL (other.Func), which a Linux library cannot do; entry skipped",
		def + `:11: warning: export Odd: "SOMETHING" is not understood; entry skipped`,
	}, warnings)

	assert.Equal(t, "{\n  global:\n    DllMain;\n    iishost_services;\n    RegisterModule;\n    Plain;\n    Alias;\n    Other;\n    Table;\n  local: *;\n};\n", versionScript(exports))
	assert.Equal(t, []string{"-Wl,--defsym=Alias=Target", "-Wl,--defsym=Other=Target2"}, aliasFlags(exports))
}

func TestReadDefMissing(t *testing.T) {
	_, err := readDef(filepath.Join(t.TempDir(), "none.def"), func(Warning) {})
	assert.ErrorContains(t, err, "module-definition file: open ")
	assert.ErrorContains(t, err, "none.def: no such file or directory")
}
