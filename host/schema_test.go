package host

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/internal/cabi"
)

func TestSchemaBuiltinDeclaresWhatIishostReads(t *testing.T) {
	s := NewSchema()
	assert.Equal(t, []string{"iishost", "system.webServer/globalModules", "system.webServer/modules", "system.webServer/handlers",
		"system.webServer/security/access", "system.webServer/security/requestFiltering", "system.webServer/tracing/traceFailedRequests",
		"system.applicationHost/sites", "system.applicationHost/applicationPools"}, s.Sections())
	flags, err := s.Section("system.webServer/security/access").attribute("sslFlags").parse("Ssl, SslNegotiateCert, SslRequireCert, SslMapCert, Ssl128")
	require.NoError(t, err)
	assert.Equal(t, int64(8|32|64|128|256), flags.Number)
	binding := s.Section("system.applicationHost/sites").Collection.Entry.element("bindings").Collection
	require.NotNil(t, binding)
	for _, name := range []string{"certificateFile", "certificateKeyFile"} {
		assert.NotNil(t, binding.Entry.attribute(name), name)
	}
	sites := s.Section("system.applicationHost/sites")
	for _, el := range []*SchemaElement{sites.element("siteDefaults"), sites.Collection.Entry} {
		logging := el.element("traceFailedRequestsLogging")
		require.NotNil(t, logging)
		assert.Equal(t, cabi.ConfigAttribute{Name: "maxLogFiles", Text: "50", Type: cabi.VTUI4, Number: 50},
			logging.attribute("maxLogFiles").defaultValue())
	}
	rule := s.Section("system.webServer/tracing/traceFailedRequests").Collection.Entry
	require.NotNil(t, rule.element("failureDefinitions").attribute("statusCodes"))
	require.NotNil(t, rule.element("traceAreas").Collection.Entry.attribute("provider"))
	limits := s.Section("system.webServer/security/requestFiltering").element("requestLimits")
	require.NotNil(t, limits)
	assert.Equal(t, cabi.ConfigAttribute{Name: "maxAllowedContentLength", Text: "30000000", Type: cabi.VTUI4, Number: 30000000},
		limits.attribute("maxAllowedContentLength").defaultValue())
}

func TestSchemaReadErrors(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"root", `<schema/>`, `schema s.xml: 1:1: root element is <schema>, want <configSchema>`},
		{"empty", ``, `schema s.xml: 1:1: no <configSchema> element`},
		{"malformed", `<configSchema><sectionSchema name="a/b">`, `schema s.xml: 1:41: malformed XML: unexpected EOF`},
		{"section name", `<configSchema><sectionSchema name="/a"/></configSchema>`, `schema s.xml: 1:15: <sectionSchema> needs a name such as group/section, not "/a"`},
		{"type", `<configSchema><sectionSchema name="a/b"><attribute name="x" type="float"/></sectionSchema></configSchema>`,
			`schema s.xml: 1:41: attribute "x" has type "float": want bool, int, uint, int64, string, enum, flags or timeSpan`},
		{"enum without values", `<configSchema><sectionSchema name="a/b"><attribute name="x" type="enum"/></sectionSchema></configSchema>`,
			`schema s.xml: 1:41: enum attribute "x" has no <enum> values`},
		{"bad default", `<configSchema><sectionSchema name="a/b"><attribute name="x" type="int" defaultValue="x"/></sectionSchema></configSchema>`,
			`schema s.xml: 1:41: attribute "x": defaultValue: "x" is not a int value`},
		{"attribute twice", `<configSchema><sectionSchema name="a/b"><attribute name="x" type="int"/><attribute name="x" type="int"/></sectionSchema></configSchema>`,
			`schema s.xml: 1:73: attribute "x" declared twice in a/b`},
		{"collection without add", `<configSchema><sectionSchema name="a/b"><collection/></sectionSchema></configSchema>`,
			`schema s.xml: 1:41: <collection> in a/b has no addElement`},
		{"bool flag", `<configSchema><sectionSchema name="a/b"><attribute name="x" type="int" required="yes"/></sectionSchema></configSchema>`,
			`schema s.xml: 1:41: required="yes" is not true or false`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := NewSchema().Read(strings.NewReader(tc.doc), "s.xml")
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
	err := NewSchema().ReadDir("testdata/no-such-dir")
	require.Error(t, err)
	assert.Equal(t, "schema testdata/no-such-dir: no such file or directory", err.Error())
}

