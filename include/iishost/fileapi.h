/*
 * iishost/fileapi.h - Win32 file handles on Linux: CreateFileA/W, ReadFile,
 * WriteFile, GetFileSize(Ex), SetFilePointer(Ex), GetFileType and
 * GetFileAttributesA/W,
 * enough for a module to open a file and hand its HANDLE to IIS in an
 * HTTP_DATA_CHUNK (HttpDataChunkFromFileHandle); CloseHandle, which closes
 * file handles like every other kind, is in kernel_objects.h.
 *
 * The HANDLE of a file is its file descriptor cast to a pointer:
 * (HANDLE)(intptr_t)fd, and back with iishost_handle_fd. The host reads the
 * same representation in response chunks and returns it from
 * IHttpFileInfo::GetFileHandle. INVALID_HANDLE_VALUE is -1, never a
 * descriptor. Failures set GetLastError() to the Win32 code of errno
 * (iishost_win32_error_from_errno).
 *
 * What differs from Windows:
 *  - I/O is synchronous only: ReadFile/WriteFile fail with
 *    ERROR_INVALID_PARAMETER when given an OVERLAPPED; FILE_FLAG_OVERLAPPED
 *    is accepted and ignored;
 *  - share modes do not exist on Linux: dwShareMode is accepted and ignored,
 *    so opening never fails with ERROR_SHARING_VIOLATION;
 *  - security attributes and template files are ignored; descriptors are
 *    always close-on-exec;
 *  - '\\' in a path is read as '/', so paths built the Windows way work;
 *  - FILE_FLAG_DELETE_ON_CLOSE unlinks the name right after opening (the
 *    data lives until the last handle closes), the other FILE_FLAG_* and
 *    FILE_ATTRIBUTE_* values are hints that change nothing, except
 *    FILE_ATTRIBUTE_READONLY on a created file (mode 0444) and
 *    FILE_FLAG_BACKUP_SEMANTICS, which is needed to open a directory as on
 *    Windows;
 *  - attributes come from stat(): DIRECTORY, READONLY (no write bit at
 *    all), DEVICE (not a regular file or directory), else NORMAL.
 *
 * Header-only (static inline) like kernel32.h, so a module links nothing of
 * ours.
 */
#ifndef IISHOST_FILEAPI_H
#define IISHOST_FILEAPI_H

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "wintypes.h"
#include "winerror.h"
#include "winbase_types.h"
#include "kernel32.h"
#include "kernel_objects.h"

/* ---- constants (winnt.h, winbase.h, fileapi.h) ------------------------------ */

#define GENERIC_READ 0x80000000u
#define GENERIC_WRITE 0x40000000u
#define GENERIC_EXECUTE 0x20000000u
#define GENERIC_ALL 0x10000000u
#define FILE_READ_DATA 0x0001
#define FILE_WRITE_DATA 0x0002
#define FILE_APPEND_DATA 0x0004
#define FILE_READ_ATTRIBUTES 0x0080

#define FILE_SHARE_READ 0x00000001
#define FILE_SHARE_WRITE 0x00000002
#define FILE_SHARE_DELETE 0x00000004

#define CREATE_NEW 1
#define CREATE_ALWAYS 2
#define OPEN_EXISTING 3
#define OPEN_ALWAYS 4
#define TRUNCATE_EXISTING 5

#define FILE_ATTRIBUTE_READONLY 0x00000001
#define FILE_ATTRIBUTE_HIDDEN 0x00000002
#define FILE_ATTRIBUTE_SYSTEM 0x00000004
#define FILE_ATTRIBUTE_DIRECTORY 0x00000010
#define FILE_ATTRIBUTE_ARCHIVE 0x00000020
#define FILE_ATTRIBUTE_DEVICE 0x00000040
#define FILE_ATTRIBUTE_NORMAL 0x00000080
#define FILE_ATTRIBUTE_TEMPORARY 0x00000100
#define FILE_ATTRIBUTE_SPARSE_FILE 0x00000200
#define FILE_ATTRIBUTE_REPARSE_POINT 0x00000400
#define FILE_ATTRIBUTE_COMPRESSED 0x00000800
#define FILE_ATTRIBUTE_OFFLINE 0x00001000
#define FILE_ATTRIBUTE_NOT_CONTENT_INDEXED 0x00002000
#define FILE_ATTRIBUTE_ENCRYPTED 0x00004000

