/*
 * shlwapi.h - the path and string helpers of the Windows light-weight shell
 * API that IIS modules use to build file names: PathFileExists,
 * PathIsDirectory, PathFindExtension, PathFindFileName, PathRemoveFileSpec,
 * PathAppend, PathCombine, PathAddBackslash, PathRemoveExtension,
 * PathRenameExtension, PathIsRelative, and StrCmpI/StrCmpNI/StrStr/StrStrI,
 * each as A and W with the TCHAR names.
 *
 * Separators: '\\' and '/' are both read as separators. When a function
 * adds one (PathAppend, PathCombine, PathAddBackslash) it uses the first
 * separator the path already holds, or '\\' when it holds none. So a path
 * built the Windows way stays a Windows path (string comparisons a module
 * makes keep working, and CreateFile and the other file functions read
 * '\\' as '/'), and a Linux path from GetModuleFileName or
 * GetCurrentDirectory stays a clean Linux path.
 *
 * As on Windows, buffers are assumed to hold MAX_PATH characters: a result
 * that would not fit fails (FALSE or NULL). Drive letters ("C:") are
 * recognized as roots in strings, though no such files exist here. A
 * strings are UTF-8; case-insensitive comparisons fold ASCII only in the A
 * forms and use towlower (the C library's current locale) in the W forms.
 */
#if defined(_WIN32)
/* On Windows the platform's own header serves; iishost adds only the IIS SDK headers. */
#include_next <shlwapi.h>
#else
#ifndef IISHOST_SHLWAPI_H
#define IISHOST_SHLWAPI_H

#include <ctype.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "windows.h"

#define IISHOST_IS_SEP(c) ((c) == '\\' || (c) == '/')

/*
 * Every function exists for char (A) and WCHAR (W); IISHOST_SHLWAPI(S, CH, LEN, FOLD) defines
 * one set: S is the suffix, CH the character type, LEN its strlen, FOLD its case folding.
 */
