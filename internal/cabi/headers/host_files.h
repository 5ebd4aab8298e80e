// The files the host opens or receives from modules, on each platform: descriptors on Unix
// (host_files_unix.cpp), Win32 handles on Windows (host_files_windows.cpp).
#pragma once

#include <stdint.h>

#include <string>

#include "forward.h"

namespace iishost {

// A file the host holds: a descriptor on Unix; on Windows a HANDLE, which fits in 32 bits
// (Windows keeps handle values sign-extendable from 32 bits for 32/64-bit interoperation).
// It is what iis_file_range.fd carries to Go.
typedef int32_t HostFile;
const HostFile kNoFile = -1;

// What the host needs to know of a file, and to tell whether it changed.
struct FileFacts {
    uint64_t volume = 0, index = 0; // st_dev and st_ino; the volume serial and file index
    uint64_t size = 0;
    int64_t mtimeNs = 0; // since 1970
    bool directory = false, regular = false;
    DWORD attributes = 0; // FILE_ATTRIBUTE_*
};

// Whether a physical path is absolute: "/..." on Unix; "X:\...", "X:/..." or "\\server\..." on
// Windows.
bool IsAbsolutePath(const char *path);

// A physical path a module gives in wide form, in the host's UTF-8 form (on Unix, '\' becomes
// '/', as the compatibility layer's file functions read it).
HRESULT PathFromWide(PCWSTR wide, std::string *path);

// Describes the file or folder at path. Errors are Win32 HRESULTs naming the cause.
HRESULT StatPath(const std::string &path, FileFacts *facts);

// Opens a regular file for reading and describes the file opened.
HRESULT OpenFileForReading(const std::string &path, HostFile *file, FileFacts *facts);

HRESULT StatFile(HostFile file, FileFacts *facts);

// Reads up to len bytes at offset without moving any file pointer the module relies on;
// *got is 0 at end of file.
HRESULT ReadFileAt(HostFile file, void *buf, size_t len, uint64_t offset, size_t *got);

void CloseFile(HostFile file);

// The HANDLE a module sees for a host file (IHttpFileInfo::GetFileHandle).
HANDLE ModuleHandleOf(HostFile file);

// The file behind a module's HANDLE, kNoFile for NULL and INVALID_HANDLE_VALUE.
HostFile FileOfModuleHandle(HANDLE handle);

// The request's own file for a module's: one with its own file pointer when the platform can
// reopen it, else a duplicate sharing the module's pointer (*sharedOffset: read with
// ReadFileAt-style positional reads only).
HRESULT OwnFileFor(HostFile moduleFile, HostFile *own, bool *sharedOffset);

// A second reference to file, closed separately.
HRESULT DuplicateFile(HostFile file, HostFile *copy);

} // namespace iishost
