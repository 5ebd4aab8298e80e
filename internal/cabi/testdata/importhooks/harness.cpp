// Runs import_hooks_windows.cpp under Wine for import_hooks_test.go. "hooks": hooks fixture.dll's
// imports (and not control.dll's) and lets both call the diverted functions; "hostile": hooks
// crafted images in memory, each with one fault. Sink calls are printed as "sink <owner>: ...".
#include "import_hooks.h"

#include <objbase.h>

#include <cstdint>
#include <cstdio>
#include <cstring>

namespace {

const GUID adminManager = {0x228FB8F7, 0xFB53, 0x4FD5, {0x8C, 0x7B, 0xFF, 0x59, 0xDE, 0x60, 0x6C, 0x5B}};

// Control characters printed escaped, so that a line is one record.
void PrintEscaped(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n') {
            fputs("\\n", stdout);
        } else {
            putchar(*s);
        }
    }
}

const char *Name(void *owner)
{
    return static_cast<const char *>(owner);
}

void Event(void *owner, const char *source, WORD type, WORD category, DWORD id, WORD count, const char *const *strings,
           DWORD dataSize)
{
    printf("sink %s: event source=\"%s\" type=%u category=%u id=%lu data=%lu strings=", Name(owner), source, type,
           category, static_cast<unsigned long>(id), static_cast<unsigned long>(dataSize));
    for (WORD i = 0; i < count; i++) {
        printf("[%s]", strings[i]);
    }
    printf("\n");
}

void Debug(void *owner, const char *text)
{
    printf("sink %s: debug \"", Name(owner));
    PrintEscaped(text);
    printf("\"\n");
}

// The host's object for the admin manager's class: IUnknown is enough to follow its references.
class FakeAdmin final : public IUnknown {
public:
    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID iid, void **ppv) override
    {
        if (!IsEqualGUID(iid, IID_IUnknown)) {
            *ppv = nullptr;
            return E_NOINTERFACE;
        }
        *ppv = this;
        AddRef();
        return S_OK;
    }
    ULONG STDMETHODCALLTYPE AddRef() override { return ++refs_; }
    ULONG STDMETHODCALLTYPE Release() override
    {
        if (--refs_ == 0) {
            printf("sink: admin object released\n");
            delete this;
            return 0;
        }
        return refs_;
    }

private:
    ULONG refs_ = 1;
};

int Create(void *owner, const GUID *clsid, const GUID *iid, void **ppv, HRESULT *hr)
{
    if (!IsEqualGUID(*clsid, adminManager)) {
        return 0;
    }
    printf("sink %s: create admin manager\n", Name(owner));
    FakeAdmin *admin = new FakeAdmin;
    *hr = admin->QueryInterface(*iid, ppv);
    admin->Release();
    return 1;
}

iishost_import_sink SinkFor(const char *owner)
{
    return iishost_import_sink{const_cast<char *>(owner), Event, Debug, Create};
}

int Hook(HMODULE module, const char *owner)
{
    char error[256];
    iishost_import_sink sink = SinkFor(owner);
    int n = iishost_hook_imports(module, &sink, error, sizeof(error));
    if (n < 0) {
        printf("hook %s: error: %s\n", owner, error);
    } else {
        printf("hook %s: %d entries\n", owner, n);
    }
    return n;
}

template <class Fn> Fn Proc(HMODULE module, const char *name)
{
    return reinterpret_cast<Fn>(reinterpret_cast<void *>(GetProcAddress(module, name)));
}

int RunHooks()
{
    HMODULE fixture = LoadLibraryA("fixture.dll"), control = LoadLibraryA("control.dll");
    if (!fixture || !control) {
        printf("LoadLibrary failed: %lu\n", GetLastError());
        return 1;
    }
    typedef void (*ExerciseFn)(void);
    typedef void (*SayFn)(const char *);
    auto exerciseFixture = Proc<ExerciseFn>(fixture, "Exercise"), exerciseControl = Proc<ExerciseFn>(control, "Exercise");
    auto sayFixture = Proc<SayFn>(fixture, "Say"), sayControl = Proc<SayFn>(control, "Say");
    if (!exerciseFixture || !exerciseControl || !sayFixture || !sayControl) {
        printf("GetProcAddress failed\n");
        return 1;
    }

    if (Hook(fixture, "first") < 0) {
        return 1;
    }
    printf("== fixture\n");
    exerciseFixture();
    printf("== control\n");
    exerciseControl();
    sayControl("control says\n");
    printf("== again\n");
    Hook(fixture, "second");
    sayFixture("after the second host\n");
    fflush(stdout);
    return 0;
}

