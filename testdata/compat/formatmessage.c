/*
 * formatmessage.c - FormatMessageA/W (iishost/formatmessage.h) as modules
 * use it, in strict ISO C: system texts of Win32 codes and of their
 * HRESULTs, unknown codes, inserts from a va_list and from an argument
 * array, printf specs, escapes, widths, allocated buffers and the failures.
 */
#include <windows.h>

#include <stdarg.h>
#include <stdint.h>

#include "check.h"

/* The way modules wrap FormatMessage with their own variadic logger. */
static DWORD formatA(char *buf, DWORD size, const char *fmt, ...)
{
    va_list ap;
    DWORD n;
    va_start(ap, fmt);
    n = FormatMessageA(FORMAT_MESSAGE_FROM_STRING, fmt, 0, 0, buf, size, &ap);
    va_end(ap);
    return n;
}

static DWORD formatW(WCHAR *buf, DWORD size, const WCHAR *fmt, ...)
{
    va_list ap;
    DWORD n;
    va_start(ap, fmt);
    n = FormatMessageW(FORMAT_MESSAGE_FROM_STRING, fmt, 0, 0, buf, size, &ap);
    va_end(ap);
    return n;
}

static void test_system(void)
{
    char buf[256];
    WCHAR wbuf[256];
    LPSTR alloc = NULL;
    LPWSTR walloc = NULL;
    DWORD n;

    n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, ERROR_FILE_NOT_FOUND,
                       MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), buf, sizeof(buf), NULL);
    CHECK_STR(buf, "The file was not found.\r\n");
    CHECK_EQ(n, strlen("The file was not found.\r\n"));

    /* An HRESULT of FACILITY_WIN32 reads as its Win32 code. */
    n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM, NULL, (DWORD)HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED), 0, wbuf, 256,
                       NULL);
    CHECK_WSTR(wbuf, L"Access is denied.\r\n");
    CHECK_EQ(n, 19);
    n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM, NULL, (DWORD)E_INVALIDARG, 0, wbuf, 256, NULL);
    CHECK_WSTR(wbuf, L"A parameter is not valid.\r\n");
    n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM, NULL, (DWORD)E_NOTIMPL, 0, wbuf, 256, NULL);
    CHECK_WSTR(wbuf, L"Not implemented.\r\n");
    CHECK_EQ(n, 18);

    /* Every common code has a text. */
    {
        static const DWORD codes[] = {ERROR_SUCCESS, ERROR_INVALID_FUNCTION, ERROR_PATH_NOT_FOUND,
                                      ERROR_TOO_MANY_OPEN_FILES, ERROR_INVALID_HANDLE, ERROR_NOT_ENOUGH_MEMORY,
                                      ERROR_INVALID_DATA, ERROR_OUTOFMEMORY, ERROR_NO_MORE_FILES,
                                      ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION, ERROR_HANDLE_EOF,
                                      ERROR_NOT_SUPPORTED, ERROR_FILE_EXISTS, ERROR_INVALID_PARAMETER,
                                      ERROR_BROKEN_PIPE, ERROR_DISK_FULL, ERROR_CALL_NOT_IMPLEMENTED,
                                      ERROR_INSUFFICIENT_BUFFER, ERROR_INVALID_NAME, ERROR_MOD_NOT_FOUND,
                                      ERROR_PROC_NOT_FOUND, ERROR_DIR_NOT_EMPTY, ERROR_BUSY, ERROR_ALREADY_EXISTS,
                                      ERROR_ENVVAR_NOT_FOUND, ERROR_FILENAME_EXCED_RANGE, ERROR_MORE_DATA,
                                      WAIT_TIMEOUT, ERROR_NO_MORE_ITEMS, ERROR_DIRECTORY, ERROR_MR_MID_NOT_FOUND,
                                      ERROR_ARITHMETIC_OVERFLOW, ERROR_OPERATION_ABORTED, ERROR_IO_PENDING,
                                      ERROR_NOACCESS, ERROR_INVALID_FLAGS, ERROR_NO_UNICODE_TRANSLATION,
                                      ERROR_NOT_FOUND, ERROR_CANCELLED, ERROR_CONNECTION_REFUSED,
                                      ERROR_CONNECTION_ABORTED, ERROR_LOGON_FAILURE, ERROR_INTERNAL_ERROR,
                                      ERROR_TIMEOUT, ERROR_BAD_CONFIGURATION, ERROR_INVALID_STATE,
                                      ERROR_NOT_SAME_DEVICE};
        size_t i;
        for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
            n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, codes[i], 0, buf,
                               sizeof(buf), NULL);
            if (n < 4 || buf[n - 2] != '\r' || buf[n - 1] != '\n') {
                printf("FAIL code %lu: n=%lu\n", (unsigned long)codes[i], (unsigned long)n);
                check_failures++;
            }
        }
    }

    /* An unknown code fails with ERROR_MR_MID_NOT_FOUND and leaves the buffer alone. */
    strcpy(buf, "untouched");
    SetLastError(0);
    CHECK_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, NULL, 0x12345, 0, buf, sizeof(buf), NULL), 0);
    CHECK_EQ(GetLastError(), ERROR_MR_MID_NOT_FOUND);
    CHECK_STR(buf, "untouched");
    CHECK_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, NULL, (DWORD)HRESULT_FROM_WIN32(0x4321), 0, buf, sizeof(buf),
                            NULL),
             0);
    CHECK_EQ(GetLastError(), ERROR_MR_MID_NOT_FOUND);
    /* No message tables in modules; with FROM_SYSTEM as well, the system table answers. */
    CHECK_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_HMODULE, NULL, 1, 0, buf, sizeof(buf), NULL), 0);
    CHECK_EQ(GetLastError(), ERROR_RESOURCE_TYPE_NOT_FOUND);
    CHECK_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_FROM_SYSTEM, NULL, ERROR_BUSY, 0, buf,
                            sizeof(buf), NULL),
             strlen("The resource is in use.\r\n"));

    /* The buffer must hold the text and its terminator; the count excludes it. */
    n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, NULL, ERROR_FILE_NOT_FOUND, 0, buf, 25, NULL);
    CHECK_EQ(n, 0);
    CHECK_EQ(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, NULL, ERROR_FILE_NOT_FOUND, 0, buf, 26, NULL);
    CHECK_EQ(n, 25);
    CHECK_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, NULL, ERROR_FILE_NOT_FOUND, 0, NULL, 26, NULL), 0);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);

    /* FORMAT_MESSAGE_ALLOCATE_BUFFER: freed with LocalFree; nSize is the minimum size. */
    n = FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                       NULL, ERROR_ACCESS_DENIED, 0, (LPSTR)&alloc, 0, NULL);
    CHECK_EQ(n, 19);
    CHECK_STR(alloc, "Access is denied.\r\n");
    CHECK(LocalFree(alloc) == NULL);
    n = FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                       NULL, ERROR_ENVVAR_NOT_FOUND, 0, (LPWSTR)&walloc, 512, NULL);
    CHECK_WSTR(walloc, L"The environment variable was not found.\r\n");
    CHECK_EQ(n, wcslen(walloc));
    LocalFree(walloc);
    /* On failure the pointer is NULL. */
    walloc = (LPWSTR)wbuf;
    CHECK_EQ(FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM, NULL, 0x7777, 0,
                            (LPWSTR)&walloc, 0, NULL),
             0);
    CHECK(walloc == NULL);

    /* An allocated message may hold at most 128K bytes. */
    {
        static char big[140000];
        const char *args[1];
        memset(big, 'b', sizeof(big) - 1);
        args[0] = big;
        alloc = (LPSTR)big;
        CHECK_EQ(FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_STRING |
                                    FORMAT_MESSAGE_ARGUMENT_ARRAY,
                                "%1", 0, 0, (LPSTR)&alloc, 0, (va_list *)args),
                 0);
        CHECK_EQ(GetLastError(), ERROR_MORE_DATA);
        CHECK(alloc == NULL);
        big[100000] = 0;
        CHECK_EQ(FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_STRING |
                                    FORMAT_MESSAGE_ARGUMENT_ARRAY,
                                "%1", 0, 0, (LPSTR)&alloc, 0, (va_list *)args),
                 100000);
        LocalFree(alloc);
    }

    /* FORMAT_MESSAGE_MAX_WIDTH_MASK: regular line breaks become spaces, no new ones. */
    n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_MAX_WIDTH_MASK, NULL, ERROR_FILE_NOT_FOUND, 0, buf,
                       sizeof(buf), NULL);
    CHECK_STR(buf, "The file was not found. ");
    CHECK_EQ(n, 24);
}

