/*
 * iishost/fileops.h - the Win32 operations on files and directories by
 * name, beside fileapi.h's handles: DeleteFile, CreateDirectory,
 * RemoveDirectory, MoveFile(Ex), CopyFile, GetFileAttributesEx,
 * GetFullPathName, GetTempFileName and the FindFirstFile/FindNextFile/
 * FindClose search, each as A and W.
 *
 * As in fileapi.h, '\\' in a path is read as '/', failures set the Win32
 * code of errno, and A strings are UTF-8. What differs from Windows:
 *  - there are no drive letters: GetFullPathName makes a path absolute
 *    against the current directory, with '/' separators;
 *  - times come from stat(): Linux keeps no creation time, so
 *    ftCreationTime is the last status change (ctime);
 *  - FindFirstFile matches '*' and '?' in the last component, ignoring
 *    ASCII case as Windows does ("*.*" matches names without a dot too);
 *    the directory part may not hold wildcards. cAlternateFileName (8.3
 *    names) is always empty. The search handle is a heap object closed
 *    only by FindClose (CloseHandle refuses it, as it refuses unknown
 *    pointers). Entries are stat'ed as they are read;
 *  - MOVEFILE_DELAY_UNTIL_REBOOT has no meaning here and fails with
 *    ERROR_NOT_SUPPORTED; MoveFile refuses to replace atomically
 *    (renameat2 RENAME_NOREPLACE), or, on file systems without it, after
 *    a check;
 *  - CopyFile copies the data, the permission bits and the modification
 *    time; no ACLs or alternate streams exist.
 */
#ifndef IISHOST_FILEOPS_H
#define IISHOST_FILEOPS_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>
#include <wctype.h>

#include "wintypes.h"
#include "winerror.h"
#include "winbase_types.h"
#include "kernel32.h"
#include "fileapi.h"
#include "sysinfo.h"
#include "formatmessage.h"

/* Strict ISO C hides these POSIX.1-2008 names; declared with their glibc prototypes (see kernel32.h). */
#if !defined(__cplusplus) && defined(__GLIBC__)
#ifndef __USE_XOPEN2K8
extern int futimens(int, const struct timespec[2]);
#endif
#if !defined(__USE_XOPEN_EXTENDED) && !defined(__USE_XOPEN2K)
extern int lstat(const char *__restrict, struct stat *__restrict);
#endif
#if !defined(__USE_POSIX199309) && !defined(__USE_XOPEN_EXTENDED)
extern int fchmod(int, mode_t);
#endif
#endif


#define MOVEFILE_REPLACE_EXISTING 0x00000001
#define MOVEFILE_COPY_ALLOWED 0x00000002
#define MOVEFILE_DELAY_UNTIL_REBOOT 0x00000004
#define MOVEFILE_WRITE_THROUGH 0x00000008
#define MOVEFILE_CREATE_HARDLINK 0x00000010
#define MOVEFILE_FAIL_IF_NOT_TRACKABLE 0x00000020

typedef enum _GET_FILEEX_INFO_LEVELS { GetFileExInfoStandard, GetFileExMaxInfoLevel } GET_FILEEX_INFO_LEVELS;

typedef struct _WIN32_FILE_ATTRIBUTE_DATA {
    DWORD dwFileAttributes;
    FILETIME ftCreationTime;
    FILETIME ftLastAccessTime;
    FILETIME ftLastWriteTime;
    DWORD nFileSizeHigh;
    DWORD nFileSizeLow;
} WIN32_FILE_ATTRIBUTE_DATA, *LPWIN32_FILE_ATTRIBUTE_DATA;

typedef struct _WIN32_FIND_DATAA {
    DWORD dwFileAttributes;
    FILETIME ftCreationTime;
    FILETIME ftLastAccessTime;
    FILETIME ftLastWriteTime;
    DWORD nFileSizeHigh;
    DWORD nFileSizeLow;
    DWORD dwReserved0;
    DWORD dwReserved1;
    CHAR cFileName[MAX_PATH];
    CHAR cAlternateFileName[14];
} WIN32_FIND_DATAA, *PWIN32_FIND_DATAA, *LPWIN32_FIND_DATAA;

typedef struct _WIN32_FIND_DATAW {
    DWORD dwFileAttributes;
    FILETIME ftCreationTime;
    FILETIME ftLastAccessTime;
    FILETIME ftLastWriteTime;
    DWORD nFileSizeHigh;
    DWORD nFileSizeLow;
    DWORD dwReserved0;
    DWORD dwReserved1;
    WCHAR cFileName[MAX_PATH];
    WCHAR cAlternateFileName[14];
} WIN32_FIND_DATAW, *PWIN32_FIND_DATAW, *LPWIN32_FIND_DATAW;

