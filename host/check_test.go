package host_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/host"
	"github.com/iishost/iishost/hosttest"
	"github.com/iishost/iishost/internal/testcerts"
)

// writeKeyPair writes a PEM certificate for name and its key as name.pem and name-key.pem.
func writeKeyPair(t *testing.T, dir, name string) (cert, key string) {
	t.Helper()
	issued := testcerts.NewCA(t, "Check CA").Server(t, 1, name)
	cert, key = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+"-key.pem")
	testcerts.WriteFile(t, cert, issued.CertPEM)
	testcerts.WriteFile(t, key, issued.KeyPEM)
	return cert, key
}

// checkFile writes a configuration into dir, loads it and checks it; relative paths in it are
// the dir's.
func checkFile(t *testing.T, dir, doc string) (*host.CheckReport, string) {
	t.Helper()
	path := filepath.Join(dir, "applicationHost.config")
	require.NoError(t, os.WriteFile(path, []byte(doc), 0o644))
	cfg, err := host.LoadConfig(path)
	require.NoError(t, err)
	return host.Check(cfg, host.CheckOptions{Dir: dir}), path
}

func problemLines(r *host.CheckReport) []string {
	var out []string
	for _, p := range r.Problems {
		out = append(out, p.String())
	}
	return out
}

// Each kind of problem is reported once, at its element, in file order.
func TestCheckProblems(t *testing.T) {
	dir := t.TempDir()
	hello := hosttest.Build(t, "samples/hello/hello.cpp")
	noExport := hosttest.Build(t, "testdata/modules/noexport.cpp")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "page.txt"), []byte("a file\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "readme.so"), []byte("This is a text file.\n"), 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "www"), 0o755))
	writeKeyPair(t, dir, "cert")
	writeKeyPair(t, dir, "other")

	doc := strings.NewReplacer("HELLO", hello, "NOEXPORT", noExport).Replace(`<configuration>
  <iishost schemaDirectory="no-schemas" />
  <system.applicationHost>
    <sites>
      <site name="Main" id="1" serverAutoStart="maybe">
        <application path="/">
          <virtualDirectory path="/" physicalPath="missing-root" />
          <virtualDirectory path="/file" physicalPath="page.txt" />
          <virtualDirectory path="/ok" physicalPath="www" allowSubDirconfig="true" />
        </application>
        <bindings>
          <binding protocol="http" bindingInformation="*:8080:" />
          <binding protocol="http" bindingInformation=":8080:" />
          <binding protocol="https" bindingInformation="*:8080:secure.example" certificateFile="cert.pem" certificateKeyFile="cert-key.pem" />
          <binding protocol="https" bindingInformation="127.0.0.1:8443:" />
          <binding protocol="https" bindingInformation="127.0.0.1:8444:" certificateFile="cert.pem" certificateKeyFile="other-key.pem" />
          <binding protocol="net.tcp" bindingInformation="808:*" />
          <binding protocol="http" bindingInformation="localhost:8081:" />
          <binding protocol="http" bindingInformation="*:8082:" colour="blue" />
        </bindings>
      </site>
    </sites>
  </system.applicationHost>
  <system.webServer>
    <globalModules>
      <add name="Hello" image="HELLO" />
      <add name="NoExport" image="NOEXPORT" />
      <add name="Text" image="readme.so" />
    </globalModules>
    <modules>
      <add name="Hello" />
      <add name="Ghost" />
    </modules>
    <security>
      <requestFiltering>
        <fileExtensions>
          <add fileExtension=".x" allowed="true" />
          <add fileExtension=".X" allowed="false" />
        </fileExtensions>
      </requestFiltering>
    </security>
    <globalmodules />
  </system.webServer>
  <system.webserver>
    <handlers />
  </system.webserver>
</configuration>
`)
	report, path := checkFile(t, dir, doc)
	caseOnly := `the schema declares %q, which differs in letter case only; IIS reads names case-sensitively and refuses it, iishost ignores it`
	want := []string{
		`2:3: error: schemaDirectory DIR/no-schemas: no such file or directory`,
		`5:7: error: system.applicationHost/sites/site: attribute serverAutoStart: "maybe" is not true or false`,
		`7:11: error: site "Main" application "/" virtual directory "/": physicalPath DIR/missing-root: no such file or directory`,
		`8:11: error: site "Main" application "/" virtual directory "/file": physicalPath DIR/page.txt: not a directory`,
		`9:11: error: element system.applicationHost/sites/site/application/virtualDirectory, attribute allowSubDirconfig: ` +
			fmt.Sprintf(caseOnly, "allowSubDirConfig"),
		`13:11: error: http binding ":8080:" of site "Main" (line 13) answers the same requests as http binding "*:8080:" of site "Main" (line 12)`,
		`14:11: error: https binding "*:8080:secure.example" of site "Main" (line 14) shares port 8080 with http binding "*:8080:" of site "Main" (line 12): http and https cannot share a port`,
		`15:11: error: site "Main": https binding needs certificateFile and certificateKeyFile (PEM files)`,
		`16:11: error: site "Main": https binding certificate: tls: private key does not match public key`,
		`17:11: warning: site "Main": binding protocol "net.tcp" is not served: iishost serves http and https`,
		`18:11: error: binding "localhost:8081:" of site "Main": "localhost" is not an IP address or *`,
		`19:11: warning: configuration attribute not declared by the schema; its value is typed from its text (element system.applicationHost/sites/site/bindings/binding, attribute colour)`,
		`27:7: error: module "NoExport" (` + noExport + `): does not export RegisterModule`,
		`28:7: error: module "Text" (DIR/readme.so): not a shared library: it is a text file, not an ELF image`,
		`32:7: error: module "Ghost" is enabled in <modules> but not declared in <globalModules>`,
		`38:11: error: system.webServer/security/requestFiltering/fileExtensions: duplicate <add> entry (fileExtension=".X")`,
		`42:5: error: section system.webServer/globalmodules: ` + fmt.Sprintf(caseOnly, "system.webServer/globalModules"),
		`44:3: error: section system.webserver: ` + fmt.Sprintf(caseOnly, "system.webServer"),
	}
	for i, w := range want {
		want[i] = path + ":" + strings.ReplaceAll(w, "DIR", dir)
	}
	assert.Equal(t, want, problemLines(report))
	assert.True(t, report.Failed())
	assert.Equal(t, 2, report.Count(host.SeverityWarning))
}

