/*
 * io.h - the MSVC CRT's low-level file I/O on POSIX descriptors: _open,
 * _sopen(_s), _creat, _read, _write, _close, _lseek(i64), _tell(i64), _eof,
 * _filelength(i64), _chsize(_s), _commit, _dup, _dup2, _isatty, _access(_s),
 * _chmod, _unlink, _umask, _setmode, _get_osfhandle and _open_osfhandle,
 * with the wide-path forms (_wopen, _wsopen_s, _waccess, _wchmod, _wunlink).
 *
 * A CRT descriptor is the Linux descriptor, and its OS handle is the same
 * number as a file HANDLE (fileapi.h), so _get_osfhandle and
 * _open_osfhandle only check it. Paths may use '\\' (read as '/'); wide
 * paths are UTF-8 on disk. Where Windows differs:
 *  - there is no text mode: files read and write their bytes unchanged
 *    (no CR-LF translation, no Ctrl-Z end). _O_TEXT and the Unicode text
 *    modes are accepted and change nothing; _setmode reports _O_BINARY;
 *  - share flags (_SH_DENY*) are accepted and ignored, as CreateFile's
 *    share modes are;
 *  - a file created with _S_IWRITE is 0666 less the umask, one without is
 *    read-only (0444), and _chmod sets or clears write access, as Windows'
 *    only permission bit means;
 *  - _O_TEMPORARY unlinks the name right after opening (the data lives until
 *    the last descriptor closes); _O_NOINHERIT is close-on-exec;
 *    _O_SEQUENTIAL, _O_RANDOM and _O_SHORT_LIVED are hints with no effect.
 * The _O_* values are Linux's open flags where one exists, so they are not
 * the numbers MSVC uses. Not provided: _findfirst/_findnext (use
 * FindFirstFile), _locking, _mktemp, _pipe.
 */
#if defined(_WIN32)
/* On Windows the platform's own header serves; iishost adds only the IIS SDK headers. */
#include_next <io.h>
#else
#ifndef IISHOST_IO_H
#define IISHOST_IO_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <wchar.h>

#include "windows.h"

/* Strict ISO C hides these POSIX functions; declared with their glibc prototypes (see kernel32.h). */
#if !defined(__cplusplus) && defined(__GLIBC__)
#if !defined(__USE_XOPEN_EXTENDED) && !defined(__USE_XOPEN2K8)
extern int ftruncate(int, off_t);
#endif
#if !defined(__USE_POSIX199309) && !defined(__USE_XOPEN_EXTENDED)
extern int fsync(int);
#endif
#endif

#define _O_RDONLY O_RDONLY
#define _O_WRONLY O_WRONLY
#define _O_RDWR O_RDWR
#define _O_APPEND O_APPEND
#define _O_CREAT O_CREAT
#define _O_TRUNC O_TRUNC
#define _O_EXCL O_EXCL
#define _O_ACCMODE O_ACCMODE
#define _O_NOINHERIT IISHOST_O_CLOEXEC
/* No Linux counterpart: bits Linux's open never uses, stripped before it is called. */
#define _O_TEXT 0x01000000
#define _O_BINARY 0x02000000
#define _O_WTEXT 0x04000000
#define _O_U16TEXT 0x08000000
#define _O_U8TEXT 0x10000000
#define _O_TEMPORARY 0x20000000
#define _O_RAW _O_BINARY
#define _O_SEQUENTIAL 0
#define _O_RANDOM 0
#define _O_SHORT_LIVED 0
#define IISHOST_O_CRT_ONLY (_O_TEXT | _O_BINARY | _O_WTEXT | _O_U16TEXT | _O_U8TEXT | _O_TEMPORARY)

#define _S_IREAD 0400
#define _S_IWRITE 0200
#define _S_IEXEC 0100

#define _SH_DENYRW 0x10
#define _SH_DENYWR 0x20
#define _SH_DENYRD 0x30
#define _SH_DENYNO 0x40
#define _SH_SECURE 0x80

/* The converted path (malloc'd; '\\' read as '/'; wide ones in UTF-8), or NULL with errno set. */
static __inline__ char *iishost_io_path(const char *narrow, const wchar_t *wide)
{
    char *path;
    if (narrow == NULL && wide == NULL) {
        errno = EINVAL;
        return NULL;
    }
    path = narrow != NULL ? iishost_path_from_narrow(narrow) : iishost_path_from_wide(wide);
    if (path == NULL)
        errno = GetLastError() == ERROR_NOT_ENOUGH_MEMORY ? ENOMEM : EINVAL;
    return path;
}

