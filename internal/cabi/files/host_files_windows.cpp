// host_files.h on Windows: host files are Win32 handles, and a module's HANDLE is used as is.
#include <windows.h>

#include "host_files.h"
#include "wide_strings.h"

namespace iishost {

static HRESULT LastError() { return HRESULT_FROM_WIN32(GetLastError()); }

static HANDLE HandleOf(HostFile file) { return reinterpret_cast<HANDLE>(static_cast<intptr_t>(file)); }

static HostFile FileOf(HANDLE h) { return static_cast<HostFile>(reinterpret_cast<intptr_t>(h)); }

static const DWORD kShareAll = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

static HRESULT Describe(HANDLE h, FileFacts *facts)
{
    BY_HANDLE_FILE_INFORMATION info;
    if (!GetFileInformationByHandle(h, &info)) {
        return LastError();
    }
    const uint64_t kEpochTicks = 116444736000000000ULL; // 1601 to 1970 in 100 ns ticks
    uint64_t ticks = uint64_t(info.ftLastWriteTime.dwHighDateTime) << 32 | info.ftLastWriteTime.dwLowDateTime;
    FileFacts f;
    f.volume = info.dwVolumeSerialNumber;
    f.index = uint64_t(info.nFileIndexHigh) << 32 | info.nFileIndexLow;
    f.directory = (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
    f.regular = !f.directory && GetFileType(h) == FILE_TYPE_DISK;
    f.size = f.directory ? 0 : uint64_t(info.nFileSizeHigh) << 32 | info.nFileSizeLow;
    f.mtimeNs = (static_cast<int64_t>(ticks) - static_cast<int64_t>(kEpochTicks)) * 100;
    f.attributes = info.dwFileAttributes;
    *facts = f;
    return S_OK;
}

// Opens path with access (0 to only describe it); folders open too (FILE_FLAG_BACKUP_SEMANTICS).
static HANDLE OpenPath(const std::string &path, DWORD access)
{
    std::wstring wide = WidenString(path);
    return CreateFileW(wide.c_str(), access, kShareAll, nullptr, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr);
}

static bool IsSeparator(char c) { return c == '\\' || c == '/'; }

bool IsAbsolutePath(const char *path)
{
    if (!path) {
        return false;
    }
    bool drive = ((path[0] | 0x20) >= 'a' && (path[0] | 0x20) <= 'z') && path[1] == ':' && IsSeparator(path[2]);
    return drive || (IsSeparator(path[0]) && IsSeparator(path[1]));
}

HRESULT PathFromWide(PCWSTR wide, std::string *path)
{
    if (!wide) {
        return E_INVALIDARG;
    }
    *path = NarrowString(wide);
    return S_OK;
}

HRESULT StatPath(const std::string &path, FileFacts *facts)
{
    HANDLE h = OpenPath(path, 0);
    if (h == INVALID_HANDLE_VALUE) {
        return LastError();
    }
    HRESULT hr = Describe(h, facts);
    CloseHandle(h);
    return hr;
}

HRESULT OpenFileForReading(const std::string &path, HostFile *file, FileFacts *facts)
{
    HANDLE h = OpenPath(path, GENERIC_READ);
    if (h == INVALID_HANDLE_VALUE) {
        return LastError();
    }
    HRESULT hr = Describe(h, facts);
    if (FAILED(hr)) {
        CloseHandle(h);
        return hr;
    }
    *file = FileOf(h);
    return S_OK;
}

HRESULT StatFile(HostFile file, FileFacts *facts) { return Describe(HandleOf(file), facts); }

// ReadFile at an offset moves a synchronous handle's file pointer, so the pointer is put back:
// a module's own handle reads on where it was.
HRESULT ReadFileAt(HostFile file, void *buf, size_t len, uint64_t offset, size_t *got)
{
    HANDLE h = HandleOf(file);
    LARGE_INTEGER zero = {}, was = {};
    BOOL restore = SetFilePointerEx(h, zero, &was, FILE_CURRENT);
    OVERLAPPED at = {};
    at.Offset = static_cast<DWORD>(offset);
    at.OffsetHigh = static_cast<DWORD>(offset >> 32);
    DWORD want = len > 0x7FFFFFFF ? 0x7FFFFFFF : static_cast<DWORD>(len), n = 0;
    BOOL ok = ReadFile(h, buf, want, &n, &at);
    if (!ok && GetLastError() == ERROR_IO_PENDING) { // a handle opened for overlapped I/O
        ok = GetOverlappedResult(h, &at, &n, TRUE);
    }
    DWORD err = ok ? 0 : GetLastError();
    if (restore) {
        SetFilePointerEx(h, was, nullptr, FILE_BEGIN);
    }
    if (!ok && err != ERROR_HANDLE_EOF) {
        return HRESULT_FROM_WIN32(err);
    }
    *got = ok ? n : 0;
    return S_OK;
}

void CloseFile(HostFile file)
{
    if (file != kNoFile) {
        CloseHandle(HandleOf(file));
    }
}

HANDLE ModuleHandleOf(HostFile file) { return HandleOf(file); }

HostFile FileOfModuleHandle(HANDLE handle)
{
    return handle == nullptr || handle == INVALID_HANDLE_VALUE ? kNoFile : FileOf(handle);
}

// ReOpenFile gives a handle with its own file pointer, as /proc/self/fd does on Linux; a handle
// without read access cannot be reopened for reading, and is duplicated instead.
HRESULT OwnFileFor(HostFile moduleFile, HostFile *own, bool *sharedOffset)
{
    HANDLE h = ReOpenFile(HandleOf(moduleFile), GENERIC_READ, kShareAll, 0);
    *sharedOffset = false;
    if (h != INVALID_HANDLE_VALUE) {
        *own = FileOf(h);
        return S_OK;
    }
    *sharedOffset = true;
    return DuplicateFile(moduleFile, own);
}

HRESULT DuplicateFile(HostFile file, HostFile *copy)
{
    HANDLE process = GetCurrentProcess(), dup = nullptr;
    if (!DuplicateHandle(process, HandleOf(file), process, &dup, 0, FALSE, DUPLICATE_SAME_ACCESS)) {
        *copy = kNoFile;
        return LastError();
    }
    *copy = FileOf(dup);
    return S_OK;
}

} // namespace iishost
