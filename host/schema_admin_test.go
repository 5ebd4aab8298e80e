package host_test

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/host"
	"github.com/iishost/iishost/hosttest"
)

// schemaStart loads the admindump fixture over doc, typed by testdata/schema.
func schemaStart(t *testing.T, doc string) (*host.Server, *hosttest.Log, error) {
	t.Helper()
	return hosttest.Start(t, schemaOptions(t, doc), schemaModule(t))
}

func schemaServe(t *testing.T, doc string) *hosttest.Server {
	t.Helper()
	return hosttest.ServeWith(t, schemaOptions(t, doc), schemaModule(t))
}

func schemaOptions(t *testing.T, doc string) hosttest.Options {
	t.Helper()
	cfg, err := host.ParseConfig(strings.NewReader(doc), "schema.config")
	require.NoError(t, err)
	cfg.SchemaDirectory = "testdata/schema"
	return hosttest.Options{Config: cfg}
}

func schemaModule(t *testing.T) hosttest.Module {
	return hosttest.Module{Name: "Dump", Image: hosttest.Build(t, "testdata/modules/admindump.cpp")}
}

// schemaDump asks the fixture for a section at a URL; headers are name, value pairs.
func schemaDump(t *testing.T, url, section string, headers ...string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Header.Set("X-Section", section)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	return string(body)
}

// widgetDefaults is the widget section where nothing sets it: every attribute its default, in
// declaration order, with its declared type.
const widgetDefaults = "system.webServer/widget\n" +
	"  @enabled=11:-1 \"true\"\n" + // VT_BOOL
	"  @greeting=8:hello \"hello\"\n" + // VT_BSTR
	"  @code=8: \"\"\n" + // a string with no default is empty
	"  @count=3:5 \"5\"\n" + // VT_I4
	"  @quota=19:0 \"0\"\n" + // VT_UI4, no default: zero
	"  @big=20:10000000000 \"10000000000\"\n" + // VT_I8
	"  @level=3:1 \"Medium\"\n" + // an enum: VT_I4 of its value, its name as the string
	"  @features=3:3 \"Gzip, Cache\"\n" + // flags: OR of the values, the names as the string
	"  @timeout=21:300000000 \"00:00:30\"\n" + // timeSpan: VT_UI8 of 100 ns ticks
	"  @secret=8: \"\"\n" +
	"  limits\n" + // declared child elements exist unwritten
	"    @rate=19:100 \"100\"\n" +
	"  routes\n"

func TestSchemaAbsentSectionReadsDefaults(t *testing.T) {
	srv := schemaServe(t, `<configuration/>`)
	assert.Equal(t, "path=MACHINE/WEBROOT/APPHOST/Default Web Site\n"+widgetDefaults,
		schemaDump(t, srv.URL, "system.webServer/widget"))
	// A section no schema declares is still missing.
	assert.Equal(t, "path=MACHINE/WEBROOT/APPHOST/Default Web Site\nsection=0x80070057\n",
		schemaDump(t, srv.URL, "system.webServer/gadget"))
}

// schemaConfig sets the widget section at the root, for the site, for one URL under it, and
// repeats a key under another.
const schemaConfig = `<?xml version="1.0" encoding="UTF-8"?>
<configuration>
  <system.webServer>
    <widget enabled="FALSE" code="32" count="32" quota="4000000000" big="-5" level="high"
            features="trace,Gzip" timeout="1.02:03:04" mystery="7">
      <limits rate="7"/>
      <rule name="a"/>
      <rule name="B" action="Deny"/>
      <rule name="c"/>
      <remove name="b" action="Allow"/>
      <routes>
        <route host="x"/>
        <route host="x" port="81" weight="3"/>
        <unroute host="X" port="80"/>
      </routes>
      <gadget/>
    </widget>
    <noSchema size="12"/>
  </system.webServer>
  <location path="Default Web Site">
    <system.webServer>
      <widget count="-3">
        <rule name="d" action="deny"/>
        <routes>
          <route host="y"/>
          <route host="z"/>
        </routes>
      </widget>
    </system.webServer>
  </location>
  <location path="Default Web Site/sub">
    <system.webServer>
      <widget level="Low">
        <limits rate="1"/>
        <clear/>
      </widget>
    </system.webServer>
  </location>
  <location path="Default Web Site/dup">
    <system.webServer>
      <widget>
        <rule name="A"/>
      </widget>
    </system.webServer>
  </location>
</configuration>
`

