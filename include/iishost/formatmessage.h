/*
 * iishost/formatmessage.h - FormatMessageA/W on Linux: message text from a
 * string (FORMAT_MESSAGE_FROM_STRING) or from a built-in table of the Win32
 * error codes (FORMAT_MESSAGE_FROM_SYSTEM), with the %1..%99 inserts and
 * escapes that Windows documents.
 *
 * Supported: %1..%99 with an optional !printf spec! (default !s!; flags,
 * width, precision and '*' for both, the h/l/ll/w/I/I32/I64 size prefixes,
 * conversions s S c C d i u x X o p), %0 (end without a line break), %n
 * (hard line break, "\r\n"), %% and %<other character> (that character, so
 * "%." is "." and "% " a space), %r (a bare carriage return). Arguments come
 * from a va_list or, with FORMAT_MESSAGE_ARGUMENT_ARRAY, a DWORD_PTR array;
 * a '*' width or precision takes the next insert number, as on Windows.
 * FORMAT_MESSAGE_MAX_WIDTH_MASK and widths 1..254 turn the regular line
 * breaks of the text into spaces; widths 1..254 then wrap lines at spaces.
 * FORMAT_MESSAGE_IGNORE_INSERTS copies %1..%99 (with any !spec!) as they
 * are and reads no arguments; the other escapes are still applied.
 *
 * What differs from Windows:
 *  - the system texts are our own short English sentences, the same in every
 *    language: dwLanguageId is accepted and ignored;
 *  - there are no message-table resources, so FORMAT_MESSAGE_FROM_HMODULE
 *    alone fails with ERROR_RESOURCE_TYPE_NOT_FOUND (with FROM_SYSTEM too,
 *    the system table answers);
 *  - floating-point conversions are not supported (Windows does not support
 *    them either) and fail with ERROR_INVALID_PARAMETER;
 *  - an insert in the text with no arguments given (and no
 *    FORMAT_MESSAGE_IGNORE_INSERTS) fails with ERROR_INVALID_PARAMETER
 *    instead of reading garbage;
 *  - in FormatMessageA strings are UTF-8 (see kernel32.h on code pages) and
 *    counts are in bytes.
 * An unknown system code fails with ERROR_MR_MID_NOT_FOUND. HRESULTs of
 * FACILITY_WIN32 (HRESULT_FROM_WIN32) get the text of their Win32 code.
 * System texts end with "\r\n", as Windows' do.
 */
#ifndef IISHOST_FORMATMESSAGE_H
#define IISHOST_FORMATMESSAGE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "wintypes.h"
#include "winerror.h"
#include "kernel32.h"

#define FORMAT_MESSAGE_ALLOCATE_BUFFER 0x00000100
#define FORMAT_MESSAGE_IGNORE_INSERTS 0x00000200
#define FORMAT_MESSAGE_FROM_STRING 0x00000400
#define FORMAT_MESSAGE_FROM_HMODULE 0x00000800
#define FORMAT_MESSAGE_FROM_SYSTEM 0x00001000
#define FORMAT_MESSAGE_ARGUMENT_ARRAY 0x00002000
#define FORMAT_MESSAGE_MAX_WIDTH_MASK 0x000000FF

/* Language ids (winnt.h), for callers that pass MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT). */
#ifndef MAKELANGID
#define MAKELANGID(p, s) ((((WORD)(s)) << 10) | (WORD)(p))
#define PRIMARYLANGID(lgid) ((WORD)(lgid) & 0x3ff)
#define SUBLANGID(lgid) ((WORD)(lgid) >> 10)
#endif
#ifndef LANG_NEUTRAL
#define LANG_NEUTRAL 0x00
#define LANG_INVARIANT 0x7f
#define LANG_ENGLISH 0x09
#define SUBLANG_NEUTRAL 0x00
#define SUBLANG_DEFAULT 0x01
#define SUBLANG_SYS_DEFAULT 0x02
#define SUBLANG_ENGLISH_US 0x01
#endif


/* ---- the system message table ---------------------------------------------- */

typedef struct iishost_message {
    DWORD code;
    const char *text;
} iishost_message;