// ---------------------------------------------------------------- crafted images

// A crafted image: one import of OutputDebugStringA from KERNEL32.dll, laid out by hand.
struct Crafted {
    static const size_t kSize = 0x2000;
    static const DWORD kImports = 0x1000, kNames = 0x1100, kEntries = 0x1180, kDll = 0x1200, kHintName = 0x1300;
    uint8_t *base;

    IMAGE_DOS_HEADER *Dos() { return reinterpret_cast<IMAGE_DOS_HEADER *>(base); }
    IMAGE_NT_HEADERS64 *Nt() { return reinterpret_cast<IMAGE_NT_HEADERS64 *>(base + 0x80); }
    IMAGE_DATA_DIRECTORY *ImportDirectory() { return &Nt()->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT]; }
    IMAGE_IMPORT_DESCRIPTOR *Descriptor() { return reinterpret_cast<IMAGE_IMPORT_DESCRIPTOR *>(base + kImports); }
    uint64_t *Names() { return reinterpret_cast<uint64_t *>(base + kNames); }
    uint64_t *Entries() { return reinterpret_cast<uint64_t *>(base + kEntries); }

    Crafted()
    {
        base = static_cast<uint8_t *>(VirtualAlloc(nullptr, kSize, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE));
        Dos()->e_magic = IMAGE_DOS_SIGNATURE;
        Dos()->e_lfanew = 0x80;
        IMAGE_NT_HEADERS64 *nt = Nt();
        nt->Signature = IMAGE_NT_SIGNATURE;
        nt->FileHeader.Machine = IMAGE_FILE_MACHINE_AMD64;
        nt->FileHeader.SizeOfOptionalHeader = sizeof(IMAGE_OPTIONAL_HEADER64);
        nt->FileHeader.Characteristics = IMAGE_FILE_DLL | IMAGE_FILE_EXECUTABLE_IMAGE;
        nt->OptionalHeader.Magic = IMAGE_NT_OPTIONAL_HDR64_MAGIC;
        nt->OptionalHeader.SizeOfImage = kSize;
        nt->OptionalHeader.NumberOfRvaAndSizes = IMAGE_NUMBEROF_DIRECTORY_ENTRIES;
        *ImportDirectory() = IMAGE_DATA_DIRECTORY{kImports, 2 * sizeof(IMAGE_IMPORT_DESCRIPTOR)};
        IMAGE_IMPORT_DESCRIPTOR *d = Descriptor();
        d->OriginalFirstThunk = kNames;
        d->Name = kDll;
        d->FirstThunk = kEntries;
        Names()[0] = kHintName;
        Entries()[0] = reinterpret_cast<uint64_t>(&OutputDebugStringA);
        strcpy(reinterpret_cast<char *>(base + kDll), "KERNEL32.dll");
        strcpy(reinterpret_cast<char *>(base + kHintName + 2), "OutputDebugStringA");
    }
};

void Case(const char *name, void (*patch)(Crafted &))
{
    Crafted c;
    patch(c);
    printf("%s: ", name);
    char error[256];
    iishost_import_sink sink = SinkFor("crafted");
    int n = iishost_hook_imports(reinterpret_cast<HMODULE>(c.base), &sink, error, sizeof(error));
    if (n < 0) {
        printf("error: %s\n", error);
    } else {
        printf("%d entries\n", n);
    }
    if (n <= 0) {
        VirtualFree(c.base, 0, MEM_RELEASE); // a hooked image stays: its slot points into it
    }
}

