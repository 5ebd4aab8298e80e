/*
 * findfiles.c - files and directories by name (iishost/fileops.h) in strict
 * ISO C: CreateDirectory/RemoveDirectory, DeleteFile, CopyFile, MoveFile(Ex),
 * GetFileAttributesEx, GetFullPathName, GetTempFileName and the FindFirstFile
 * search, with Windows-style paths and the last errors of the failures.
 */
#include <windows.h>

#include <stdio.h>
#include <unistd.h>

#include "check.h"

static char dir[64];

/* dir + "\\" + name, the way Windows code builds paths. */
static const char *at(const char *name)
{
    static char buf[4][256];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof(buf[i]), "%s\\%s", dir, name);
    return buf[i];
}

static void write_file(const char *path, const char *text)
{
    DWORD n;
    HANDLE h = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    CHECK(h != INVALID_HANDLE_VALUE);
    CHECK(WriteFile(h, text, (DWORD)strlen(text), &n, NULL));
    CloseHandle(h);
}

static void test_directories(void)
{
    CHECK(CreateDirectoryA(dir, NULL));
    CHECK(!CreateDirectoryA(dir, NULL));
    CHECK_EQ(GetLastError(), ERROR_ALREADY_EXISTS);
    CHECK(!CreateDirectoryA(at("no\\such"), NULL));
    CHECK_EQ(GetLastError(), ERROR_PATH_NOT_FOUND);
    CHECK(CreateDirectoryW(L"/tmp/iishost-find-w", NULL));
    CHECK_EQ(GetFileAttributesA("/tmp/iishost-find-w"), FILE_ATTRIBUTE_DIRECTORY);
    CHECK(RemoveDirectoryW(L"\\tmp\\iishost-find-w"));
    CHECK_EQ(GetFileAttributesA("/tmp/iishost-find-w"), INVALID_FILE_ATTRIBUTES);
    CHECK(!RemoveDirectoryA("/tmp/iishost-find-w"));
    CHECK_EQ(GetLastError(), ERROR_FILE_NOT_FOUND);

    CHECK(CreateDirectoryA(at("sub"), NULL));
    write_file(at("sub\\inner.txt"), "x");
    CHECK(!RemoveDirectoryA(at("sub")));
    CHECK_EQ(GetLastError(), ERROR_DIR_NOT_EMPTY);
    CHECK(!RemoveDirectoryA(at("sub\\inner.txt")));
    CHECK_EQ(GetLastError(), ERROR_DIRECTORY);
    /* DeleteFile refuses directories. */
    CHECK(!DeleteFileA(at("sub")));
    CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
    CHECK(DeleteFileA(at("sub\\inner.txt")));
    CHECK(!DeleteFileA(at("sub\\inner.txt")));
    CHECK_EQ(GetLastError(), ERROR_FILE_NOT_FOUND);
    CHECK(!DeleteFileW(L"/tmp/iishost-no-such-dir/x"));
    CHECK_EQ(GetLastError(), ERROR_PATH_NOT_FOUND);
    CHECK(RemoveDirectoryA(at("sub")));
}