/* Our own wording, one sentence each; "\r\n" is added when formatted. */
static __inline__ const char *iishost_system_message(DWORD code)
{
    static const iishost_message table[] = {
        {ERROR_SUCCESS, "The operation succeeded."},
        {ERROR_INVALID_FUNCTION, "The function is not valid here."},
        {ERROR_FILE_NOT_FOUND, "The file was not found."},
        {ERROR_PATH_NOT_FOUND, "The path was not found."},
        {ERROR_TOO_MANY_OPEN_FILES, "Too many files are open."},
        {ERROR_ACCESS_DENIED, "Access is denied."},
        {ERROR_INVALID_HANDLE, "The handle is not valid."},
        {ERROR_NOT_ENOUGH_MEMORY, "There is not enough memory to complete the operation."},
        {ERROR_BAD_FORMAT, "The data has a bad format."},
        {ERROR_INVALID_ACCESS, "The access code is not valid."},
        {ERROR_INVALID_DATA, "The data is not valid."},
        {ERROR_OUTOFMEMORY, "There is not enough storage to complete the operation."},
        {ERROR_INVALID_DRIVE, "The drive was not found."},
        {ERROR_CURRENT_DIRECTORY, "The current directory cannot be removed."},
        {ERROR_NOT_SAME_DEVICE, "The file cannot be moved to a different device."},
        {ERROR_NO_MORE_FILES, "There are no more files."},
        {ERROR_WRITE_PROTECT, "The medium is write-protected."},
        {ERROR_NOT_READY, "The device is not ready."},
        {ERROR_BAD_LENGTH, "The length is not valid."},
        {ERROR_WRITE_FAULT, "The device could not be written."},
        {ERROR_READ_FAULT, "The device could not be read."},
        {ERROR_GEN_FAILURE, "A device attached to the system is not working."},
        {ERROR_SHARING_VIOLATION, "The file is in use by another process."},
        {ERROR_LOCK_VIOLATION, "Part of the file is locked by another process."},
        {ERROR_HANDLE_EOF, "The end of the file was reached."},
        {ERROR_HANDLE_DISK_FULL, "The disk is full."},
        {ERROR_NOT_SUPPORTED, "The request is not supported."},
        {ERROR_BAD_NETPATH, "The network path was not found."},
        {ERROR_UNEXP_NET_ERR, "An unexpected network error occurred."},
        {ERROR_NETNAME_DELETED, "The network name is no longer available."},
        {ERROR_FILE_EXISTS, "The file already exists."},
        {ERROR_CANNOT_MAKE, "The directory or file cannot be created."},
        {ERROR_ALREADY_ASSIGNED, "The local device name is already in use."},
        {ERROR_INVALID_PARAMETER, "A parameter is not valid."},
        {ERROR_BROKEN_PIPE, "The pipe was closed."},
        {ERROR_BUFFER_OVERFLOW, "The file name is too long."},
        {ERROR_DISK_FULL, "There is not enough space on the disk."},
        {ERROR_CALL_NOT_IMPLEMENTED, "This function is not supported on this system."},
        {ERROR_SEM_TIMEOUT, "The semaphore timeout period expired."},
        {ERROR_INSUFFICIENT_BUFFER, "The data area passed to a system call is too small."},
        {ERROR_INVALID_NAME, "The file name, directory name or volume label syntax is not valid."},
        {ERROR_INVALID_LEVEL, "The system call level is not valid."},
        {ERROR_MOD_NOT_FOUND, "The module was not found."},
        {ERROR_PROC_NOT_FOUND, "The procedure was not found."},
        {ERROR_DIR_NOT_EMPTY, "The directory is not empty."},
        {ERROR_BAD_PATHNAME, "The path is not valid."},
        {ERROR_BUSY, "The resource is in use."},
        {ERROR_ALREADY_EXISTS, "The file cannot be created because it already exists."},
        {ERROR_ENVVAR_NOT_FOUND, "The environment variable was not found."},
        {ERROR_FILENAME_EXCED_RANGE, "The file name or extension is too long."},
        {ERROR_FILE_TOO_LARGE, "The file is too large for this operation."},
        {ERROR_PIPE_BUSY, "All pipe instances are busy."},
        {ERROR_NO_DATA, "The pipe is being closed."},
        {ERROR_PIPE_NOT_CONNECTED, "No process is on the other end of the pipe."},
        {ERROR_MORE_DATA, "More data is available."},
        {WAIT_TIMEOUT, "The wait timed out."},
        {ERROR_NO_MORE_ITEMS, "There are no more items."},
        {ERROR_DIRECTORY, "The directory name is not valid."},
        {ERROR_NOT_OWNER, "The caller does not own the object it tried to release."},
        {ERROR_TOO_MANY_POSTS, "Too many posts were made to a semaphore."},
        {ERROR_PARTIAL_COPY, "Only part of a memory read or write request was completed."},
        {ERROR_MR_MID_NOT_FOUND, "There is no message text for this message number."},
        {ERROR_INVALID_ADDRESS, "The address is not valid."},
        {ERROR_ARITHMETIC_OVERFLOW, "The arithmetic result overflowed."},
        {ERROR_OPERATION_ABORTED, "The I/O operation was aborted."},
        {ERROR_IO_INCOMPLETE, "The overlapped I/O event is not signaled."},
        {ERROR_IO_PENDING, "The overlapped I/O operation is in progress."},
        {ERROR_NOACCESS, "The memory location is not accessible."},
        {ERROR_STACK_OVERFLOW, "The stack overflowed."},
        {ERROR_CAN_NOT_COMPLETE, "The operation cannot be completed."},
        {ERROR_INVALID_FLAGS, "The flags are not valid."},
        {ERROR_SERVICE_NOT_ACTIVE, "The service has not been started."},
        {ERROR_NO_UNICODE_TRANSLATION, "No mapping for the Unicode character exists in the target code page."},
        {ERROR_DLL_INIT_FAILED, "A library failed to initialize."},
        {ERROR_NOT_FOUND, "The element was not found."},
        {ERROR_NO_MATCH, "There was no match for the specified key."},
        {ERROR_CANCELLED, "The operation was cancelled by the user."},
        {ERROR_CONNECTION_REFUSED, "The remote computer refused the connection."},
        {ERROR_GRACEFUL_DISCONNECT, "The connection was closed gracefully."},
        {ERROR_NETWORK_UNREACHABLE, "The network cannot be reached."},
        {ERROR_HOST_UNREACHABLE, "The host cannot be reached."},
        {ERROR_PORT_UNREACHABLE, "The port cannot be reached."},
        {ERROR_REQUEST_ABORTED, "The request was aborted."},
        {ERROR_CONNECTION_ABORTED, "The connection was aborted by the local system."},
        {ERROR_RETRY, "The operation could not be completed; try again."},
        {ERROR_PRIVILEGE_NOT_HELD, "The client does not hold a required privilege."},
        {ERROR_LOGON_FAILURE, "The user name or password is incorrect."},
        {ERROR_NONE_MAPPED, "No mapping between account names and security IDs was done."},
        {ERROR_INTERNAL_ERROR, "An internal error occurred."},
        {ERROR_INVALID_INDEX, "The index is not valid."},
        {ERROR_NO_SYSTEM_RESOURCES, "There are not enough system resources to complete the request."},
        {ERROR_TIMEOUT, "The operation timed out."},
        {ERROR_BAD_CONFIGURATION, "The configuration data is not valid."},
        {ERROR_INVALID_USER_BUFFER, "The supplied user buffer is not valid."},
        {ERROR_INVALID_DATATYPE, "The data type is not valid."},
        {ERROR_RESOURCE_DATA_NOT_FOUND, "The resource data was not found."},
        {ERROR_RESOURCE_TYPE_NOT_FOUND, "The resource type was not found."},
        {ERROR_RESOURCE_NAME_NOT_FOUND, "The resource name was not found."},
        {ERROR_NOT_ENOUGH_QUOTA, "There is not enough quota to complete the command."},
        {ERROR_OBJECT_NOT_FOUND, "The object was not found."},
        {ERROR_INVALID_OPERATION, "The operation is not valid."},
        {ERROR_OBJECT_ALREADY_EXISTS, "The object already exists."},
        {ERROR_INVALID_STATE, "The group or resource is not in the correct state."},
        /* Common HRESULTs that are not FACILITY_WIN32. */
        {(DWORD)E_UNEXPECTED, "A catastrophic failure occurred."},
        {(DWORD)E_NOTIMPL, "Not implemented."},
        {(DWORD)E_NOINTERFACE, "No such interface is supported."},
        {(DWORD)E_POINTER, "A pointer is not valid."},
        {(DWORD)E_ABORT, "The operation was aborted."},
        {(DWORD)E_FAIL, "An unspecified error occurred."},
        {(DWORD)E_PENDING, "The data needed to complete the operation is not yet available."},
        {(DWORD)E_BOUNDS, "The operation was attempted beyond the bounds of the object."},
    };
    size_t i;
    /* HRESULT_FROM_WIN32(x) names the same failure as x. */
    if ((code & 0xFFFF0000u) == 0x80070000u)
        code &= 0xFFFFu;
    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (table[i].code == code)
            return table[i].text;
    return NULL;
}