#define FILE_FLAG_WRITE_THROUGH 0x80000000u
#define FILE_FLAG_OVERLAPPED 0x40000000
#define FILE_FLAG_NO_BUFFERING 0x20000000
#define FILE_FLAG_RANDOM_ACCESS 0x10000000
#define FILE_FLAG_SEQUENTIAL_SCAN 0x08000000
#define FILE_FLAG_DELETE_ON_CLOSE 0x04000000
#define FILE_FLAG_BACKUP_SEMANTICS 0x02000000
#define FILE_FLAG_POSIX_SEMANTICS 0x01000000
#define FILE_FLAG_OPEN_REPARSE_POINT 0x00200000
#define FILE_FLAG_OPEN_NO_RECALL 0x00100000

#define FILE_BEGIN 0
#define FILE_CURRENT 1
#define FILE_END 2

#define INVALID_FILE_SIZE ((DWORD)0xFFFFFFFF)
#define INVALID_SET_FILE_POINTER ((DWORD)-1)
#define INVALID_FILE_ATTRIBUTES ((DWORD)-1)

/* Linux's value, spelled out because strict ISO C hides the name. */
#ifdef O_CLOEXEC
#define IISHOST_O_CLOEXEC O_CLOEXEC
#else
#define IISHOST_O_CLOEXEC 02000000
#endif

/* ---- handles and errors ------------------------------------------------------ */

/* The descriptor behind a file HANDLE (-1 for INVALID_HANDLE_VALUE). */
static __inline__ int iishost_handle_fd(HANDLE h)
{
    return (int)(intptr_t)h;
}

static __inline__ HANDLE iishost_fd_handle(int fd)
{
    return (HANDLE)(intptr_t)fd;
}

/* The descriptor behind a file HANDLE a module passes in, or -1 with ERROR_INVALID_HANDLE for
 * NULL and INVALID_HANDLE_VALUE: a failed CreateFile's handle must never reach descriptor 0 (or
 * -1), which would read the process's standard input. */
static __inline__ int iishost_file_fd(HANDLE h)
{
    if (h == NULL || h == INVALID_HANDLE_VALUE) {
        SetLastError(ERROR_INVALID_HANDLE);
        return -1;
    }
    return iishost_handle_fd(h);
}

/* The Win32 error code for an errno value, as Windows reports the same failure. */
static __inline__ DWORD iishost_win32_error_from_errno(int err)
{
    switch (err) {
    case 0: return ERROR_SUCCESS;
    case ENOENT: return ERROR_FILE_NOT_FOUND;
    case ENOTDIR: case ELOOP: return ERROR_PATH_NOT_FOUND;
    case EACCES: case EPERM: case EROFS: case EISDIR: case ETXTBSY: return ERROR_ACCESS_DENIED;
    case EEXIST: return ERROR_FILE_EXISTS;
    case EMFILE: case ENFILE: return ERROR_TOO_MANY_OPEN_FILES;
    case EBADF: return ERROR_INVALID_HANDLE;
    case EINVAL: return ERROR_INVALID_PARAMETER;
    case ENOSPC: return ERROR_DISK_FULL;
    case ENAMETOOLONG: return ERROR_FILENAME_EXCED_RANGE;
    case ENOMEM: return ERROR_NOT_ENOUGH_MEMORY;
    case EFBIG: return ERROR_FILE_TOO_LARGE;
    case ENOTEMPTY: return ERROR_DIR_NOT_EMPTY;
    case EBUSY: return ERROR_BUSY;
    case EAGAIN: return ERROR_LOCK_VIOLATION;
    case EIO: return ERROR_GEN_FAILURE;
    default: return ERROR_GEN_FAILURE;
    }
}

/* Sets the last error from errno and returns FALSE, the shape of most failures below. */
static __inline__ BOOL iishost_fail_errno(void)
{
    SetLastError(iishost_win32_error_from_errno(errno));
    return FALSE;
}