#define IISHOST_SHLWAPI(S, CH, LEN, FOLD)                                                                    \
    /* The separator to add to path: the first one it holds, else '\\'. */                                    \
    static __inline__ CH iishost_path_sep##S(const CH *path)                                                  \
    {                                                                                                         \
        for (; path != NULL && *path; path++)                                                                 \
            if (IISHOST_IS_SEP(*path))                                                                        \
                return *path;                                                                                 \
        return '\\';                                                                                          \
    }                                                                                                         \
    /* Length of the root: "X:" plus a separator, or the leading separators; 0 when relative. */              \
    static __inline__ size_t iishost_path_root##S(const CH *p)                                                \
    {                                                                                                         \
        size_t n = 0;                                                                                         \
        if (p[0] != 0 && p[1] == ':')                                                                         \
            n = 2;                                                                                            \
        while (IISHOST_IS_SEP(p[n]))                                                                          \
            n++;                                                                                              \
        return n;                                                                                             \
    }                                                                                                         \
    /* The last component: after the last separator that something other than separators follows. */        \
    static __inline__ CH *PathFindFileName##S(const CH *pszPath)                                              \
    {                                                                                                         \
        const CH *p = pszPath, *last = pszPath;                                                               \
        if (p == NULL)                                                                                        \
            return NULL;                                                                                      \
        for (; *p; p++)                                                                                       \
            if ((IISHOST_IS_SEP(*p) || *p == ':') && p[1] != 0 && !IISHOST_IS_SEP(p[1]))                      \
                last = p + 1;                                                                                 \
        return (CH *)last;                                                                                    \
    }                                                                                                         \
    /* The '.' that starts the last component's extension, or the terminator when there is none (a space     \
     * after the dot means no extension, as on Windows). */                                                   \
    static __inline__ CH *PathFindExtension##S(const CH *pszPath)                                             \
    {                                                                                                         \
        const CH *p = pszPath, *dot = NULL;                                                                   \
        if (p == NULL)                                                                                        \
            return NULL;                                                                                      \
        for (; *p; p++) {                                                                                     \
            if (IISHOST_IS_SEP(*p) || *p == ' ')                                                              \
                dot = NULL;                                                                                   \
            else if (*p == '.')                                                                               \
                dot = p;                                                                                      \
        }                                                                                                     \
        return (CH *)(dot != NULL ? dot : p);                                                                 \
    }                                                                                                         \
    static __inline__ void PathRemoveExtension##S(CH *pszPath)                                                \
    {                                                                                                         \
        if (pszPath != NULL)                                                                                  \
            *PathFindExtension##S(pszPath) = 0;                                                               \
    }                                                                                                         \
    /* Replaces (or adds) the extension; pszExt includes its '.'. FALSE when it would not fit. */            \
    static __inline__ BOOL PathRenameExtension##S(CH *pszPath, const CH *pszExt)                              \
    {                                                                                                         \
        CH *ext;                                                                                              \
        size_t n;                                                                                             \
        if (pszPath == NULL || pszExt == NULL)                                                                \
            return FALSE;                                                                                     \
        ext = PathFindExtension##S(pszPath);                                                                  \
        n = LEN(pszExt);                                                                                      \
        if ((size_t)(ext - pszPath) + n >= MAX_PATH)                                                          \
            return FALSE;                                                                                     \
        memmove(ext, pszExt, (n + 1) * sizeof(CH));                                                           \
        return TRUE;                                                                                          \
    }                                                                                                         \
    /* TRUE unless the path starts with a separator or a drive ("C:"); NULL and "" are relative. */          \
    static __inline__ BOOL PathIsRelative##S(const CH *pszPath)                                               \
    {                                                                                                         \
        if (pszPath == NULL || *pszPath == 0)                                                                 \
            return TRUE;                                                                                      \
        return !IISHOST_IS_SEP(pszPath[0]) && pszPath[1] != ':';                                              \
    }                                                                                                         \
    /* Adds a separator unless there is one (or the path is empty); returns the terminator, or NULL when     \
     * it would not fit in MAX_PATH. */                                                                       \
    static __inline__ CH *PathAddBackslash##S(CH *pszPath)                                                    \
    {                                                                                                         \
        size_t n;                                                                                             \
        if (pszPath == NULL)                                                                                  \
            return NULL;                                                                                      \
        n = LEN(pszPath);                                                                                     \
        if (n > 0 && !IISHOST_IS_SEP(pszPath[n - 1])) {                                                       \
            if (n + 1 >= MAX_PATH)                                                                            \
                return NULL;                                                                                  \
            pszPath[n] = iishost_path_sep##S(pszPath);                                                        \
            pszPath[++n] = 0;                                                                                 \
        }                                                                                                     \
        return pszPath + n;                                                                                   \
    }                                                                                                         \
    /* Removes the last component and its separator ("a\\b" -> "a", "\\b" -> "\\", "b" -> ""); TRUE when    \
     * something was removed. A root stays. */                                                                \
    static __inline__ BOOL PathRemoveFileSpec##S(CH *pszPath)                                                 \
    {                                                                                                         \
        size_t root, n, cut;                                                                                  \
        if (pszPath == NULL)                                                                                  \
            return FALSE;                                                                                     \
        root = iishost_path_root##S(pszPath);                                                                 \
        n = LEN(pszPath);                                                                                     \
        cut = root;                                                                                           \
        for (size_t i = root; i < n; i++)                                                                     \
            if (IISHOST_IS_SEP(pszPath[i]))                                                                   \
                cut = i;                                                                                      \
        if (cut == n)                                                                                         \
            return FALSE;                                                                                     \
        pszPath[cut] = 0;                                                                                     \
        return TRUE;                                                                                          \
    }                                                                                                         \
    /* Removes "." components and resolves ".." against the one before (never above the root), in place. */ \
    static __inline__ void iishost_path_canon##S(CH *p)                                                       \
    {                                                                                                         \
        size_t root = iishost_path_root##S(p), i = root, o = root;                                            \
        while (p[i]) {                                                                                        \
            size_t j = i, len;                                                                                \
            while (p[j] && !IISHOST_IS_SEP(p[j]))                                                             \
                j++;                                                                                          \
            len = j - i;                                                                                      \
            if (len == 1 && p[i] == '.') {                                                                    \
                /* dropped, with its separator */                                                             \
            } else if (len == 2 && p[i] == '.' && p[i + 1] == '.' && o > root) {                              \
                o--; /* the separator after the previous component */                                         \
                while (o > root && !IISHOST_IS_SEP(p[o - 1]))                                                 \
                    o--;                                                                                      \
            } else if (len == 2 && p[i] == '.' && p[i + 1] == '.' && root > 0) {                              \
                /* ".." at the root stays at the root */                                                      \
            } else {                                                                                          \
                memmove(p + o, p + i, (len + (p[j] ? 1 : 0)) * sizeof(CH));                                   \
                o += len + (p[j] ? 1 : 0);                                                                    \
            }                                                                                                 \
            i = p[j] ? j + 1 : j;                                                                             \
        }                                                                                                     \
        if (o > root && IISHOST_IS_SEP(p[o - 1]) && i > 0 && !IISHOST_IS_SEP(p[i - 1]))                      \
            o--; /* a separator left by a dropped last component */                                           \
        p[o] = 0;                                                                                             \
    }                                                                                                         \
    /* dir + separator + file, canonicalized; a rooted file replaces dir (keeping its drive). NULL, with      \
     * pszDest emptied, when the result would not fit in MAX_PATH. pszDest may be pszDir. */                  \
    static __inline__ CH *PathCombine##S(CH *pszDest, const CH *pszDir, const CH *pszFile)                    \
    {                                                                                                         \
        CH tmp[2 * MAX_PATH + 2];                                                                             \
        size_t n = 0, dn = pszDir != NULL ? LEN(pszDir) : 0, fn = pszFile != NULL ? LEN(pszFile) : 0;         \
        if (pszDest == NULL)                                                                                  \
            return NULL;                                                                                      \
        if ((pszDir == NULL && pszFile == NULL) || dn >= MAX_PATH || fn >= MAX_PATH) {                        \
            pszDest[0] = 0;                                                                                   \
            return NULL;                                                                                      \
        }                                                                                                     \
        if (fn > 0 && !PathIsRelative##S(pszFile)) {                                                          \
            if (IISHOST_IS_SEP(pszFile[0]) && dn >= 2 && pszDir[1] == ':') {                                  \
                tmp[n++] = pszDir[0];                                                                         \
                tmp[n++] = ':';                                                                               \
            }                                                                                                 \
            memcpy(tmp + n, pszFile, fn * sizeof(CH));                                                        \
            n += fn;                                                                                          \
        } else {                                                                                              \
            if (dn > 0)                                                                                       \
                memcpy(tmp, pszDir, dn * sizeof(CH));                                                         \
            n = dn;                                                                                           \
            if (n > 0 && fn > 0 && !IISHOST_IS_SEP(tmp[n - 1]))                                               \
                tmp[n++] = iishost_path_sep##S(pszDir);                                                       \
            if (fn > 0)                                                                                       \
                memcpy(tmp + n, pszFile, fn * sizeof(CH));                                                    \
            n += fn;                                                                                          \
        }                                                                                                     \
        tmp[n] = 0;                                                                                           \
        iishost_path_canon##S(tmp);                                                                           \
        n = LEN(tmp);                                                                                         \
        if (n >= MAX_PATH) {                                                                                  \
            pszDest[0] = 0;                                                                                   \
            return NULL;                                                                                      \
        }                                                                                                     \
        memcpy(pszDest, tmp, (n + 1) * sizeof(CH));                                                          \
        return pszDest;                                                                                       \
    }                                                                                                         \
    /* Appends pszMore (its leading separators skipped) with one separator between; FALSE when the         \
     * result would not fit in MAX_PATH (pszPath is then unchanged). */                                       \
    static __inline__ BOOL PathAppend##S(CH *pszPath, const CH *pszMore)                                      \
    {                                                                                                         \
        CH tmp[MAX_PATH];                                                                                     \
        if (pszPath == NULL || pszMore == NULL)                                                               \
            return FALSE;                                                                                     \
        while (IISHOST_IS_SEP(*pszMore))                                                                      \
            pszMore++;                                                                                        \
        if (PathCombine##S(tmp, pszPath, pszMore) == NULL)                                                    \
            return FALSE;                                                                                     \
        memcpy(pszPath, tmp, (LEN(tmp) + 1) * sizeof(CH));                                                    \
        return TRUE;                                                                                          \
    }                                                                                                         \
    /* Case-insensitive comparisons: <0, 0 or >0. */                                                          \
    static __inline__ int StrCmpNI##S(const CH *psz1, const CH *psz2, int nChar)                              \
    {                                                                                                         \
        for (; nChar > 0; nChar--, psz1++, psz2++) {                                                          \
            long a = (long)FOLD(*psz1), b = (long)FOLD(*psz2);                                                \
            if (a != b)                                                                                       \
                return a < b ? -1 : 1;                                                                        \
            if (*psz1 == 0)                                                                                   \
                break;                                                                                        \
        }                                                                                                     \
        return 0;                                                                                             \
    }                                                                                                         \
    static __inline__ int StrCmpI##S(const CH *psz1, const CH *psz2)                                          \
    {                                                                                                         \
        return StrCmpNI##S(psz1, psz2, 0x7FFFFFFF);                                                           \
    }                                                                                                         \
    /* The first occurrence of pszSearch in pszFirst, or NULL (an empty pszSearch is not found). */          \
    static __inline__ CH *StrStrI##S(const CH *pszFirst, const CH *pszSearch)                                 \
    {                                                                                                         \
        size_t n;                                                                                             \
        if (pszFirst == NULL || pszSearch == NULL || *pszSearch == 0)                                         \
            return NULL;                                                                                      \
        n = LEN(pszSearch);                                                                                   \
        for (; *pszFirst; pszFirst++)                                                                         \
            if (StrCmpNI##S(pszFirst, pszSearch, (int)n) == 0)                                                \
                return (CH *)pszFirst;                                                                        \
        return NULL;                                                                                          \
    }                                                                                                         \
    static __inline__ CH *StrStr##S(const CH *pszFirst, const CH *pszSearch)                                  \
    {                                                                                                         \
        if (pszFirst == NULL || pszSearch == NULL || *pszSearch == 0)                                         \
            return NULL;                                                                                      \
        for (; *pszFirst; pszFirst++) {                                                                       \
            size_t k = 0;                                                                                     \
            while (pszSearch[k] != 0 && pszFirst[k] == pszSearch[k])                                          \
                k++;                                                                                          \
            if (pszSearch[k] == 0)                                                                            \
                return (CH *)pszFirst;                                                                        \
        }                                                                                                     \
        return NULL;                                                                                          \
    }                                                                                                         \
    /* Whether the file or directory exists (GetFileAttributes succeeds). */                                  \
    static __inline__ BOOL PathFileExists##S(const CH *pszPath)                                               \
    {                                                                                                         \
        return pszPath != NULL && GetFileAttributes##S(pszPath) != INVALID_FILE_ATTRIBUTES;                   \
    }                                                                                                         \
    /* FILE_ATTRIBUTE_DIRECTORY for a directory, else FALSE. */                                               \
    static __inline__ BOOL PathIsDirectory##S(const CH *pszPath)                                              \
    {                                                                                                         \
        DWORD a = pszPath != NULL ? GetFileAttributes##S(pszPath) : INVALID_FILE_ATTRIBUTES;                  \
        return a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_DIRECTORY) ? FILE_ATTRIBUTE_DIRECTORY      \
                                                                              : FALSE;                        \
    }

static __inline__ int iishost_fold_a(char c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : (unsigned char)c;
}
static __inline__ wint_t iishost_fold_w(WCHAR c)
{
    return towlower((wint_t)c);
}

IISHOST_SHLWAPI(A, char, strlen, iishost_fold_a)
IISHOST_SHLWAPI(W, WCHAR, wcslen, iishost_fold_w)
#undef IISHOST_SHLWAPI

#ifdef UNICODE
#define PathFileExists PathFileExistsW
#define PathIsDirectory PathIsDirectoryW
#define PathFindExtension PathFindExtensionW
#define PathFindFileName PathFindFileNameW
#define PathRemoveFileSpec PathRemoveFileSpecW
#define PathAppend PathAppendW
#define PathCombine PathCombineW
#define PathAddBackslash PathAddBackslashW
#define PathRemoveExtension PathRemoveExtensionW
#define PathRenameExtension PathRenameExtensionW
#define PathIsRelative PathIsRelativeW
#define StrCmpI StrCmpIW
#define StrCmpNI StrCmpNIW
#define StrStr StrStrW
#define StrStrI StrStrIW
#else
#define PathFileExists PathFileExistsA
#define PathIsDirectory PathIsDirectoryA
#define PathFindExtension PathFindExtensionA
#define PathFindFileName PathFindFileNameA
#define PathRemoveFileSpec PathRemoveFileSpecA
#define PathAppend PathAppendA
#define PathCombine PathCombineA
#define PathAddBackslash PathAddBackslashA
#define PathRemoveExtension PathRemoveExtensionA
#define PathRenameExtension PathRenameExtensionA
#define PathIsRelative PathIsRelativeA
#define StrCmpI StrCmpIA
#define StrCmpNI StrCmpNIA
#define StrStr StrStrA
#define StrStrI StrStrIA
#endif

#endif /* IISHOST_SHLWAPI_H */
#endif /* _WIN32 */