/* ---- a growable wide buffer --------------------------------------------------- */

typedef struct iishost_wbuf {
    WCHAR *p;
    size_t len, cap;
    int oom;
} iishost_wbuf;

static __inline__ void iishost_wbuf_putn(iishost_wbuf *b, const WCHAR *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        WCHAR *grown;
        while (cap < b->len + n + 1)
            cap *= 2;
        grown = (WCHAR *)realloc(b->p, cap * sizeof(WCHAR));
        if (grown == NULL) {
            b->oom = 1;
            return;
        }
        b->p = grown;
        b->cap = cap;
    }
    if (n > 0)
        memcpy(b->p + b->len, s, n * sizeof(WCHAR));
    b->len += n;
    b->p[b->len] = 0;
}
static __inline__ void iishost_wbuf_put(iishost_wbuf *b, WCHAR c)
{
    iishost_wbuf_putn(b, &c, 1);
}
static __inline__ void iishost_wbuf_put_ascii(iishost_wbuf *b, const char *s)
{
    for (; *s; s++)
        iishost_wbuf_put(b, (WCHAR)(unsigned char)*s);
}

/* A malloc'd wide copy of UTF-8 text (n bytes, or NUL-terminated when n is -1), or NULL. */
static __inline__ WCHAR *iishost_widen(const char *s, int n)
{
    int len;
    WCHAR *w;
    if (n == 0 || (n < 0 && *s == 0)) {
        w = (WCHAR *)calloc(1, sizeof(WCHAR));
        return w;
    }
    len = MultiByteToWideChar(CP_UTF8, 0, s, n, NULL, 0);
    if (len <= 0)
        return NULL;
    w = (WCHAR *)malloc(((size_t)len + 1) * sizeof(WCHAR));
    if (w == NULL)
        return NULL;
    MultiByteToWideChar(CP_UTF8, 0, s, n, w, len);
    w[len] = 0;
    return w;
}