static void test_copy_move(void)
{
    WIN32_FILE_ATTRIBUTE_DATA a, b;
    char buf[32];
    DWORD n;
    HANDLE h;

    write_file(at("a.txt"), "alpha");
    write_file(at("b.txt"), "bravo!");
    CHECK(!CopyFileA(at("a.txt"), at("b.txt"), TRUE));
    CHECK_EQ(GetLastError(), ERROR_FILE_EXISTS);
    CHECK(CopyFileA(at("a.txt"), at("c.txt"), TRUE));
    CHECK(CopyFileW(L"/tmp/iishost-no-such/a", L"/tmp/x", FALSE) == FALSE);
    CHECK_EQ(GetLastError(), ERROR_PATH_NOT_FOUND);
    CHECK(!CopyFileA(at("missing.txt"), at("d.txt"), FALSE));
    CHECK_EQ(GetLastError(), ERROR_FILE_NOT_FOUND);
    CHECK(!CopyFileA(dir, at("d.txt"), FALSE));
    CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);

    /* A copy has the data and the modification time. */
    CHECK(GetFileAttributesExA(at("a.txt"), GetFileExInfoStandard, &a));
    CHECK(GetFileAttributesExA(at("c.txt"), GetFileExInfoStandard, &b));
    CHECK_EQ(b.nFileSizeLow, 5);
    CHECK_EQ(b.nFileSizeHigh, 0);
    CHECK_EQ(CompareFileTime(&a.ftLastWriteTime, &b.ftLastWriteTime), 0);
    CHECK_EQ(b.dwFileAttributes, FILE_ATTRIBUTE_NORMAL);

    /* Replacing the target needs bFailIfExists FALSE. */
    CHECK(CopyFileA(at("a.txt"), at("b.txt"), FALSE));
    h = CreateFileA(at("b.txt"), GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(ReadFile(h, buf, sizeof(buf), &n, NULL));
    CHECK_EQ(n, 5);
    CloseHandle(h);

    /* MoveFile never replaces; MoveFileEx does with MOVEFILE_REPLACE_EXISTING. */
    CHECK(!MoveFileA(at("a.txt"), at("b.txt")));
    CHECK_EQ(GetLastError(), ERROR_ALREADY_EXISTS);
    CHECK(!MoveFileExA(at("a.txt"), at("b.txt"), 0));
    CHECK_EQ(GetLastError(), ERROR_ALREADY_EXISTS);
    CHECK(MoveFileExA(at("a.txt"), at("b.txt"), MOVEFILE_REPLACE_EXISTING));
    CHECK_EQ(GetFileAttributesA(at("a.txt")), INVALID_FILE_ATTRIBUTES);
    CHECK(MoveFileW(L"/tmp/iishost-no-such/a", L"/tmp/iishost-no-such/b") == FALSE);
    CHECK_EQ(GetLastError(), ERROR_PATH_NOT_FOUND);
    CHECK(!MoveFileA(at("missing.txt"), at("e.txt")));
    CHECK_EQ(GetLastError(), ERROR_FILE_NOT_FOUND);
    CHECK(MoveFileA(at("b.txt"), at("moved.txt")));
    CHECK_EQ(GetFileAttributesA(at("moved.txt")), FILE_ATTRIBUTE_NORMAL);
    CHECK(!MoveFileExA(at("c.txt"), NULL, MOVEFILE_DELAY_UNTIL_REBOOT));
    CHECK_EQ(GetLastError(), ERROR_NOT_SUPPORTED);
    /* Directories move too, but are never replaced. */
    CHECK(CreateDirectoryA(at("d1"), NULL));
    CHECK(MoveFileA(at("d1"), at("d2")));
    CHECK(CreateDirectoryA(at("d3"), NULL));
    write_file(at("d3\\f"), "f");
    CHECK(!MoveFileExA(at("d2"), at("d3"), MOVEFILE_REPLACE_EXISTING));
    CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);

    /* GetFileAttributesEx of a directory: size 0; bad level and missing names. */
    CHECK(GetFileAttributesExW(L"/tmp", GetFileExInfoStandard, &a));
    CHECK(a.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY);
    CHECK_EQ(a.nFileSizeLow, 0);
    CHECK(!GetFileAttributesExA(at("c.txt"), GetFileExMaxInfoLevel, &a));
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK(!GetFileAttributesExA(at("nothing"), GetFileExInfoStandard, &a));
    CHECK_EQ(GetLastError(), ERROR_FILE_NOT_FOUND);
}

/* Runs a search and returns the names found, sorted into one " "-joined string. */
static const char *search(const char *pattern)
{
    static char out[512];
    char names[16][MAX_PATH];
    int count = 0, i, j;
    WIN32_FIND_DATAA fd;
    HANDLE h = FindFirstFileA(pattern, &fd);
    out[0] = 0;
    if (h == INVALID_HANDLE_VALUE)
        return "(none)";
    do {
        if (count < 16)
            strcpy(names[count++], fd.cFileName);
    } while (FindNextFileA(h, &fd));
    CHECK_EQ(GetLastError(), ERROR_NO_MORE_FILES);
    CHECK(FindClose(h));
    for (i = 0; i < count; i++)
        for (j = i + 1; j < count; j++)
            if (strcmp(names[j], names[i]) < 0) {
                char t[MAX_PATH];
                strcpy(t, names[i]);
                strcpy(names[i], names[j]);
                strcpy(names[j], t);
            }
    for (i = 0; i < count; i++) {
        if (i > 0)
            strcat(out, " ");
        strcat(out, names[i]);
    }
    return out;
}