static void test_strings(void)
{
    char buf[256];
    WCHAR wbuf[256];
    DWORD n;
    DWORD_PTR array[6];

    /* Inserts in any order, read from the va_list by number. */
    n = formatA(buf, sizeof(buf), "%2 then %1", "one", "two");
    CHECK_STR(buf, "two then one");
    CHECK_EQ(n, 12);
    n = formatA(buf, sizeof(buf), "%1!d! %2!u! %3!x! %4!X! %5!s!", -5, 7u, 255, 0xABCu, "end");
    CHECK_STR(buf, "-5 7 ff ABC end");
    n = formatA(buf, sizeof(buf), "[%1!5d!] [%2!-5s!] [%3!05u!] [%4!.2s!]", 42, "ab", 7u, "xyz");
    CHECK_STR(buf, "[   42] [ab   ] [00007] [xy]");
    n = formatA(buf, sizeof(buf), "%1!I64d! %2!I64u! %3!llx!", -1234567890123LL, 18446744073709551615ULL, 0x1FFFFFFFFULL);
    CHECK_STR(buf, "-1234567890123 18446744073709551615 1ffffffff");
    n = formatA(buf, sizeof(buf), "%1!+d! %2!#x! %3!o! %4!hd! %5!-3c!| %6!p! %7!.3d!", 5, 255u, 8u, 0x12345, 'q',
                (void *)(uintptr_t)0xABCDEF, 7);
    CHECK_STR(buf, "+5 0xff 10 9029 q  | 0000000000ABCDEF 007");
    /* A '*' width takes the next insert number. */
    n = formatA(buf, sizeof(buf), "<%1!*s!> <%3!d!>", 6, "ab", 9);
    CHECK_STR(buf, "<    ab> <9>");
    /* Narrow and wide strings in the narrow API; NULL prints (null). */
    n = formatA(buf, sizeof(buf), "%1 %2!S! %3!ls! %4!c!", "n\xc3\xa9", L"w\x00e9", L"x", 'Z');
    CHECK_STR(buf, "n\xc3\xa9 w\xc3\xa9 x Z");
    n = formatA(buf, sizeof(buf), "%1", (char *)NULL);
    CHECK_STR(buf, "(null)");
    /* Escapes: %% %n %. %! "% " %0. */
    n = formatA(buf, sizeof(buf), "100%% done%n%.%!% end%0 not this");
    CHECK_STR(buf, "100% done\r\n.! end");
    n = formatA(buf, sizeof(buf), "line one\r\nline two\n");
    CHECK_STR(buf, "line one\r\nline two\n");
    (void)n;

    /* The wide API: plain s is a wide string, S a narrow one. */
    n = formatW(wbuf, 256, L"%1: %2!S! (%3!d!)", L"wide", "narrow", 3);
    CHECK_WSTR(wbuf, L"wide: narrow (3)");
    CHECK_EQ(n, 16);
    n = formatW(wbuf, 8, L"%1", L"too long for eight");
    CHECK_EQ(n, 0);
    CHECK_EQ(GetLastError(), ERROR_INSUFFICIENT_BUFFER);

    /* FORMAT_MESSAGE_ARGUMENT_ARRAY: DWORD_PTR values. */
    array[0] = (DWORD_PTR) "alpha";
    array[1] = 12;
    array[2] = (DWORD_PTR)-3;
    array[3] = 4;
    array[4] = (DWORD_PTR) "beta";
    n = FormatMessageA(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY, "%1=%2!d! %3!d! %4!*s!", 0, 0, buf,
                       sizeof(buf), (va_list *)array);
    CHECK_STR(buf, "alpha=12 -3 beta");
    array[0] = (DWORD_PTR)L"wide";
    n = FormatMessageW(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY, L"<%1>", 0, 0, wbuf, 256,
                       (va_list *)array);
    CHECK_WSTR(wbuf, L"<wide>");
    CHECK_EQ(n, 6);

    /* FORMAT_MESSAGE_IGNORE_INSERTS copies inserts as they are. */
    n = FormatMessageA(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_IGNORE_INSERTS, "file %1 at %2!d!%%", 0, 0, buf,
                       sizeof(buf), NULL);
    CHECK_STR(buf, "file %1 at %2!d!%");

    /* Bad messages and flags. */
    CHECK_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_STRING, "needs %1", 0, 0, buf, sizeof(buf), NULL), 0);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK_EQ(formatA(buf, sizeof(buf), "%1!f!", 1.5), 0);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK_EQ(formatA(buf, sizeof(buf), "%1!d", 1), 0);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_FROM_SYSTEM, "x", 2, 0, buf, sizeof(buf), NULL),
             0);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK_EQ(FormatMessageA(0, "x", 2, 0, buf, sizeof(buf), NULL), 0);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);

    /* A width wraps at spaces, keeps hard breaks, and never splits a word. */
    n = FormatMessageA(FORMAT_MESSAGE_FROM_STRING | 10, "aaa bbb ccc dddd%neeeeeeeeeeeeee f", 0, 0, buf, sizeof(buf),
                       NULL);
    CHECK_STR(buf, "aaa bbb\r\nccc dddd\r\neeeeeeeeeeeeee\r\nf");
}

int main(void)
{
    test_system();
    test_strings();
    return check_finish();
}