/* ---- inserts ---------------------------------------------------------------------- */

/* Kinds of argument an insert reads. */
#define IISHOST_ARG_PTR 0 /* unreferenced slots and pointers */
#define IISHOST_ARG_INT 1
#define IISHOST_ARG_INT64 2
#define IISHOST_ARG_NARROW 3
#define IISHOST_ARG_WIDE 4

/* A parsed !spec!: flags, width/precision (-1 absent, -2 from an argument), size and conversion. */
typedef struct iishost_fmt_spec {
    char flags[8];
    int width, precision;
    int size; /* 0 default, 'h', 'l' (32-bit), 'L' (64-bit), 'w' (wide) */
    WCHAR conv;
} iishost_fmt_spec;

/* Parses spec text [s, e); returns 0 when it is not a supported spec. */
static __inline__ int iishost_fmt_parse(const WCHAR *s, const WCHAR *e, iishost_fmt_spec *sp)
{
    size_t nf = 0;
    memset(sp, 0, sizeof(*sp));
    sp->width = sp->precision = -1;
    while (s < e && (*s == '-' || *s == '+' || *s == ' ' || *s == '#' || *s == '0') && nf < sizeof(sp->flags) - 2)
        sp->flags[nf++] = (char)*s++;
    if (s < e && *s == '*') {
        sp->width = -2;
        s++;
    } else if (s < e && *s >= '0' && *s <= '9') {
        sp->width = 0;
        while (s < e && *s >= '0' && *s <= '9' && sp->width < 100000)
            sp->width = sp->width * 10 + (int)(*s++ - '0');
    }
    if (s < e && *s == '.') {
        s++;
        sp->precision = 0;
        if (s < e && *s == '*') {
            sp->precision = -2;
            s++;
        } else {
            while (s < e && *s >= '0' && *s <= '9' && sp->precision < 100000)
                sp->precision = sp->precision * 10 + (int)(*s++ - '0');
        }
    }
    if (s < e && *s == 'h') {
        sp->size = 'h';
        s++;
    } else if (s + 1 < e && s[0] == 'l' && s[1] == 'l') {
        sp->size = 'L';
        s += 2;
    } else if (s < e && *s == 'l') {
        sp->size = 'l';
        s++;
    } else if (s < e && *s == 'w') {
        sp->size = 'w';
        s++;
    } else if (s + 2 < e && s[0] == 'I' && s[1] == '6' && s[2] == '4') {
        sp->size = 'L';
        s += 3;
    } else if (s + 2 < e && s[0] == 'I' && s[1] == '3' && s[2] == '2') {
        sp->size = 'l';
        s += 3;
    } else if (s < e && (*s == 'I' || *s == 'z' || *s == 'j' || *s == 't')) {
        sp->size = 'L'; /* pointer-sized: 64-bit here */
        s++;
    }
    if (s + 1 != e)
        return 0;
    sp->conv = *s;
    switch (sp->conv) {
    case 's': case 'S': case 'c': case 'C': case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': case 'p':
        return 1;
    default:
        return 0;
    }
}

