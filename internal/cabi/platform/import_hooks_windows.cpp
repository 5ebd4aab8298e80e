// Import address table hooks (import_hooks.h): a bounds-checked walk of a loaded module's
// imports, and the replacement functions. Each hooked module gets its own instances of the
// replacements (SlotHooks<N>), so that a call knows which module made it without looking at
// return addresses, which a tail call would make wrong.
#include "import_hooks.h"

#include <objbase.h>

#include <atomic>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace {

enum HookedFunction {
    kRegisterEventSourceA,
    kRegisterEventSourceW,
    kReportEventA,
    kReportEventW,
    kDeregisterEventSource,
    kOutputDebugStringA,
    kOutputDebugStringW,
    kCoCreateInstance,
    kHookedFunctionCount
};

const char *const kFunctionNames[kHookedFunctionCount] = {
    "RegisterEventSourceA", "RegisterEventSourceW", "ReportEventA",       "ReportEventW",
    "DeregisterEventSource", "OutputDebugStringA",  "OutputDebugStringW", "CoCreateInstance",
};

// One hooked module: its sink, and what its import entries held before (the functions calls go
// on to when they are not the host's).
struct HookedModule {
    HMODULE module = nullptr;
    int entries = 0;
    std::atomic<const iishost_import_sink *> sink{nullptr};
    std::atomic<void *> original[kHookedFunctionCount] = {};
};

std::mutex installLock; // guards hookedCount and each HookedModule's module and entries
HookedModule hooked[IISHOST_MAX_HOOKED_MODULES];
int hookedCount = 0;

const iishost_import_sink *SinkOf(size_t slot)
{
    return hooked[slot].sink.load(std::memory_order_acquire);
}

template <class Fn> Fn OriginalOf(size_t slot, HookedFunction f)
{
    return reinterpret_cast<Fn>(hooked[slot].original[f].load(std::memory_order_acquire));
}

// ---------------------------------------------------------------- text

std::string Utf8FromWide(const WCHAR *s)
{
    if (!s || !*s) {
        return std::string();
    }
    int n = WideCharToMultiByte(CP_UTF8, 0, s, -1, nullptr, 0, nullptr, nullptr);
    if (n <= 1) {
        return std::string();
    }
    std::string out(static_cast<size_t>(n), '\0');
    WideCharToMultiByte(CP_UTF8, 0, s, -1, &out[0], n, nullptr, nullptr);
    out.resize(static_cast<size_t>(n) - 1);
    return out;
}

// ANSI functions take text in the process's code page; records are UTF-8.
std::string Utf8FromAnsi(const char *s)
{
    if (!s || !*s) {
        return std::string();
    }
    if (GetACP() == CP_UTF8) {
        return s;
    }
    int n = MultiByteToWideChar(CP_ACP, 0, s, -1, nullptr, 0);
    if (n <= 1) {
        return std::string();
    }
    std::wstring wide(static_cast<size_t>(n), L'\0');
    MultiByteToWideChar(CP_ACP, 0, s, -1, &wide[0], n);
    return Utf8FromWide(wide.c_str());
}

// ---------------------------------------------------------------- event sources

// The handles RegisterEventSource gave out: a source's name. Any other handle came from
// Windows (a remote log) and goes back to it.
struct EventSource {
    std::string name;
};
std::mutex sourcesLock;
std::unordered_set<const EventSource *> sources;

bool IsLocalServer(const std::string &server)
{
    return server.empty() || server == ".";
}

HANDLE NewSource(std::string name)
{
    try {
        auto *s = new EventSource{std::move(name)};
        std::lock_guard<std::mutex> lock(sourcesLock);
        sources.insert(s);
        return reinterpret_cast<HANDLE>(s);
    } catch (const std::bad_alloc &) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return nullptr;
    }
}

// SourceName copies the name of one of our handles; false for a handle Windows gave.
bool SourceName(HANDLE h, std::string *name)
{
    std::lock_guard<std::mutex> lock(sourcesLock);
    auto it = sources.find(reinterpret_cast<const EventSource *>(h));
    if (it == sources.end()) {
        return false;
    }
    *name = (*it)->name;
    return true;
}