// A section declared again is extended; a file's declaration of a section iishost declares
// replaces iishost's.
func TestSchemaExtendAndReplace(t *testing.T) {
	s := NewSchema()
	require.NoError(t, s.Read(strings.NewReader(`<configSchema>
  <sectionSchema name="system.webServer/modules"><attribute name="own" type="int"/></sectionSchema>
  <sectionSchema name="a/b"><attribute name="x" type="int"/><element name="e"/></sectionSchema>
</configSchema>`), "one.xml"))
	require.NoError(t, s.Read(strings.NewReader(`<configSchema>
  <sectionSchema name="system.webServer/modules"><attribute name="more" type="int"/></sectionSchema>
  <sectionSchema name="a/b"><attribute name="y" type="bool"/><element name="e"><attribute name="z" type="uint"/></element></sectionSchema>
</configSchema>`), "two.xml"))
	var names []string
	for _, a := range s.Section("system.webServer/modules").Attributes {
		names = append(names, a.Name)
	}
	assert.Equal(t, []string{"own", "more"}, names, "iishost's declaration replaced, then extended")
	ab := s.Section("a/b")
	assert.Len(t, ab.Attributes, 2)
	assert.NotNil(t, ab.element("e").attribute("z"))
	err := s.Read(strings.NewReader(`<configSchema><sectionSchema name="a/b"><attribute name="x" type="int"/></sectionSchema></configSchema>`), "three.xml")
	require.Error(t, err)
	assert.Equal(t, `schema three.xml: 1:15: section a/b: attribute "x" is already declared`, err.Error())
}

func TestSchemaTimeSpan(t *testing.T) {
	tests := []struct {
		text, format string
		ticks        uint64
		canonical    string
	}{
		{"00:02:00", "", 120 * ticksPerSecond, "00:02:00"},
		{"1.02:03:04", "", (86400 + 7384) * ticksPerSecond, "1.02:03:04"},
		{"00:00:01.5", "", 15_000_000, "00:00:01.5000000"},
		{"10:30", "", 37800 * ticksPerSecond, "10:30:00"},
		{"90", "seconds", 90 * ticksPerSecond, "00:01:30"},
		{"20", "minutes", 1200 * ticksPerSecond, "00:20:00"},
		{"2", "", 2 * 86400 * ticksPerSecond, "2.00:00:00"},
	}
	for _, tc := range tests {
		got, err := parseTimeSpan(tc.text, tc.format)
		require.NoError(t, err, tc.text)
		assert.Equal(t, tc.ticks, got, tc.text)
		assert.Equal(t, tc.canonical, formatTimeSpan(got), tc.text)
	}
	for _, bad := range []string{"", "1:60:00", "24:00:00", "x", "00:00:00.12345678", "1:2:3:4"} {
		_, err := parseTimeSpan(bad, "")
		assert.Error(t, err, bad)
	}
}

// <iishost schemaDirectory> expands %VAR% and resolves against the configuration's folder.
func TestSchemaDirectorySetting(t *testing.T) {
	c, err := parseConfigString(`<configuration><iishost schemaDirectory="%MODULES%/schema"/></configuration>`)
	require.NoError(t, err)
	assert.Equal(t, "/opt/iishost/modules/schema", c.SchemaDirectory)

	dir := t.TempDir()
	path := filepath.Join(dir, "app.config")
	require.NoError(t, os.WriteFile(path, []byte(`<configuration><iishost schemaDirectory="schema"/></configuration>`), 0o644))
	c, err = LoadConfig(path)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "schema"), c.SchemaDirectory)

	_, err = parseConfigString(`<configuration><iishost/><iishost/></configuration>`)
	require.Error(t, err)
	assert.Equal(t, "config test.config: 1:26: duplicate <iishost> section (first at 1:16)", err.Error())
}
