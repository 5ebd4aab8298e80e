package modbuild

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// greeter is the porting fixture's project.
var greeter = filepath.Join("..", "..", "testdata", "porting", "greeter")

func TestLoadProjectFixture(t *testing.T) {
	dir, err := filepath.Abs(greeter)
	require.NoError(t, err)
	var warnings []string
	warn := func(w Warning) { warnings = append(warnings, w.String()) }

	p, err := loadProject(filepath.Join(greeter, "Greeter.vcxproj"), DefaultConfig, newCaseless(), warn)
	require.NoError(t, err)
	assert.Equal(t, &project{
		units: []unit{
			{filepath.Join(dir, "Greeter.cpp"), true,
				[]string{"UNICODE", "_UNICODE", "NDEBUG", `BUILD_CONFIG="Release|x64"`, "GREETER_SHEET=1"},
				[]string{filepath.Join(dir, "shared")}},
			{filepath.Join(dir, "src", "greeting.c"), false,
				[]string{"UNICODE", "_UNICODE", `GREETING_TEXT="Hello"`, "NDEBUG", `BUILD_CONFIG="Release|x64"`, "GREETER_SHEET=1"},
				[]string{filepath.Join(dir, "shared")}},
		},
		def:  filepath.Join(dir, "Greeter.def"),
		name: "Greeter",
	}, p)

	p, err = loadProject(filepath.Join(greeter, "Greeter.vcxproj"), "debug", newCaseless(), warn)
	require.NoError(t, err)
	require.Len(t, p.units, 3, "Broken.cpp is built in Debug|x64")
	assert.Equal(t, filepath.Join(dir, "Broken.cpp"), p.units[2].src)
	assert.Equal(t, []string{"UNICODE", "_UNICODE", "_DEBUG", `BUILD_CONFIG="Debug|x64"`, "GREETER_SHEET=1"}, p.units[2].defines)
	assert.Empty(t, warnings)
}

// project writes a project file (and others beside it) and returns its path.
func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	return filepath.Join(dir, "m.vcxproj")
}

const twoConfigs = `<ItemGroup Label="ProjectConfigurations">
    <ProjectConfiguration Include="Debug|Win32" />
    <ProjectConfiguration Include="Release|x64" />
  </ItemGroup>`

func TestLoadProjectReadsAsMSBuild(t *testing.T) {
	path := writeProject(t, map[string]string{
		"m.vcxproj": `<Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
  ` + twoConfigs + `
  <PropertyGroup>
    <Configuration>Debug</Configuration>
    <CharacterSet Condition="'$(Platform)'=='x64'">MultiByte</CharacterSet>
    <CharacterSet Condition="'$(Platform)'=='Win32'">Unicode</CharacterSet>
    <TargetName>mod_$(Configuration)</TargetName>
  </PropertyGroup>
  <Import Project="sheets\Common.props" />
  <ItemDefinitionGroup>
    <ClCompile>
      <PreprocessorDefinitions>LATE=$(DefinedLater);%(PreprocessorDefinitions)</PreprocessorDefinitions>
    </ClCompile>
  </ItemDefinitionGroup>
  <PropertyGroup>
    <DefinedLater>1</DefinedLater>
  </PropertyGroup>
  <ItemGroup>
    <ClCompile Include="a.c;B.C" CompileAs="CompileAsCpp">
      <PreprocessorDefinitions>FILE_%(Filename);%(PreprocessorDefinitions)</PreprocessorDefinitions>
    </ClCompile>
    <ClCompile Include="a.c" />
  </ItemGroup>
</Project>`,
		"sheets/Common.props": `<Project>
  <ItemDefinitionGroup>
    <ClCompile>
      <AdditionalIncludeDirectories>$(MSBuildThisFileDirectory)inc</AdditionalIncludeDirectories>
    </ClCompile>
  </ItemDefinitionGroup>
</Project>`,
		"sheets/inc/x.h": "",
		"a.c":            "",
		"b.c":            "",
	})
	dir := filepath.Dir(path)
	var warnings []string
	p, err := loadProject(path, DefaultConfig, newCaseless(), func(w Warning) { warnings = append(warnings, w.String()) })
	require.NoError(t, err)
	assert.Empty(t, warnings)
	inc := []string{filepath.Join(dir, "sheets", "inc")}
	assert.Equal(t, []unit{
		{filepath.Join(dir, "a.c"), true, []string{"_MBCS", "FILE_a", "LATE=1"}, inc},
		{filepath.Join(dir, "b.c"), true, []string{"_MBCS", "FILE_B", "LATE=1"}, inc},
	}, p.units, "Configuration is global: the project's default does not replace Release")
	assert.Equal(t, "mod_Release", p.name)
}