// A configuration with nothing wrong checks clean: SNI lets https bindings share a port by host
// name, and one port may be bound on several addresses. Its modules are registered and
// terminated, and the application never starts.
func TestCheckClean(t *testing.T) {
	dir := t.TempDir()
	hello := hosttest.Build(t, "samples/hello/hello.cpp")
	global := hosttest.Build(t, "testdata/modules/global.cpp")
	events := filepath.Join(t.TempDir(), "global.log")
	t.Setenv("IISHOST_GLOBAL_LOG", events)
	t.Setenv("CHECK_WWW", "www")
	require.NoError(t, os.Mkdir(filepath.Join(dir, "www"), 0o755))
	writeKeyPair(t, dir, "a.example")
	writeKeyPair(t, dir, "b.example")

	doc := strings.NewReplacer("HELLO", hello, "GLOBAL", global).Replace(`<configuration>
  <system.applicationHost>
    <sites>
      <site name="Main" id="1">
        <application path="/">
          <virtualDirectory path="/" physicalPath="%CHECK_WWW%" />
        </application>
        <bindings>
          <binding protocol="http" bindingInformation="*:8080:" />
          <binding protocol="http" bindingInformation="127.0.0.1:8081:" />
          <binding protocol="http" bindingInformation="[::1]:8081:" />
          <binding protocol="https" bindingInformation="*:8443:a.example" certificateFile="a.example.pem" certificateKeyFile="a.example-key.pem" />
          <binding protocol="https" bindingInformation="*:8443:b.example" certificateFile="b.example.pem" certificateKeyFile="b.example-key.pem" />
        </bindings>
      </site>
    </sites>
  </system.applicationHost>
  <system.webServer>
    <globalModules>
      <add name="Hello" image="HELLO" />
      <add name="global-a" image="GLOBAL" />
    </globalModules>
    <modules>
      <add name="Hello" />
    </modules>
  </system.webServer>
</configuration>
`)
	report, path := checkFile(t, dir, doc)
	assert.Empty(t, problemLines(report))
	assert.False(t, report.Failed())
	data, err := os.ReadFile(events)
	require.NoError(t, err)
	assert.Equal(t, "global-a Terminate\n", string(data), "registered and terminated; no ApplicationStart")

	// -root replaces the root virtual directory's path.
	cfg, err := host.LoadConfig(path)
	require.NoError(t, err)
	report = host.Check(cfg, host.CheckOptions{Dir: dir, Root: "elsewhere"})
	assert.Equal(t, []string{path + `:6:11: error: site "Main" application "/" virtual directory "/": physicalPath ` +
		filepath.Join(dir, "elsewhere") + `: no such file or directory`}, problemLines(report))
}

