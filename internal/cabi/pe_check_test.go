package cabi

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// peLayout is where buildPE put the fields the hostile-image tests patch (file offsets).
type peLayout struct {
	lfanew, exportEntry, section, exportDirectory, names, ordinals int
}

// peSpec describes the tiny DLL buildPE writes: one section, ".edata", holding an export
// directory with one function under exportName (none when exportName is empty).
type peSpec struct {
	machine         uint16
	characteristics uint16
	exportName      string
}

func defaultPESpec() peSpec {
	return peSpec{
		machine:         pe.IMAGE_FILE_MACHINE_AMD64,
		characteristics: pe.IMAGE_FILE_EXECUTABLE_IMAGE | pe.IMAGE_FILE_LARGE_ADDRESS_AWARE | pe.IMAGE_FILE_DLL,
		exportName:      "RegisterModule",
	}
}

// buildPE writes a minimal PE32+ image from the format's field layout, so that hostile variants
// can be made by patching one field of an otherwise valid image.
func buildPE(t testing.TB, s peSpec) ([]byte, peLayout) {
	const (
		lfanew     = 0x40
		sectionRVA = 0x1000
		rawOffset  = 0x200
	)
	var lay peLayout
	var b bytes.Buffer
	put := func(v any) { require.NoError(t, binary.Write(&b, binary.LittleEndian, v)) }

	dos := make([]byte, lfanew)
	copy(dos, "MZ")
	binary.LittleEndian.PutUint32(dos[0x3C:], lfanew)
	b.Write(dos)
	lay.lfanew = 0x3C
	b.WriteString("PE\x00\x00")

	// The section's data: directory, function table (1 entry), name table, ordinal table, name.
	var data bytes.Buffer
	le := binary.LittleEndian
	dir := make([]byte, exportDirectoryLength)
	var exportSize uint32
	if s.exportName != "" {
		functions, names := uint32(sectionRVA+exportDirectoryLength), uint32(sectionRVA+exportDirectoryLength+4)
		ordinals, name := names+4, names+4+2
		le.PutUint32(dir[16:], 1) // ordinal base
		le.PutUint32(dir[20:], 1)
		le.PutUint32(dir[24:], 1)
		le.PutUint32(dir[28:], functions)
		le.PutUint32(dir[32:], names)
		le.PutUint32(dir[36:], ordinals)
		data.Write(dir)
		require.NoError(t, binary.Write(&data, le, uint32(sectionRVA+0x100))) // the function's RVA
		require.NoError(t, binary.Write(&data, le, name))
		require.NoError(t, binary.Write(&data, le, uint16(0)))
		data.WriteString(s.exportName + "\x00")
		exportSize = uint32(data.Len())
		lay.names, lay.ordinals = rawOffset+int(names-sectionRVA), rawOffset+int(ordinals-sectionRVA)
	}
	for data.Len() < 0x200 {
		data.WriteByte(0)
	}

	var opt pe.OptionalHeader64
	put(pe.FileHeader{Machine: s.machine, NumberOfSections: 1,
		SizeOfOptionalHeader: uint16(binary.Size(opt)), Characteristics: s.characteristics})
	opt.Magic = 0x20b
	opt.ImageBase = 0x180000000
	opt.SectionAlignment, opt.FileAlignment = 0x1000, 0x200
	opt.SizeOfImage, opt.SizeOfHeaders = 0x2000, rawOffset
	opt.MajorSubsystemVersion, opt.Subsystem = 6, 3
	opt.NumberOfRvaAndSizes = 16
	if exportSize != 0 {
		opt.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_EXPORT] = pe.DataDirectory{VirtualAddress: sectionRVA, Size: exportSize}
	}
	lay.exportEntry = b.Len() + binary.Size(opt) - 16*8 // DataDirectory[0] ends the fixed fields
	put(opt)
	lay.section = b.Len()
	section := pe.SectionHeader32{VirtualSize: uint32(data.Len()), VirtualAddress: sectionRVA,
		SizeOfRawData: uint32(data.Len()), PointerToRawData: rawOffset, Characteristics: 0x40000040}
	copy(section.Name[:], ".edata")
	put(section)
	for b.Len() < rawOffset {
		b.WriteByte(0)
	}
	lay.exportDirectory = rawOffset
	b.Write(data.Bytes())
	return b.Bytes(), lay
}