// The typed values of the root level.
const widgetRoot = "system.webServer/widget\n" +
	"  @enabled=11:0 \"false\"\n" + // "FALSE": any case
	"  @greeting=8:hello \"hello\"\n" +
	"  @code=8:32 \"32\"\n" + // declared a string: stays VT_BSTR
	"  @count=3:32 \"32\"\n" +
	"  @quota=19:4000000000 \"4000000000\"\n" +
	"  @big=20:-5 \"-5\"\n" +
	"  @level=3:2 \"High\"\n" + // the declared name, whatever case was written
	"  @features=3:5 \"Gzip, Trace\"\n" +
	"  @timeout=21:937840000000 \"1.02:03:04\"\n" +
	"  @secret=8: \"\"\n" +
	"  @mystery=3:7 \"7\"\n" + // undeclared: typed from its text, after the declared ones
	"  limits\n" +
	"    @rate=19:7 \"7\"\n" +
	"  routes\n" +
	"    [0]\n" + // x:80 removed by its combined keys, compared case-insensitively
	"      route\n" +
	"        @host=8:x \"x\"\n" +
	"        @port=19:81 \"81\"\n" +
	"        @weight=3:3 \"3\"\n" +
	"  gadget\n" +
	"  [0]\n" +
	"    rule\n" +
	"      @name=8:a \"a\"\n" +
	"      @action=3:0 \"Allow\"\n" +
	"  [1]\n" + // B removed by its key alone: the <remove>'s action is no key
	"    rule\n" +
	"      @name=8:c \"c\"\n" +
	"      @action=3:0 \"Allow\"\n"

// The site's level on top: deeper routes go first (mergeAppend="false"), rules after.
const widgetSite = "system.webServer/widget\n" +
	"  @enabled=11:0 \"false\"\n" +
	"  @greeting=8:hello \"hello\"\n" +
	"  @code=8:32 \"32\"\n" +
	"  @count=3:-3 \"-3\"\n" +
	"  @quota=19:4000000000 \"4000000000\"\n" +
	"  @big=20:-5 \"-5\"\n" +
	"  @level=3:%s\n" +
	"  @features=3:5 \"Gzip, Trace\"\n" +
	"  @timeout=21:937840000000 \"1.02:03:04\"\n" +
	"  @secret=8: \"\"\n" +
	"  @mystery=3:7 \"7\"\n" +
	"  limits\n" +
	"    @rate=19:%s\n" +
	"  routes\n" +
	"    [0]\n" +
	"      route\n" +
	"        @host=8:y \"y\"\n" +
	"        @port=19:80 \"80\"\n" +
	"        @weight=3:1 \"1\"\n" +
	"    [1]\n" +
	"      route\n" +
	"        @host=8:z \"z\"\n" +
	"        @port=19:80 \"80\"\n" +
	"        @weight=3:1 \"1\"\n" +
	"    [2]\n" +
	"      route\n" +
	"        @host=8:x \"x\"\n" +
	"        @port=19:81 \"81\"\n" +
	"        @weight=3:3 \"3\"\n" +
	"  gadget\n"

const siteRules = "  [0]\n" +
	"    rule\n" +
	"      @name=8:a \"a\"\n" +
	"      @action=3:0 \"Allow\"\n" +
	"  [1]\n" +
	"    rule\n" +
	"      @name=8:c \"c\"\n" +
	"      @action=3:0 \"Allow\"\n" +
	"  [2]\n" +
	"    rule\n" +
	"      @name=8:d \"d\"\n" +
	"      @action=3:1 \"Deny\"\n"

