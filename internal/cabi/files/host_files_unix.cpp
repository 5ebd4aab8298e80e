//go:build !windows

// host_files.h on Unix: a HANDLE is a descriptor (include/iishost/fileapi.h).
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host_files.h"

namespace iishost {

static HRESULT ErrnoResult(int err) { return HRESULT_FROM_WIN32(iishost_win32_error_from_errno(err)); }

static HRESULT PathError(const std::string &path, int err)
{
    iishost_set_path_error(path.c_str(), err);
    return HRESULT_FROM_WIN32(GetLastError());
}

static FileFacts FactsOf(const struct stat &st)
{
    FileFacts f;
    f.volume = static_cast<uint64_t>(st.st_dev);
    f.index = static_cast<uint64_t>(st.st_ino);
    f.size = static_cast<uint64_t>(st.st_size);
    f.mtimeNs = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    f.directory = S_ISDIR(st.st_mode);
    f.regular = S_ISREG(st.st_mode);
    f.attributes = iishost_file_attributes(&st);
    return f;
}

bool IsAbsolutePath(const char *path) { return path && path[0] == '/'; }

HRESULT PathFromWide(PCWSTR wide, std::string *path)
{
    char *narrow = iishost_path_from_wide(wide);
    if (!narrow) {
        return HRESULT_FROM_WIN32(GetLastError());
    }
    path->assign(narrow);
    free(narrow);
    return S_OK;
}

HRESULT StatPath(const std::string &path, FileFacts *facts)
{
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
        return PathError(path, errno);
    }
    *facts = FactsOf(st);
    return S_OK;
}

HRESULT OpenFileForReading(const std::string &path, HostFile *file, FileFacts *facts)
{
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return PathError(path, errno);
    }
    struct stat st;
    if (fstat(fd, &st) != 0) { // the file opened is the one described
        int err = errno;
        close(fd);
        return PathError(path, err);
    }
    *file = fd;
    *facts = FactsOf(st);
    return S_OK;
}

HRESULT StatFile(HostFile file, FileFacts *facts)
{
    struct stat st;
    if (fstat(file, &st) != 0) {
        return ErrnoResult(errno);
    }
    *facts = FactsOf(st);
    return S_OK;
}

HRESULT ReadFileAt(HostFile file, void *buf, size_t len, uint64_t offset, size_t *got)
{
    ssize_t n = pread(file, buf, len, static_cast<off_t>(offset));
    if (n < 0) {
        return ErrnoResult(errno);
    }
    *got = static_cast<size_t>(n);
    return S_OK;
}

void CloseFile(HostFile file)
{
    if (file >= 0) {
        close(file);
    }
}

HANDLE ModuleHandleOf(HostFile file) { return iishost_fd_handle(file); }

HostFile FileOfModuleHandle(HANDLE handle) { return iishost_file_fd(handle); }

// A descriptor of its own is opened through /proc/self/fd, so the module may close or seek its
// handle at once; where that fails (a write-only handle, no /proc) a dup is kept instead.
HRESULT OwnFileFor(HostFile moduleFile, HostFile *own, bool *sharedOffset)
{
    char path[40];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", moduleFile);
    *own = open(path, O_RDONLY | O_CLOEXEC);
    *sharedOffset = false;
    if (*own < 0) {
        *own = fcntl(moduleFile, F_DUPFD_CLOEXEC, 0);
        *sharedOffset = true;
    }
    return *own < 0 ? ErrnoResult(errno) : S_OK;
}

HRESULT DuplicateFile(HostFile file, HostFile *copy)
{
    *copy = fcntl(file, F_DUPFD_CLOEXEC, 0);
    return *copy < 0 ? ErrnoResult(errno) : S_OK;
}

} // namespace iishost