int RunHostile()
{
    Case("no MZ", [](Crafted &c) { c.Dos()->e_magic = 0; });
    Case("PE header far outside", [](Crafted &c) { c.Dos()->e_lfanew = 0x7FFFFFF0; });
    Case("negative PE header offset", [](Crafted &c) { c.Dos()->e_lfanew = -8; });
    Case("PE header across the end", [](Crafted &c) { c.Dos()->e_lfanew = Crafted::kSize - 16; });
    Case("no PE signature", [](Crafted &c) { c.Nt()->Signature = 0; });
    Case("PE32 image", [](Crafted &c) { c.Nt()->OptionalHeader.Magic = IMAGE_NT_OPTIONAL_HDR32_MAGIC; });
    Case("SizeOfImage beyond the mapping", [](Crafted &c) { c.Nt()->OptionalHeader.SizeOfImage = 0x100000; });
    Case("import directory past the image", [](Crafted &c) { *c.ImportDirectory() = {0x1F00, 0x1000}; });
    Case("import directory of 4 GiB", [](Crafted &c) { c.ImportDirectory()->Size = 0xFFFFFFFF; });
    Case("DLL name outside", [](Crafted &c) { c.Descriptor()->Name = 0xFFFF0000; });
    Case("DLL name unterminated", [](Crafted &c) {
        c.Descriptor()->Name = Crafted::kSize - 4;
        memset(c.base + Crafted::kSize - 4, 'A', 4);
    });
    Case("name table across the end", [](Crafted &c) { c.Descriptor()->OriginalFirstThunk = Crafted::kSize - 4; });
    Case("entry table outside", [](Crafted &c) { c.Descriptor()->FirstThunk = 0xFFFFFFF0; });
    Case("function name outside", [](Crafted &c) { c.Names()[0] = 0x7FFFFF00; });
    Case("misaligned entry", [](Crafted &c) { c.Descriptor()->FirstThunk = Crafted::kEntries + 1; });
    Case("no import directory", [](Crafted &c) { *c.ImportDirectory() = {0, 0}; });
    Case("too few data directories", [](Crafted &c) { c.Nt()->OptionalHeader.NumberOfRvaAndSizes = 1; });
    Case("not a system DLL", [](Crafted &c) { strcpy(reinterpret_cast<char *>(c.base + Crafted::kDll), "helper.dll"); });
    Case("by ordinal", [](Crafted &c) { c.Names()[0] = IMAGE_ORDINAL_FLAG64 | 5; });
    Case("other function", [](Crafted &c) {
        strcpy(reinterpret_cast<char *>(c.base + Crafted::kHintName + 2), "OutputDebugStringAX");
    });

    void *unreadable = VirtualAlloc(nullptr, 4096, MEM_COMMIT | MEM_RESERVE, PAGE_NOACCESS);
    char error[256];
    iishost_import_sink sink = SinkFor("crafted");
    int n = iishost_hook_imports(static_cast<HMODULE>(unreadable), &sink, error, sizeof(error));
    printf("unreadable: %d %s\n", n, error);

    // A valid image is hooked, and a call through its entry reaches the sink.
    Crafted valid;
    void *before = reinterpret_cast<void *>(valid.Entries()[0]);
    printf("valid: %d entries\n", iishost_hook_imports(reinterpret_cast<HMODULE>(valid.base), &sink, error, sizeof(error)));
    printf("entry changed: %s\n", reinterpret_cast<void *>(valid.Entries()[0]) != before ? "yes" : "no");
    reinterpret_cast<void(WINAPI *)(LPCSTR)>(valid.Entries()[0])("through a crafted entry");

    // Every module takes a place, up to the limit.
    int more = 0;
    for (;;) {
        Crafted c;
        if (iishost_hook_imports(reinterpret_cast<HMODULE>(c.base), &sink, error, sizeof(error)) < 0) {
            printf("limit: %d more hooked, then: %s\n", more, error);
            break;
        }
        more++;
    }
    fflush(stdout);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "hooks") == 0) {
        return RunHooks();
    }
    if (argc == 2 && strcmp(argv[1], "hostile") == 0) {
        return RunHostile();
    }
    fprintf(stderr, "usage: harness hooks|hostile\n");
    return 2;
}