// checkPEBytes runs the checks a Windows host runs on a module file, for goarch.
func checkPEBytes(data []byte, goarch string) error {
	img, err := openPE(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	return img.check(goarch)
}

func TestPECheckBuiltImages(t *testing.T) {
	good, _ := buildPE(t, defaultPESpec())
	require.NoError(t, checkPEBytes(good, "amd64"), "the unpatched image passes")

	other := defaultPESpec()
	other.exportName = "GetModuleInfo"
	none := defaultPESpec()
	none.exportName = ""
	arm := defaultPESpec()
	arm.machine = pe.IMAGE_FILE_MACHINE_ARM64
	exe := defaultPESpec()
	exe.characteristics &^= pe.IMAGE_FILE_DLL
	object := defaultPESpec()
	object.characteristics = 0
	prefix := defaultPESpec()
	prefix.exportName = "RegisterModuleEx" // a longer name that starts the same

	tests := []struct {
		name string
		spec peSpec
		kind error
		want string
	}{
		{"other export", other, ErrNoEntryPoint, "does not export RegisterModule"},
		{"no export directory", none, ErrNoEntryPoint, "does not export RegisterModule"},
		{"name with RegisterModule as prefix", prefix, ErrNoEntryPoint, "does not export RegisterModule"},
		{"arm64 image", arm, ErrWrongArch, "wrong architecture: built for arm64, this host is amd64"},
		{"executable", exe, ErrNotSharedLibrary, "not a shared library: it is a Windows program (EXE), not a DLL"},
		{"neither", object, ErrNotSharedLibrary, "not a shared library: the PE image is not marked as a DLL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, _ := buildPE(t, tt.spec)
			err := checkPEBytes(data, "amd64")
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.kind)
			assert.Equal(t, tt.want, err.Error())
		})
	}
	t.Run("arm64 image on an arm64 host", func(t *testing.T) {
		data, _ := buildPE(t, arm)
		assert.NoError(t, checkPEBytes(data, "arm64"))
	})
}