func TestSchemaTypesValuesAndLocations(t *testing.T) {
	srv := schemaServe(t, schemaConfig)
	site := strings.NewReplacer("%s\n", "1 \"Medium\"\n", "rate=19:%s", "rate=19:7 \"7\"").Replace(widgetSite)
	site = strings.Replace(site, "  @level=3:1 \"Medium\"\n", "  @level=3:2 \"High\"\n", 1) + siteRules
	sub := strings.Replace(site, "  @level=3:2 \"High\"\n", "  @level=3:0 \"Low\"\n", 1)
	sub = strings.Replace(sub, "rate=19:7 \"7\"", "rate=19:1 \"1\"", 1)
	sub = strings.TrimSuffix(sub, siteRules) // <clear/> at /sub
	tests := []struct{ name, url, path, want string }{
		{"root level", "/", "MACHINE/WEBROOT/APPHOST", widgetRoot},
		{"the site", "/", "", site},
		{"a URL of the site", "/page", "", site},
		{"a location's URL", "/sub", "", sub},
		{"under a location's URL", "/sub/deeper/page", "", sub},
		{"a name that only starts like a location", "/subway", "", site},
		{"config path given", "/", "MACHINE/WEBROOT/APPHOST/Default Web Site/sub/x", sub},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := schemaDump(t, srv.URL+tc.url, "system.webServer/widget", "X-Config-Path", tc.path)
			_, body, _ := strings.Cut(got, "\n")
			assert.Equal(t, tc.want, body)
		})
	}
	// A key added again deeper down is IIS's duplicate-entry error, ERROR_ALREADY_EXISTS.
	assert.Equal(t, "path=MACHINE/WEBROOT/APPHOST/Default Web Site/dup\nsection=0x800700B7\n",
		schemaDump(t, srv.URL+"/dup", "system.webServer/widget"))
	// Without a schema, values are typed from their text as before.
	assert.Equal(t, "path=MACHINE/WEBROOT/APPHOST\nsystem.webServer/noSchema\n  @size=3:12 \"12\"\n",
		schemaDump(t, srv.URL, "system.webServer/noSchema", "X-Config-Path", "MACHINE/WEBROOT/APPHOST"))
}

// What the schema does not declare is warned about with the file and line it is on.
func TestSchemaWarnsAboutUndeclaredNames(t *testing.T) {
	srv := schemaServe(t, schemaConfig)
	log := srv.Log.String()
	for _, want := range []string{
		`msg="configuration attribute not declared by the schema; its value is typed from its text" file=schema.config line=4 column=5 element=system.webServer/widget attribute=mystery`,
		`msg="configuration element not declared by the schema; its values are typed from their text" file=schema.config line=16 column=7 element=system.webServer/widget/gadget`,
		`msg="configuration section not declared by any schema; its values are typed from their text" file=schema.config line=18 column=5 section=system.webServer/noSchema`,
	} {
		assert.Contains(t, log, want)
	}
	assert.NotContains(t, log, "section=system.webServer/widget ", "a declared section is not warned about")
}

