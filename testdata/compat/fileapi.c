/*
 * fileapi.c - Win32 file handles (iishost/fileapi.h) as a C module uses
 * them, in strict ISO C: CreateFileA/W with every creation disposition,
 * ReadFile/WriteFile, sizes past 4 GiB, file pointers, attributes,
 * CloseHandle, and the last errors of the failures.
 */
#include <windows.h>

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

static char dir[64], file[96], sparse[96], readonly[96];

static void test_create_dispositions(void)
{
    HANDLE h;
    DWORD n = 0;
    char buf[16];

    h = CreateFileA(file, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
    CHECK(h != INVALID_HANDLE_VALUE);
    CHECK_EQ(GetLastError(), ERROR_SUCCESS);
    CHECK(WriteFile(h, "hello, file", 11, &n, NULL));
    CHECK_EQ(n, 11);
    CHECK(CloseHandle(h));

    /* CREATE_NEW refuses an existing file. */
    h = CreateFileA(file, GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
    CHECK(h == INVALID_HANDLE_VALUE);
    CHECK_EQ(GetLastError(), ERROR_FILE_EXISTS);

    /* OPEN_ALWAYS on an existing file succeeds and says it existed; nothing is truncated. */
    h = CreateFileA(file, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_ALWAYS, FILE_FLAG_SEQUENTIAL_SCAN, NULL);
    CHECK(h != INVALID_HANDLE_VALUE);
    CHECK_EQ(GetLastError(), ERROR_ALREADY_EXISTS);
    CHECK(ReadFile(h, buf, sizeof(buf), &n, NULL));
    CHECK_EQ(n, 11);
    CHECK(memcmp(buf, "hello, file", 11) == 0);
    /* At end of file a synchronous read succeeds with nothing read. */
    n = 99;
    CHECK(ReadFile(h, buf, sizeof(buf), &n, NULL));
    CHECK_EQ(n, 0);
    /* Writing through a read-only handle fails. */
    CHECK(!WriteFile(h, "x", 1, &n, NULL));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK(CloseHandle(h));

    /* TRUNCATE_EXISTING empties it; it needs write access. */
    h = CreateFileA(file, GENERIC_READ, 0, NULL, TRUNCATE_EXISTING, 0, NULL);
    CHECK(h == INVALID_HANDLE_VALUE);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    h = CreateFileA(file, GENERIC_READ | GENERIC_WRITE, 0, NULL, TRUNCATE_EXISTING, 0, NULL);
    CHECK(h != INVALID_HANDLE_VALUE);
    CHECK_EQ(GetFileSize(h, NULL), 0);
    CHECK(WriteFile(h, "abcdef", 6, &n, NULL));
    CHECK(CloseHandle(h));

    /* CREATE_ALWAYS on an existing file truncates it and says it existed. */
    h = CreateFileA(file, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    CHECK(h != INVALID_HANDLE_VALUE);
    CHECK_EQ(GetLastError(), ERROR_ALREADY_EXISTS);
    CHECK_EQ(GetFileSize(h, NULL), 0);
    CHECK(WriteFile(h, "0123456789", 10, &n, NULL));
    CHECK(CloseHandle(h));

    /* A disposition that does not exist. */
    h = CreateFileA(file, GENERIC_READ, 0, NULL, 9, 0, NULL);
    CHECK(h == INVALID_HANDLE_VALUE);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);

    /* FILE_APPEND_DATA alone appends. */
    h = CreateFileA(file, FILE_APPEND_DATA, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(h != INVALID_HANDLE_VALUE);
    CHECK(WriteFile(h, "AB", 2, &n, NULL));
    CHECK(CloseHandle(h));
}

static void test_read_write_pointer(void)
{
    HANDLE h;
    DWORD n = 0;
    char buf[16];
    LARGE_INTEGER at, move;
    LONG high;
    OVERLAPPED ov;

    /* Wide names, with Windows separators. */
    wchar_t wide[96];
    size_t i;
    for (i = 0; file[i]; i++) {
        wide[i] = file[i] == '/' ? L'\\' : (wchar_t)file[i];
    }
    wide[i] = 0;
    h = CreateFileW(wide, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                    FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OVERLAPPED, NULL);
    CHECK(h != INVALID_HANDLE_VALUE);
    CHECK_EQ(GetFileSize(h, NULL), 12);

    CHECK_EQ(SetFilePointer(h, 4, NULL, FILE_BEGIN), 4);
    CHECK(ReadFile(h, buf, 3, &n, NULL));
    CHECK_EQ(n, 3);
    CHECK(memcmp(buf, "456", 3) == 0);
    CHECK_EQ(SetFilePointer(h, -2, NULL, FILE_CURRENT), 5);
    CHECK_EQ(SetFilePointer(h, -2, NULL, FILE_END), 10);
    CHECK(ReadFile(h, buf, sizeof(buf), &n, NULL));
    CHECK_EQ(n, 2);
    CHECK(memcmp(buf, "AB", 2) == 0);

    /* Before the start. */
    CHECK_EQ(SetFilePointer(h, -1, NULL, FILE_BEGIN), INVALID_SET_FILE_POINTER);
    CHECK_EQ(GetLastError(), ERROR_NEGATIVE_SEEK);
    CHECK_EQ(SetFilePointer(h, 0, NULL, 7), INVALID_SET_FILE_POINTER);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);

    move.QuadPart = 1;
    CHECK(SetFilePointerEx(h, move, &at, FILE_BEGIN));
    CHECK_EQ(at.QuadPart, 1);
    move.QuadPart = 0;
    CHECK(SetFilePointerEx(h, move, &at, FILE_CURRENT));
    CHECK_EQ(at.QuadPart, 1);

    /* Synchronous only: an OVERLAPPED is refused. */
    memset(&ov, 0, sizeof(ov));
    CHECK(!ReadFile(h, buf, 1, &n, &ov));
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK(!WriteFile(h, buf, 1, &n, &ov));
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK(CloseHandle(h));

    /* Past 4 GiB: a sparse file with one byte at 5 GiB. */
    h = CreateFileA(sparse, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_FLAG_DELETE_ON_CLOSE, NULL);
    CHECK(h != INVALID_HANDLE_VALUE);
    high = 1;
    CHECK_EQ(SetFilePointer(h, 0x40000000, &high, FILE_BEGIN), 0x40000000);
    CHECK_EQ(high, 1);
    CHECK(WriteFile(h, "z", 1, &n, NULL));
    high = 0;
    CHECK_EQ(GetFileSize(h, (LPDWORD)&high), 0x40000001);
    CHECK_EQ(high, 1);
    CHECK(GetFileSizeEx(h, &at));
    CHECK_EQ(at.QuadPart, 0x140000001LL);
    /* FILE_FLAG_DELETE_ON_CLOSE: the name is gone, the data lives while the handle is open. */
    CHECK_EQ(GetFileAttributesA(sparse), INVALID_FILE_ATTRIBUTES);
    CHECK_EQ(GetLastError(), ERROR_FILE_NOT_FOUND);
    move.QuadPart = -1;
    CHECK(SetFilePointerEx(h, move, NULL, FILE_END));
    CHECK(ReadFile(h, buf, 4, &n, NULL));
    CHECK_EQ(n, 1);
    CHECK_EQ(buf[0], 'z');
    CHECK(CloseHandle(h));
}

static void test_attributes_and_errors(void)
{
    HANDLE h;
    char missing[128];
    wchar_t wdir[64];
    size_t i;

    CHECK_EQ(GetFileAttributesA(file), FILE_ATTRIBUTE_NORMAL);
    CHECK_EQ(GetFileAttributesA(dir), FILE_ATTRIBUTE_DIRECTORY);
    for (i = 0; dir[i]; i++) {
        wdir[i] = (wchar_t)dir[i];
    }
    wdir[i] = 0;
    CHECK_EQ(GetFileAttributesW(wdir), FILE_ATTRIBUTE_DIRECTORY);

    h = CreateFileA(readonly, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_READONLY, NULL);
    CHECK(h != INVALID_HANDLE_VALUE);
    CHECK(CloseHandle(h));
    CHECK_EQ(GetFileAttributesA(readonly), FILE_ATTRIBUTE_READONLY);

    snprintf(missing, sizeof(missing), "%s/absent.txt", dir);
    h = CreateFileA(missing, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(h == INVALID_HANDLE_VALUE);
    CHECK_EQ(GetLastError(), ERROR_FILE_NOT_FOUND);
    CHECK_EQ(HRESULT_FROM_WIN32(GetLastError()), (HRESULT)0x80070002);
    CHECK_EQ(GetFileAttributesA(missing), INVALID_FILE_ATTRIBUTES);
    CHECK_EQ(GetLastError(), ERROR_FILE_NOT_FOUND);

    snprintf(missing, sizeof(missing), "%s/no-such-dir/absent.txt", dir);
    h = CreateFileA(missing, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(h == INVALID_HANDLE_VALUE);
    CHECK_EQ(GetLastError(), ERROR_PATH_NOT_FOUND);
    CHECK_EQ(GetFileAttributesA(missing), INVALID_FILE_ATTRIBUTES);
    CHECK_EQ(GetLastError(), ERROR_PATH_NOT_FOUND);

    /* A directory opens only with backup semantics, as on Windows. */
    h = CreateFileA(dir, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(h == INVALID_HANDLE_VALUE);
    CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
    h = CreateFileA(dir, GENERIC_READ, 0, NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, NULL);
    CHECK(h != INVALID_HANDLE_VALUE);
    CHECK(CloseHandle(h));

    CHECK(!CloseHandle(INVALID_HANDLE_VALUE));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK(CreateFileA(NULL, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL) == INVALID_HANDLE_VALUE);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    {
        DWORD high = 7;
        CHECK_EQ(GetFileSize(INVALID_HANDLE_VALUE, &high), INVALID_FILE_SIZE);
        CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    }
}

/* A failed CreateFile's INVALID_HANDLE_VALUE, or a NULL handle, reaching a handle call fails
 * with ERROR_INVALID_HANDLE and touches no descriptor (NULL would be standard input). */
static void test_bad_handles(void)
{
    HANDLE bad[] = {NULL, INVALID_HANDLE_VALUE};
    LARGE_INTEGER size, at;
    DWORD n = 7;
    char buf[4];
    size_t i;
    at.QuadPart = 0;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        SetLastError(0);
        CHECK(!ReadFile(bad[i], buf, sizeof(buf), &n, NULL));
        CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
        CHECK_EQ(n, 0);
        SetLastError(0);
        CHECK(!WriteFile(bad[i], "x", 1, &n, NULL));
        CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
        SetLastError(0);
        CHECK(!GetFileSizeEx(bad[i], &size));
        CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
        SetLastError(0);
        CHECK(!SetFilePointerEx(bad[i], at, NULL, FILE_BEGIN));
        CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
        SetLastError(0);
        CHECK(!CloseHandle(bad[i]));
        CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    }
}

int main(void)
{
    snprintf(dir, sizeof(dir), "/tmp/iishost-fileapi-%d", (int)getpid());
    snprintf(file, sizeof(file), "%s/data.txt", dir);
    snprintf(sparse, sizeof(sparse), "%s/sparse.bin", dir);
    snprintf(readonly, sizeof(readonly), "%s/readonly.txt", dir);
    if (mkdir(dir, 0700) != 0) {
        printf("cannot create %s\n", dir);
        return 1;
    }
    test_create_dispositions();
    test_read_write_pointer();
    test_attributes_and_errors();
    test_bad_handles();
    unlink(file);
    unlink(readonly);
    rmdir(dir);
    return check_finish();
}
