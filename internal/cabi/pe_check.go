package cabi

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// A Windows module is checked here before LoadLibrary sees it, so that the common mistakes get
// a plain answer instead of a loader error code. The checks are pure Go and run on every
// platform (the tests run them on Linux). Every offset, RVA and count read from the file is
// bounds-checked against the section that holds it and the file's size: the image may be hostile.

// peMachines names the machine types a module is likely to be built for.
var peMachines = map[uint16]string{
	pe.IMAGE_FILE_MACHINE_I386:  "i386",
	pe.IMAGE_FILE_MACHINE_AMD64: "amd64",
	pe.IMAGE_FILE_MACHINE_ARM64: "arm64",
	pe.IMAGE_FILE_MACHINE_ARMNT: "arm (ARMv7)",
	pe.IMAGE_FILE_MACHINE_IA64:  "ia64",
	0xA641:                      "arm64ec",
}

// peMachineFor is the machine a module loaded by a host of each GOARCH must be built for.
var peMachineFor = map[string]uint16{
	"amd64": pe.IMAGE_FILE_MACHINE_AMD64,
	"arm64": pe.IMAGE_FILE_MACHINE_ARM64,
	"386":   pe.IMAGE_FILE_MACHINE_I386,
}

func peMachineName(m uint16) string {
	if name, ok := peMachines[m]; ok {
		return name
	}
	return fmt.Sprintf("machine 0x%04X", m)
}

// peImage is what the checks learnt about one PE file.
type peImage struct {
	file    *pe.File
	size    int64
	exports exportDirectory
}

// exportDirectory is the part of IMAGE_EXPORT_DIRECTORY the checks use.
type exportDirectory struct {
	present                         bool
	functionCount, nameCount        uint32
	functions, names, nameOrdinals  uint32 // RVAs of the three arrays
	directoryStart, directoryLength uint32
}

// dosHeaderLength is the DOS header's size; its last field (e_lfanew) locates the PE header.
const dosHeaderLength = 0x40

// openPE parses the headers of a PE image of size bytes read through r. Its errors wrap
// ErrNotSharedLibrary and say what the file is when it is no PE image at all.
func openPE(r io.ReaderAt, size int64) (*peImage, error) {
	head := make([]byte, min(size, 512))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if len(head) < 2 || head[0] != 'M' || head[1] != 'Z' {
		return nil, fmt.Errorf("%w: it is %s, not a PE image", ErrNotSharedLibrary, describeFile(head, size))
	}
	if size < dosHeaderLength {
		return nil, fmt.Errorf("%w: truncated PE image: %d bytes, shorter than the DOS header", ErrNotSharedLibrary, size)
	}
	lfanew := int64(binary.LittleEndian.Uint32(head[0x3C:]))
	if lfanew+4 > size {
		return nil, fmt.Errorf("%w: an MZ (DOS) file whose PE header offset 0x%X is past its end (%d bytes): truncated, or no PE image",
			ErrNotSharedLibrary, lfanew, size)
	}
	var sig [4]byte
	if _, err := r.ReadAt(sig[:], lfanew); err != nil {
		return nil, err
	}
	if sig != [4]byte{'P', 'E', 0, 0} {
		return nil, fmt.Errorf("%w: an MZ (DOS) executable without a PE signature at 0x%X", ErrNotSharedLibrary, lfanew)
	}
	f, err := pe.NewFile(r)
	if err != nil {
		return nil, fmt.Errorf("%w: malformed PE image: %v", ErrNotSharedLibrary, err)
	}
	img := &peImage{file: f, size: size}
	if err := img.readExportDirectory(); err != nil {
		return nil, fmt.Errorf("%w: malformed PE image: %v", ErrNotSharedLibrary, err)
	}
	return img, nil
}

// check says whether the image is a DLL for goarch that exports RegisterModule.
func (img *peImage) check(goarch string) error {
	machine := img.file.Machine
	if want, ok := peMachineFor[goarch]; ok && machine != want {
		return fmt.Errorf("%w: built for %s, this host is %s", ErrWrongArch, peMachineName(machine), goarch)
	}
	if img.file.Characteristics&pe.IMAGE_FILE_DLL == 0 {
		if img.file.Characteristics&pe.IMAGE_FILE_EXECUTABLE_IMAGE != 0 {
			return fmt.Errorf("%w: it is a Windows program (EXE), not a DLL", ErrNotSharedLibrary)
		}
		return fmt.Errorf("%w: the PE image is not marked as a DLL", ErrNotSharedLibrary)
	}
	if _, ok := img.file.OptionalHeader.(*pe.OptionalHeader64); !ok && machine == pe.IMAGE_FILE_MACHINE_AMD64 {
		return fmt.Errorf("%w: a 64-bit machine type with a 32-bit (PE32) optional header", ErrNotSharedLibrary)
	}
	found, err := img.exports.has(img, "RegisterModule")
	if err != nil {
		return fmt.Errorf("%w: malformed PE export directory: %v", ErrNotSharedLibrary, err)
	}
	if !found {
		return ErrNoEntryPoint
	}
	return nil
}