/* stat's nanosecond fields: named st_Xtim in POSIX.1-2008 mode, st_Xtimensec in strict ISO C. */
#if defined(__USE_XOPEN2K8) || !defined(__GLIBC__)
#define IISHOST_ST_NSEC(st, x) ((st)->st_##x##tim.tv_nsec)
#else
#define IISHOST_ST_NSEC(st, x) ((st)->st_##x##timensec)
#endif

/* A Unix time as a FILETIME (times before 1601 become 0). */
static __inline__ VOID iishost_unix_filetime(time_t sec, long nsec, FILETIME *ft)
{
    LONGLONG s = (LONGLONG)sec + IISHOST_SECONDS_1601_TO_1970;
    iishost_filetime_set(ft, s < 0 ? 0 : (ULONGLONG)s * IISHOST_TICKS_PER_SECOND + (ULONGLONG)nsec / 100);
}

/* The WIN32_FILE_ATTRIBUTE_DATA fields of a stat result (directories have size 0, as on Windows). */
static __inline__ VOID iishost_stat_data(const struct stat *st, WIN32_FILE_ATTRIBUTE_DATA *d)
{
    ULONGLONG size = S_ISREG(st->st_mode) ? (ULONGLONG)st->st_size : 0;
    d->dwFileAttributes = iishost_file_attributes(st);
    iishost_unix_filetime(st->st_ctime, (long)IISHOST_ST_NSEC(st, c), &d->ftCreationTime);
    iishost_unix_filetime(st->st_atime, (long)IISHOST_ST_NSEC(st, a), &d->ftLastAccessTime);
    iishost_unix_filetime(st->st_mtime, (long)IISHOST_ST_NSEC(st, m), &d->ftLastWriteTime);
    d->nFileSizeHigh = (DWORD)(size >> 32);
    d->nFileSizeLow = (DWORD)size;
}

/* ---- delete, create and remove ------------------------------------------------------- */

/* Each helper below takes a converted path (NULL after a failed conversion) and frees it. */
static __inline__ BOOL iishost_delete_file(char *path)
{
    int rc;
    if (path == NULL)
        return FALSE;
    rc = unlink(path);
    if (rc != 0)
        iishost_set_path_error(path, errno);
    free(path);
    return rc == 0;
}
/* A directory is ERROR_ACCESS_DENIED, as on Windows. */
static __inline__ BOOL DeleteFileA(LPCSTR lpFileName)
{
    return iishost_delete_file(iishost_path_from_narrow(lpFileName));
}
static __inline__ BOOL DeleteFileW(LPCWSTR lpFileName)
{
    return iishost_delete_file(iishost_path_from_wide(lpFileName));
}

static __inline__ BOOL iishost_create_directory(char *path)
{
    int rc;
    if (path == NULL)
        return FALSE;
    rc = mkdir(path, 0777);
    if (rc != 0) {
        int err = errno;
        if (err == EEXIST) {
            SetLastError(ERROR_ALREADY_EXISTS);
        } else if (err == ENOENT) {
            SetLastError(ERROR_PATH_NOT_FOUND); /* a missing parent */
        } else {
            iishost_set_path_error(path, err);
        }
    }
    free(path);
    return rc == 0;
}
/* An existing name fails with ERROR_ALREADY_EXISTS, a missing parent with ERROR_PATH_NOT_FOUND.
 * Security attributes are ignored (mode 0777 less the umask). */
static __inline__ BOOL CreateDirectoryA(LPCSTR lpPathName, LPSECURITY_ATTRIBUTES lpSecurityAttributes)
{
    (void)lpSecurityAttributes;
    return iishost_create_directory(iishost_path_from_narrow(lpPathName));
}
static __inline__ BOOL CreateDirectoryW(LPCWSTR lpPathName, LPSECURITY_ATTRIBUTES lpSecurityAttributes)
{
    (void)lpSecurityAttributes;
    return iishost_create_directory(iishost_path_from_wide(lpPathName));
}

static __inline__ BOOL iishost_remove_directory(char *path)
{
    int rc;
    if (path == NULL)
        return FALSE;
    rc = rmdir(path);
    if (rc != 0) {
        int err = errno;
        struct stat st;
        if (err == ENOTDIR && stat(path, &st) == 0)
            SetLastError(ERROR_DIRECTORY); /* the name is a file */
        else if (err == EEXIST || err == ENOTEMPTY)
            SetLastError(ERROR_DIR_NOT_EMPTY);
        else
            iishost_set_path_error(path, err);
    }
    free(path);
    return rc == 0;
}
/* Only empty directories (ERROR_DIR_NOT_EMPTY); a file is ERROR_DIRECTORY. */
static __inline__ BOOL RemoveDirectoryA(LPCSTR lpPathName)
{
    return iishost_remove_directory(iishost_path_from_narrow(lpPathName));
}
static __inline__ BOOL RemoveDirectoryW(LPCWSTR lpPathName)
{
    return iishost_remove_directory(iishost_path_from_wide(lpPathName));
}