// What differs between the ANSI and the wide functions: the text and which original to call.
template <class Char> struct Text;
template <> struct Text<char> {
    static std::string Utf8(const char *s) { return Utf8FromAnsi(s); }
    static constexpr HookedFunction kRegister = kRegisterEventSourceA, kReport = kReportEventA;
    typedef decltype(&RegisterEventSourceA) RegisterFn;
    typedef decltype(&ReportEventA) ReportFn;
};
template <> struct Text<WCHAR> {
    static std::string Utf8(const WCHAR *s) { return Utf8FromWide(s); }
    static constexpr HookedFunction kRegister = kRegisterEventSourceW, kReport = kReportEventW;
    typedef decltype(&RegisterEventSourceW) RegisterFn;
    typedef decltype(&ReportEventW) ReportFn;
};

template <class Char> HANDLE RegisterSource(size_t slot, const Char *server, const Char *source)
{
    try {
        if (!IsLocalServer(Text<Char>::Utf8(server))) {
            return OriginalOf<typename Text<Char>::RegisterFn>(slot, Text<Char>::kRegister)(server, source);
        }
        return NewSource(Text<Char>::Utf8(source));
    } catch (const std::bad_alloc &) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return nullptr;
    }
}

BOOL Deregister(size_t slot, HANDLE h)
{
    {
        std::lock_guard<std::mutex> lock(sourcesLock);
        auto it = sources.find(reinterpret_cast<const EventSource *>(h));
        if (it != sources.end()) {
            delete *it;
            sources.erase(it);
            return TRUE;
        }
    }
    return OriginalOf<decltype(&DeregisterEventSource)>(slot, kDeregisterEventSource)(h);
}

// Report hands one event of our handles to the module's sink, its strings in UTF-8.
template <class Char>
BOOL Report(size_t slot, HANDLE h, WORD type, WORD category, DWORD eventId, PSID user, WORD numStrings,
            DWORD dataSize, const Char **strings, LPVOID data)
{
    try {
        std::string source;
        if (!SourceName(h, &source)) {
            return OriginalOf<typename Text<Char>::ReportFn>(slot, Text<Char>::kReport)(
                h, type, category, eventId, user, numStrings, dataSize, strings, data);
        }
        if (numStrings && !strings) {
            SetLastError(ERROR_INVALID_PARAMETER);
            return FALSE;
        }
        std::vector<std::string> texts;
        texts.reserve(numStrings);
        std::vector<const char *> pointers;
        for (WORD i = 0; i < numStrings; i++) {
            texts.push_back(Text<Char>::Utf8(strings[i]));
        }
        for (const std::string &t : texts) {
            pointers.push_back(t.c_str());
        }
        const iishost_import_sink *sink = SinkOf(slot);
        if (sink && sink->event) {
            sink->event(sink->owner, source.c_str(), type, category, eventId, numStrings, pointers.data(), dataSize);
        }
        return TRUE;
    } catch (const std::bad_alloc &) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
}

// ---------------------------------------------------------------- OutputDebugString, CoCreateInstance

template <class Char> void DebugString(size_t slot, const Char *text)
{
    try {
        const iishost_import_sink *sink = SinkOf(slot);
        if (sink && sink->debug_string) {
            sink->debug_string(sink->owner, Text<Char>::Utf8(text).c_str());
        }
    } catch (const std::bad_alloc &) {
        // OutputDebugString has no way to fail
    }
}

// The references are pointers here: C modules pass them so, and a null one must be checkable.
HRESULT CreateInstance(size_t slot, const CLSID *clsid, IUnknown *outer, DWORD context, const IID *iid, void **ppv)
{
    const iishost_import_sink *sink = SinkOf(slot);
    if (sink && sink->create_instance && clsid && iid && ppv) {
        HRESULT hr = E_FAIL;
        void *object = nullptr;
        if (sink->create_instance(sink->owner, clsid, iid, &object, &hr)) {
            if (outer && object) { // the host's objects cannot be aggregated
                static_cast<IUnknown *>(object)->Release();
                object = nullptr;
                hr = CLASS_E_NOAGGREGATION;
            }
            *ppv = object;
            return hr;
        }
    }
    typedef HRESULT(WINAPI * CoCreateInstanceFn)(const CLSID *, IUnknown *, DWORD, const IID *, void **);
    return OriginalOf<CoCreateInstanceFn>(slot, kCoCreateInstance)(clsid, outer, context, iid, ppv);
}

