package compattest

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A function defined or declared at the top level of a header: the name starts its line, or
// follows the return type on that line. Indented lines (class members, bodies) never match.
var topLevelFunc = regexp.MustCompile(`(?m)^(?:[A-Za-z_](?:[\w ]|\([^)\n]*\))*?[\s*]+)?([A-Za-z_]\w*?)([AW])\s*\(`)

// A function-like macro definition, continuation lines joined: name, parameters, body.
var macroDef = regexp.MustCompile(`(?m)^\s*#\s*define\s+(\w+)\(([^)]*)\)(.*)$`)

// A function written as a function-like macro: #define StringCchPrintfA(...).
var macroFunc = regexp.MustCompile(`(?m)^\s*#\s*define\s+([A-Za-z]\w*?)([AW])\(`)

// ATL's conversion macros (T2A, CT2W, ...) end in A and W but convert rather than pair.
var conversionMacro = regexp.MustCompile(`^[A-Z]*2[A-Z]*$`)

// A generic-name macro: #define Name NameA or #define Name NameW.
var genericDefine = regexp.MustCompile(`(?m)^\s*#\s*define\s+(\w+)\s+(\w+)\s*$`)

// wideForms returns, for every base name, which of the A and W forms one header defines. A
// header defines a form directly (static inline DWORD GetModuleFileNameA(...)) or through a
// macro that pastes a suffix parameter onto the name and is then expanded with A and with W
// (IISHOST_SHLWAPI(A, ...) stamping out PathAppendA).
func wideForms(text string, forms map[string]map[string]bool) {
	add := func(base, suffix string) {
		if forms[base] == nil {
			forms[base] = map[string]bool{}
		}
		forms[base][suffix] = true
	}
	for _, m := range topLevelFunc.FindAllStringSubmatch(text, -1) {
		if !strings.HasPrefix(m[0], "return") && !strings.HasPrefix(m[0], "typedef") {
			add(m[1], m[2])
		}
	}
	for _, m := range macroFunc.FindAllStringSubmatch(text, -1) {
		add(m[1], m[2])
	}
	joined := strings.ReplaceAll(text, "\\\n", " ")
	for _, m := range macroDef.FindAllStringSubmatch(joined, -1) {
		params := strings.Split(m[2], ",")
		for i, p := range params {
			p = strings.TrimSpace(p)
			pasted := regexp.MustCompile(`\bstatic\b[^(;{}]*?\b([A-Za-z]\w*)##` + regexp.QuoteMeta(p) + `\s*\(`)
			for _, fn := range pasted.FindAllStringSubmatch(m[3], -1) {
				for _, suffix := range []string{"A", "W"} {
					// An expansion at the top level with this suffix in parameter i.
					args := strings.Repeat(`[^,()]*,`, i)
					call := regexp.MustCompile(`(?m)^` + m[1] + `\(` + args + `\s*` + suffix + `\s*[,)]`)
					if call.MatchString(text) {
						add(fn[1], suffix)
					}
				}
			}
		}
	}
}

// TestEveryWidePairHasGenericName scans include/ for functions that exist in both an ...A and a
// ...W form and requires the generic name of each: #define Name NameW under UNICODE and
// #define Name NameA otherwise, as the SDK provides them, so Windows sources that call the
// generic name compile.
func TestEveryWidePairHasGenericName(t *testing.T) {
	var headers []string
	err := filepath.WalkDir(filepath.Join(root, "include"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".h") {
			headers = append(headers, path)
		}
		return err
	})
	require.NoError(t, err)

	forms := map[string]map[string]bool{} // base name -> "A"/"W" defined
	defines := map[string]bool{}          // "Name->Target"
	for _, h := range headers {
		data, err := os.ReadFile(h)
		require.NoError(t, err)
		wideForms(string(data), forms)
		for _, m := range genericDefine.FindAllStringSubmatch(string(data), -1) {
			defines[m[1]+"->"+m[2]] = true
		}
	}

	var pairs, missing []string
	for base, seen := range forms {
		if !seen["A"] || !seen["W"] || strings.HasPrefix(base, "iishost_") || conversionMacro.MatchString(base) {
			continue
		}
		pairs = append(pairs, base)
		for _, suffix := range []string{"A", "W"} {
			if !defines[base+"->"+base+suffix] {
				missing = append(missing, "#define "+base+" "+base+suffix)
			}
		}
	}
	sort.Strings(pairs)
	sort.Strings(missing)
	t.Logf("%d A/W pairs: %s", len(pairs), strings.Join(pairs, " "))
	// Today's headers hold over 70 pairs: fewer means the scan no longer reads them.
	require.Greater(t, len(pairs), 70, "the scan found too few A/W pairs; has the header style changed?")
	require.Empty(t, missing, "generic names missing for A/W pairs")
}