/* ---- copy and move ---------------------------------------------------------------------- */

/* Copies a regular file's data, mode and modification time; dst must not exist when failIfExists. */
static __inline__ BOOL iishost_copy_file(const char *src, const char *dst, BOOL failIfExists)
{
    int in, out;
    struct stat st;
    char buf[65536];
    struct timespec times[2];
    in = open(src, O_RDONLY | IISHOST_O_CLOEXEC);
    if (in < 0) {
        iishost_set_path_error(src, errno);
        return FALSE;
    }
    if (fstat(in, &st) != 0 || S_ISDIR(st.st_mode)) {
        close(in);
        SetLastError(ERROR_ACCESS_DENIED); /* Windows refuses to copy a directory so */
        return FALSE;
    }
    out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | IISHOST_O_CLOEXEC | (failIfExists ? O_EXCL : 0),
               (mode_t)(st.st_mode & 0777) | 0200);
    if (out < 0) {
        int err = errno;
        close(in);
        if (err == EEXIST)
            SetLastError(ERROR_FILE_EXISTS);
        else
            iishost_set_path_error(dst, err);
        return FALSE;
    }
    for (;;) {
        ssize_t n = read(in, buf, sizeof(buf)), done = 0;
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n < 0) {
                iishost_fail_errno();
                close(in);
                close(out);
                return FALSE;
            }
            break;
        }
        while (done < n) {
            ssize_t w = write(out, buf + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0) {
                iishost_fail_errno();
                close(in);
                close(out);
                return FALSE;
            }
            done += w;
        }
    }
    times[0].tv_sec = st.st_atime;
    times[0].tv_nsec = (long)IISHOST_ST_NSEC(&st, a);
    times[1].tv_sec = st.st_mtime;
    times[1].tv_nsec = (long)IISHOST_ST_NSEC(&st, m);
    futimens(out, times);
    fchmod(out, st.st_mode & 07777);
    close(in);
    if (close(out) != 0)
        return iishost_fail_errno();
    SetLastError(ERROR_SUCCESS);
    return TRUE;
}

static __inline__ BOOL CopyFileA(LPCSTR lpExistingFileName, LPCSTR lpNewFileName, BOOL bFailIfExists)
{
    char *src = iishost_path_from_narrow(lpExistingFileName), *dst = iishost_path_from_narrow(lpNewFileName);
    BOOL ok = src != NULL && dst != NULL && iishost_copy_file(src, dst, bFailIfExists);
    free(src);
    free(dst);
    return ok;
}
/* Copies data, mode and modification time; an existing target with bFailIfExists is ERROR_FILE_EXISTS. */
static __inline__ BOOL CopyFileW(LPCWSTR lpExistingFileName, LPCWSTR lpNewFileName, BOOL bFailIfExists)
{
    char *src = iishost_path_from_wide(lpExistingFileName), *dst = iishost_path_from_wide(lpNewFileName);
    BOOL ok = src != NULL && dst != NULL && iishost_copy_file(src, dst, bFailIfExists);
    free(src);
    free(dst);
    return ok;
}

#define IISHOST_AT_FDCWD (-100)
#define IISHOST_RENAME_NOREPLACE 1