// One module's replacement functions, with the signatures of the ones they replace.
template <size_t Slot> struct SlotHooks {
    static HANDLE WINAPI HookRegisterEventSourceA(LPCSTR server, LPCSTR source)
    {
        return RegisterSource(Slot, server, source);
    }
    static HANDLE WINAPI HookRegisterEventSourceW(LPCWSTR server, LPCWSTR source)
    {
        return RegisterSource(Slot, server, source);
    }
    static BOOL WINAPI HookReportEventA(HANDLE h, WORD type, WORD category, DWORD eventId, PSID user, WORD numStrings,
                                       DWORD dataSize, LPCSTR *strings, LPVOID data)
    {
        return Report(Slot, h, type, category, eventId, user, numStrings, dataSize, strings, data);
    }
    static BOOL WINAPI HookReportEventW(HANDLE h, WORD type, WORD category, DWORD eventId, PSID user, WORD numStrings,
                                       DWORD dataSize, LPCWSTR *strings, LPVOID data)
    {
        return Report(Slot, h, type, category, eventId, user, numStrings, dataSize, strings, data);
    }
    static BOOL WINAPI HookDeregisterEventSource(HANDLE h) { return Deregister(Slot, h); }
    static void WINAPI HookOutputDebugStringA(LPCSTR text) { DebugString(Slot, text); }
    static void WINAPI HookOutputDebugStringW(LPCWSTR text) { DebugString(Slot, text); }
    static HRESULT WINAPI HookCoCreateInstance(const CLSID *clsid, IUnknown *outer, DWORD context, const IID *iid,
                                               void **ppv)
    {
        return CreateInstance(Slot, clsid, outer, context, iid, ppv);
    }

    static void Fill(void **row)
    {
        row[kRegisterEventSourceA] = reinterpret_cast<void *>(&HookRegisterEventSourceA);
        row[kRegisterEventSourceW] = reinterpret_cast<void *>(&HookRegisterEventSourceW);
        row[kReportEventA] = reinterpret_cast<void *>(&HookReportEventA);
        row[kReportEventW] = reinterpret_cast<void *>(&HookReportEventW);
        row[kDeregisterEventSource] = reinterpret_cast<void *>(&HookDeregisterEventSource);
        row[kOutputDebugStringA] = reinterpret_cast<void *>(&HookOutputDebugStringA);
        row[kOutputDebugStringW] = reinterpret_cast<void *>(&HookOutputDebugStringW);
        row[kCoCreateInstance] = reinterpret_cast<void *>(&HookCoCreateInstance);
    }
};

void *hookTable[IISHOST_MAX_HOOKED_MODULES][kHookedFunctionCount];

template <size_t... Slots> void FillHookTable(std::index_sequence<Slots...>)
{
    (SlotHooks<Slots>::Fill(hookTable[Slots]), ...);
}

// ---------------------------------------------------------------- the import walk

int Fail(char *error, size_t errorLen, const char *format, ...)
{
    if (error && errorLen) {
        va_list args;
        va_start(args, format);
        vsnprintf(error, errorLen, format, args);
        va_end(args);
    }
    return -1;
}

// ReadableSpan is how many bytes from base belong to its allocation and can be read: the
// bound for everything the walk reads, whatever the headers claim.
size_t ReadableSpan(const uint8_t *base)
{
    size_t total = 0;
    MEMORY_BASIC_INFORMATION mbi;
    while (VirtualQuery(base + total, &mbi, sizeof(mbi)) == sizeof(mbi)) {
        const DWORD unreadable = PAGE_NOACCESS | PAGE_GUARD;
        if (mbi.AllocationBase != base || mbi.State != MEM_COMMIT || !mbi.Protect || (mbi.Protect & unreadable)) {
            break;
        }
        size_t into = static_cast<size_t>(base + total - static_cast<const uint8_t *>(mbi.BaseAddress));
        total += mbi.RegionSize - into;
    }
    return total;
}

// ImageView reads a loaded image by RVA, never past size bytes.
struct ImageView {
    const uint8_t *base;
    size_t size;

    bool Has(uint64_t rva, uint64_t length) const { return rva <= size && length <= size - rva; }

    template <class T> bool Read(uint64_t rva, T *out) const
    {
        if (!Has(rva, sizeof(T))) {
            return false;
        }
        memcpy(out, base + rva, sizeof(T));
        return true;
    }

    // The NUL-terminated string at rva, or null when it is outside or runs off the end.
    const char *String(uint64_t rva) const
    {
        if (!Has(rva, 1)) {
            return nullptr;
        }
        const void *nul = memchr(base + rva, 0, size - rva);
        return nul ? reinterpret_cast<const char *>(base + rva) : nullptr;
    }
};