// A configuration that does not load is a problem with its position.
func TestCheckErrorProblem(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.config")
	require.NoError(t, os.WriteFile(path, []byte("<configuration>\n  <system.webServer>\n</configuration>\n"), 0o644))
	_, err := host.LoadConfig(path)
	require.Error(t, err)
	p := host.ErrorProblem(err)
	assert.Equal(t, path+":3:1: error: malformed XML: element <system.webServer> closed by </configuration>", p.String())

	_, err = host.LoadConfig(path + ".none")
	assert.Equal(t, path+".none: error: no such file or directory", host.ErrorProblem(err).String())
}

// Module problems beyond loading: a subscription iishost never raises, a location enabling an
// undeclared module, and a module's schema file that does not read (reported last: it is
// another file).
func TestCheckModuleDetails(t *testing.T) {
	dir := t.TempDir()
	raised := filepath.Join(dir, "raised.so")
	data, err := os.ReadFile(hosttest.Build(t, "testdata/modules/globalraised.cpp"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(raised, data, 0o755))
	schemaFile := filepath.Join(dir, "raised_schema.xml")
	require.NoError(t, os.WriteFile(schemaFile, []byte("<configSchema>\n  <sectionSchema />\n</configSchema>\n"), 0o644))

	doc := `<configuration>
  <system.webServer>
    <globalModules>
      <add name="g-rsca" image="raised.so" />
    </globalModules>
  </system.webServer>
  <location path="Default Web Site/app">
    <system.webServer>
      <modules>
        <add name="Ghost" />
      </modules>
    </system.webServer>
  </location>
</configuration>
`
	report, path := checkFile(t, dir, doc)
	assert.Equal(t, []string{
		path + `:4:7: warning: module "g-rsca" subscribes to GL_RSCA_QUERY, which iishost never raises: ` +
			`run-time status and control queries (RSCA) come from WAS, which iishost has not`,
		path + `:10:9: error: module "Ghost" is enabled in <modules> but not declared in <globalModules>`,
		schemaFile + `:2:3: error: <sectionSchema> needs a name such as group/section, not ""`,
	}, problemLines(report))

	// Without the broken schema file, the location's section is typed and nothing else changes.
	require.NoError(t, os.Remove(schemaFile))
	report, _ = checkFile(t, dir, doc)
	assert.Len(t, report.Problems, 2)
}

// What only the per-site compile finds is reported too: a location's <add> of a key that a
// level above it already has.
func TestCheckRequestFilteringInheritance(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "www"), 0o755))
	report, path := checkFile(t, dir, `<configuration>
  <system.applicationHost><sites><site name="S" id="1">
    <application path="/"><virtualDirectory path="/" physicalPath="www" /></application>
  </site></sites></system.applicationHost>
  <system.webServer><security><requestFiltering>
    <fileExtensions><add fileExtension=".log" allowed="false" /></fileExtensions>
  </requestFiltering></security></system.webServer>
  <location path="S/app"><system.webServer><security><requestFiltering>
    <fileExtensions><add fileExtension=".LOG" allowed="true" /></fileExtensions>
  </requestFiltering></security></system.webServer></location>
</configuration>
`)
	assert.Equal(t, []string{path + `:9:21: error: requestFiltering fileExtensions: duplicate fileExtension=".LOG" (first added at 6:21)`},
		problemLines(report))
}

// check reports a tracing rule New would refuse, at its position.
func TestCheckFailedRequestTracing(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "www"), 0o755))
	report, path := checkFile(t, dir, `<configuration>
  <system.applicationHost><sites><site name="S" id="1">
    <application path="/"><virtualDirectory path="/" physicalPath="www" /></application>
    <traceFailedRequestsLogging enabled="true" directory="traces" />
  </site></sites></system.applicationHost>
  <location path="S/app"><system.webServer><tracing><traceFailedRequests>
    <add path="*"><failureDefinitions statusCodes="404,1000" /></add>
  </traceFailedRequests></tracing></system.webServer></location>
</configuration>
`)
	assert.Equal(t, []string{path + `:7:19: error: traceFailedRequests failureDefinitions statusCodes "1000": want codes from 100 to 999 as 404, 404.2 or 500-599`},
		problemLines(report))
}
