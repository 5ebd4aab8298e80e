package host

import (
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// updateConfigGolden is the package's one -update flag; other golden tests in package host should share
// it rather than define another flag of the same name.
var updateConfigGolden = flag.Bool("update", false, "rewrite golden files from the current output")

// configTestLookup is the environment %VAR% references expand from in these tests.
func configTestLookup(name string) (string, bool) {
	v, ok := map[string]string{
		"MODULES":   "/opt/iishost/modules",
		"SITE_ROOT": "/srv/contoso",
		"EMPTY":     "",
	}[name]
	return v, ok
}

func parseConfigString(doc string) (*Config, error) {
	return parseConfig(strings.NewReader(doc), "test.config", configTestLookup)
}

// configFields drops the unexported bookkeeping so that configurations compare on what callers see.
func configFields(c *Config) Config {
	out := *c
	out.enabledAt = nil
	out.positions = nil
	out.locations = nil
	out.Document = nil // the generic tree has its own test (admin_test.go)
	out.Sites = slices.Clone(out.Sites)
	for i := range out.Sites {
		site := &out.Sites[i]
		site.at, site.limits = configPos{}, siteLimitsText{}
		site.Bindings = slices.Clone(site.Bindings)
		for j := range site.Bindings {
			site.Bindings[j].at = configPos{}
		}
	}
	return out
}

// configDefaultSites is what a configuration without <sites> serves.
func configDefaultSites() []Site { return []Site{DefaultSite(".")} }

// configGolden is what a golden file records for one configuration.
type configGolden struct {
	Config              *Config
	EnabledModules      []ModuleSpec          `json:",omitempty"`
	EnabledModulesError string                `json:",omitempty"`
	Locations           map[string][]Location `json:",omitempty"` // by site
	Endpoints           []string              `json:",omitempty"`
	EndpointsError      string                `json:",omitempty"`
}

func TestConfigGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/config/*.config")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			f, err := os.Open(path)
			require.NoError(t, err)
			defer f.Close()
			c, err := parseConfig(f, filepath.ToSlash(path), configTestLookup)
			require.NoError(t, err)

			g := configGolden{Config: c, Locations: map[string][]Location{}}
			if g.EnabledModules, err = c.EnabledModules(); err != nil {
				g.EnabledModulesError = err.Error()
			}
			for _, site := range c.Sites {
				locs, err := c.Locations(site.Name)
				require.NoError(t, err)
				if len(locs) > 0 {
					g.Locations[site.Name] = locs
				}
			}
			g.Endpoints, err = configEndpoints(c)
			if err != nil {
				g.EndpointsError = err.Error()
			}
			got, err := json.MarshalIndent(g, "", "  ")
			require.NoError(t, err)
			got = append(got, '\n')

			golden := strings.TrimSuffix(path, ".config") + ".golden.json"
			if *updateConfigGolden {
				require.NoError(t, os.WriteFile(golden, got, 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "create it with: go test ./host/ -run TestConfigGolden -update")
			assert.Equal(t, string(want), string(got))
		})
	}
}

func TestConfigParse(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want Config
	}{
		{
			name: "empty configuration gets the defaults",
			doc:  `<configuration/>`,
			want: Config{Sites: configDefaultSites(), SiteDefaults: defaultSiteLimits, Source: "test.config"},
		},
		{
			name: "clear empties and remove drops one entry, case-insensitively",
			doc: `<configuration><system.webServer>
				<globalModules>
					<add name="Old" image="/old.so"/>
					<clear/>
					<add name="A" image="/a.so"/>
					<add name="B" image="/b.so" preCondition="bitness64"/>
					<add name="C" image="/c.so"/>
					<remove name="b"/>
					<remove name="NotThere"/>
				</globalModules>
				<modules>
					<add name="C"/>
					<add name="Old"/>
					<clear/>
					<add name="A"/>
					<add name="C"/>
					<remove name="a"/>
				</modules>
			</system.webServer></configuration>`,
			want: Config{
				GlobalModules: []ModuleSpec{{Name: "A", Image: "/a.so"}, {Name: "C", Image: "/c.so"}},
				Modules:       []string{"C"},
				Sites:         configDefaultSites(),
				SiteDefaults:  defaultSiteLimits,
				Source:        "test.config",
			},
		},
		{
			name: "a removed name may be added again and goes last",
			doc: `<configuration><system.webServer><globalModules>
				<add name="A" image="/a.so"/>
				<add name="B" image="/b.so"/>
				<remove name="A"/>
				<add name="a" image="/a2.so"/>
			</globalModules></system.webServer></configuration>`,
			want: Config{
				GlobalModules: []ModuleSpec{{Name: "B", Image: "/b.so"}, {Name: "a", Image: "/a2.so"}},
				Sites:         configDefaultSites(),
				SiteDefaults:  defaultSiteLimits,
				Source:        "test.config",
			},
		},
		{
			name: "managed modules are skipped and recorded; an empty type is native",
			doc: `<configuration><system.webServer><modules>
				<add name="Forms" type="System.Web.Security.FormsAuthenticationModule" preCondition="managedHandler"/>
				<add name="Native" type=""/>
				<add name="Session" type="System.Web.SessionState.SessionStateModule"/>
				<remove name="session"/>
				<add name="UrlAuth" type="System.Web.Security.UrlAuthorizationModule"/>
			</modules></system.webServer></configuration>`,
			want: Config{
				Modules:        []string{"Native"},
				SkippedManaged: []string{"Forms", "UrlAuth"},
				Sites:          configDefaultSites(),
				SiteDefaults:   defaultSiteLimits,
				Source:         "test.config",
			},
		},
		{
			name: "root locations are accepted in every spelling",
			doc: `<configuration>
				<location><system.webServer><globalModules><add name="A" image="/a.so"/></globalModules></system.webServer></location>
				<location path=""><system.webServer><modules><add name="A"/></modules></system.webServer></location>
				<location path="." overrideMode="Allow"><system.web/><system.webServer><asp/></system.webServer></location>
			</configuration>`,
			want: Config{
				GlobalModules: []ModuleSpec{{Name: "A", Image: "/a.so"}},
				Modules:       []string{"A"},
				Sites:         configDefaultSites(),
				SiteDefaults:  defaultSiteLimits,
				Source:        "test.config",
			},
		},
		{
			name: "sites, applications, virtual directories, bindings and limits",
			doc: `<configuration><system.applicationHost><sites>
				<siteDefaults><limits connectionTimeout="00:00:30" maxBandwidth="65536"/></siteDefaults>
				<site name="Shop" id="42">
					<application path="/api"><virtualDirectory path="/" physicalPath="/srv/api"/></application>
					<application path="/">
						<virtualDirectory path="/static" physicalPath="/srv/static" followSymlinksOutsideRoot="true"/>
						<virtualDirectory path="/" physicalPath="%SITE_ROOT%/%NOPE%/www"/>
					</application>
					<bindings>
						<binding protocol="http" bindingInformation="*:1:dropped"/>
						<clear/>
						<binding protocol="net.pipe" bindingInformation="*"/>
						<binding protocol="HTTPS" bindingInformation="*:443:shop.test" certificateFile="shop.pem" certificateKeyFile="%SITE_ROOT%/shop.key"/>
						<binding protocol="http" bindingInformation="[2001:db8::1]:8080:"/>
						<binding protocol="http" bindingInformation=":81:shop.test"/>
					</bindings>
					<limits maxConnections="4294967295" connectionTimeout="1.00:00:00" maxUrlSegments="8"/>
				</site>
				<site name="Blog" id="7">
					<application path="/"><virtualDirectory path="/" physicalPath="blog"/></application>
				</site>
			</sites></system.applicationHost></configuration>`,
			want: Config{
				Sites: []Site{{
					Name: "Shop",
					ID:   42,
					Applications: []Application{
						{Path: "/api", VirtualDirectories: []VirtualDirectory{{Path: "/", PhysicalPath: "/srv/api"}}},
						{Path: "/", VirtualDirectories: []VirtualDirectory{
							{Path: "/static", PhysicalPath: "/srv/static", FollowSymlinksOutsideRoot: true},
							{Path: "/", PhysicalPath: "/srv/contoso/%NOPE%/www"},
						}},
					},
					Bindings: []Binding{
						{Protocol: "net.pipe", Information: "*"},
						{Protocol: "HTTPS", Address: "*", Port: "443", Host: "shop.test", Information: "*:443:shop.test",
							CertificateFile: "shop.pem", CertificateKeyFile: "/srv/contoso/shop.key"},
						{Protocol: "http", Address: "2001:db8::1", Port: "8080", Information: "[2001:db8::1]:8080:"},
						{Protocol: "http", Port: "81", Host: "shop.test", Information: ":81:shop.test"},
					},
					Limits: SiteLimits{ConnectionTimeout: 24 * time.Hour, MaxBandwidth: 65536, MaxURLSegments: 8},
				}, {
					Name:         "Blog",
					ID:           7,
					Applications: []Application{{Path: "/", VirtualDirectories: []VirtualDirectory{{Path: "/", PhysicalPath: "blog"}}}},
					Limits:       SiteLimits{ConnectionTimeout: 30 * time.Second, MaxBandwidth: 65536, MaxURLSegments: 32},
				}},
				SiteDefaults: SiteLimits{ConnectionTimeout: 30 * time.Second, MaxBandwidth: 65536, MaxURLSegments: 32},
				Source:       "test.config",
			},
		},
		{
			name: "unknown elements and attributes are ignored",
			doc: `<?xml version="1.0"?>
			<!-- a comment -->
			<configuration unknown="1">
				<modules><add name="NotASection"/></modules>
				<system.webServer extra="x">
					<globalModules lockElements="add">
						<add name="A" image="/a.so" lockItem="true"/>
						<group><add name="Inside" image="/inside.so"/></group>
					</globalModules>
					<defaultDocument><files><add value="index.htm"/></files></defaultDocument>
				</system.webServer>
				<system.applicationHost><applicationPools><add name="DefaultAppPool"/></applicationPools></system.applicationHost>
			</configuration>
			<!-- trailing comment -->`,
			want: Config{
				GlobalModules: []ModuleSpec{{Name: "A", Image: "/a.so"}},
				Sites:         configDefaultSites(),
				SiteDefaults:  defaultSiteLimits,
				Source:        "test.config",
			},
		},
		{
			name: "images expand %VAR% and keep relative paths as written",
			doc: `<configuration><system.webServer><globalModules>
				<add name="A" image="%MODULES%/a.so"/>
				<add name="B" image="%EMPTY%b.so"/>
				<add name="C" image="%windir%\System32\inetsrv\c.dll"/>
			</globalModules></system.webServer></configuration>`,
			want: Config{
				GlobalModules: []ModuleSpec{
					{Name: "A", Image: "/opt/iishost/modules/a.so"},
					{Name: "B", Image: "b.so"},
					{Name: "C", Image: `%windir%\System32\inetsrv\c.dll`},
				},
				Sites:        configDefaultSites(),
				SiteDefaults: defaultSiteLimits,
				Source:       "test.config",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfigString(tt.doc)
			require.NoError(t, err)
			assert.Equal(t, tt.want, configFields(c))
		})
	}
}

func TestConfigParseErrors(t *testing.T) {
	const modules = "<configuration><system.webServer><globalModules>\n"
	const siteA = `<site name="A" id="1"><application path="/"><virtualDirectory path="/" physicalPath="/a"/></application>`
	tests := []struct {
		name, doc, want string
	}{
		{"empty input", "", "config test.config: 1:1: no <configuration> element"},
		{"text only", "hello", "config test.config: 1:6: no <configuration> element"},
		{"wrong root", "<?xml version=\"1.0\"?>\n<system.webServer/>",
			"config test.config: 2:1: root element is <system.webServer>, want <configuration>"},
		{"unclosed element", "<configuration>\n  <system.webServer>\n",
			"config test.config: 3:1: malformed XML: unexpected EOF"},
		{"mismatched end tag", "<configuration>\n  <system.webServer>\n  </configuration>",
			"config test.config: 3:3: malformed XML: element <system.webServer> closed by </configuration>"},
		{"unquoted attribute in an ignored section", "<configuration>\n<system.web>\n  <compilation debug=true/>",
			"config test.config: 3:3: malformed XML: unquoted or missing attribute value in element"},
		{"second root element", "<configuration/>\n<configuration/>",
			"config test.config: 2:1: <configuration> after the end of <configuration>"},
		{"unsupported encoding", `<?xml version="1.0" encoding="utf-16"?><configuration/>`,
			`config test.config: 1:1: xml: encoding "utf-16" declared but Decoder.CharsetReader is nil`},
		{"duplicate global module", modules + `  <add name="Hello" image="/a.so"/>` + "\n" + `  <add name="HELLO" image="/b.so"/>`,
			`config test.config: 3:3: duplicate module "HELLO" in <globalModules> (first added at 2:3)`},
		{"duplicate enabled module",
			"<configuration><system.webServer><modules>\n<add name=\"A\"/>\n<remove name=\"A\"/>\n<add name=\"A\"/><add name=\"a\"/>",
			`config test.config: 4:16: duplicate module "a" in <modules> (first added at 4:1)`},
		{"managed and native share one collection",
			"<configuration><system.webServer><modules>\n<add name=\"X\" type=\"T\"/>\n<add name=\"X\"/>",
			`config test.config: 3:1: duplicate module "X" in <modules> (first added at 2:1)`},
		{"add without name", modules + `<add image="/a.so"/>`,
			"config test.config: 2:1: <add> in <globalModules> has no name"},
		{"add without image", modules + `<add name="A" image=""/>`,
			`config test.config: 2:1: <add name="A"> in <globalModules> has no image`},
		{"remove without name", "<configuration><system.webServer><modules>\n<remove/>",
			"config test.config: 2:1: <remove> in <modules> has no name"},
		{"section at root and in root location",
			"<configuration>\n<system.webServer><modules/></system.webServer>\n<location path=\"\"><system.webServer>\n<modules/>",
			"config test.config: 4:1: duplicate <modules> section (first at 2:19)"},
		{"globalModules twice", "<configuration><system.webServer>\n<globalModules/>\n<globalModules/>",
			"config test.config: 3:1: duplicate <globalModules> section (first at 2:1)"},
		{"two sites sections", "<configuration><system.applicationHost>\n<sites/>\n<sites/>",
			"config test.config: 3:1: duplicate <sites> section (first at 2:1)"},
		{"duplicate site name", "<configuration><system.applicationHost><sites>\n" + siteA + "</site>\n<site name=\"a\" id=\"2\"/>",
			`config test.config: 3:1: duplicate <site name="a"> (first at 2:1)`},
		{"duplicate site id", "<configuration><system.applicationHost><sites>\n" + siteA + "</site>\n<site name=\"B\" id=\"1\"/>",
			`config test.config: 3:1: <site name="B"> has id 1, which <site name="A"> (2:1) has already`},
		{"site without name", "<configuration><system.applicationHost><sites>\n<site id=\"1\"/>",
			`config test.config: 2:1: <site> has no name`},
		{"site without id", "<configuration><system.applicationHost><sites>\n<site name=\"A\"/>",
			`config test.config: 2:1: <site name="A"> has no id`},
		{"site id not a number", "<configuration><system.applicationHost><sites>\n<site name=\"A\" id=\"one\"/>",
			`config test.config: 2:1: <site name="A"> has id "one": want a number from 1 to 4294967295`},
		{"site id zero", "<configuration><system.applicationHost><sites>\n<site name=\"A\" id=\"0\"/>",
			`config test.config: 2:1: <site name="A"> has id "0": want a number from 1 to 4294967295`},
		{"site id too large", "<configuration><system.applicationHost><sites>\n<site name=\"A\" id=\"4294967296\"/>",
			`config test.config: 2:1: <site name="A"> has id "4294967296": want a number from 1 to 4294967295`},
		{"site without root application", "<configuration><system.applicationHost><sites>\n<site name=\"A\" id=\"1\"><application path=\"/x\"><virtualDirectory path=\"/\" physicalPath=\"/x\"/></application></site>",
			`config test.config: 2:1: <site name="A"> has no <application path="/"> with a <virtualDirectory path="/">`},
		{"application without root directory", "<configuration><system.applicationHost><sites><site name=\"A\" id=\"1\">\n<application path=\"/app\"><virtualDirectory path=\"/img\" physicalPath=\"/x\"/></application>",
			`config test.config: 2:1: <application path="/app"> of <site name="A"> has no <virtualDirectory path="/">`},
		{"application path climbs", "<configuration><system.applicationHost><sites><site name=\"A\" id=\"1\">\n<application path=\"/a/../b\"/>",
			`config test.config: 2:1: <application path="/a/../b"> in <site name="A">: want a URL path such as / or /app`},
		{"virtual directory without physicalPath", "<configuration><system.applicationHost><sites><site name=\"A\" id=\"1\"><application path=\"/\">\n<virtualDirectory path=\"/\"/>",
			`config test.config: 2:1: <virtualDirectory path="/"> in <application path="/"> of <site name="A"> has no physicalPath`},
		{"bad connectionTimeout", "<configuration><system.applicationHost><sites><site name=\"A\" id=\"1\">\n<limits connectionTimeout=\"2 minutes\"/>",
			`config test.config: 2:1: connectionTimeout "2 minutes" is not a time span ([d.]hh:mm:ss)`},
		{"bad maxConnections", "<configuration><system.applicationHost><sites><siteDefaults>\n<limits maxConnections=\"-1\"/>",
			`config test.config: 2:1: maxConnections "-1" is not a number from 0 to 4294967295`},
		{"duplicate root application",
			"<configuration><system.applicationHost><sites><site name=\"A\" id=\"1\">\n<application path=\"/\"><virtualDirectory path=\"/\" physicalPath=\"/a\"/></application>\n<application path=\"/\"/>",
			`config test.config: 3:1: duplicate <application path="/"> in <site name="A">`},
		{"duplicate root virtual directory",
			"<configuration><system.applicationHost><sites><site name=\"A\" id=\"1\"><application path=\"/\">\n<virtualDirectory path=\"/\" physicalPath=\"/a\"/>\n<virtualDirectory path=\"/\" physicalPath=\"/b\"/>",
			`config test.config: 3:1: duplicate <virtualDirectory path="/"> in <application path="/">`},
		{"binding without protocol", "<configuration><system.applicationHost><sites><site name=\"A\" id=\"1\"><bindings>\n<binding bindingInformation=\"*:80:\"/>",
			`config test.config: 2:1: <binding bindingInformation="*:80:"> has no protocol`},
	}
	for _, info := range []string{"", "8080", "*:8080", "*:http:", "*:0:", "*:65536:", "[::1:80:", "[::1]80:"} {
		tests = append(tests, struct{ name, doc, want string }{
			"binding information " + info,
			"<configuration><system.applicationHost><sites><site name=\"A\" id=\"1\"><bindings>\n<binding protocol=\"http\" bindingInformation=\"" + info + "\"/>",
			`config test.config: 2:1: <binding protocol="http" bindingInformation="` + info + `">: want IP:PORT:HOST with a port from 1 to 65535`,
		})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfigString(tt.doc)
			assert.Nil(t, c)
			require.EqualError(t, err, tt.want)
		})
	}

	t.Run("no source", func(t *testing.T) {
		_, err := parseConfig(strings.NewReader("<x/>"), "", configTestLookup)
		require.EqualError(t, err, "config: 1:1: root element is <x>, want <configuration>")
	})
}

func TestConfigExpandEnv(t *testing.T) {
	lookup := func(name string) (string, bool) {
		v, ok := map[string]string{"A": "a", "B": "b", "EMPTY": "", "": "never"}[name]
		return v, ok
	}
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain/path.so", "plain/path.so"},
		{"%A%", "a"},
		{"x%A%y%B%z", "xaybz"},
		{"%A%%B%", "ab"},
		{"%EMPTY%/m.so", "/m.so"},
		{"%NOPE%", "%NOPE%"},
		{"%NOPE%A%", "%NOPEa"},
		{"%%", "%%"},
		{"%%A%", "%a"},
		{"100%", "100%"},
		{"%A", "%A"},
		{"a%b", "a%b"},
		{"%a%", "%a%"}, // lookup decides about case
		{`%A%\x%B%\y.dll`, `a\xb\y.dll`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, ExpandEnv(tt.in, lookup))
		})
	}
	t.Run("nil lookup", func(t *testing.T) {
		assert.Equal(t, "%A%/x", ExpandEnv("%A%/x", nil))
	})
}

func TestConfigEnvLookup(t *testing.T) {
	t.Setenv("IISHOST_CONFIG_TEST_DIR", "/from/env")
	v, ok := configEnvLookup("IisHost_Config_Test_Dir")
	assert.True(t, ok)
	assert.Equal(t, "/from/env", v)
	_, ok = configEnvLookup("IISHOST_CONFIG_TEST_UNSET")
	assert.False(t, ok)

	// ParseConfig expands from the process environment.
	c, err := ParseConfig(strings.NewReader(`<configuration><system.webServer><globalModules>
		<add name="A" image="%iishost_config_test_dir%/a.so"/>
	</globalModules></system.webServer></configuration>`), "env.config")
	require.NoError(t, err)
	assert.Equal(t, []ModuleSpec{{Name: "A", Image: "/from/env/a.so"}}, c.GlobalModules)
}

func TestConfigAddModule(t *testing.T) {
	base := func(source string) *Config {
		return &Config{
			GlobalModules: []ModuleSpec{{Name: "Hello", Image: "/hello.so"}, {Name: "Quiet", Image: "/quiet.so"}},
			Modules:       []string{"Hello", "Ghost"},
			Sites:         configDefaultSites(),
			SiteDefaults:  defaultSiteLimits,
			Source:        source,
		}
	}
	tests := []struct {
		name, source, flag, wantErr string
		wantGlobal                  ModuleSpec
	}{
		{name: "appended", flag: "Extra=./extra.so", wantGlobal: ModuleSpec{Name: "Extra", Image: "./extra.so"}},
		{name: "path may hold '='", flag: "Odd=/m/a=b.so", wantGlobal: ModuleSpec{Name: "Odd", Image: "/m/a=b.so"}},
		{name: "no '='", flag: "hello.so", wantErr: `-module "hello.so": want NAME=PATH`},
		{name: "empty", flag: "", wantErr: `-module "": want NAME=PATH`},
		{name: "empty name", flag: "=/x.so", wantErr: `-module "=/x.so": empty module name`},
		{name: "empty path", flag: "X=", wantErr: `-module "X=": empty module path`},
		{name: "declared", source: "app.config", flag: "HELLO=/other.so",
			wantErr: `-module "HELLO=/other.so": module "Hello" is already declared in app.config`},
		{name: "declared but not enabled", flag: "quiet=/q.so",
			wantErr: `-module "quiet=/q.so": module "Quiet" is already declared`},
		{name: "enabled but not declared", source: "app.config", flag: "ghost=/g.so",
			wantErr: `-module "ghost=/g.so": module "Ghost" is already enabled in app.config`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base(tt.source)
			err := c.AddModule(tt.flag)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				assert.Equal(t, base(tt.source), c, "a failed AddModule changes nothing")
				return
			}
			require.NoError(t, err)
			want := base(tt.source)
			want.GlobalModules = append(want.GlobalModules, tt.wantGlobal)
			want.Modules = append(want.Modules, tt.wantGlobal.Name)
			assert.Equal(t, want, c)
		})
	}

	t.Run("flags after a file keep file order first", func(t *testing.T) {
		c, err := parseConfigString(`<configuration><system.webServer>
			<globalModules><add name="A" image="/a.so"/><add name="B" image="/b.so"/></globalModules>
			<modules><add name="B"/><add name="A"/></modules>
		</system.webServer></configuration>`)
		require.NoError(t, err)
		require.NoError(t, c.AddModule("C=/c.so"))
		got, err := c.EnabledModules()
		require.NoError(t, err)
		assert.Equal(t, []ModuleSpec{{Name: "B", Image: "/b.so"}, {Name: "A", Image: "/a.so"}, {Name: "C", Image: "/c.so"}}, got)
	})
	t.Run("flags alone", func(t *testing.T) {
		var c Config
		require.NoError(t, c.AddModule("A=/a.so"))
		require.NoError(t, c.AddModule("B=/b.so"))
		got, err := c.EnabledModules()
		require.NoError(t, err)
		assert.Equal(t, []ModuleSpec{{Name: "A", Image: "/a.so"}, {Name: "B", Image: "/b.so"}}, got)
	})
}

func TestConfigEnabledModules(t *testing.T) {
	tests := []struct {
		name, doc, wantErr string
		want               []ModuleSpec
	}{
		{
			name: "modules order wins, names match case-insensitively, managed ones need no image",
			doc: `<configuration><system.webServer>
				<globalModules>
					<add name="Log" image="/log.so"/>
					<add name="Auth" image="/auth.so" preCondition="bitness64"/>
					<add name="Unused" image="/unused.so"/>
				</globalModules>
				<modules>
					<add name="auth"/>
					<add name="Forms" type="System.Web.Security.FormsAuthenticationModule"/>
					<add name="LOG"/>
				</modules>
			</system.webServer></configuration>`,
			want: []ModuleSpec{{Name: "Auth", Image: "/auth.so", PreCondition: "bitness64"}, {Name: "Log", Image: "/log.so"}},
		},
		{
			name: "nothing enabled",
			doc:  `<configuration><system.webServer><globalModules><add name="A" image="/a.so"/></globalModules></system.webServer></configuration>`,
			want: []ModuleSpec{},
		},
		{
			name: "enabled but not declared",
			doc: "<configuration><system.webServer>\n<globalModules><add name=\"A\" image=\"/a.so\"/></globalModules>\n" +
				"<modules>\n  <add name=\"A\"/>\n  <add name=\"Missing\"/>\n</modules></system.webServer></configuration>",
			wantErr: `config test.config: 5:3: module "Missing" is enabled in <modules> but not declared in <globalModules>`,
		},
		{
			name: "declared, then removed",
			doc: "<configuration><system.webServer>\n<globalModules><add name=\"A\" image=\"/a.so\"/><remove name=\"A\"/></globalModules>\n" +
				"<modules><add name=\"A\"/></modules></system.webServer></configuration>",
			wantErr: `config test.config: 3:10: module "A" is enabled in <modules> but not declared in <globalModules>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfigString(tt.doc)
			require.NoError(t, err)
			got, err := c.EnabledModules()
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				assert.Nil(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}

	t.Run("built in code, no position", func(t *testing.T) {
		c := &Config{Modules: []string{"X"}}
		_, err := c.EnabledModules()
		require.EqualError(t, err, `config: module "X" is enabled in <modules> but not declared in <globalModules>`)
	})
}

func TestConfigDefault(t *testing.T) {
	const path = "../cmd/iishost/default.config"
	doc, err := os.ReadFile(path)
	require.NoError(t, err)
	t.Setenv("IISHOST_SAMPLES", "/cache/samples")
	t.Setenv("IISHOST_WWWROOT", "/cache/wwwroot")
	c, err := ParseConfig(strings.NewReader(string(doc)), "")
	require.NoError(t, err)

	mods, err := c.EnabledModules()
	require.NoError(t, err)
	var want []ModuleSpec
	for _, name := range []string{"DenyPrefix", "BasicAuth", "Headers", "Hello", "CModule", "Async", "Combo", "Sse", "AccessLog"} {
		want = append(want, ModuleSpec{Name: name, Image: "/cache/samples/" + strings.ToLower(name) + ".so"})
	}
	assert.Equal(t, want, mods)
	assert.Equal(t, want, c.GlobalModules)
	assert.Empty(t, c.SkippedManaged)
	site := DefaultSite("/cache/wwwroot")
	site.Bindings = []Binding{{Protocol: "http", Address: "127.0.0.1", Port: "8080", Information: "127.0.0.1:8080:"}}
	assert.Equal(t, []Site{site}, configFields(c).Sites)
	endpoints, err := configEndpoints(c)
	require.NoError(t, err)
	assert.Equal(t, []string{"127.0.0.1:8080"}, endpoints)
}

func TestConfigLoad(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("IISHOST_CONFIG_TEST_MODS", "mods")
	doc := `<configuration>
		<system.applicationHost><sites><site name="S" id="1">
			<application path="/"><virtualDirectory path="/" physicalPath="www"/></application>
		</site></sites></system.applicationHost>
		<system.webServer><globalModules>
			<add name="Rel" image="mods/rel.so"/>
			<add name="Var" image="%IISHOST_CONFIG_TEST_MODS%/var.so"/>
			<add name="Abs" image="/abs/abs.so"/>
		</globalModules></system.webServer>
	</configuration>`
	path := filepath.Join(dir, "app.config")
	require.NoError(t, os.WriteFile(path, []byte(doc), 0o644))

	check := func(t *testing.T, c *Config, source string) {
		assert.Equal(t, source, c.Source)
		assert.Equal(t, []ModuleSpec{
			{Name: "Rel", Image: filepath.Join(dir, "mods/rel.so")},
			{Name: "Var", Image: filepath.Join(dir, "mods/var.so")},
			{Name: "Abs", Image: "/abs/abs.so"},
		}, c.GlobalModules)
		assert.Equal(t, filepath.Join(dir, "www"), c.Sites[0].Root().PhysicalPath)
	}

	t.Run("absolute config path", func(t *testing.T) {
		c, err := LoadConfig(path)
		require.NoError(t, err)
		check(t, c, path)
	})
	t.Run("relative config path resolves against the file, not the working directory", func(t *testing.T) {
		t.Chdir(dir)
		c, err := LoadConfig("app.config")
		require.NoError(t, err)
		check(t, c, "app.config")
	})
	t.Run("default physical path is the file's directory", func(t *testing.T) {
		p := filepath.Join(dir, "bare.config")
		require.NoError(t, os.WriteFile(p, []byte("<configuration/>"), 0o644))
		c, err := LoadConfig(p)
		require.NoError(t, err)
		assert.Equal(t, dir, c.Sites[0].Root().PhysicalPath)
	})
	t.Run("missing file", func(t *testing.T) {
		p := filepath.Join(dir, "nope.config")
		_, err := LoadConfig(p)
		require.EqualError(t, err, "config "+p+": no such file or directory")
		assert.True(t, errors.Is(err, fs.ErrNotExist))
	})
	t.Run("a directory", func(t *testing.T) {
		_, err := LoadConfig(dir)
		require.EqualError(t, err, "config "+dir+": 1:1: read "+dir+": is a directory")
	})
	t.Run("parse errors name the file", func(t *testing.T) {
		p := filepath.Join(dir, "bad.config")
		require.NoError(t, os.WriteFile(p, []byte("<configuration>\n<site/>\n</configuration>\n<x/>"), 0o644))
		_, err := LoadConfig(p)
		require.EqualError(t, err, "config "+p+`: 4:1: <x> after the end of <configuration>`)
	})
}

// configEndpoints plans the configuration's endpoints as New does, without loading anything.
func configEndpoints(c *Config) ([]string, error) {
	var sites []*siteRuntime
	for i := range c.Sites {
		sites = append(sites, &siteRuntime{index: i, config: &c.Sites[i]})
	}
	rt, err := planEndpoints(c, sites)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, ep := range rt.endpoints {
		out = append(out, ep.address)
	}
	return out, nil
}