/* The argument kind of a conversion; `wide` tells FormatMessageW (where plain s is wide). */
static __inline__ int iishost_fmt_kind(const iishost_fmt_spec *sp, int wide)
{
    switch (sp->conv) {
    case 's':
    case 'S': {
        int w = sp->conv == 'S' ? !wide : wide;
        if (sp->size == 'h')
            w = 0;
        else if (sp->size == 'l' || sp->size == 'w')
            w = 1;
        return w ? IISHOST_ARG_WIDE : IISHOST_ARG_NARROW;
    }
    case 'p':
        return IISHOST_ARG_PTR;
    default:
        return sp->size == 'L' ? IISHOST_ARG_INT64 : IISHOST_ARG_INT;
    }
}

/* Appends one formatted insert (an integer or character conversion) to b. */
static __inline__ void iishost_fmt_number(iishost_wbuf *b, const iishost_fmt_spec *sp, int width, int precision,
                                          ULONG64 v)
{
    char fmt[48], out[160];
    char conv = sp->conv == 'i' ? 'd' : (char)sp->conv;
    if (conv == 'c' || conv == 'C') {
        /* One character (c and C alike: the value is a code point either way). */
        int pad = width > 1 ? width - 1 : 0, left = strchr(sp->flags, '-') != NULL;
        if (!left)
            while (pad-- > 0)
                iishost_wbuf_put(b, ' ');
        iishost_wbuf_put(b, (WCHAR)(DWORD)v);
        if (left)
            while (pad-- > 0)
                iishost_wbuf_put(b, ' ');
        return;
    }
    if (width < 0)
        width = 0;
    if (conv == 'p') {
        snprintf(out, sizeof(out), "%016llX", (unsigned long long)v); /* as Windows prints pointers */
    } else if (conv == 'd') {
        long long sv = sp->size == 'L' ? (long long)v : sp->size == 'h' ? (long long)(short)v : (long long)(int)(DWORD)v;
        snprintf(fmt, sizeof(fmt), precision < 0 ? "%%%s*lld" : "%%%s*.*lld", sp->flags);
        if (precision < 0)
            snprintf(out, sizeof(out), fmt, width, sv);
        else
            snprintf(out, sizeof(out), fmt, width, precision, sv);
    } else {
        unsigned long long uv = sp->size == 'L' ? v : sp->size == 'h' ? (unsigned long long)(WORD)v : (unsigned long long)(DWORD)v;
        snprintf(fmt, sizeof(fmt), precision < 0 ? "%%%s*ll%c" : "%%%s*.*ll%c", sp->flags, conv);
        if (precision < 0)
            snprintf(out, sizeof(out), fmt, width, uv);
        else
            snprintf(out, sizeof(out), fmt, width, precision, uv);
    }
    iishost_wbuf_put_ascii(b, out);
}

/* Appends a string insert, honouring precision (at most that many characters) and width. */
static __inline__ int iishost_fmt_string(iishost_wbuf *b, const iishost_fmt_spec *sp, int width, int precision,
                                         ULONG64 v, int kind)
{
    const WCHAR *s;
    WCHAR *owned = NULL;
    size_t n;
    int pad, left = strchr(sp->flags, '-') != NULL;
    static const WCHAR nullText[] = {'(', 'n', 'u', 'l', 'l', ')', 0};
    if (v == 0) {
        s = nullText;
    } else if (kind == IISHOST_ARG_NARROW) {
        owned = iishost_widen((const char *)(uintptr_t)v, -1);
        if (owned == NULL)
            return 0;
        s = owned;
    } else {
        s = (const WCHAR *)(uintptr_t)v;
    }
    n = wcslen(s);
    if (precision >= 0 && (size_t)precision < n)
        n = (size_t)precision;
    pad = width > (int)n ? width - (int)n : 0;
    if (!left)
        while (pad-- > 0)
            iishost_wbuf_put(b, ' ');
    iishost_wbuf_putn(b, s, n);
    if (left)
        while (pad-- > 0)
            iishost_wbuf_put(b, ' ');
    free(owned);
    return 1;
}

/*
 * One pass over the message. With kinds != NULL it only records, per insert
 * number, the kind of argument read (and returns the highest number used);
 * otherwise it appends the formatted text to out, reading slots[1..99].
 * Returns -1 with *err set on a bad message.
 */