static void test_find(void)
{
    WIN32_FIND_DATAA fd;
    WIN32_FIND_DATAW wfd;
    HANDLE h;
    int sawDir = 0, sawFile = 0;

    /* dir now holds: c.txt moved.txt d2/ d3/ ; add a few more. */
    write_file(at("README"), "readme");
    write_file(at("Upper.TXT"), "u");
    write_file(at("x1.log"), "1");
    write_file(at("x22.log"), "22");

    CHECK_STR(search(at("*")), ". .. README Upper.TXT c.txt d2 d3 moved.txt x1.log x22.log");
    CHECK_STR(search(at("*.*")), ". .. README Upper.TXT c.txt d2 d3 moved.txt x1.log x22.log");
    CHECK_STR(search(at("*.txt")), "Upper.TXT c.txt moved.txt");
    CHECK_STR(search(at("x?.log")), "x1.log");
    CHECK_STR(search(at("x*.LOG")), "x1.log x22.log");
    CHECK_STR(search(at("readme")), "README");
    CHECK_STR(search(at("d3\\*")), ". .. f");

    /* No match, no directory, a trailing separator. */
    h = FindFirstFileA(at("*.none"), &fd);
    CHECK(h == INVALID_HANDLE_VALUE);
    CHECK_EQ(GetLastError(), ERROR_FILE_NOT_FOUND);
    h = FindFirstFileA(at("nodir\\*"), &fd);
    CHECK(h == INVALID_HANDLE_VALUE);
    CHECK_EQ(GetLastError(), ERROR_PATH_NOT_FOUND);
    h = FindFirstFileA(at("d3\\"), &fd);
    CHECK(h == INVALID_HANDLE_VALUE);
    CHECK_EQ(GetLastError(), ERROR_FILE_NOT_FOUND);

    /* The wide form, with attributes and sizes. */
    {
        WCHAR wpattern[128];
        const char *p = at("*");
        int i;
        for (i = 0; p[i]; i++)
            wpattern[i] = (WCHAR)p[i];
        wpattern[i] = 0;
        h = FindFirstFileW(wpattern, &wfd);
        CHECK(h != INVALID_HANDLE_VALUE);
        do {
            if (wcscmp(wfd.cFileName, L"d2") == 0 && (wfd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY))
                sawDir = 1;
            if (wcscmp(wfd.cFileName, L"x22.log") == 0 && wfd.nFileSizeLow == 2 &&
                wfd.dwFileAttributes == FILE_ATTRIBUTE_NORMAL && wfd.ftLastWriteTime.dwHighDateTime != 0)
                sawFile = 1;
        } while (FindNextFileW(h, &wfd));
        CHECK(FindClose(h));
        CHECK(sawDir);
        CHECK(sawFile);
    }

    /* Bad handles; CloseHandle is not the closer of a search handle. */
    h = FindFirstFileA(at("*"), &fd);
    CHECK(h != INVALID_HANDLE_VALUE);
    CHECK(!CloseHandle(h));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK(FindClose(h));
    CHECK(!FindClose(INVALID_HANDLE_VALUE));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK(!FindNextFileA(NULL, &fd));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
}