func TestLoadProjectWarnings(t *testing.T) {
	path := writeProject(t, map[string]string{
		"m.vcxproj": `<Project>
  <PropertyGroup>
    <ConfigurationType>Application</ConfigurationType>
    <Odd>$(NoSuchProperty)</Odd>
  </PropertyGroup>
  <Import Project="missing.props" />
  <Import Project="$(VCTargetsPath)\Microsoft.Cpp.props" />
  <Choose />
  <ItemDefinitionGroup>
    <ClCompile>
      <AdditionalIncludeDirectories>..\nowhere;%(AdditionalIncludeDirectories)</AdditionalIncludeDirectories>
    </ClCompile>
  </ItemDefinitionGroup>
  <ItemGroup>
    <ClCompile Include="*.cpp" />
    <ClCompile Include="a.cpp" Condition="'$(Configuration)'=='Release' and $(x) &gt; 2" />
    <ClCompile Include="a.cpp" />
  </ItemGroup>
</Project>`,
		"a.cpp": "",
	})
	var warnings []string
	_, err := loadProject(path, "Release|x64", newCaseless(), func(w Warning) { warnings = append(warnings, w.String()) })
	require.NoError(t, err)
	assert.Equal(t, []string{
		path + ":4: warning: unknown property $(NoSuchProperty), read as empty",
		path + ":6: warning: imported project missing.props not found; skipped",
		path + ":8: warning: <Choose> is not read",
		path + `:15: warning: ClCompile *.cpp: wildcards are not expanded; skipped`,
		path + ":16: warning: unknown property $(x), read as empty",
		path + `:16: warning: cannot read condition '$(Configuration)'=='Release' and $(x) > 2 (> compares numbers, not "" and "2"); taken as false`,
		path + `:11: warning: include directory ..\nowhere not found`,
		path + ": warning: ConfigurationType is Application, not DynamicLibrary; building a module (.so) all the same",
	}, warnings)
}

func TestLoadProjectErrors(t *testing.T) {
	minimal := func(items string) map[string]string {
		return map[string]string{"m.vcxproj": "<Project>\n  " + twoConfigs + "\n  <ItemGroup>\n" + items + "\n  </ItemGroup>\n</Project>", "a.cpp": ""}
	}
	tests := []struct {
		name   string
		files  map[string]string
		config string
		want   string // {path} is the project's path, {dir} its folder
	}{
		{"no file", map[string]string{}, "", "project {path}: no such file"},
		{"not XML", map[string]string{"m.vcxproj": "<Project>"}, "", "project {path}: not readable XML: XML syntax error on line 1: unexpected EOF"},
		{"not a project", map[string]string{"m.vcxproj": "<Solution/>"}, "", "project {path}: the root element is <Solution>, not an MSBuild <Project>"},
		{"unknown configuration", minimal(""), "Retail|x64", `project {path} has no configuration "Retail|x64"; it has Debug|Win32, Release|x64`},
		{"platform x64 by default", minimal(""), "Debug", `project {path} has no configuration "Debug|x64"; it has Debug|Win32, Release|x64`},
		{"no source built", minimal(`<ClCompile Include="a.cpp"><ExcludedFromBuild>true</ExcludedFromBuild></ClCompile>`), "", "{path}: no ClCompile source is built in Release|x64"},
		{"missing source", minimal(`<ClCompile Include="a.cpp" />
    <ClCompile Include="Src\Gone.cpp" />`), "", `{path}:8: ClCompile Src\Gone.cpp: no such file in {dir}`},
		{"unknown extension", minimal(`<ClCompile Include="m.vcxproj" />`), "", `{path}:7: ClCompile m.vcxproj: unknown source extension (expected .c, .cpp, .cc or .cxx)`},
		{"missing module definition", map[string]string{"m.vcxproj": `<Project>
  <ItemDefinitionGroup>
    <Link>
      <ModuleDefinitionFile>$(ProjectName).def</ModuleDefinitionFile>
    </Link>
  </ItemDefinitionGroup>
  <ItemGroup><ClCompile Include="a.cpp" /></ItemGroup>
</Project>`, "a.cpp": ""}, "", "{path}:4: ModuleDefinitionFile m.def: no such file in {dir}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeProject(t, tt.files)
			config := tt.config
			if config == "" {
				config = DefaultConfig
			}
			_, err := loadProject(path, config, newCaseless(), func(w Warning) { t.Errorf("warning: %s", w) })
			want := strings.NewReplacer("{path}", path, "{dir}", filepath.Dir(path)).Replace(tt.want)
			assert.EqualError(t, err, want)
		})
	}
}