static __inline__ int iishost_fmt_pass(const WCHAR *msg, DWORD flags, int wide, unsigned char *kinds,
                                       const ULONG64 *slots, iishost_wbuf *out, DWORD *err)
{
    const WCHAR *p = msg;
    int maxSlot = 0;
    int joinLines = (flags & FORMAT_MESSAGE_MAX_WIDTH_MASK) != 0;
    while (*p) {
        WCHAR c = *p;
        if (c == '\r' || c == '\n') {
            /* A regular line break: kept, or one space when a width is given. */
            const WCHAR *start = p;
            p += (c == '\r' && p[1] == '\n') ? 2 : 1;
            if (kinds == NULL) {
                if (joinLines)
                    iishost_wbuf_put(out, ' ');
                else
                    iishost_wbuf_putn(out, start, (size_t)(p - start));
            }
            continue;
        }
        if (c != '%') {
            if (kinds == NULL)
                iishost_wbuf_put(out, c);
            p++;
            continue;
        }
        c = *++p;
        if (c == 0) {
            break; /* a lone % at the end is dropped */
        } else if (c == '0') {
            return maxSlot; /* %0: the message ends here, with no line break */
        } else if (c >= '1' && c <= '9') {
            const WCHAR *start = p - 1, *specStart = NULL, *specEnd = NULL;
            int n = (int)(c - '0');
            iishost_fmt_spec sp;
            int slot, kind;
            p++;
            if (*p >= '0' && *p <= '9')
                n = n * 10 + (int)(*p++ - '0');
            if (*p == '!') {
                specStart = p + 1;
                specEnd = specStart;
                while (*specEnd && *specEnd != '!')
                    specEnd++;
                if (*specEnd != '!') {
                    *err = ERROR_INVALID_PARAMETER;
                    return -1;
                }
                p = specEnd + 1;
            }
            if (flags & FORMAT_MESSAGE_IGNORE_INSERTS) {
                if (kinds == NULL)
                    iishost_wbuf_putn(out, start, (size_t)(p - start));
                continue;
            }
            if (specStart != NULL) {
                if (!iishost_fmt_parse(specStart, specEnd, &sp)) {
                    *err = ERROR_INVALID_PARAMETER;
                    return -1;
                }
            } else {
                static const WCHAR dflt[] = {'s'};
                iishost_fmt_parse(dflt, dflt + 1, &sp);
            }
            slot = n;
            kind = iishost_fmt_kind(&sp, wide);
            if (kinds != NULL) {
                int last = n + (sp.width == -2) + (sp.precision == -2);
                if (last > 99) {
                    *err = ERROR_INVALID_PARAMETER;
                    return -1;
                }
                if (sp.width == -2)
                    kinds[slot++] = IISHOST_ARG_INT;
                if (sp.precision == -2)
                    kinds[slot++] = IISHOST_ARG_INT;
                kinds[slot] = (unsigned char)kind;
                if (last > maxSlot)
                    maxSlot = last;
            } else {
                int width = sp.width, precision = sp.precision;
                if (width == -2) {
                    width = (int)(DWORD)slots[slot++];
                    if (width < 0) {
                        width = -width;
                        strcat(sp.flags, "-");
                    }
                }
                if (precision == -2)
                    precision = (int)(DWORD)slots[slot++];
                if (kind == IISHOST_ARG_NARROW || kind == IISHOST_ARG_WIDE) {
                    if (!iishost_fmt_string(out, &sp, width, precision, slots[slot], kind)) {
                        *err = ERROR_NO_UNICODE_TRANSLATION;
                        return -1;
                    }
                } else {
                    iishost_fmt_number(out, &sp, width, precision, slots[slot]);
                }
            }
            continue;
        } else if (c == 'n') {
            if (kinds == NULL)
                iishost_wbuf_put_ascii(out, "\r\n");
        } else if (c == 'r') {
            if (kinds == NULL)
                iishost_wbuf_put(out, '\r');
        } else if (kinds == NULL) {
            iishost_wbuf_put(out, c); /* %%, %., %!, "% " and any other character */
        }
        p++;
    }
    return maxSlot;
}