// dataDirectory returns entry i of the optional header's data directories.
func (img *peImage) dataDirectory(i int) (pe.DataDirectory, bool) {
	var dirs []pe.DataDirectory
	var count uint32
	switch h := img.file.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		dirs, count = h.DataDirectory[:], h.NumberOfRvaAndSizes
	case *pe.OptionalHeader32:
		dirs, count = h.DataDirectory[:], h.NumberOfRvaAndSizes
	default:
		return pe.DataDirectory{}, false
	}
	if i >= len(dirs) || uint32(i) >= count || dirs[i].VirtualAddress == 0 {
		return pe.DataDirectory{}, false
	}
	return dirs[i], true
}

const exportDirectoryLength = 40

func (img *peImage) readExportDirectory() error {
	dir, ok := img.dataDirectory(pe.IMAGE_DIRECTORY_ENTRY_EXPORT)
	if !ok {
		return nil // an image exporting nothing
	}
	if dir.Size < exportDirectoryLength {
		return fmt.Errorf("export directory of %d bytes, shorter than its %d-byte header", dir.Size, exportDirectoryLength)
	}
	raw, err := img.readRVA(dir.VirtualAddress, exportDirectoryLength)
	if err != nil {
		return fmt.Errorf("export directory: %v", err)
	}
	le := binary.LittleEndian
	img.exports = exportDirectory{
		present:         true,
		functionCount:   le.Uint32(raw[20:]),
		nameCount:       le.Uint32(raw[24:]),
		functions:       le.Uint32(raw[28:]),
		names:           le.Uint32(raw[32:]),
		nameOrdinals:    le.Uint32(raw[36:]),
		directoryStart:  dir.VirtualAddress,
		directoryLength: dir.Size,
	}
	return nil
}

// has looks name up in the export name table and checks the entry it leads to.
func (e *exportDirectory) has(img *peImage, name string) (bool, error) {
	if !e.present || e.nameCount == 0 {
		return false, nil
	}
	if e.nameCount > e.functionCount {
		return false, fmt.Errorf("%d names for %d functions", e.nameCount, e.functionCount)
	}
	// Both arrays must lie in the file, so their length is bounded by its size before reading.
	names, err := img.readRVA(e.names, uint64(e.nameCount)*4)
	if err != nil {
		return false, fmt.Errorf("name table: %v", err)
	}
	ordinals, err := img.readRVA(e.nameOrdinals, uint64(e.nameCount)*2)
	if err != nil {
		return false, fmt.Errorf("name ordinal table: %v", err)
	}
	want := append([]byte(name), 0)
	le := binary.LittleEndian
	for i := range e.nameCount {
		nameRVA := le.Uint32(names[i*4:])
		got, err := img.readRVAUpTo(nameRVA, uint64(len(want)))
		if err != nil {
			return false, fmt.Errorf("export name %d: %v", i, err)
		}
		if !bytes.Equal(got, want) {
			continue
		}
		ordinal := uint64(le.Uint16(ordinals[i*2:]))
		if ordinal >= uint64(e.functionCount) {
			return false, fmt.Errorf("%s has ordinal index %d, past the %d functions", name, ordinal, e.functionCount)
		}
		entryRVA := uint64(e.functions) + ordinal*4
		if entryRVA > uint64(^uint32(0)) {
			return false, fmt.Errorf("%s: function table entry %d is past the 4 GiB address space", name, ordinal)
		}
		entry, err := img.readRVA(uint32(entryRVA), 4)
		if err != nil {
			return false, fmt.Errorf("%s: function table entry %d: %v", name, ordinal, err)
		}
		if le.Uint32(entry) == 0 {
			return false, fmt.Errorf("%s has no address", name)
		}
		return true, nil
	}
	return false, nil
}

// readRVA reads n bytes at a relative virtual address, all of them from one section's data in
// the file.
func (img *peImage) readRVA(rva uint32, n uint64) ([]byte, error) {
	s, offset, available, err := img.locate(rva)
	if err != nil {
		return nil, err
	}
	if n > available {
		return nil, fmt.Errorf("%d bytes at RVA 0x%X run past the end of section %q", n, rva, s.Name)
	}
	return img.readSection(s, offset, n)
}

