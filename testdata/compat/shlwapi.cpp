// shlwapi.cpp - the shlwapi.h path and string helpers as C++ modules use
// them, with Windows paths, Linux paths and mixed ones, edge cases and
// MAX_PATH limits; TCHAR names under UNICODE.
#define UNICODE
#include <windows.h>
#include <shlwapi.h>

#include <string>

#include "check.h"

static void test_find()
{
    CHECK_STR(PathFindExtensionA("C:\\dir\\file.txt"), ".txt");
    CHECK_STR(PathFindExtensionA("/srv/a.b/file"), "");
    CHECK_STR(PathFindExtensionA("archive.tar.gz"), ".gz");
    CHECK_STR(PathFindExtensionA("name. txt"), "");
    const char *noExt = "dir\\noext";
    CHECK(PathFindExtensionA(noExt) == noExt + strlen(noExt));
    CHECK_WSTR(PathFindExtensionW(L"mod.dll"), L".dll");

    CHECK_STR(PathFindFileNameA("C:\\dir\\file.txt"), "file.txt");
    CHECK_STR(PathFindFileNameA("/tmp/x/mod.so"), "mod.so");
    CHECK_STR(PathFindFileNameA("C:\\dir\\"), "dir\\");
    CHECK_STR(PathFindFileNameA("plain"), "plain");
    CHECK_STR(PathFindFileNameA("C:file"), "file");
    CHECK_WSTR(PathFindFileNameW(L"a/b\\c"), L"c");
    CHECK(PathFindFileNameA(nullptr) == nullptr);
}

static void test_remove()
{
    char a[MAX_PATH];
    WCHAR w[MAX_PATH];
    struct Case {
        const char *in, *out;
        BOOL changed;
    } cases[] = {
        {"C:\\dir\\file.txt", "C:\\dir", TRUE}, {"C:\\file", "C:\\", TRUE}, {"C:\\", "C:\\", FALSE},
        {"\\file", "\\", TRUE},                {"/", "/", FALSE},          {"file", "", TRUE},
        {"", "", FALSE},                       {"/tmp/x/mod.so", "/tmp/x", TRUE},
        {"a\\b\\", "a\\b", TRUE},
    };
    for (const Case &c : cases) {
        strcpy(a, c.in);
        BOOL changed = PathRemoveFileSpecA(a);
        if (strcmp(a, c.out) != 0 || changed != c.changed) {
            printf("FAIL PathRemoveFileSpecA(\"%s\") = \"%s\" %d, want \"%s\" %d\n", c.in, a, changed, c.out,
                   c.changed);
            check_failures++;
        }
    }
    wcscpy(w, L"/opt/mods/legacy.so");
    CHECK(PathRemoveFileSpec(w));
    CHECK_WSTR(w, L"/opt/mods");

    strcpy(a, "dir\\file.txt");
    PathRemoveExtensionA(a);
    CHECK_STR(a, "dir\\file");
    PathRemoveExtensionA(a);
    CHECK_STR(a, "dir\\file");
    wcscpy(w, L"x.y.z");
    PathRemoveExtension(w);
    CHECK_WSTR(w, L"x.y");

    strcpy(a, "C:\\logs\\app.log");
    CHECK(PathRenameExtensionA(a, ".bak"));
    CHECK_STR(a, "C:\\logs\\app.bak");
    strcpy(a, "noext");
    CHECK(PathRenameExtensionA(a, ".cfg"));
    CHECK_STR(a, "noext.cfg");
    std::string longName(MAX_PATH - 3, 'n');
    strcpy(a, longName.c_str());
    CHECK(!PathRenameExtensionA(a, ".cfg"));
    CHECK_STR(a, longName.c_str());
    wcscpy(w, L"m.dll");
    CHECK(PathRenameExtension(w, L".so"));
    CHECK_WSTR(w, L"m.so");
}

