/*
 * env_system.c - environment and system information (iishost/sysinfo.h) in
 * strict ISO C: Get/SetEnvironmentVariable, ExpandEnvironmentStrings with
 * their size contracts, the environment block, computer names, current and
 * temporary directories, and GetSystemInfo.
 */
#include <windows.h>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

static void test_variables(void)
{
    char buf[64];
    WCHAR wbuf[64];
    DWORD n;

    CHECK(SetEnvironmentVariableA("IISHOST_T1", "value one"));
    n = GetEnvironmentVariableA("IISHOST_T1", buf, sizeof(buf));
    CHECK_EQ(n, 9);
    CHECK_STR(buf, "value one");
    /* Too small: the size needed, terminator included; nothing written. */
    strcpy(buf, "keep");
    CHECK_EQ(GetEnvironmentVariableA("IISHOST_T1", buf, 9), 10);
    CHECK_STR(buf, "keep");
    CHECK_EQ(GetEnvironmentVariableA("IISHOST_T1", NULL, 0), 10);
    CHECK_EQ(GetEnvironmentVariableA("IISHOST_T1", buf, 10), 9);

    /* Wide, with characters outside ASCII: counts are WCHARs. */
    CHECK(SetEnvironmentVariableW(L"IISHOST_T2", L"caf\x00e9"));
    CHECK_EQ(GetEnvironmentVariableW(L"IISHOST_T2", wbuf, 64), 4);
    CHECK_WSTR(wbuf, L"caf\x00e9");
    CHECK_EQ(GetEnvironmentVariableW(L"IISHOST_T2", wbuf, 4), 5);
    CHECK_EQ(GetEnvironmentVariableA("IISHOST_T2", buf, sizeof(buf)), 5);
    CHECK_STR(buf, "caf\xc3\xa9");
    CHECK_STR(getenv("IISHOST_T2"), "caf\xc3\xa9");

    /* Missing variables. */
    SetLastError(0);
    CHECK_EQ(GetEnvironmentVariableA("IISHOST_MISSING", buf, sizeof(buf)), 0);
    CHECK_EQ(GetLastError(), ERROR_ENVVAR_NOT_FOUND);
    SetLastError(0);
    CHECK_EQ(GetEnvironmentVariableW(L"IISHOST_MISSING", wbuf, 64), 0);
    CHECK_EQ(GetLastError(), ERROR_ENVVAR_NOT_FOUND);
    /* An empty one: 0, but no error. */
    CHECK(SetEnvironmentVariableA("IISHOST_EMPTY", ""));
    SetLastError(99);
    CHECK_EQ(GetEnvironmentVariableA("IISHOST_EMPTY", buf, sizeof(buf)), 0);
    CHECK_EQ(GetLastError(), ERROR_SUCCESS);
    CHECK_STR(buf, "");

    /* Deleting, and names Windows refuses. */
    CHECK(SetEnvironmentVariableA("IISHOST_T1", NULL));
    CHECK_EQ(GetEnvironmentVariableA("IISHOST_T1", buf, sizeof(buf)), 0);
    CHECK_EQ(GetLastError(), ERROR_ENVVAR_NOT_FOUND);
    CHECK(SetEnvironmentVariableA("IISHOST_T1", NULL));
    CHECK(!SetEnvironmentVariableA("A=B", "x"));
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK(!SetEnvironmentVariableA("", "x"));
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK(!SetEnvironmentVariableW(NULL, L"x"));
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
}