// TestPECheckHostileImages patches one field of a valid image at a time: each must be refused
// with an answer naming the fault, never read out of bounds or allocated from a hostile count.
func TestPECheckHostileImages(t *testing.T) {
	le := binary.LittleEndian
	u32 := func(off int, v uint32) func([]byte) []byte {
		return func(b []byte) []byte { le.PutUint32(b[off:], v); return b }
	}
	u16 := func(off int, v uint16) func([]byte) []byte {
		return func(b []byte) []byte { le.PutUint16(b[off:], v); return b }
	}
	cut := func(n int) func([]byte) []byte { return func(b []byte) []byte { return b[:n] } }
	good, lay := buildPE(t, defaultPESpec())
	dirAt := lay.exportDirectory
	fileLen := len(good)

	tests := []struct {
		name  string
		patch func([]byte) []byte
		want  string
	}{
		{"empty", cut(0), "not a shared library: it is an empty file, not a PE image"},
		{"MZ only", cut(2), "not a shared library: truncated PE image: 2 bytes, shorter than the DOS header"},
		{"PE header offset past the end", u32(lay.lfanew, 0xFFFFFFF0),
			"not a shared library: an MZ (DOS) file whose PE header offset 0xFFFFFFF0 is past its end (1024 bytes): truncated, or no PE image"},
		{"no PE signature", u32(lay.lfanew, 0x10),
			"not a shared library: an MZ (DOS) executable without a PE signature at 0x10"},
		{"cut inside the optional header", cut(lay.exportEntry), "not a shared library: malformed PE image: "},
		{"cut inside the section data", cut(dirAt + 8),
			"not a shared library: malformed PE image: export directory: section \".edata\" claims file bytes up to 1024, the file has 520: truncated"},
		{"export directory shorter than its header", u32(lay.exportEntry+4, 8),
			"not a shared library: malformed PE image: export directory of 8 bytes, shorter than its 40-byte header"},
		{"export directory outside every section", u32(lay.exportEntry, 0x9000),
			"not a shared library: malformed PE image: export directory: RVA 0x9000 is in no section's data"},
		{"export directory at the end of the section", u32(lay.exportEntry, 0x1000+0x200-8),
			"not a shared library: malformed PE image: export directory: 40 bytes at RVA 0x11F8 run past the end of section \".edata\""},
		{"section smaller in memory than the directory", u32(lay.section+8, 0x10),
			"not a shared library: malformed PE image: export directory: 40 bytes at RVA 0x1000 run past the end of section \".edata\""},
		{"huge name count", func(b []byte) []byte {
			le.PutUint32(b[dirAt+20:], 0xFFFFFFFF)
			le.PutUint32(b[dirAt+24:], 0xFFFFFFFF)
			return b
		}, "not a shared library: malformed PE export directory: name table: 17179869180 bytes at RVA 0x102C run past the end of section \".edata\""},
		{"more names than functions", u32(dirAt+24, 2),
			"not a shared library: malformed PE export directory: 2 names for 1 functions"},
		{"name table outside the image", u32(dirAt+32, 0x7FFFFFFF),
			"not a shared library: malformed PE export directory: name table: RVA 0x7FFFFFFF is in no section's data"},
		{"name outside the image", u32(lay.names, 0xFFFFFFFF),
			"not a shared library: malformed PE export directory: export name 0: RVA 0xFFFFFFFF is in no section's data"},
		{"ordinal past the function table", u16(lay.ordinals, 7),
			"not a shared library: malformed PE export directory: RegisterModule has ordinal index 7, past the 1 functions"},
		{"function table at the top of the address space", u32(dirAt+28, 0xFFFFFFFE),
			"not a shared library: malformed PE export directory: RegisterModule: function table entry 0: RVA 0xFFFFFFFE is in no section's data"},
		{"function without an address", u32(dirAt+exportDirectoryLength, 0),
			"not a shared library: malformed PE export directory: RegisterModule has no address"},
		{"section data past the end of the file", u32(lay.section+20, uint32(fileLen)),
			"not a shared library: malformed PE image: export directory: section \".edata\" claims file bytes up to 1536, the file has 1024: truncated"},
		{"section data size near 4 GiB", u32(lay.section+16, 0xFFFFFF00),
			"not a shared library: malformed PE image: export directory: section \".edata\" claims file bytes up to 4294967552, the file has 1024: truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.patch(bytes.Clone(good))
			err := checkPEBytes(data, "amd64")
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrNotSharedLibrary)
			if tt.want[len(tt.want)-2:] == ": " {
				assert.Contains(t, err.Error(), tt.want) // debug/pe's own words follow
			} else {
				assert.Equal(t, tt.want, err.Error())
			}
		})
	}
}

func TestDescribeFile(t *testing.T) {
	tests := []struct {
		head []byte
		size int64
		want string
	}{
		{nil, 0, "an empty file"},
		{[]byte("\x7fELF\x02\x01\x01"), 16000, "an ELF image (a Linux or Unix binary)"},
		{[]byte("MZ\x90\x00"), 4096, "a Windows (MZ/PE) image"},
		{[]byte{0xCF, 0xFA, 0xED, 0xFE, 7, 0, 0, 1}, 50000, "a Mach-O image (a macOS binary)"},
		{[]byte("!<arch>\nmodule.o/"), 9000, "a static library archive (.a/.lib), not a shared library"},
		{[]byte("PK\x03\x04\x14\x00"), 300, "a zip archive"},
		{[]byte("#!/bin/sh\nexec true\n"), 20, "a script"},
		{[]byte("<configuration>\r\n\t<system.webServer/>\n"), 40, "a text file"},
		{[]byte{0x00, 0x01, 0x02}, 3, "3 bytes of unrecognised data (truncated?)"},
		{bytes.Repeat([]byte{0xFF, 0x00}, 256), 1 << 20, "unrecognised binary data"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, describeFile(tt.head, tt.size), "%q", tt.head)
	}
}