static void test_build()
{
    char a[MAX_PATH];
    WCHAR w[MAX_PATH];

    // The separator already used is kept; '\\' when there is none.
    strcpy(a, "C:\\inetpub");
    CHECK(PathAppendA(a, "wwwroot"));
    CHECK_STR(a, "C:\\inetpub\\wwwroot");
    CHECK(PathAppendA(a, "\\web.config"));
    CHECK_STR(a, "C:\\inetpub\\wwwroot\\web.config");
    strcpy(a, "/tmp/x");
    CHECK(PathAppendA(a, "legacy.config"));
    CHECK_STR(a, "/tmp/x/legacy.config");
    strcpy(a, "dir");
    CHECK(PathAppendA(a, "sub\\..\\file"));
    CHECK_STR(a, "dir\\file");
    strcpy(a, "/tmp/");
    CHECK(PathAppendA(a, "f"));
    CHECK_STR(a, "/tmp/f");
    wcscpy(w, L"/srv");
    CHECK(PathAppend(w, L"conf\\app.ini"));
    CHECK_WSTR(w, L"/srv/conf\\app.ini");
    // Too long: FALSE, unchanged.
    std::string longDir(MAX_PATH - 5, 'd');
    strcpy(a, longDir.c_str());
    CHECK(!PathAppendA(a, "toolong"));
    CHECK_STR(a, longDir.c_str());
    CHECK(!PathAppendA(nullptr, "x"));

    CHECK(PathCombineA(a, "C:\\a\\b", "..\\c.txt") == a);
    CHECK_STR(a, "C:\\a\\c.txt");
    CHECK(PathCombineA(a, "C:\\a", "\\root.txt") == a);
    CHECK_STR(a, "C:\\root.txt");
    CHECK(PathCombineA(a, "/a", "/abs/x") == a);
    CHECK_STR(a, "/abs/x");
    CHECK(PathCombineA(a, "/a/./b", nullptr) == a);
    CHECK_STR(a, "/a/b");
    CHECK(PathCombineA(a, nullptr, "rel\\.\\x") == a);
    CHECK_STR(a, "rel\\x");
    CHECK(PathCombineA(a, "\\..", "x") == a);
    CHECK_STR(a, "\\x");
    CHECK(PathCombineA(a, nullptr, nullptr) == nullptr);
    CHECK_STR(a, "");
    strcpy(a, "/base");
    CHECK(PathCombineA(a, a, "same") == a);
    CHECK_STR(a, "/base/same");
    CHECK(PathCombineA(a, longDir.c_str(), "toolong") == nullptr);
    CHECK_STR(a, "");
    CHECK(PathCombine(w, L"C:\\x", L"y") == w);
    CHECK_WSTR(w, L"C:\\x\\y");

    strcpy(a, "C:\\dir");
    char *end = PathAddBackslashA(a);
    CHECK_STR(a, "C:\\dir\\");
    CHECK(end == a + strlen(a));
    CHECK(PathAddBackslashA(a) == a + strlen(a));
    CHECK_STR(a, "C:\\dir\\");
    strcpy(a, "/tmp");
    PathAddBackslashA(a);
    CHECK_STR(a, "/tmp/");
    strcpy(a, "");
    CHECK(PathAddBackslashA(a) == a);
    CHECK_STR(a, "");
    std::string full(MAX_PATH - 1, 'f');
    strcpy(a, full.c_str());
    CHECK(PathAddBackslashA(a) == nullptr);
    wcscpy(w, L"rel");
    PathAddBackslash(w);
    CHECK_WSTR(w, L"rel\\");

    CHECK(!PathIsRelativeA("C:\\x"));
    CHECK(!PathIsRelativeA("\\x"));
    CHECK(!PathIsRelativeA("/x"));
    CHECK(PathIsRelativeA("x\\y"));
    CHECK(PathIsRelativeA(""));
    CHECK(PathIsRelative(L"..\\x"));
}

static void test_files()
{
    char dir[64];
    snprintf(dir, sizeof(dir), "/tmp/iishost-shl-%d", (int)getpid());
    CHECK(!PathFileExistsA(dir));
    CHECK(CreateDirectoryA(dir, nullptr));
    CHECK(PathFileExistsA(dir));
    CHECK_EQ(PathIsDirectoryA(dir), FILE_ATTRIBUTE_DIRECTORY);
    char file[MAX_PATH];
    strcpy(file, dir);
    CHECK(PathAppendA(file, "f.txt"));
    CHECK(!PathFileExistsA(file));
    HANDLE h = CreateFileA(file, GENERIC_WRITE, 0, nullptr, CREATE_NEW, 0, nullptr);
    CHECK(h != INVALID_HANDLE_VALUE);
    CloseHandle(h);
    CHECK(PathFileExistsA(file));
    CHECK_EQ(PathIsDirectoryA(file), FALSE);
    // Windows separators reach the same file.
    for (char *p = file; *p; p++)
        if (*p == '/')
            *p = '\\';
    CHECK(PathFileExistsA(file));
    WCHAR wfile[MAX_PATH];
    MultiByteToWideChar(CP_UTF8, 0, file, -1, wfile, MAX_PATH);
    CHECK(PathFileExists(wfile));
    CHECK_EQ(PathIsDirectory(wfile), FALSE);
    CHECK(PathRemoveFileSpec(wfile));
    CHECK_EQ(PathIsDirectory(wfile), FILE_ATTRIBUTE_DIRECTORY);
    CHECK(!PathFileExistsA(nullptr));
    CHECK(DeleteFileA(file));
    CHECK(RemoveDirectoryA(dir));
}

static void test_strings()
{
    CHECK_EQ(StrCmpIW(L"Content-Type", L"content-type"), 0);
    CHECK(StrCmpIW(L"abc", L"ABD") < 0);
    CHECK(StrCmpIW(L"abcd", L"ABC") > 0);
    CHECK(StrCmpI(L"\x00e9t\x00e9", L"\x00e9T\x00e9") == 0);
    CHECK_EQ(StrCmpIA("GZIP", "gzip"), 0);
    CHECK(StrCmpIA("a", "B") < 0);
    CHECK_EQ(StrCmpNIA("gzip, deflate", "GZIP", 4), 0);
    CHECK(StrCmpNIW(L"gzi", L"GZIP", 4) < 0);

    const WCHAR *accept = L"text/html, Application/JSON";
    CHECK(StrStrIW(accept, L"application/json") == accept + 11);
    CHECK(StrStrIW(accept, L"xml") == nullptr);
    CHECK(StrStrIW(accept, L"") == nullptr);
    const char *ua = "Mozilla/5.0 (MSIE 10.0)";
    CHECK(StrStrIA(ua, "msie") == ua + 13);
    CHECK(StrStrA(ua, "msie") == nullptr);
    CHECK(StrStrA(ua, "MSIE") == ua + 13);
    CHECK(StrStrW(L"abcabc", L"ca") != nullptr);
    CHECK(StrStrI(L"x", nullptr) == nullptr);
}

int main()
{
    test_find();
    test_remove();
    test_build();
    test_files();
    test_strings();
    return check_finish();
}