// Only imports from the system DLLs that provide these functions are diverted; a module's own
// DLL exporting the same name is left alone.
bool IsSystemDll(const char *name)
{
    static const char *const dlls[] = {"kernel32.dll", "kernelbase.dll", "advapi32.dll", "sechost.dll",
                                       "ole32.dll",    "combase.dll"};
    for (const char *dll : dlls) {
        if (_stricmp(name, dll) == 0) {
            return true;
        }
    }
    return _strnicmp(name, "api-ms-win-", 11) == 0 || _strnicmp(name, "ext-ms-win-", 11) == 0;
}

struct ImportEntry {
    void **entry;
    HookedFunction function;
};

// FindEntries lists the module's import address table entries for the hooked functions.
int FindEntries(HMODULE module, std::vector<ImportEntry> *out, char *error, size_t errorLen)
{
    const uint8_t *base = reinterpret_cast<const uint8_t *>(module);
    size_t mapped = base ? ReadableSpan(base) : 0;
    ImageView headers{base, mapped};
    IMAGE_DOS_HEADER dos;
    if (!headers.Read(0, &dos)) {
        return Fail(error, errorLen, "the module's first bytes are not readable");
    }
    if (dos.e_magic != IMAGE_DOS_SIGNATURE) {
        return Fail(error, errorLen, "no DOS (MZ) header at the module's base");
    }
    uint32_t ntOffset = static_cast<uint32_t>(dos.e_lfanew);
    IMAGE_NT_HEADERS64 nt;
    if (!headers.Read(ntOffset, &nt)) {
        return Fail(error, errorLen, "PE header at 0x%X is outside the %zu bytes mapped", ntOffset, mapped);
    }
    if (nt.Signature != IMAGE_NT_SIGNATURE) {
        return Fail(error, errorLen, "no PE signature at 0x%X", ntOffset);
    }
    if (nt.OptionalHeader.Magic != IMAGE_NT_OPTIONAL_HDR64_MAGIC) {
        return Fail(error, errorLen, "not a PE32+ (64-bit) image: optional header magic 0x%X", nt.OptionalHeader.Magic);
    }
    size_t imageSize = nt.OptionalHeader.SizeOfImage;
    if (imageSize > mapped) {
        return Fail(error, errorLen, "SizeOfImage 0x%zX exceeds the %zu bytes mapped", imageSize, mapped);
    }
    const size_t directoriesEnd =
        offsetof(IMAGE_OPTIONAL_HEADER64, DataDirectory) + (IMAGE_DIRECTORY_ENTRY_IMPORT + 1) * sizeof(IMAGE_DATA_DIRECTORY);
    if (nt.OptionalHeader.NumberOfRvaAndSizes <= IMAGE_DIRECTORY_ENTRY_IMPORT ||
        nt.FileHeader.SizeOfOptionalHeader < directoriesEnd) {
        return 0; // no import directory
    }
    const IMAGE_DATA_DIRECTORY dir = nt.OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
    if (!dir.VirtualAddress || !dir.Size) {
        return 0;
    }
    ImageView image{base, imageSize};
    if (!image.Has(dir.VirtualAddress, dir.Size)) {
        return Fail(error, errorLen, "import directory (RVA 0x%X, %u bytes) runs past the image's %zu bytes",
                    static_cast<unsigned>(dir.VirtualAddress), static_cast<unsigned>(dir.Size), imageSize);
    }
    const size_t count = dir.Size / sizeof(IMAGE_IMPORT_DESCRIPTOR);
    for (size_t i = 0; i < count; i++) {
        IMAGE_IMPORT_DESCRIPTOR d = {};
        if (!image.Read(dir.VirtualAddress + i * sizeof(d), &d) || (!d.Name && !d.FirstThunk)) {
            break;
        }
        const char *dll = image.String(d.Name);
        if (!dll) {
            return Fail(error, errorLen, "import %zu: DLL name at RVA 0x%X is outside the image or unterminated", i,
                        static_cast<unsigned>(d.Name));
        }
        // Without the name table (OriginalFirstThunk) a bound import cannot be matched by name.
        if (!IsSystemDll(dll) || !d.OriginalFirstThunk) {
            continue;
        }
        for (uint64_t k = 0;; k++) {
            const uint64_t nameRVA = d.OriginalFirstThunk + k * sizeof(uint64_t);
            const uint64_t entryRVA = uint64_t(d.FirstThunk) + k * sizeof(uint64_t);
            uint64_t thunk = 0, bound = 0;
            if (!image.Read(nameRVA, &thunk) || !image.Read(entryRVA, &bound)) {
                return Fail(error, errorLen, "import %zu (%s): entry %llu is outside the image", i, dll,
                            static_cast<unsigned long long>(k));
            }
            if (!thunk) {
                break;
            }
            if (thunk & IMAGE_ORDINAL_FLAG64) {
                continue; // by ordinal: not one of ours
            }
            const char *name = image.String((thunk & 0x7FFFFFFF) + 2); // after the 2-byte hint
            if (!name) {
                return Fail(error, errorLen, "import %zu (%s): entry %llu names RVA 0x%llX, outside the image", i, dll,
                            static_cast<unsigned long long>(k), static_cast<unsigned long long>(thunk));
            }
            for (int f = 0; f < kHookedFunctionCount; f++) {
                if (strcmp(name, kFunctionNames[f]) != 0) {
                    continue;
                }
                if (entryRVA % sizeof(void *)) {
                    return Fail(error, errorLen, "import %zu (%s): %s's entry at RVA 0x%llX is misaligned", i, dll,
                                name, static_cast<unsigned long long>(entryRVA));
                }
                out->push_back({reinterpret_cast<void **>(const_cast<uint8_t *>(base) + entryRVA),
                                static_cast<HookedFunction>(f)});
            }
        }
    }
    return 0;
}