/* Wraps text at spaces so no line is longer than width (a word longer than width stays whole). */
static __inline__ void iishost_fmt_wrap(iishost_wbuf *b, size_t width)
{
    iishost_wbuf out = {NULL, 0, 0, 0};
    size_t i = 0, col = 0;
    while (i < b->len) {
        size_t w = i, spaces;
        if (b->p[i] == '\r' && i + 1 < b->len && b->p[i + 1] == '\n') {
            iishost_wbuf_put_ascii(&out, "\r\n");
            col = 0;
            i += 2;
            continue;
        }
        while (w < b->len && b->p[w] == ' ')
            w++;
        spaces = w - i;
        i = w;
        while (w < b->len && b->p[w] != ' ' && b->p[w] != '\r')
            w++;
        if (w > i && col > 0 && col + spaces + (w - i) > width) {
            iishost_wbuf_put_ascii(&out, "\r\n");
            col = 0;
        } else {
            while (spaces-- > 0) {
                iishost_wbuf_put(&out, ' ');
                col++;
            }
        }
        iishost_wbuf_putn(&out, b->p + i, w - i);
        col += w - i;
        i = w;
    }
    if (out.oom) {
        b->oom = 1;
        free(out.p);
        return;
    }
    free(b->p);
    *b = out;
}

/*
 * The shared body of FormatMessageA/W: formats into *result (wide, malloc'd) and returns 1, or
 * returns 0 with the last error set. narrowArgs tells FormatMessageA (source text and plain %s
 * arguments are UTF-8).
 */
