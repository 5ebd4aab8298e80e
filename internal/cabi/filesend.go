package cabi

/*
#include "bridge.h"
*/
import "C"

import (
	"io"
	"unsafe"
)

// writeBody writes a send view's body chunks in order: memory straight from C++ memory, file
// ranges from the file (http_response_chunks.cpp). headOnly skips file ranges, whose bytes a HEAD
// response would only discard.
func writeBody(w io.Writer, v *C.iis_send_view, headOnly bool) error {
	for _, c := range unsafe.Slice(v.chunks, int(v.chunk_count)) {
		if c.data != nil {
			if _, err := w.Write(goBytes(c)); err != nil {
				return err
			}
			continue
		}
		if headOnly {
			continue
		}
		r := *(*C.iis_file_range)(unsafe.Add(unsafe.Pointer(v.files), uintptr(c.len)*unsafe.Sizeof(C.iis_file_range{})))
		if err := writeFileRange(w, r); err != nil {
			return err
		}
	}
	return nil
}

// hasFiles reports whether a view's body holds file ranges.
func hasFiles(v *C.iis_send_view) bool {
	for _, c := range unsafe.Slice(v.chunks, int(v.chunk_count)) {
		if c.data == nil {
			return true
		}
	}
	return false
}

// writeFileRange copies one file range to w with constant memory. The file belongs to the
// request (a descriptor on Unix, a handle on Windows: host_files.h), so Go works on a duplicate
// it closes. A file of the request's own (shared_offset 0) is sought and copied with io.CopyN: a
// net/http ResponseWriter or a bufio.Writer over a TCP connection hands that to sendfile. One
// that shares its offset with the module's handle is read at offsets (io.SectionReader) instead.
func writeFileRange(w io.Writer, r C.iis_file_range) error {
	f, err := duplicateFile(int32(r.fd))
	if err != nil {
		return err
	}
	defer f.Close()
	offset, length := int64(r.offset), int64(r.length)
	if r.shared_offset != 0 {
		_, err := io.Copy(w, io.NewSectionReader(f, offset, length))
		return err
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return err
	}
	_, err = io.CopyN(w, f, length) // io.EOF when the file shrank since it was written
	return err
}