static void test_expand(void)
{
    char buf[128];
    WCHAR wbuf[128];
    DWORD n;

    SetEnvironmentVariableA("IISHOST_ROOT", "/srv/site");
    SetEnvironmentVariableA("IISHOST_NAME", "app");
    n = ExpandEnvironmentStringsA("%IISHOST_ROOT%\\%IISHOST_NAME%.config", buf, sizeof(buf));
    CHECK_STR(buf, "/srv/site\\app.config");
    CHECK_EQ(n, strlen("/srv/site\\app.config") + 1);
    /* Unknown names, lone and empty %s stay as they are. */
    n = ExpandEnvironmentStringsA("%IISHOST_NOPE%/x%%y 50% %IISHOST_NAME%", buf, sizeof(buf));
    CHECK_STR(buf, "%IISHOST_NOPE%/x%%y 50% app");
    n = ExpandEnvironmentStringsA("%IISHOST_NOPE%IISHOST_NAME%", buf, sizeof(buf));
    CHECK_STR(buf, "%IISHOST_NOPEapp");
    CHECK_EQ(n, 17);
    /* Too small: the size needed, nothing written. */
    strcpy(buf, "keep");
    CHECK_EQ(ExpandEnvironmentStringsA("[%IISHOST_NAME%]", buf, 5), 6);
    CHECK_STR(buf, "keep");
    CHECK_EQ(ExpandEnvironmentStringsA("[%IISHOST_NAME%]", NULL, 0), 6);
    CHECK_EQ(ExpandEnvironmentStringsA("[%IISHOST_NAME%]", buf, 6), 6);
    CHECK_STR(buf, "[app]");
    CHECK_EQ(ExpandEnvironmentStringsA("", buf, sizeof(buf)), 1);
    CHECK_STR(buf, "");

    n = ExpandEnvironmentStringsW(L"%IISHOST_ROOT%\\\x00e9", wbuf, 128);
    CHECK_WSTR(wbuf, L"/srv/site\\\x00e9");
    CHECK_EQ(n, 12);
    CHECK_EQ(ExpandEnvironmentStringsW(L"%IISHOST_ROOT%", wbuf, 9), 10);
    CHECK_EQ(ExpandEnvironmentStringsW(NULL, wbuf, 9), 0);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
}

static void test_block(void)
{
    LPWCH block = GetEnvironmentStringsW(), p;
    int found = 0, count = 0;
    SetEnvironmentVariableA("IISHOST_BLOCK", "in block");
    FreeEnvironmentStringsW(block);
    block = GetEnvironmentStringsW();
    CHECK(block != NULL);
    for (p = block; *p; p += wcslen(p) + 1) {
        count++;
        if (wcscmp(p, L"IISHOST_BLOCK=in block") == 0)
            found = 1;
    }
    CHECK(found);
    CHECK(count > 1);
    CHECK(FreeEnvironmentStringsW(block));
}

static void test_names(void)
{
    char host[256], buf[256], want[16];
    WCHAR wbuf[256];
    DWORD size, i;
    char *dot;

    CHECK(gethostname(host, sizeof(host)) == 0);
    host[255] = 0;
    dot = strchr(host, '.');
    for (i = 0; host[i] && host[i] != '.' && i < MAX_COMPUTERNAME_LENGTH; i++)
        want[i] = (char)(host[i] >= 'a' && host[i] <= 'z' ? host[i] - 32 : host[i]);
    want[i] = 0;

    size = sizeof(buf);
    CHECK(GetComputerNameA(buf, &size));
    CHECK_STR(buf, want);
    CHECK_EQ(size, strlen(want));
    /* Too small: ERROR_BUFFER_OVERFLOW and the size needed. */
    size = 1;
    CHECK(!GetComputerNameA(buf, &size));
    CHECK_EQ(GetLastError(), ERROR_BUFFER_OVERFLOW);
    CHECK_EQ(size, strlen(want) + 1);
    size = 256;
    CHECK(GetComputerNameW(wbuf, &size));
    CHECK_EQ(size, strlen(want));
    CHECK_EQ(wbuf[0], (WCHAR)want[0]);

    size = sizeof(buf);
    CHECK(GetComputerNameExA(ComputerNameDnsFullyQualified, buf, &size));
    CHECK_STR(buf, host);
    size = sizeof(buf);
    CHECK(GetComputerNameExA(ComputerNameDnsHostname, buf, &size));
    CHECK(strncmp(buf, host, size) == 0 && (host[size] == 0 || host[size] == '.'));
    size = sizeof(buf);
    CHECK(GetComputerNameExA(ComputerNameDnsDomain, buf, &size));
    CHECK_STR(buf, dot != NULL ? dot + 1 : "");
    /* Asking the size: ERROR_MORE_DATA. */
    size = 0;
    CHECK(!GetComputerNameExW(ComputerNameDnsFullyQualified, NULL, &size));
    CHECK_EQ(GetLastError(), ERROR_MORE_DATA);
    CHECK_EQ(size, strlen(host) + 1);
    CHECK(GetComputerNameExW(ComputerNameDnsFullyQualified, wbuf, &size));
    CHECK_EQ(size, strlen(host));
    size = sizeof(buf);
    CHECK(!GetComputerNameExA(ComputerNameMax, buf, &size));
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
}