static __inline__ int iishost_format_message(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, int wide,
                                             va_list *Arguments, iishost_wbuf *result)
{
    WCHAR *msg = NULL;
    unsigned char kinds[100];
    ULONG64 slots[100];
    DWORD err = ERROR_SUCCESS;
    int maxSlot, i;
    DWORD source = dwFlags & (FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_FROM_HMODULE);
    memset(result, 0, sizeof(*result));
    if ((source & FORMAT_MESSAGE_FROM_STRING) && source != FORMAT_MESSAGE_FROM_STRING) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (source == FORMAT_MESSAGE_FROM_STRING) {
        if (lpSource == NULL) {
            SetLastError(ERROR_INVALID_PARAMETER);
            return 0;
        }
        if (wide) {
            size_t n = wcslen((const WCHAR *)lpSource) + 1;
            msg = (WCHAR *)malloc(n * sizeof(WCHAR));
            if (msg != NULL)
                memcpy(msg, lpSource, n * sizeof(WCHAR));
        } else {
            msg = iishost_widen((const char *)lpSource, -1);
            if (msg == NULL) {
                SetLastError(ERROR_NO_UNICODE_TRANSLATION);
                return 0;
            }
        }
    } else if (source & FORMAT_MESSAGE_FROM_SYSTEM) {
        const char *text = iishost_system_message(dwMessageId);
        size_t n;
        if (text == NULL) {
            SetLastError(ERROR_MR_MID_NOT_FOUND);
            return 0;
        }
        n = strlen(text);
        msg = (WCHAR *)malloc((n + 3) * sizeof(WCHAR));
        if (msg != NULL) {
            for (i = 0; i < (int)n; i++)
                msg[i] = (WCHAR)(unsigned char)text[i];
            msg[n] = '\r';
            msg[n + 1] = '\n';
            msg[n + 2] = 0;
        }
    } else if (source & FORMAT_MESSAGE_FROM_HMODULE) {
        SetLastError(ERROR_RESOURCE_TYPE_NOT_FOUND); /* no message-table resources here */
        return 0;
    } else {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (msg == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    memset(kinds, IISHOST_ARG_PTR, sizeof(kinds));
    memset(slots, 0, sizeof(slots));
    maxSlot = iishost_fmt_pass(msg, dwFlags, wide, kinds, NULL, NULL, &err);
    if (maxSlot > 0 && Arguments == NULL)
        err = ERROR_INVALID_PARAMETER;
    if (maxSlot < 0 || err != ERROR_SUCCESS) {
        free(msg);
        SetLastError(err);
        return 0;
    }
    if (maxSlot > 0 && (dwFlags & FORMAT_MESSAGE_ARGUMENT_ARRAY)) {
        const DWORD_PTR *array = (const DWORD_PTR *)(void *)Arguments;
        for (i = 1; i <= maxSlot; i++)
            slots[i] = array[i - 1];
    } else {
        /* A va_list is read in insert-number order, each argument by the type its insert gives. */
        for (i = 1; i <= maxSlot; i++) {
            switch (kinds[i]) {
            case IISHOST_ARG_INT: slots[i] = (DWORD)va_arg(*Arguments, int); break;
            case IISHOST_ARG_INT64: slots[i] = (ULONG64)va_arg(*Arguments, long long); break;
            default: slots[i] = (ULONG64)(uintptr_t)va_arg(*Arguments, void *); break;
            }
        }
    }
    iishost_fmt_pass(msg, dwFlags, wide, NULL, slots, result, &err);
    free(msg);
    if (err == ERROR_SUCCESS && !result->oom) {
        DWORD width = dwFlags & FORMAT_MESSAGE_MAX_WIDTH_MASK;
        if (width != 0 && width != FORMAT_MESSAGE_MAX_WIDTH_MASK)
            iishost_fmt_wrap(result, width);
        if (result->p == NULL)
            iishost_wbuf_putn(result, NULL, 0);
    }
    if (result->oom)
        err = ERROR_NOT_ENOUGH_MEMORY;
    if (err != ERROR_SUCCESS) {
        free(result->p);
        memset(result, 0, sizeof(*result));
        SetLastError(err);
        return 0;
    }
    return 1;
}

/* Stores text of len units (+ terminator) as FormatMessage documents: into the caller's buffer of
 * nSize units, or a LocalAlloc'd one of at least nSize units for FORMAT_MESSAGE_ALLOCATE_BUFFER. */
static __inline__ DWORD iishost_fmt_store(DWORD dwFlags, void *lpBuffer, DWORD nSize, const void *text, size_t len,
                                          size_t unit)
{
    void *dest;
    if (len > 0xFFFFFFFEu) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    if (dwFlags & FORMAT_MESSAGE_ALLOCATE_BUFFER) {
        size_t units = len + 1 > nSize ? len + 1 : nSize;
        /* Windows refuses to allocate for a message of more than 128K bytes (counted as UTF-16
         * for the W form). */
        if (len * (unit == 1 ? 1 : 2) > 128 * 1024) {
            SetLastError(ERROR_MORE_DATA);
            return 0;
        }
        dest = LocalAlloc(LMEM_FIXED, units * unit);
        if (dest == NULL) {
            SetLastError(ERROR_NOT_ENOUGH_MEMORY);
            return 0;
        }
        *(void **)lpBuffer = dest;
    } else {
        if (len + 1 > nSize) {
            SetLastError(ERROR_INSUFFICIENT_BUFFER);
            return 0;
        }
        dest = lpBuffer;
    }
    memcpy(dest, text, len * unit);
    memset((char *)dest + len * unit, 0, unit);
    return (DWORD)len;
}

/*
 * Returns the number of characters stored, not counting the terminator, or 0 with the last
 * error set. With FORMAT_MESSAGE_ALLOCATE_BUFFER lpBuffer is really an LPWSTR* that receives a
 * block to free with LocalFree (set to NULL on failure).
 */
static __inline__ DWORD FormatMessageW(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId,
                                       LPWSTR lpBuffer, DWORD nSize, va_list *Arguments)
{
    iishost_wbuf text;
    DWORD n;
    (void)dwLanguageId;
    if (lpBuffer == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (dwFlags & FORMAT_MESSAGE_ALLOCATE_BUFFER)
        *(LPWSTR *)(void *)lpBuffer = NULL;
    if (!iishost_format_message(dwFlags, lpSource, dwMessageId, 1, Arguments, &text))
        return 0;
    n = iishost_fmt_store(dwFlags, lpBuffer, nSize, text.p, text.len, sizeof(WCHAR));
    free(text.p);
    return n;
}

/* As FormatMessageW, in UTF-8: counts are bytes, and plain %s inserts read UTF-8 strings. */
static __inline__ DWORD FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId,
                                       LPSTR lpBuffer, DWORD nSize, va_list *Arguments)
{
    iishost_wbuf text;
    char *utf8;
    int len = 0;
    DWORD n;
    (void)dwLanguageId;
    if (lpBuffer == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (dwFlags & FORMAT_MESSAGE_ALLOCATE_BUFFER)
        *(LPSTR *)(void *)lpBuffer = NULL;
    if (!iishost_format_message(dwFlags, lpSource, dwMessageId, 0, Arguments, &text))
        return 0;
    if (text.len > 0)
        len = WideCharToMultiByte(CP_UTF8, 0, text.p, (int)text.len, NULL, 0, NULL, NULL);
    utf8 = (char *)malloc((size_t)len + 1);
    if (utf8 == NULL || (text.len > 0 && len <= 0)) {
        free(utf8);
        free(text.p);
        SetLastError(len <= 0 && text.len > 0 ? ERROR_NO_UNICODE_TRANSLATION : ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    if (len > 0)
        WideCharToMultiByte(CP_UTF8, 0, text.p, (int)text.len, utf8, len, NULL, NULL);
    free(text.p);
    n = iishost_fmt_store(dwFlags, lpBuffer, nSize, utf8, (size_t)len, 1);
    free(utf8);
    return n;
}

#ifdef UNICODE
#define FormatMessage FormatMessageW
#else
#define FormatMessage FormatMessageA
#endif

#endif /* IISHOST_FORMATMESSAGE_H */
