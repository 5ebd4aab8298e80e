// The SEH filter of module_guard_windows.S and the words for what it stopped (module_guard.h).
#include "module_guard.h"

#include <string.h>

namespace iishost {

namespace {

// RaiseException's code for a C++ throw by MSVC-ABI code ('msc' | 0xE0000000), and the magic
// numbers its first parameter carries (the versions of its throw information).
constexpr DWORD kMsvcCxxException = 0xE06D7363;
constexpr ULONG_PTR kMsvcMagic1 = 0x19930520, kMsvcMagic2 = 0x19930521, kMsvcMagic3 = 0x19930522;

// The image the throw information lies in, as its base address and size; every offset read
// from it is checked against the size, since a module's own data says where to look.
struct Image {
    const unsigned char *base;
    size_t size;

    bool Holds(size_t offset, size_t len) const { return offset <= size && len <= size - offset; }
    template <class T> bool Read(size_t offset, T *out) const
    {
        if (!Holds(offset, sizeof(T))) {
            return false;
        }
        memcpy(out, base + offset, sizeof(T));
        return true;
    }
};

bool ImageAt(ULONG_PTR address, Image *image)
{
    image->base = reinterpret_cast<const unsigned char *>(address);
    image->size = sizeof(IMAGE_DOS_HEADER);
    IMAGE_DOS_HEADER dos;
    if (!address || !image->Read(0, &dos) || dos.e_magic != IMAGE_DOS_SIGNATURE || dos.e_lfanew < 0) {
        return false;
    }
    image->size = size_t(dos.e_lfanew) + sizeof(IMAGE_NT_HEADERS64);
    IMAGE_NT_HEADERS64 nt;
    if (!image->Read(size_t(dos.e_lfanew), &nt) || nt.Signature != IMAGE_NT_SIGNATURE) {
        return false;
    }
    image->size = nt.OptionalHeader.SizeOfImage;
    return image->size >= size_t(dos.e_lfanew) + sizeof(nt);
}

// The decorated name of the thrown type: ThrowInfo's catchable-type array lists the thrown type
// first; a CatchableType's second field is its TypeDescriptor's offset, whose name follows two
// pointers. All offsets are relative to the image base (x64's fourth parameter).
void ReadThrownType(const EXCEPTION_RECORD *record, char *out, size_t outLen)
{
    out[0] = 0;
    const ULONG_PTR *p = record->ExceptionInformation;
    if (record->NumberParameters < 4 || (p[0] != kMsvcMagic1 && p[0] != kMsvcMagic2 && p[0] != kMsvcMagic3)) {
        return;
    }
    Image image;
    if (!ImageAt(p[3], &image) || p[2] < p[3]) {
        return;
    }
    size_t throwInfo = p[2] - p[3];
    int32_t arrayOffset = 0, count = 0, typeOffset = 0, descriptorOffset = 0;
    if (!image.Read(throwInfo + 12, &arrayOffset) || arrayOffset <= 0 || !image.Read(size_t(arrayOffset), &count) ||
        count < 1 || !image.Read(size_t(arrayOffset) + 4, &typeOffset) || typeOffset <= 0 ||
        !image.Read(size_t(typeOffset) + 4, &descriptorOffset) || descriptorOffset <= 0) {
        return;
    }
    size_t name = size_t(descriptorOffset) + 2 * sizeof(void *);
    size_t i = 0;
    for (; i + 1 < outLen && image.Holds(name + i, 1) && image.base[name + i]; i++) {
        char c = static_cast<char>(image.base[name + i]);
        out[i] = c >= 0x20 && c < 0x7f ? c : '?'; // the name goes into log lines
    }
    out[i] = 0;
}

} // namespace

ModuleException::ModuleException(const StoppedException &stopped) : text_("an MSVC C++ exception")
{
    if (stopped.type[0]) {
        text_ += " of type ";
        text_ += stopped.type;
    }
}

} // namespace iishost

// Stops MSVC C++ exceptions only. Faults (access violations, stack overflows, ...) go on
// unhandled, as a module's SIGSEGV does on Linux: the process state is not to be trusted after.
extern "C" LONG iis_guard_filter(EXCEPTION_POINTERS *info, void *establisherFrame)
{
    const EXCEPTION_RECORD *record = info->ExceptionRecord;
    if (record->ExceptionCode != iishost::kMsvcCxxException) {
        return EXCEPTION_CONTINUE_SEARCH;
    }
    auto *stopped = *reinterpret_cast<iishost::StoppedException **>(static_cast<char *>(establisherFrame) - 8);
    stopped->code = record->ExceptionCode;
    iishost::ReadThrownType(record, stopped->type, sizeof(stopped->type));
    return EXCEPTION_EXECUTE_HANDLER;
}