static void test_directories(void)
{
    char start[512], buf[512], dir[64];
    WCHAR wbuf[512];
    DWORD n;

    snprintf(dir, sizeof(dir), "/tmp/iishost-sys-%d", (int)getpid());
    CHECK(mkdir(dir, 0700) == 0);
    CHECK(getcwd(start, sizeof(start)) != NULL);
    n = GetCurrentDirectoryA(sizeof(buf), buf);
    CHECK_STR(buf, start);
    CHECK_EQ(n, strlen(start));
    CHECK_EQ(GetCurrentDirectoryA(0, NULL), strlen(start) + 1);
    CHECK_EQ(GetCurrentDirectoryA((DWORD)strlen(start), buf), strlen(start) + 1);

    CHECK(SetCurrentDirectoryA(dir));
    CHECK_EQ(GetCurrentDirectoryW(512, wbuf), strlen(dir));
    CHECK_EQ(wbuf[0], L'/');
    CHECK(SetCurrentDirectoryW(L"..\\"));
    n = GetCurrentDirectoryA(sizeof(buf), buf);
    CHECK_STR(buf, "/tmp");
    CHECK(!SetCurrentDirectoryA("/tmp/iishost-no/such"));
    CHECK_EQ(GetLastError(), ERROR_PATH_NOT_FOUND);
    CHECK(!SetCurrentDirectoryA("/etc/hostname"));
    CHECK_EQ(GetLastError(), ERROR_DIRECTORY);
    CHECK(SetCurrentDirectoryA(start));
    CHECK(rmdir(dir) == 0);

    /* GetTempPath: TMPDIR with one trailing separator, else /tmp/. */
    SetEnvironmentVariableA("TMPDIR", "/var/tmp//");
    n = GetTempPathA(sizeof(buf), buf);
    CHECK_STR(buf, "/var/tmp/");
    CHECK_EQ(n, 9);
    CHECK_EQ(GetTempPathA(9, buf), 10);
    SetEnvironmentVariableA("TMPDIR", NULL);
    n = GetTempPathW(512, wbuf);
    CHECK_WSTR(wbuf, L"/tmp/");
    CHECK_EQ(n, 5);
    CHECK_EQ(GetTempPathW(2, wbuf), 6);
}

static void test_system_info(void)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    CHECK_EQ(si.dwNumberOfProcessors, sysconf(_SC_NPROCESSORS_ONLN));
    CHECK_EQ(si.dwPageSize, sysconf(_SC_PAGESIZE));
    CHECK(si.dwAllocationGranularity >= si.dwPageSize);
    CHECK(si.dwActiveProcessorMask != 0);
#if defined(__x86_64__)
    CHECK_EQ(si.wProcessorArchitecture, PROCESSOR_ARCHITECTURE_AMD64);
#elif defined(__aarch64__)
    CHECK_EQ(si.wProcessorArchitecture, PROCESSOR_ARCHITECTURE_ARM64);
#endif
    GetNativeSystemInfo(&si);
    CHECK_EQ(si.dwNumberOfProcessors, sysconf(_SC_NPROCESSORS_ONLN));
}

int main(void)
{
    test_variables();
    test_expand();
    test_block();
    test_names();
    test_directories();
    test_system_info();
    return check_finish();
}
