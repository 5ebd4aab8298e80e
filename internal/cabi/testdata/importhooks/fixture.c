/* A module's calls of the functions the host diverts (import_hooks_test.go). Built twice: as
   fixture.dll, whose imports the harness hooks, and as control.dll, whose imports it leaves. */
#include <windows.h>
#include <objbase.h>
#include <stdio.h>

static const GUID adminManager = {0x228FB8F7, 0xFB53, 0x4FD5, {0x8C, 0x7B, 0xFF, 0x59, 0xDE, 0x60, 0x6C, 0x5B}};
static const GUID unknownClass = {0x5D3F0A6E, 0x41C2, 0x4B8F, {0x9E, 0x11, 0x2A, 0x7C, 0x03, 0xD4, 0x66, 0x90}};
static const GUID globalInterfaceTable = {0x00000323, 0, 0, {0xC0, 0, 0, 0, 0, 0, 0, 0x46}};
static const GUID iidUnknown = {0x00000000, 0, 0, {0xC0, 0, 0, 0, 0, 0, 0, 0x46}};

static void create(const char *what, const GUID *clsid, IUnknown *outer)
{
    void *object = NULL;
    HRESULT hr = CoCreateInstance(clsid, outer, CLSCTX_INPROC_SERVER, &iidUnknown, &object);
    printf("%s: hr=0x%08lX object=%s\n", what, (unsigned long)hr, object ? "yes" : "no");
    if (object) {
        ((IUnknown *)object)->lpVtbl->Release((IUnknown *)object);
    }
}

__declspec(dllexport) void Exercise(void)
{
    HANDLE w = RegisterEventSourceW(NULL, L"Fixture \x00e9v\x00e9nements");
    LPCWSTR wide[2] = {L"caf\x00e9", L"\xD83D\xDE00 grin"};
    printf("ReportEventW: %d\n", ReportEventW(w, EVENTLOG_WARNING_TYPE, 3, 1001, NULL, 2, 4, wide, "data"));
    SetLastError(0);
    BOOL ok = ReportEventW(w, EVENTLOG_ERROR_TYPE, 0, 1002, NULL, 1, 0, NULL, NULL);
    printf("ReportEventW without strings: %d error=%lu\n", ok, ok ? 0 : GetLastError());
    printf("DeregisterEventSource: %d\n", DeregisterEventSource(w));

    HANDLE a = RegisterEventSourceA(".", "Narrow");
    LPCSTR narrow[1] = {"plain text"};
    printf("ReportEventA: %d\n", ReportEventA(a, EVENTLOG_ERROR_TYPE, 0, 7, NULL, 1, 0, narrow, NULL));
    printf("DeregisterEventSource: %d\n", DeregisterEventSource(a));

    OutputDebugStringA("debug narrow\n");
    OutputDebugStringW(L"debug wide \x00fc");
    fflush(stdout);

    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    create("admin manager", &adminManager, NULL);
    IUnknown *outer = (IUnknown *)&outer; /* never called: aggregation is refused first */
    create("admin manager aggregated", &adminManager, outer);
    create("unknown class", &unknownClass, NULL);
    create("global interface table", &globalInterfaceTable, NULL);
    CoUninitialize();
    fflush(stdout);
}

__declspec(dllexport) void Say(const char *text)
{
    OutputDebugStringA(text);
}