// readRVAUpTo reads at most n bytes at rva, fewer when the section ends first.
func (img *peImage) readRVAUpTo(rva uint32, n uint64) ([]byte, error) {
	s, offset, available, err := img.locate(rva)
	if err != nil {
		return nil, err
	}
	return img.readSection(s, offset, min(n, available))
}

// locate finds the section whose data in the file holds rva, and how many bytes of it follow.
func (img *peImage) locate(rva uint32) (s *pe.Section, offset, available uint64, err error) {
	for _, s := range img.file.Sections {
		// Only the bytes both in the file and inside the section's extent in memory count.
		start, length := uint64(s.VirtualAddress), uint64(s.Size)
		if s.VirtualSize != 0 {
			length = min(length, uint64(s.VirtualSize))
		}
		if uint64(rva) < start || uint64(rva) >= start+length {
			continue
		}
		end := uint64(s.Offset) + uint64(s.Size)
		if end > uint64(img.size) {
			return nil, 0, 0, fmt.Errorf("section %q claims file bytes up to %d, the file has %d: truncated", s.Name, end, img.size)
		}
		offset = uint64(rva) - start
		return s, offset, length - offset, nil
	}
	return nil, 0, 0, fmt.Errorf("RVA 0x%X is in no section's data", rva)
}

func (img *peImage) readSection(s *pe.Section, offset, n uint64) ([]byte, error) {
	buf := make([]byte, n)
	if _, err := s.ReadAt(buf, int64(offset)); err != nil {
		return nil, fmt.Errorf("reading section %q: %v", s.Name, err)
	}
	return buf, nil
}

// importDescriptorLength is the size of one IMAGE_IMPORT_DESCRIPTOR; its name RVA is at 12.
const importDescriptorLength = 20

// maxDLLNameLength bounds the DLL names importedDLLs reads (MAX_PATH).
const maxDLLNameLength = 260

// importedDLLs lists the DLLs the image imports, for the message when one is missing. The
// import directory ends at an all-zero descriptor or at the end of its section.
func (img *peImage) importedDLLs() ([]string, error) {
	dir, ok := img.dataDirectory(pe.IMAGE_DIRECTORY_ENTRY_IMPORT)
	if !ok {
		return nil, nil
	}
	_, _, available, err := img.locate(dir.VirtualAddress)
	if err != nil {
		return nil, fmt.Errorf("import directory: %v", err)
	}
	table, err := img.readRVA(dir.VirtualAddress, available-available%importDescriptorLength)
	if err != nil {
		return nil, fmt.Errorf("import directory: %v", err)
	}
	var libs []string
	for d := table; len(d) >= importDescriptorLength; d = d[importDescriptorLength:] {
		if bytes.Equal(d[:importDescriptorLength], make([]byte, importDescriptorLength)) {
			break
		}
		nameRVA := binary.LittleEndian.Uint32(d[12:])
		name, err := img.readRVAUpTo(nameRVA, maxDLLNameLength)
		if err != nil {
			return libs, fmt.Errorf("import %d: %v", len(libs), err)
		}
		if n := bytes.IndexByte(name, 0); n >= 0 {
			name = name[:n]
		}
		libs = append(libs, string(name))
	}
	return libs, nil
}

// describeFile says what a file that is not the expected kind of image is, from its first bytes.
func describeFile(head []byte, size int64) string {
	switch {
	case size == 0:
		return "an empty file"
	case bytes.HasPrefix(head, []byte("\x7fELF")):
		return "an ELF image (a Linux or Unix binary)"
	case bytes.HasPrefix(head, []byte("MZ")):
		return "a Windows (MZ/PE) image"
	case bytes.HasPrefix(head, []byte{0xCF, 0xFA, 0xED, 0xFE}), bytes.HasPrefix(head, []byte{0xCE, 0xFA, 0xED, 0xFE}),
		bytes.HasPrefix(head, []byte{0xCA, 0xFE, 0xBA, 0xBE}):
		return "a Mach-O image (a macOS binary)"
	case bytes.HasPrefix(head, []byte("!<arch>\n")):
		return "a static library archive (.a/.lib), not a shared library"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "a zip archive"
	case bytes.HasPrefix(head, []byte("#!")):
		return "a script"
	case isText(head):
		return "a text file"
	case size < 64:
		return fmt.Sprintf("%d bytes of unrecognised data (truncated?)", size)
	}
	return "unrecognised binary data"
}

// isText reports whether b looks like text: no control bytes but tab, CR, LF and form feed.
func isText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			return false
		}
	}
	return true
}