/* rename(2) that refuses to replace: atomically where the kernel and file system can. */
static __inline__ int iishost_rename_noreplace(const char *src, const char *dst)
{
#ifdef SYS_renameat2
    struct stat st;
    if (syscall(SYS_renameat2, IISHOST_AT_FDCWD, src, IISHOST_AT_FDCWD, dst, IISHOST_RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != ENOSYS && errno != EINVAL)
        return -1;
    if (lstat(src, &st) == 0 && lstat(dst, &st) == 0) {
        errno = EEXIST;
        return -1;
    }
#else
    struct stat st;
    if (lstat(dst, &st) == 0) {
        errno = EEXIST;
        return -1;
    }
#endif
    return rename(src, dst);
}

static __inline__ BOOL iishost_move_file(char *src, char *dst, DWORD flags)
{
    BOOL ok = FALSE;
    int rc;
    if (flags & (MOVEFILE_DELAY_UNTIL_REBOOT | MOVEFILE_CREATE_HARDLINK)) {
        SetLastError(ERROR_NOT_SUPPORTED); /* (a NULL target, delete at reboot, included) */
        goto done;
    }
    if (src == NULL || dst == NULL)
        goto done;
    rc = (flags & MOVEFILE_REPLACE_EXISTING) ? rename(src, dst) : iishost_rename_noreplace(src, dst);
    if (rc == 0) {
        ok = TRUE;
    } else if (errno == EXDEV) {
        struct stat st;
        if (!(flags & MOVEFILE_COPY_ALLOWED) || (stat(src, &st) == 0 && S_ISDIR(st.st_mode))) {
            SetLastError(ERROR_NOT_SAME_DEVICE);
        } else if (iishost_copy_file(src, dst, !(flags & MOVEFILE_REPLACE_EXISTING))) {
            ok = unlink(src) == 0 || iishost_fail_errno();
        }
    } else if (errno == EEXIST) {
        SetLastError(ERROR_ALREADY_EXISTS);
    } else if (errno == ENOTEMPTY || errno == EISDIR) {
        SetLastError(ERROR_ACCESS_DENIED); /* Windows will not replace a directory */
    } else {
        int err = errno;
        struct stat st;
        iishost_set_path_error(lstat(src, &st) != 0 ? src : dst, err);
    }
done:
    free(src);
    free(dst);
    if (ok)
        SetLastError(ERROR_SUCCESS);
    return ok;
}

/* Renames a file or directory; an existing target fails with ERROR_ALREADY_EXISTS. */
static __inline__ BOOL MoveFileA(LPCSTR lpExistingFileName, LPCSTR lpNewFileName)
{
    return iishost_move_file(iishost_path_from_narrow(lpExistingFileName), iishost_path_from_narrow(lpNewFileName),
                             MOVEFILE_COPY_ALLOWED);
}
static __inline__ BOOL MoveFileW(LPCWSTR lpExistingFileName, LPCWSTR lpNewFileName)
{
    return iishost_move_file(iishost_path_from_wide(lpExistingFileName), iishost_path_from_wide(lpNewFileName),
                             MOVEFILE_COPY_ALLOWED);
}
/* MOVEFILE_REPLACE_EXISTING replaces a file (never a directory); MOVEFILE_COPY_ALLOWED copies
 * across file systems; MOVEFILE_WRITE_THROUGH changes nothing (rename is complete on return). */
static __inline__ BOOL MoveFileExA(LPCSTR lpExistingFileName, LPCSTR lpNewFileName, DWORD dwFlags)
{
    return iishost_move_file(iishost_path_from_narrow(lpExistingFileName), iishost_path_from_narrow(lpNewFileName),
                             dwFlags);
}
static __inline__ BOOL MoveFileExW(LPCWSTR lpExistingFileName, LPCWSTR lpNewFileName, DWORD dwFlags)
{
    return iishost_move_file(iishost_path_from_wide(lpExistingFileName), iishost_path_from_wide(lpNewFileName),
                             dwFlags);
}

/* ---- attributes and full paths --------------------------------------------------------------- */

static __inline__ BOOL iishost_attributes_ex(char *path, GET_FILEEX_INFO_LEVELS level, LPVOID info)
{
    struct stat st;
    int rc;
    if (path == NULL)
        return FALSE;
    if (level != GetFileExInfoStandard || info == NULL) {
        free(path);
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    rc = stat(path, &st);
    if (rc != 0)
        iishost_set_path_error(path, errno);
    else
        iishost_stat_data(&st, (WIN32_FILE_ATTRIBUTE_DATA *)info);
    free(path);
    return rc == 0;
}
/* Fills a WIN32_FILE_ATTRIBUTE_DATA (the only level, GetFileExInfoStandard). */
static __inline__ BOOL GetFileAttributesExA(LPCSTR lpFileName, GET_FILEEX_INFO_LEVELS fInfoLevelId,
                                            LPVOID lpFileInformation)
{
    return iishost_attributes_ex(iishost_path_from_narrow(lpFileName), fInfoLevelId, lpFileInformation);
}
static __inline__ BOOL GetFileAttributesExW(LPCWSTR lpFileName, GET_FILEEX_INFO_LEVELS fInfoLevelId,
                                            LPVOID lpFileInformation)
{
    return iishost_attributes_ex(iishost_path_from_wide(lpFileName), fInfoLevelId, lpFileInformation);
}

/*
 * The absolute, normalized form of path (malloc'd): relative paths are taken from the current
 * directory; "." and empty components go, ".." removes the one before (never above "/"). A
 * trailing separator is kept, as Windows keeps it. Nothing is checked on disk.
 */
static __inline__ char *iishost_full_path(char *path)
{
    char *cwd = NULL, *joined, *out;
    size_t n, i = 0, o = 0;
    if (path == NULL)
        return NULL;
    if (*path == 0) {
        free(path);
        SetLastError(ERROR_INVALID_NAME);
        return NULL;
    }
    if (path[0] != '/') {
        cwd = iishost_getcwd();
        if (cwd == NULL) {
            free(path);
            return NULL;
        }
    }
    n = (cwd ? strlen(cwd) + 1 : 0) + strlen(path) + 2;
    joined = (char *)malloc(n);
    out = (char *)malloc(n);
    if (joined == NULL || out == NULL) {
        free(joined);
        free(out);
        free(cwd);
        free(path);
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    snprintf(joined, n, "%s%s%s", cwd ? cwd : "", cwd ? "/" : "", path);
    free(cwd);
    free(path);
    out[o++] = '/';
    while (joined[i]) {
        size_t start, len;
        while (joined[i] == '/')
            i++;
        start = i;
        while (joined[i] && joined[i] != '/')
            i++;
        len = i - start;
        if (len == 0 || (len == 1 && joined[start] == '.'))
            continue;
        if (len == 2 && joined[start] == '.' && joined[start + 1] == '.') {
            if (o > 1) {
                o--; /* the separator after the previous component */
                while (o > 1 && out[o - 1] != '/')
                    o--;
            }
            continue;
        }
        memcpy(out + o, joined + start, len);
        o += len;
        out[o++] = '/';
    }
    /* Drop the separator added after the last component unless the input ended with one. */
    if (o > 1 && !(i > 0 && joined[i - 1] == '/'))
        o--;
    out[o] = 0;
    free(joined);
    return out;
}

/*
 * Returns the length written without the terminator, or the size needed with it when the buffer
 * is too small. *lpFilePart (when given) points at the last component in the buffer, or is NULL
 * when the path ends with a separator.
 */
static __inline__ DWORD GetFullPathNameA(LPCSTR lpFileName, DWORD nBufferLength, LPSTR lpBuffer, LPSTR *lpFilePart)
{
    char *full = iishost_full_path(iishost_path_from_narrow(lpFileName));
    DWORD n;
    size_t len;
    if (full == NULL)
        return 0;
    len = strlen(full);
    n = iishost_copy_out_a(full, len, lpBuffer, nBufferLength);
    if (n == len && lpFilePart != NULL) {
        char *slash = strrchr(lpBuffer, '/');
        *lpFilePart = slash != NULL && slash[1] != 0 ? slash + 1 : NULL;
    }
    free(full);
    return n;
}
static __inline__ DWORD GetFullPathNameW(LPCWSTR lpFileName, DWORD nBufferLength, LPWSTR lpBuffer, LPWSTR *lpFilePart)
{
    char *full = iishost_full_path(iishost_path_from_wide(lpFileName));
    DWORD n;
    if (full == NULL)
        return 0;
    n = iishost_copy_out_w(full, lpBuffer, nBufferLength);
    if (n != 0 && n < nBufferLength && lpFilePart != NULL) {
        WCHAR *slash = wcsrchr(lpBuffer, L'/');
        *lpFilePart = slash != NULL && slash[1] != 0 ? slash + 1 : NULL;
    }
    free(full);
    return n;
}

/* ---- temporary file names ----------------------------------------------------------------------- */

/*
 * "<dir><sep><up to 3 prefix characters><4 hex digits>.TMP" into out (MAX_PATH bytes, UTF-8),
 * as GetTempFileName documents. sep is dir's own first separator ('\\' when it has none) and
 * is not doubled. With unique 0 the number is chosen (from the clock, then counting up) and
 * the file is created empty, so the name is reserved; otherwise only the name is made.
 * Returns the number used, or 0 with the last error set.
 */
static __inline__ UINT iishost_temp_file_name(const char *dir, const char *prefix, UINT unique, char *out)
{
    char *path, sep = '\\';
    const char *p;
    size_t dn, pn = 0, i;
    UINT n = unique & 0xFFFF, tries;
    if (dir == NULL || prefix == NULL || out == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    for (p = dir; *p; p++) {
        if (*p == '\\' || *p == '/') {
            sep = *p;
            break;
        }
    }
    for (i = 0; i < 3 && prefix[pn] != 0; i++) { /* three characters, not bytes */
        pn++;
        while ((prefix[pn] & 0xC0) == 0x80)
            pn++;
    }
    dn = strlen(dir);
    if (dn + 1 + pn + 8 >= MAX_PATH) {
        SetLastError(ERROR_BUFFER_OVERFLOW);
        return 0;
    }
    if (n == 0 && unique == 0)
        n = (UINT)(iishost_clock_ns(IISHOST_CLOCK_REALTIME) / 1000u) & 0xFFFF;
    for (tries = 0; tries < 0x10000; tries++) {
        HANDLE h;
        if (n == 0)
            n = 1; /* 0 is the failure value */
        i = dn;
        memcpy(out, dir, dn);
        if (dn > 0 && out[dn - 1] != '\\' && out[dn - 1] != '/')
            out[i++] = sep;
        memcpy(out + i, prefix, pn);
        snprintf(out + i + pn, MAX_PATH - i - pn, "%04X.TMP", n);
        if (unique != 0)
            return n;
        path = iishost_path_from_narrow(out);
        if (path == NULL)
            return 0;
        h = iishost_create_file(path, GENERIC_WRITE, CREATE_NEW, FILE_ATTRIBUTE_NORMAL);
        free(path);
        if (h != INVALID_HANDLE_VALUE) {
            close(iishost_handle_fd(h));
            SetLastError(ERROR_SUCCESS);
            return n;
        }
        if (GetLastError() != ERROR_FILE_EXISTS) {
            if (GetLastError() == ERROR_PATH_NOT_FOUND || GetLastError() == ERROR_FILE_NOT_FOUND)
                SetLastError(ERROR_DIRECTORY); /* Windows names a missing folder so */
            return 0;
        }
        n = (n + 1) & 0xFFFF;
    }
    SetLastError(ERROR_FILE_EXISTS);
    return 0;
}

static __inline__ UINT GetTempFileNameA(LPCSTR lpPathName, LPCSTR lpPrefixString, UINT uUnique, LPSTR lpTempFileName)
{
    return iishost_temp_file_name(lpPathName, lpPrefixString, uUnique, lpTempFileName);
}

/* The W form; lpTempFileName holds MAX_PATH WCHARs. */
static __inline__ UINT GetTempFileNameW(LPCWSTR lpPathName, LPCWSTR lpPrefixString, UINT uUnique,
                                        LPWSTR lpTempFileName)
{
    char *dir = iishost_narrow(lpPathName), *prefix = iishost_narrow(lpPrefixString), name[MAX_PATH * 4];
    UINT n = 0;
    if (dir != NULL && prefix != NULL && lpTempFileName != NULL) {
        if (strlen(dir) < MAX_PATH) {
            n = iishost_temp_file_name(dir, prefix, uUnique, name);
            if (n != 0 && MultiByteToWideChar(CP_UTF8, 0, name, -1, lpTempFileName, MAX_PATH) <= 0) {
                SetLastError(ERROR_BUFFER_OVERFLOW);
                n = 0;
            }
        } else {
            SetLastError(ERROR_BUFFER_OVERFLOW);
        }
    } else if (lpTempFileName == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
    }
    free(dir);
    free(prefix);
    return n;
}

/* ---- FindFirstFile and friends ------------------------------------------------------------------ */

/* Wildcard match of a name against a pattern ('*' any run, '?' one character), ASCII case ignored. */
static __inline__ int iishost_wild_match(const WCHAR *pattern, const WCHAR *name)
{
    const WCHAR *starP = NULL, *starN = NULL;
    while (*name) {
        if (*pattern == '*') {
            starP = pattern++;
            starN = name;
        } else if (*pattern == '?' || (*pattern != 0 && towlower((wint_t)*pattern) == towlower((wint_t)*name))) {
            pattern++;
            name++;
        } else if (starP != NULL) {
            pattern = starP + 1;
            name = ++starN;
        } else {
            return 0;
        }
    }
    while (*pattern == '*')
        pattern++;
    return *pattern == 0;
}

#define IISHOST_FIND_MAGIC 0x49495346494E4421ULL

typedef struct iishost_find {
    ULONGLONG magic;
    DIR *dir;
    char *dirPath;  /* with a trailing '/' */
    WCHAR *pattern; /* the last component */
} iishost_find;

/* The next entry matching the search (UTF-8 name into *name, its stat into *st), or 0 at the end. */
static __inline__ int iishost_find_next(iishost_find *f, const char **name, struct stat *st)
{
    struct dirent *e;
    while ((e = readdir(f->dir)) != NULL) {
        WCHAR wname[1024];
        size_t dn = strlen(f->dirPath), nn = strlen(e->d_name);
        char *full;
        int ok;
        if (MultiByteToWideChar(CP_UTF8, 0, e->d_name, -1, wname, 1024) <= 0 || !iishost_wild_match(f->pattern, wname))
            continue;
        full = (char *)malloc(dn + nn + 1);
        if (full == NULL)
            continue;
        memcpy(full, f->dirPath, dn);
        memcpy(full + dn, e->d_name, nn + 1);
        ok = stat(full, st) == 0 || lstat(full, st) == 0; /* a dangling link is listed as itself */
        free(full);
        if (!ok)
            continue;
        *name = e->d_name;
        return 1;
    }
    return 0;
}

/* Opens a search for path (converted; freed here); NULL with the last error set when nothing matches. */
static __inline__ iishost_find *iishost_find_open(char *path)
{
    iishost_find *f;
    char *slash, *last;
    size_t dn;
    if (path == NULL)
        return NULL;
    slash = strrchr(path, '/');
    last = slash != NULL ? slash + 1 : path;
    if (*last == 0) {
        free(path);
        SetLastError(ERROR_FILE_NOT_FOUND); /* a path ending in a separator names no file */
        return NULL;
    }
    f = (iishost_find *)calloc(1, sizeof(*f));
    if (f == NULL) {
        free(path);
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    dn = slash != NULL ? (size_t)(slash - path) + 1 : 2;
    f->dirPath = (char *)malloc(dn + 1);
    f->pattern = iishost_widen(last, -1);
    if (f->dirPath == NULL || f->pattern == NULL) {
        free(f->dirPath);
        free(f->pattern);
        free(f);
        free(path);
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    if (slash != NULL)
        memcpy(f->dirPath, path, dn);
    else
        memcpy(f->dirPath, "./", dn);
    f->dirPath[dn] = 0;
    /* "*.*" is every name, with or without a dot, as on Windows. */
    if (wcscmp(f->pattern, L"*.*") == 0)
        f->pattern[1] = 0;
    f->dir = opendir(f->dirPath);
    if (f->dir == NULL) {
        int err = errno;
        SetLastError(err == ENOENT || err == ENOTDIR ? ERROR_PATH_NOT_FOUND : iishost_win32_error_from_errno(err));
        free(f->dirPath);
        free(f->pattern);
        free(f);
        free(path);
        return NULL;
    }
    free(path);
    f->magic = IISHOST_FIND_MAGIC;
    return f;
}

static __inline__ VOID iishost_find_free(iishost_find *f)
{
    f->magic = 0;
    closedir(f->dir);
    free(f->dirPath);
    free(f->pattern);
    free(f);
}

static __inline__ iishost_find *iishost_find_handle(HANDLE h)
{
    iishost_find *f = (iishost_find *)h;
    if (h == NULL || h == INVALID_HANDLE_VALUE || f->magic != IISHOST_FIND_MAGIC) {
        SetLastError(ERROR_INVALID_HANDLE);
        return NULL;
    }
    return f;
}

/* Fills the A form; names too long for cFileName are skipped by the caller's loop. */
static __inline__ int iishost_find_fill_a(const char *name, const struct stat *st, LPWIN32_FIND_DATAA d)
{
    WIN32_FILE_ATTRIBUTE_DATA a;
    size_t n = strlen(name);
    if (n >= MAX_PATH)
        return 0;
    memset(d, 0, sizeof(*d));
    iishost_stat_data(st, &a);
    d->dwFileAttributes = a.dwFileAttributes;
    d->ftCreationTime = a.ftCreationTime;
    d->ftLastAccessTime = a.ftLastAccessTime;
    d->ftLastWriteTime = a.ftLastWriteTime;
    d->nFileSizeHigh = a.nFileSizeHigh;
    d->nFileSizeLow = a.nFileSizeLow;
    memcpy(d->cFileName, name, n + 1);
    return 1;
}
static __inline__ int iishost_find_fill_w(const char *name, const struct stat *st, LPWIN32_FIND_DATAW d)
{
    WIN32_FILE_ATTRIBUTE_DATA a;
    memset(d, 0, sizeof(*d));
    if (MultiByteToWideChar(CP_UTF8, 0, name, -1, d->cFileName, MAX_PATH) <= 0)
        return 0;
    iishost_stat_data(st, &a);
    d->dwFileAttributes = a.dwFileAttributes;
    d->ftCreationTime = a.ftCreationTime;
    d->ftLastAccessTime = a.ftLastAccessTime;
    d->ftLastWriteTime = a.ftLastWriteTime;
    d->nFileSizeHigh = a.nFileSizeHigh;
    d->nFileSizeLow = a.nFileSizeLow;
    return 1;
}

/* The next matching entry into d, or FALSE with ERROR_NO_MORE_FILES. */
static __inline__ BOOL FindNextFileA(HANDLE hFindFile, LPWIN32_FIND_DATAA lpFindFileData)
{
    iishost_find *f = iishost_find_handle(hFindFile);
    const char *name;
    struct stat st;
    if (f == NULL)
        return FALSE;
    if (lpFindFileData == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    while (iishost_find_next(f, &name, &st))
        if (iishost_find_fill_a(name, &st, lpFindFileData))
            return TRUE;
    SetLastError(ERROR_NO_MORE_FILES);
    return FALSE;
}
static __inline__ BOOL FindNextFileW(HANDLE hFindFile, LPWIN32_FIND_DATAW lpFindFileData)
{
    iishost_find *f = iishost_find_handle(hFindFile);
    const char *name;
    struct stat st;
    if (f == NULL)
        return FALSE;
    if (lpFindFileData == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    while (iishost_find_next(f, &name, &st))
        if (iishost_find_fill_w(name, &st, lpFindFileData))
            return TRUE;
    SetLastError(ERROR_NO_MORE_FILES);
    return FALSE;
}

/* Ends a search; an unknown handle fails with ERROR_INVALID_HANDLE. */
static __inline__ BOOL FindClose(HANDLE hFindFile)
{
    iishost_find *f = iishost_find_handle(hFindFile);
    if (f == NULL)
        return FALSE;
    iishost_find_free(f);
    return TRUE;
}

/*
 * Starts a search and returns the first match, or INVALID_HANDLE_VALUE with ERROR_FILE_NOT_FOUND
 * (nothing matches) or ERROR_PATH_NOT_FOUND (no such directory). Listing a directory with "*"
 * includes "." and "..", as on Windows for every directory but a drive's root.
 */
static __inline__ HANDLE FindFirstFileA(LPCSTR lpFileName, LPWIN32_FIND_DATAA lpFindFileData)
{
    iishost_find *f;
    if (lpFindFileData == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return INVALID_HANDLE_VALUE;
    }
    f = iishost_find_open(iishost_path_from_narrow(lpFileName));
    if (f == NULL)
        return INVALID_HANDLE_VALUE;
    if (!FindNextFileA((HANDLE)f, lpFindFileData)) {
        iishost_find_free(f);
        SetLastError(ERROR_FILE_NOT_FOUND);
        return INVALID_HANDLE_VALUE;
    }
    SetLastError(ERROR_SUCCESS);
    return (HANDLE)f;
}
static __inline__ HANDLE FindFirstFileW(LPCWSTR lpFileName, LPWIN32_FIND_DATAW lpFindFileData)
{
    iishost_find *f;
    if (lpFindFileData == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return INVALID_HANDLE_VALUE;
    }
    f = iishost_find_open(iishost_path_from_wide(lpFileName));
    if (f == NULL)
        return INVALID_HANDLE_VALUE;
    if (!FindNextFileW((HANDLE)f, lpFindFileData)) {
        iishost_find_free(f);
        SetLastError(ERROR_FILE_NOT_FOUND);
        return INVALID_HANDLE_VALUE;
    }
    SetLastError(ERROR_SUCCESS);
    return (HANDLE)f;
}

#ifdef UNICODE
typedef WIN32_FIND_DATAW WIN32_FIND_DATA, *PWIN32_FIND_DATA, *LPWIN32_FIND_DATA;
#define DeleteFile DeleteFileW
#define CreateDirectory CreateDirectoryW
#define RemoveDirectory RemoveDirectoryW
#define CopyFile CopyFileW
#define MoveFile MoveFileW
#define MoveFileEx MoveFileExW
#define GetFileAttributesEx GetFileAttributesExW
#define GetFullPathName GetFullPathNameW
#define FindFirstFile FindFirstFileW
#define FindNextFile FindNextFileW
#define GetTempFileName GetTempFileNameW
#else
typedef WIN32_FIND_DATAA WIN32_FIND_DATA, *PWIN32_FIND_DATA, *LPWIN32_FIND_DATA;
#define DeleteFile DeleteFileA
#define CreateDirectory CreateDirectoryA
#define RemoveDirectory RemoveDirectoryA
#define CopyFile CopyFileA
#define MoveFile MoveFileA
#define MoveFileEx MoveFileExA
#define GetFileAttributesEx GetFileAttributesExA
#define GetFullPathName GetFullPathNameA
#define FindFirstFile FindFirstFileA
#define FindNextFile FindNextFileA
#define GetTempFileName GetTempFileNameA
#endif

#endif /* IISHOST_FILEOPS_H */