func TestSchemaRefusesBadValues(t *testing.T) {
	tests := []struct{ name, widget, want string }{
		{"int", `count="many"`, `config schema.config: 1:34: system.webServer/widget: attribute count: "many" is not a int value`},
		{"integerRange", `count="101"`, `config schema.config: 1:34: system.webServer/widget: attribute count: 101 is not from -10 to 100`},
		{"uint", `quota="-1"`, `config schema.config: 1:34: system.webServer/widget: attribute quota: "-1" is not a uint value`},
		{"bool", `enabled="yes"`, `config schema.config: 1:34: system.webServer/widget: attribute enabled: "yes" is not true or false`},
		{"enum", `level="Huge"`, `config schema.config: 1:34: system.webServer/widget: attribute level: "Huge" is not one of Low, Medium, High`},
		{"flags", `features="Gzip,Zip"`, `config schema.config: 1:34: system.webServer/widget: attribute features: "Gzip,Zip" is not a combination of None, Gzip, Cache, Trace`},
		{"timeSpan", `timeout="25:00:00"`, `config schema.config: 1:34: system.webServer/widget: attribute timeout: "25:00:00" is not a time span ([d.]hh:mm:ss)`},
		{"duplicate key", `><rule name="a"/><rule name="A"/></widget><x`, `config schema.config: 1:59: system.webServer/widget: duplicate <rule> entry (name="A")`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := schemaStart(t, `<configuration><system.webServer><widget `+tc.widget+`/></system.webServer></configuration>`)
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// Real modules pass a BSTR whose length counts its NUL, or a plain literal: the section name
// ends at the first NUL either way.
func TestSchemaSectionNameEndsAtNul(t *testing.T) {
	srv := schemaServe(t, `<configuration/>`)
	for _, form := range []string{"bstr", "nul", "literal"} {
		t.Run(form, func(t *testing.T) {
			assert.Equal(t, "path=MACHINE/WEBROOT/APPHOST/Default Web Site\n"+widgetDefaults,
				schemaDump(t, srv.URL, "system.webServer/widget", "X-Section-Form", form))
		})
	}
}

// A module's schema is read from beside its image: NAME_schema.xml for NAME.so.
func TestSchemaBesideModuleImage(t *testing.T) {
	dir := t.TempDir()
	image := filepath.Join(dir, "dump.so")
	so, err := os.ReadFile(hosttest.Build(t, "testdata/modules/admindump.cpp"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(image, so, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "dump_schema.xml"), []byte(`<configSchema>
  <sectionSchema name="system.webServer/dump">
    <attribute name="depth" type="uint" defaultValue="3"/>
  </sectionSchema>
</configSchema>`), 0o644))
	assert.Equal(t, host.ModuleSchemaFile(image), filepath.Join(dir, "dump_schema.xml"))
	srv := hosttest.Serve(t, hosttest.Module{Name: "Dump", Image: image})
	assert.Equal(t, "path=MACHINE/WEBROOT/APPHOST/Default Web Site\nsystem.webServer/dump\n  @depth=19:3 \"3\"\n",
		schemaDump(t, srv.URL, "system.webServer/dump"))
}

// iishost's own schema types the sections it reads, for modules too.
func TestSchemaBuiltinSections(t *testing.T) {
	srv := schemaServe(t, `<configuration>
  <system.webServer>
    <handlers accessPolicy="Script, read">
      <add name="H" path="*.x" verb="GET" modules="Dump" requireAccess="None"/>
    </handlers>
    <security><requestFiltering><requestLimits maxUrl="100"/></requestFiltering></security>
  </system.webServer>
</configuration>`)
	got := schemaDump(t, srv.URL, "system.webServer/handlers")
	assert.Contains(t, got, "system.webServer/handlers\n  @accessPolicy=3:513 \"Read, Script\"\n  [0]\n    add\n"+
		"      @name=8:H \"H\"\n      @path=8:*.x \"*.x\"\n      @verb=8:GET \"GET\"\n      @type=8: \"\"\n"+
		"      @modules=8:Dump \"Dump\"\n      @scriptProcessor=8: \"\"\n      @resourceType=3:3 \"Unspecified\"\n"+
		"      @requireAccess=3:0 \"None\"\n      @allowPathInfo=11:0 \"false\"\n      @preCondition=8: \"\"\n"+
		"      @responseBufferLimit=19:4194304 \"4194304\"\n")
	got = schemaDump(t, srv.URL, "system.webServer/security/requestFiltering")
	assert.Contains(t, got, "  requestLimits\n    @maxAllowedContentLength=19:30000000 \"30000000\"\n"+
		"    @maxUrl=19:100 \"100\"\n    @maxQueryString=19:2048 \"2048\"\n")
}