// TestPECheckMinGWImages checks images a real toolchain made: MinGW-w64 DLLs with and without
// RegisterModule, a program, a 32-bit DLL and an ELF object.
func TestPECheckMinGWImages(t *testing.T) {
	dir := t.TempDir()
	const module = `__declspec(dllexport) long RegisterModule(unsigned long v, void *info, void *server)
{ (void)v; (void)info; (void)server; return 0; }
__declspec(dllexport) int Helper(void) { return 1; }
`
	const noModule = "__declspec(dllexport) int Helper(void) { return 1; }\n"
	build := func(compiler, name, source string, flags ...string) []byte {
		out := filepath.Join(dir, name)
		mingwCompile(t, compiler, out, source, flags...)
		data, err := os.ReadFile(out)
		require.NoError(t, err)
		return data
	}
	const gcc64, gcc32 = "x86_64-w64-mingw32-gcc-posix", "i686-w64-mingw32-gcc"
	good := build(gcc64, "module.dll", module, "-shared")
	noExport := build(gcc64, "helper.dll", noModule, "-shared")
	program := build(gcc64, "program.exe", "int main(void) { return 0; }\n")
	x86 := build(gcc32, "module32.dll", module, "-shared")

	require.NoError(t, checkPEBytes(good, "amd64"))
	assert.NoError(t, checkPEBytes(x86, "386"), "a 32-bit (PE32) DLL passes on a 32-bit host")

	err := checkPEBytes(noExport, "amd64")
	assert.ErrorIs(t, err, ErrNoEntryPoint)

	err = checkPEBytes(program, "amd64")
	assert.ErrorIs(t, err, ErrNotSharedLibrary)
	assert.EqualError(t, err, "not a shared library: it is a Windows program (EXE), not a DLL")

	err = checkPEBytes(x86, "amd64")
	assert.ErrorIs(t, err, ErrWrongArch)
	assert.EqualError(t, err, "wrong architecture: built for i386, this host is amd64")

	img, err := openPE(bytes.NewReader(good), int64(len(good)))
	require.NoError(t, err)
	libs, err := img.importedDLLs()
	require.NoError(t, err)
	assert.Contains(t, libs, "KERNEL32.dll", "MinGW's runtime imports kernel32")

	// Every prefix of a real image is refused without a panic, and none of them passes.
	for n := 0; n < len(good); n += 97 {
		assert.Error(t, checkPEBytes(good[:n], "amd64"), "the first %d bytes", n)
	}
}

// FuzzOpenPE feeds the PE checks arbitrary images: they may refuse them, never panic, and never
// read or allocate past what the file holds.
func FuzzOpenPE(f *testing.F) {
	good, lay := buildPE(f, defaultPESpec())
	f.Add(good)
	f.Add(good[:lay.exportDirectory+20])
	other := defaultPESpec()
	other.exportName = "RegisterModul"
	data, _ := buildPE(f, other)
	f.Add(data)
	f.Add([]byte("MZ"))
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := openPE(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			require.ErrorIs(t, err, ErrNotSharedLibrary)
			return
		}
		if err := img.check("amd64"); err == nil {
			// A pass means the name table really holds the name.
			assert.True(t, bytes.Contains(data, []byte("RegisterModule\x00")))
		}
		libs, _ := img.importedDLLs()
		for _, lib := range libs {
			assert.LessOrEqual(t, len(lib), maxDLLNameLength)
		}
	})
}

// TestPEImportedDLLsHostile reads import directories that point at the wrong bytes: the names
// they lead to are refused, not read from outside the image.
func TestPEImportedDLLsHostile(t *testing.T) {
	le := binary.LittleEndian
	good, lay := buildPE(t, defaultPESpec())
	importEntry := lay.exportEntry + 8 // DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT]

	tests := []struct {
		name     string
		rva, len uint32
		want     string
	}{
		// The export directory read as an import descriptor: its name RVA field holds 0.
		{"descriptor over other data", 0x1000, 40, "import 0: RVA 0x0 is in no section's data"},
		{"directory outside every section", 0x8000, 40, "import directory: RVA 0x8000 is in no section's data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := bytes.Clone(good)
			le.PutUint32(data[importEntry:], tt.rva)
			le.PutUint32(data[importEntry+4:], tt.len)
			img, err := openPE(bytes.NewReader(data), int64(len(data)))
			require.NoError(t, err)
			libs, err := img.importedDLLs()
			assert.EqualError(t, err, tt.want)
			assert.Empty(t, libs)
		})
	}

	img, err := openPE(bytes.NewReader(good), int64(len(good)))
	require.NoError(t, err)
	libs, err := img.importedDLLs()
	require.NoError(t, err)
	assert.Empty(t, libs, "an image without an import directory imports nothing")
}