/* The last error for a failed open or stat of path: Windows tells a missing directory on the way
 * (ERROR_PATH_NOT_FOUND) from a missing file (ERROR_FILE_NOT_FOUND); Linux says ENOENT to both. */
static __inline__ VOID iishost_set_path_error(const char *path, int err)
{
    DWORD code = iishost_win32_error_from_errno(err);
    const char *slash = strrchr(path, '/');
    if (err == ENOENT && slash != NULL && slash != path) {
        struct stat st;
        size_t n = (size_t)(slash - path);
        char *dir = (char *)malloc(n + 1);
        if (dir != NULL) {
            memcpy(dir, path, n);
            dir[n] = '\0';
            if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
                code = ERROR_PATH_NOT_FOUND;
            }
            free(dir);
        }
    }
    SetLastError(code);
}

/* FILE_ATTRIBUTE_* of a stat result (see the top of this file). */
static __inline__ DWORD iishost_file_attributes(const struct stat *st)
{
    DWORD a = 0;
    if (S_ISDIR(st->st_mode)) {
        a |= FILE_ATTRIBUTE_DIRECTORY;
    } else if (!S_ISREG(st->st_mode)) {
        a |= FILE_ATTRIBUTE_DEVICE;
    }
    if ((st->st_mode & 0222) == 0) {
        a |= FILE_ATTRIBUTE_READONLY;
    }
    return a ? a : FILE_ATTRIBUTE_NORMAL;
}