static void test_full_path(void)
{
    char buf[512], cwd[512];
    WCHAR wbuf[512];
    LPSTR part = NULL;
    LPWSTR wpart = NULL;
    DWORD n;

    n = GetFullPathNameA("\\srv\\site\\.\\bin\\..\\web.config", sizeof(buf), buf, &part);
    CHECK_STR(buf, "/srv/site/web.config");
    CHECK_EQ(n, 20);
    CHECK(part == buf + 10);
    n = GetFullPathNameA("/a/b/", sizeof(buf), buf, &part);
    CHECK_STR(buf, "/a/b/");
    CHECK(part == NULL);
    n = GetFullPathNameA("/../..//x", sizeof(buf), buf, NULL);
    CHECK_STR(buf, "/x");
    /* Relative to the current directory. */
    CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
    CHECK(SetCurrentDirectoryA("/tmp"));
    n = GetFullPathNameA("rel\\file.txt", sizeof(buf), buf, &part);
    CHECK_STR(buf, "/tmp/rel/file.txt");
    CHECK_STR(part, "file.txt");
    n = GetFullPathNameW(L"..", 512, wbuf, &wpart);
    CHECK_WSTR(wbuf, L"/");
    CHECK(wpart == NULL);
    n = GetFullPathNameW(L".\\a", 512, wbuf, &wpart);
    CHECK_WSTR(wbuf, L"/tmp/a");
    CHECK_EQ(n, 6);
    CHECK_WSTR(wpart, L"a");
    CHECK(SetCurrentDirectoryA(cwd));
    /* Too small: the size needed. */
    CHECK_EQ(GetFullPathNameA("/abc", 4, buf, NULL), 5);
    CHECK_EQ(GetFullPathNameW(L"/abc", 4, wbuf, NULL), 5);
    CHECK_EQ(GetFullPathNameA("", sizeof(buf), buf, NULL), 0);
    CHECK_EQ(GetLastError(), ERROR_INVALID_NAME);
}

static void test_temp_names(void)
{
    char name[MAX_PATH], want[MAX_PATH];
    WCHAR wname[MAX_PATH];
    UINT n, m;

    /* A given number: only the name, with at most three prefix characters. */
    CHECK_EQ(GetTempFileNameA(dir, "iisXYZ", 0x1A2B, name), 0x1A2B);
    snprintf(want, sizeof(want), "%s/iis1A2B.TMP", dir);
    CHECK_STR(name, want);
    CHECK_EQ(GetFileAttributesA(name), INVALID_FILE_ATTRIBUTES);
    CHECK_EQ(GetTempFileNameA("C:\\temp\\", "", 0x12345, name), 0x2345);
    CHECK_STR(name, "C:\\temp\\2345.TMP");
    CHECK_EQ(GetTempFileNameA("rel", "p", 7, name), 7);
    CHECK_STR(name, "rel\\p0007.TMP");

    /* Number 0: a fresh name, created empty, never the same twice. */
    n = GetTempFileNameA(dir, "tmp", 0, name);
    CHECK(n != 0);
    CHECK_EQ(GetFileAttributesA(name), FILE_ATTRIBUTE_NORMAL);
    m = GetTempFileNameA(dir, "tmp", 0, want);
    CHECK(m != 0);
    CHECK(strcmp(name, want) != 0);
    CHECK(DeleteFileA(name));
    CHECK(DeleteFileA(want));
    n = GetTempFileNameW(L"/tmp", L"w\x00e9xyz", 0, wname);
    CHECK(n != 0);
    CHECK(wcsncmp(wname, L"/tmp/w\x00e9x", 8) == 0);
    CHECK(DeleteFileW(wname));

    /* A missing folder, and a folder name too long for MAX_PATH. */
    CHECK_EQ(GetTempFileNameA("/tmp/iishost-no-such-dir", "x", 0, name), 0);
    CHECK_EQ(GetLastError(), ERROR_DIRECTORY);
    memset(want, 'd', MAX_PATH - 10);
    want[MAX_PATH - 10] = 0;
    CHECK_EQ(GetTempFileNameA(want, "x", 1, name), 0);
    CHECK_EQ(GetLastError(), ERROR_BUFFER_OVERFLOW);
}

static void cleanup(void)
{
    static const char *files[] = {"c.txt", "moved.txt", "README", "Upper.TXT", "x1.log", "x22.log", "d3\\f"};
    size_t i;
    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        CHECK(DeleteFileA(at(files[i])));
    CHECK(RemoveDirectoryA(at("d2")));
    CHECK(RemoveDirectoryA(at("d3")));
    CHECK(RemoveDirectoryA(dir));
}

int main(void)
{
    snprintf(dir, sizeof(dir), "/tmp/iishost-find-%d", (int)getpid());
    test_directories();
    test_copy_move();
    test_find();
    test_full_path();
    test_temp_names();
    cleanup();
    return check_finish();
}