/* Opens path (taking it over): the CRT's flags and permission turned into Linux's. */
static __inline__ int iishost_io_open(char *path, int oflag, int pmode)
{
    int fd;
    if (path == NULL)
        return -1;
    /* Close-on-exec always, as fileapi.h's handles: modules do not exec. */
    fd = open(path, (oflag & ~IISHOST_O_CRT_ONLY) | IISHOST_O_CLOEXEC, (pmode & _S_IWRITE) ? 0666 : 0444);
    if (fd >= 0 && (oflag & _O_TEMPORARY))
        unlink(path);
    free(path);
    return fd;
}

/* pmode is read only with _O_CREAT, as the CRT does. */
#define IISHOST_IO_PMODE(oflag, last, pmode)      \
    do {                                          \
        va_list ap;                               \
        pmode = 0;                                \
        if ((oflag) & _O_CREAT) {                 \
            va_start(ap, last);                   \
            pmode = va_arg(ap, int);              \
            va_end(ap);                           \
        }                                         \
    } while (0)

static __inline__ int _open(const char *filename, int oflag, ...)
{
    int pmode;
    IISHOST_IO_PMODE(oflag, oflag, pmode);
    return iishost_io_open(iishost_io_path(filename, NULL), oflag, pmode);
}
static __inline__ int _wopen(const wchar_t *filename, int oflag, ...)
{
    int pmode;
    IISHOST_IO_PMODE(oflag, oflag, pmode);
    return iishost_io_open(iishost_io_path(NULL, filename), oflag, pmode);
}
static __inline__ int _sopen(const char *filename, int oflag, int shflag, ...)
{
    int pmode;
    (void)shflag;
    IISHOST_IO_PMODE(oflag, shflag, pmode);
    return iishost_io_open(iishost_io_path(filename, NULL), oflag, pmode);
}
#undef IISHOST_IO_PMODE

/* The descriptor in *pfh (-1 on failure), and 0 or the errno. */
static __inline__ errno_t iishost_io_sopen_s(int *pfh, char *path, int oflag, int pmode)
{
    if (pfh == NULL) {
        free(path);
        return iishost_crt_fail(EINVAL);
    }
    *pfh = iishost_io_open(path, oflag, pmode);
    return *pfh >= 0 ? 0 : errno;
}
static __inline__ errno_t _sopen_s(int *pfh, const char *filename, int oflag, int shflag, int pmode)
{
    (void)shflag;
    return iishost_io_sopen_s(pfh, pfh != NULL ? iishost_io_path(filename, NULL) : NULL, oflag, pmode);
}
static __inline__ errno_t _wsopen_s(int *pfh, const wchar_t *filename, int oflag, int shflag, int pmode)
{
    (void)shflag;
    return iishost_io_sopen_s(pfh, pfh != NULL ? iishost_io_path(NULL, filename) : NULL, oflag, pmode);
}

static __inline__ int _creat(const char *filename, int pmode)
{
    return iishost_io_open(iishost_io_path(filename, NULL), _O_CREAT | _O_TRUNC | _O_WRONLY, pmode);
}

/* At most INT_MAX bytes, as the CRT's int result allows. */
static __inline__ int _read(int fd, void *buffer, unsigned int count)
{
    if (count > INT_MAX) {
        errno = EINVAL;
        return -1;
    }
    return (int)read(fd, buffer, count);
}
static __inline__ int _write(int fd, const void *buffer, unsigned int count)
{
    if (count > INT_MAX) {
        errno = EINVAL;
        return -1;
    }
    return (int)write(fd, buffer, count);
}
static __inline__ int _close(int fd)
{
    return close(fd);
}

static __inline__ long long _lseeki64(int fd, long long offset, int origin)
{
    return (long long)lseek(fd, (off_t)offset, origin);
}
static __inline__ long _lseek(int fd, long offset, int origin)
{
    return (long)lseek(fd, (off_t)offset, origin);
}
static __inline__ long long _telli64(int fd)
{
    return _lseeki64(fd, 0, SEEK_CUR);
}
static __inline__ long _tell(int fd)
{
    return _lseek(fd, 0, SEEK_CUR);
}

static __inline__ long long _filelengthi64(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 ? (long long)st.st_size : -1;
}
static __inline__ long _filelength(int fd)
{
    return (long)_filelengthi64(fd);
}

/* 1 at or past the end, 0 before it, -1 (errno set) for a bad descriptor. */
static __inline__ int _eof(int fd)
{
    long long here = _telli64(fd), size;
    if (here < 0)
        return -1;
    size = _filelengthi64(fd);
    if (size < 0)
        return -1;
    return here >= size ? 1 : 0;
}