/* A malloc'd UTF-8 copy of a wide path with '\\' turned into '/', or NULL (last error set). */
static __inline__ char *iishost_path_from_wide(LPCWSTR path)
{
    int n;
    char *out, *p;
    if (path == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    n = WideCharToMultiByte(CP_UTF8, 0, path, -1, NULL, 0, NULL, NULL);
    if (n <= 0) {
        SetLastError(ERROR_INVALID_NAME);
        return NULL;
    }
    out = (char *)malloc((size_t)n);
    if (out == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    WideCharToMultiByte(CP_UTF8, 0, path, -1, out, n, NULL, NULL);
    for (p = out; *p; p++) {
        if (*p == '\\') {
            *p = '/';
        }
    }
    return out;
}

/* A malloc'd copy of a narrow path with '\\' turned into '/', or NULL (last error set). */
static __inline__ char *iishost_path_from_narrow(LPCSTR path)
{
    size_t n;
    char *out, *p;
    if (path == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    n = strlen(path) + 1;
    out = (char *)malloc(n);
    if (out == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    memcpy(out, path, n);
    for (p = out; *p; p++) {
        if (*p == '\\') {
            *p = '/';
        }
    }
    return out;
}

/* ---- CreateFile --------------------------------------------------------------- */

/* Opens path (UTF-8, '/' separators) as CreateFileA documents; the path is not changed. */
static __inline__ HANDLE iishost_create_file(const char *path, DWORD access, DWORD disposition, DWORD flags)
{
    int oflags = IISHOST_O_CLOEXEC, fd, existed = 0;
    mode_t mode = (flags & FILE_ATTRIBUTE_READONLY) ? 0444 : 0666;
    int readable = (access & (GENERIC_READ | GENERIC_ALL | GENERIC_EXECUTE | FILE_READ_DATA)) != 0;
    int writable = (access & (GENERIC_WRITE | GENERIC_ALL | FILE_WRITE_DATA | FILE_APPEND_DATA)) != 0;
    struct stat st;
    if (path == NULL || *path == '\0') {
        SetLastError(path == NULL ? ERROR_INVALID_PARAMETER : ERROR_PATH_NOT_FOUND);
        return INVALID_HANDLE_VALUE;
    }
    if (writable) {
        oflags |= readable ? O_RDWR : O_WRONLY;
        if ((access & FILE_APPEND_DATA) && !(access & (GENERIC_WRITE | GENERIC_ALL | FILE_WRITE_DATA))) {
            oflags |= O_APPEND;
        }
    } else {
        oflags |= O_RDONLY; /* read, or attributes only */
    }
    switch (disposition) {
    case CREATE_NEW:
        fd = open(path, oflags | O_CREAT | O_EXCL, mode);
        break;
    case CREATE_ALWAYS:
    case OPEN_ALWAYS:
        /* Windows says whether the file was there: ERROR_ALREADY_EXISTS on success. */
        fd = open(path, oflags | O_CREAT | O_EXCL, mode);
        if (fd < 0 && errno == EEXIST) {
            existed = 1;
            fd = open(path, oflags | (disposition == CREATE_ALWAYS ? O_TRUNC : 0));
        }
        break;
    case OPEN_EXISTING:
        fd = open(path, oflags);
        break;
    case TRUNCATE_EXISTING:
        if (!writable) {
            SetLastError(ERROR_INVALID_PARAMETER);
            return INVALID_HANDLE_VALUE;
        }
        fd = open(path, oflags | O_TRUNC);
        break;
    default:
        SetLastError(ERROR_INVALID_PARAMETER);
        return INVALID_HANDLE_VALUE;
    }
    if (fd < 0) {
        iishost_set_path_error(path, errno);
        return INVALID_HANDLE_VALUE;
    }
    if (fd == 0) {
        /* Descriptor 0 would be the NULL handle, which every handle call refuses. */
        int moved = fcntl(fd, F_DUPFD, 3);
        close(fd);
        if (moved >= 0) {
            fcntl(moved, F_SETFD, FD_CLOEXEC);
        }
        if (moved < 0) {
            SetLastError(iishost_win32_error_from_errno(errno));
            return INVALID_HANDLE_VALUE;
        }
        fd = moved;
    }
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode) && !(flags & FILE_FLAG_BACKUP_SEMANTICS)) {
        close(fd); /* as on Windows: a directory opens only with backup semantics */
        SetLastError(ERROR_ACCESS_DENIED);
        return INVALID_HANDLE_VALUE;
    }
    if (flags & FILE_FLAG_DELETE_ON_CLOSE) {
        unlink(path);
    }
    SetLastError(existed ? ERROR_ALREADY_EXISTS : ERROR_SUCCESS);
    return iishost_fd_handle(fd);
}

static __inline__ HANDLE CreateFileA(LPCSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                     LPSECURITY_ATTRIBUTES lpSecurityAttributes, DWORD dwCreationDisposition,
                                     DWORD dwFlagsAndAttributes, HANDLE hTemplateFile)
{
    char *path = iishost_path_from_narrow(lpFileName);
    HANDLE h;
    (void)dwShareMode;
    (void)lpSecurityAttributes;
    (void)hTemplateFile;
    if (path == NULL) {
        return INVALID_HANDLE_VALUE;
    }
    h = iishost_create_file(path, dwDesiredAccess, dwCreationDisposition, dwFlagsAndAttributes);
    free(path);
    return h;
}

static __inline__ HANDLE CreateFileW(LPCWSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                     LPSECURITY_ATTRIBUTES lpSecurityAttributes, DWORD dwCreationDisposition,
                                     DWORD dwFlagsAndAttributes, HANDLE hTemplateFile)
{
    char *path = iishost_path_from_wide(lpFileName);
    HANDLE h;
    (void)dwShareMode;
    (void)lpSecurityAttributes;
    (void)hTemplateFile;
    if (path == NULL) {
        return INVALID_HANDLE_VALUE;
    }
    h = iishost_create_file(path, dwDesiredAccess, dwCreationDisposition, dwFlagsAndAttributes);
    free(path);
    return h;
}

/* CloseHandle, for file handles as for every other kind, is in kernel_objects.h. */

/* ---- ReadFile and WriteFile (synchronous) ------------------------------------ */

/* Reads up to nNumberOfBytesToRead; at end of file it succeeds with 0 bytes read. */
static __inline__ BOOL ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead, LPDWORD lpNumberOfBytesRead,
                                LPOVERLAPPED lpOverlapped)
{
    DWORD done = 0;
    if (lpNumberOfBytesRead != NULL) {
        *lpNumberOfBytesRead = 0;
    }
    int fd = iishost_file_fd(hFile);
    if (fd < 0) {
        return FALSE;
    }
    if (lpOverlapped != NULL || (lpBuffer == NULL && nNumberOfBytesToRead > 0)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    while (done < nNumberOfBytesToRead) {
        ssize_t n = read(fd, (char *)lpBuffer + done, nNumberOfBytesToRead - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (done > 0) {
                break; /* report what arrived; the error comes back on the next call */
            }
            return iishost_fail_errno();
        }
        if (n == 0) {
            break;
        }
        done += (DWORD)n;
    }
    if (lpNumberOfBytesRead != NULL) {
        *lpNumberOfBytesRead = done;
    }
    return TRUE;
}

/* Writes all nNumberOfBytesToWrite bytes, or fails with what was written so far reported. */
static __inline__ BOOL WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                                 LPDWORD lpNumberOfBytesWritten, LPOVERLAPPED lpOverlapped)
{
    DWORD done = 0;
    if (lpNumberOfBytesWritten != NULL) {
        *lpNumberOfBytesWritten = 0;
    }
    int fd = iishost_file_fd(hFile);
    if (fd < 0) {
        return FALSE;
    }
    if (lpOverlapped != NULL || (lpBuffer == NULL && nNumberOfBytesToWrite > 0)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    while (done < nNumberOfBytesToWrite) {
        ssize_t n = write(fd, (const char *)lpBuffer + done, nNumberOfBytesToWrite - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (lpNumberOfBytesWritten != NULL) {
                *lpNumberOfBytesWritten = done;
            }
            return iishost_fail_errno();
        }
        done += (DWORD)n;
    }
    if (lpNumberOfBytesWritten != NULL) {
        *lpNumberOfBytesWritten = done;
    }
    return TRUE;
}

/* ---- sizes and file pointers ----------------------------------------------- */

static __inline__ BOOL GetFileSizeEx(HANDLE hFile, PLARGE_INTEGER lpFileSize)
{
    struct stat st;
    int fd = iishost_file_fd(hFile);
    if (fd < 0) {
        return FALSE;
    }
    if (lpFileSize == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (fstat(fd, &st) != 0) {
        return iishost_fail_errno();
    }
    lpFileSize->QuadPart = (LONGLONG)st.st_size;
    return TRUE;
}

/* The low 32 bits of the size, the high ones in *lpFileSizeHigh. INVALID_FILE_SIZE with a last
 * error other than NO_ERROR is a failure; with NO_ERROR it is a real size. */
static __inline__ DWORD GetFileSize(HANDLE hFile, LPDWORD lpFileSizeHigh)
{
    LARGE_INTEGER size;
    if (!GetFileSizeEx(hFile, &size)) {
        return INVALID_FILE_SIZE;
    }
    if (lpFileSizeHigh != NULL) {
        *lpFileSizeHigh = (DWORD)((ULONGLONG)size.QuadPart >> 32);
    }
    SetLastError(NO_ERROR);
    return (DWORD)size.QuadPart;
}

static __inline__ BOOL SetFilePointerEx(HANDLE hFile, LARGE_INTEGER liDistanceToMove, PLARGE_INTEGER lpNewFilePointer,
                                        DWORD dwMoveMethod)
{
    static const int whence[] = {SEEK_SET, SEEK_CUR, SEEK_END};
    off_t at;
    int fd = iishost_file_fd(hFile);
    if (fd < 0) {
        return FALSE;
    }
    if (dwMoveMethod > FILE_END) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    at = lseek(fd, (off_t)liDistanceToMove.QuadPart, whence[dwMoveMethod]);
    if (at < 0) {
        /* lseek's EINVAL is a position before the start here: Windows names that. */
        SetLastError(errno == EINVAL ? ERROR_NEGATIVE_SEEK : iishost_win32_error_from_errno(errno));
        return FALSE;
    }
    if (lpNewFilePointer != NULL) {
        lpNewFilePointer->QuadPart = (LONGLONG)at;
    }
    return TRUE;
}

/* Moves by lDistanceToMove, or by the 64-bit (*lpDistanceToMoveHigh << 32 | low) when the
 * high part is given; returns the new position's low 32 bits (high ones in
 * *lpDistanceToMoveHigh), or INVALID_SET_FILE_POINTER with the last error set. */
static __inline__ DWORD SetFilePointer(HANDLE hFile, LONG lDistanceToMove, PLONG lpDistanceToMoveHigh,
                                       DWORD dwMoveMethod)
{
    LARGE_INTEGER distance, at;
    if (lpDistanceToMoveHigh != NULL) {
        distance.QuadPart = (LONGLONG)(((ULONGLONG)(DWORD)*lpDistanceToMoveHigh << 32) | (DWORD)lDistanceToMove);
    } else {
        distance.QuadPart = lDistanceToMove;
    }
    if (!SetFilePointerEx(hFile, distance, &at, dwMoveMethod)) {
        return INVALID_SET_FILE_POINTER;
    }
    if (lpDistanceToMoveHigh != NULL) {
        *lpDistanceToMoveHigh = (LONG)(at.QuadPart >> 32);
    }
    SetLastError(NO_ERROR);
    return (DWORD)at.QuadPart;
}

/* ---- attributes ------------------------------------------------------------- */

/* Attributes of a path; directories and files alike (stat follows symbolic links). */
static __inline__ DWORD iishost_path_attributes(char *path)
{
    struct stat st;
    int rc;
    if (path == NULL) {
        return INVALID_FILE_ATTRIBUTES;
    }
    rc = stat(path, &st);
    if (rc != 0) {
        iishost_set_path_error(path, errno);
    }
    free(path);
    return rc != 0 ? INVALID_FILE_ATTRIBUTES : iishost_file_attributes(&st);
}

static __inline__ DWORD GetFileAttributesA(LPCSTR lpFileName)
{
    return iishost_path_attributes(iishost_path_from_narrow(lpFileName));
}

static __inline__ DWORD GetFileAttributesW(LPCWSTR lpFileName)
{
    return iishost_path_attributes(iishost_path_from_wide(lpFileName));
}

#define FILE_TYPE_UNKNOWN 0x0000
#define FILE_TYPE_DISK 0x0001
#define FILE_TYPE_CHAR 0x0002
#define FILE_TYPE_PIPE 0x0003
#define FILE_TYPE_REMOTE 0x8000

/* Strict ISO C hides S_ISSOCK; Linux's file-type bits spelled out. */
#ifdef S_ISSOCK
#define IISHOST_S_ISSOCK(m) S_ISSOCK(m)
#else
#define IISHOST_S_ISSOCK(m) (((m) & 0170000) == 0140000)
#endif

/*
 * What a handle's descriptor is: a file or directory (DISK), a terminal or other character
 * device (CHAR), a pipe or socket (PIPE). FILE_TYPE_UNKNOWN with ERROR_INVALID_HANDLE for a
 * handle that is no open descriptor, kernel objects (events, threads, ...) included; with
 * NO_ERROR for a descriptor of another kind. Linux's network file systems look local (DISK).
 */
static __inline__ DWORD GetFileType(HANDLE hFile)
{
    uintptr_t v = (uintptr_t)hFile;
    struct stat st;
    if (v == 0 || v >= IISHOST_KOBJ_FIRST_FD_FREE || fstat(iishost_handle_fd(hFile), &st) != 0) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FILE_TYPE_UNKNOWN;
    }
    SetLastError(NO_ERROR);
    if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) || S_ISBLK(st.st_mode))
        return FILE_TYPE_DISK;
    if (S_ISCHR(st.st_mode))
        return FILE_TYPE_CHAR;
    if (S_ISFIFO(st.st_mode) || IISHOST_S_ISSOCK(st.st_mode))
        return FILE_TYPE_PIPE;
    return FILE_TYPE_UNKNOWN;
}

#ifdef UNICODE
#define CreateFile CreateFileW
#define GetFileAttributes GetFileAttributesW
#else
#define CreateFile CreateFileA
#define GetFileAttributes GetFileAttributesA
#endif

#endif /* IISHOST_FILEAPI_H */