// Point one import entry at a hook; the page is usually read-only once the loader is done.
bool WriteEntry(void **entry, void *hook)
{
    MEMORY_BASIC_INFORMATION mbi;
    if (VirtualQuery(entry, &mbi, sizeof(mbi)) != sizeof(mbi)) {
        return false;
    }
    const DWORD executable = PAGE_EXECUTE | PAGE_EXECUTE_READ | PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY;
    DWORD old = 0;
    if (!VirtualProtect(entry, sizeof(void *), (mbi.Protect & executable) ? PAGE_EXECUTE_READWRITE : PAGE_READWRITE,
                        &old)) {
        return false;
    }
    InterlockedExchangePointer(entry, hook);
    VirtualProtect(entry, sizeof(void *), old, &old);
    return true;
}

} // namespace

extern "C" int iishost_hook_imports(HMODULE module, const iishost_import_sink *sink, char *error, size_t errorLen)
{
    if (error && errorLen) {
        error[0] = '\0';
    }
    if (!sink) {
        return Fail(error, errorLen, "no sink");
    }
    static std::once_flag tableFilled;
    std::call_once(tableFilled, [] { FillHookTable(std::make_index_sequence<IISHOST_MAX_HOOKED_MODULES>()); });
    try {
        std::lock_guard<std::mutex> lock(installLock);
        for (int i = 0; i < hookedCount; i++) {
            if (hooked[i].module == module) { // its entries are ours already
                hooked[i].sink.store(new iishost_import_sink(*sink), std::memory_order_release);
                return hooked[i].entries;
            }
        }
        std::vector<ImportEntry> entries;
        if (FindEntries(module, &entries, error, errorLen) < 0) {
            return -1;
        }
        if (entries.empty()) {
            return 0;
        }
        if (hookedCount == IISHOST_MAX_HOOKED_MODULES) {
            return Fail(error, errorLen,
                        "more than %d modules use the event log, OutputDebugString or CoCreateInstance",
                        IISHOST_MAX_HOOKED_MODULES);
        }
        // Copies are never freed: a module may call its hooks for as long as it is loaded.
        const int slot = hookedCount++;
        HookedModule &m = hooked[slot];
        m.module = module;
        m.entries = static_cast<int>(entries.size());
        m.sink.store(new iishost_import_sink(*sink), std::memory_order_release);
        for (const ImportEntry &e : entries) {
            void *current = __atomic_load_n(e.entry, __ATOMIC_ACQUIRE);
            void *expected = nullptr;
            m.original[e.function].compare_exchange_strong(expected, current, std::memory_order_release);
        }
        for (const ImportEntry &e : entries) {
            if (!WriteEntry(e.entry, hookTable[slot][e.function])) {
                return Fail(error, errorLen, "cannot write the import entry of %s: VirtualProtect error %lu",
                            kFunctionNames[e.function], GetLastError());
            }
        }
        return m.entries;
    } catch (const std::bad_alloc &) {
        return Fail(error, errorLen, "out of memory");
    }
}