static __inline__ errno_t _chsize_s(int fd, long long size)
{
    if (size < 0)
        return iishost_crt_fail(EINVAL);
    return ftruncate(fd, (off_t)size) == 0 ? 0 : errno;
}
static __inline__ int _chsize(int fd, long size)
{
    return _chsize_s(fd, size) == 0 ? 0 : -1;
}

static __inline__ int _commit(int fd)
{
    return fsync(fd);
}
static __inline__ int _dup(int fd)
{
    return dup(fd);
}
/* 0 on success, as the CRT's _dup2 returns (POSIX's returns the descriptor). */
static __inline__ int _dup2(int fd1, int fd2)
{
    return dup2(fd1, fd2) >= 0 ? 0 : -1;
}
static __inline__ int _isatty(int fd)
{
    return isatty(fd);
}
static __inline__ int _umask(int pmode)
{
    return (int)umask((mode_t)pmode);
}

/* Only binary mode exists: any known mode is accepted and _O_BINARY reported as the old one. */
static __inline__ int _setmode(int fd, int mode)
{
    if (fcntl(fd, F_GETFD) < 0)
        return -1;
    if (mode != _O_BINARY && mode != _O_TEXT && mode != _O_WTEXT && mode != _O_U16TEXT && mode != _O_U8TEXT) {
        errno = EINVAL;
        return -1;
    }
    return _O_BINARY;
}

/* The descriptor as a file HANDLE value, or -1 (INVALID_HANDLE_VALUE) with EBADF. */
static __inline__ intptr_t _get_osfhandle(int fd)
{
    if (fd < 0 || fcntl(fd, F_GETFD) < 0) {
        errno = EBADF;
        return -1;
    }
    return (intptr_t)fd;
}
/* The descriptor behind a file HANDLE value; flags (_O_RDONLY, _O_APPEND, _O_TEXT) change nothing. */
static __inline__ int _open_osfhandle(intptr_t osfhandle, int flags)
{
    (void)flags;
    if (osfhandle < 0 || osfhandle > INT_MAX || fcntl((int)osfhandle, F_GETFD) < 0) {
        errno = EBADF;
        return -1;
    }
    return (int)osfhandle;
}

/* _S_IWRITE gives the owner write access; without it every write bit goes (read-only, the one
 * permission Windows' mode sets). */
static __inline__ int iishost_io_chmod_path(const char *path, int pmode)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    return chmod(path, (pmode & _S_IWRITE) ? (st.st_mode | 0200) & 07777 : st.st_mode & 07555);
}

/* Takes path over; runs op on it with arg (access mode or permission); -1 when it is NULL. */
#define IISHOST_IO_PATH_OP(NAME, NARROW_T, WIDE_T, OP)                     \
    static __inline__ int NAME(NARROW_T *narrow, WIDE_T *wide, int arg)    \
    {                                                                      \
        char *path = iishost_io_path(narrow, wide);                        \
        int rc;                                                            \
        if (path == NULL)                                                  \
            return -1;                                                     \
        rc = OP;                                                           \
        free(path);                                                        \
        return rc;                                                         \
    }
/* _access modes: 0 exists, 2 writable, 4 readable, 6 both (POSIX's values); others: EINVAL. */
IISHOST_IO_PATH_OP(iishost_io_access, const char, const wchar_t,
                   (arg & ~6) != 0 ? (errno = EINVAL, -1) : access(path, arg))
IISHOST_IO_PATH_OP(iishost_io_chmod, const char, const wchar_t, iishost_io_chmod_path(path, arg))
IISHOST_IO_PATH_OP(iishost_io_unlink, const char, const wchar_t, ((void)arg, unlink(path)))
#undef IISHOST_IO_PATH_OP

static __inline__ int _access(const char *path, int mode) { return iishost_io_access(path, NULL, mode); }
static __inline__ int _waccess(const wchar_t *path, int mode) { return iishost_io_access(NULL, path, mode); }
static __inline__ errno_t _access_s(const char *path, int mode)
{
    return iishost_io_access(path, NULL, mode) == 0 ? 0 : errno;
}
static __inline__ errno_t _waccess_s(const wchar_t *path, int mode)
{
    return iishost_io_access(NULL, path, mode) == 0 ? 0 : errno;
}
static __inline__ int _chmod(const char *path, int pmode) { return iishost_io_chmod(path, NULL, pmode); }
static __inline__ int _wchmod(const wchar_t *path, int pmode) { return iishost_io_chmod(NULL, path, pmode); }
static __inline__ int _unlink(const char *path) { return iishost_io_unlink(path, NULL, 0); }
static __inline__ int _wunlink(const wchar_t *path) { return iishost_io_unlink(NULL, path, 0); }

#endif /* IISHOST_IO_H */
#endif /* _WIN32 */
