// The crash reporter of a worker process: which module, notification and URL were running on
// the thread a fatal signal (or a module's exit()) hit, written as one line to a descriptor the
// master reads (cmd/iishost). Only write() and sigaction() run in the handler: both are
// async-signal-safe; the context is plain pointers read from thread-local storage
// (crash_context.cpp).
#include <errno.h>
#include <execinfo.h>
#include <link.h>
#include <signal.h>
#include <ucontext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>

#include "forward.h"
#include "module_calls.h"

using namespace iishost;

namespace {

// ImageRange is a module image's mapped addresses, with the module's name copied: the handler
// reads only this table, never the host's objects, which may be gone.
struct ImageRange {
    uintptr_t start, end;
    char module[64];
};
const size_t kMaxImages = 256; // images past it are not named on their own threads
ImageRange gImages[kMaxImages];
std::atomic<size_t> gImageCount{0};

// ImageAt names the module whose image holds pc, or returns null.
const char *ImageAt(uintptr_t pc)
{
    size_t n = gImageCount.load(std::memory_order_acquire);
    for (size_t i = 0; i < n; i++) {
        if (pc >= gImages[i].start && pc < gImages[i].end) {
            return gImages[i].module;
        }
    }
    return nullptr;
}

// FaultPc is the address of the instruction a synchronous signal stopped at; 0 if unknown.
uintptr_t FaultPc(void *uc)
{
#if defined(__x86_64__)
    return static_cast<uintptr_t>(static_cast<ucontext_t *>(uc)->uc_mcontext.gregs[REG_RIP]);
#elif defined(__aarch64__)
    return static_cast<uintptr_t>(static_cast<ucontext_t *>(uc)->uc_mcontext.pc);
#else
    (void)uc;
    return 0;
#endif
}

// ModuleOnStack names the innermost module image among the interrupted thread's callers: a
// module's own thread that calls abort(), or faults inside libc, stopped outside its image.
// backtrace() was called once at install, so libgcc is loaded and the walk does not allocate.
const char *ModuleOnStack()
{
    void *frames[64];
    int n = backtrace(frames, 64);
    for (int i = 0; i < n; i++) {
        // A return address points after the call; one back lies inside the calling function.
        if (const char *module = ImageAt(reinterpret_cast<uintptr_t>(frames[i]) - 1)) {
            return module;
        }
    }
    return nullptr;
}

} // namespace

void iishost::NoteModuleImage(const char *module, const void *address)
{
    struct Find {
        uintptr_t address, start = 0, end = 0;
    } find{reinterpret_cast<uintptr_t>(address)};
    dl_iterate_phdr(
        [](dl_phdr_info *info, size_t, void *data) -> int {
            auto *f = static_cast<Find *>(data);
            uintptr_t lo = UINTPTR_MAX, hi = 0;
            for (int i = 0; i < info->dlpi_phnum; i++) {
                const ElfW(Phdr) &ph = info->dlpi_phdr[i];
                if (ph.p_type == PT_LOAD) {
                    lo = std::min<uintptr_t>(lo, info->dlpi_addr + ph.p_vaddr);
                    hi = std::max<uintptr_t>(hi, info->dlpi_addr + ph.p_vaddr + ph.p_memsz);
                }
            }
            if (f->address < lo || f->address >= hi) {
                return 0;
            }
            f->start = lo;
            f->end = hi;
            return 1;
        },
        &find);
    if (!find.end || ImageAt(find.address)) {
        return; // not found, or already noted (another host loaded the same image)
    }
    static std::mutex lock; // registrations may come from several hosts' goroutines
    std::lock_guard<std::mutex> hold(lock);
    size_t n = gImageCount.load(std::memory_order_relaxed);
    if (n == kMaxImages) {
        return;
    }
    ImageRange &r = gImages[n];
    r.start = find.start;
    r.end = find.end;
    snprintf(r.module, sizeof(r.module), "%s", module);
    gImageCount.store(n + 1, std::memory_order_release);
}

namespace {

const int kSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
const size_t kMaxUrl = 512; // of the line's URL; the rest is cut

int gCrashFd = -1;
struct sigaction gPrevious[NSIG]; // the Go runtime's handlers, chained to outside module calls

// LineBuffer builds the line on the stack: printable ASCII as is, anything else (a tab or a
// newline would break the line's fields) as %XX, as a URL would carry it.
struct LineBuffer {
    char text[64 + 3 * (kMaxUrl + 256)];
    size_t n = 0;
    void Raw(const char *s)
    {
        for (; *s && n < sizeof(text); s++) {
            text[n++] = *s;
        }
    }
    void Field(const char *s, size_t len)
    {
        static const char hex[] = "0123456789ABCDEF";
        for (size_t i = 0; s && i < len && n + 3 < sizeof(text); i++) {
            unsigned char c = static_cast<unsigned char>(s[i]);
            if (c > 0x20 && c < 0x7f) {
                text[n++] = static_cast<char>(c);
            } else {
                text[n++] = '%';
                text[n++] = hex[c >> 4];
                text[n++] = hex[c & 15];
            }
        }
    }
    void Number(long v)
    {
        char digits[24];
        int d = 0;
        unsigned long u = v < 0 ? static_cast<unsigned long>(-v) : static_cast<unsigned long>(v);
        do {
            digits[d++] = static_cast<char>('0' + u % 10);
            u /= 10;
        } while (u);
        if (v < 0) {
            digits[d++] = '-';
        }
        while (d > 0 && n < sizeof(text)) {
            text[n++] = digits[--d];
        }
    }
};

size_t Bounded(const char *s, size_t cap) { return s ? strnlen(s, cap) : 0; }

// Report writes "<kind>\t<signal>\t<module>\t<notification>\t<url>\n" for this thread's call.
void Report(const char *kind, int sig, const CrashContext &c)
{
    if (gCrashFd < 0) {
        return;
    }
    LineBuffer b;
    b.Raw(kind);
    b.Raw("\t");
    b.Number(sig);
    b.Raw("\t");
    b.Field(c.module, Bounded(c.module, 128));
    b.Raw("\t");
    b.Field(c.notification, Bounded(c.notification, 64));
    b.Raw("\t");
    b.Field(c.url, c.urlLen < kMaxUrl ? c.urlLen : kMaxUrl);
    if (b.n < sizeof(b.text)) {
        b.text[b.n++] = '\n';
    }
    ssize_t r;
    do {
        r = write(gCrashFd, b.text, b.n); // one write below PIPE_BUF: the line arrives whole
    } while (r < 0 && errno == EINTR);
}

void OnFatalSignal(int sig, siginfo_t *info, void *uc)
{
    CrashContext c = tCrashContext;
    if (!c.module) {
        // A thread of a module's own: no call to name, but the image that faulted, or, for an
        // abort or a fault inside a library, the module's code that called it.
        const char *module = sig != SIGABRT && info->si_code > 0 ? ImageAt(FaultPc(uc)) : nullptr;
        c = CrashContext{module ? module : ModuleOnStack(), "", nullptr, 0};
    }
    if (c.module) {
        Report("signal", sig, c);
        // Die of the signal itself, so the master sees it: with the default action restored it
        // is delivered again when this handler returns (re-raised, or the faulting instruction
        // faults again).
        struct sigaction dfl;
        memset(&dfl, 0, sizeof(dfl));
        dfl.sa_handler = SIG_DFL;
        sigaction(sig, &dfl, nullptr);
        if (sig == SIGABRT || info->si_code <= 0) {
            raise(sig);
        }
        return;
    }
    // Not in a module call: the Go runtime's business (a nil dereference in Go is a panic).
    const struct sigaction &prev = gPrevious[sig];
    if (prev.sa_flags & SA_SIGINFO) {
        prev.sa_sigaction(sig, info, uc);
    } else if (prev.sa_handler == SIG_DFL) {
        sigaction(sig, &prev, nullptr);
        raise(sig);
    } else if (prev.sa_handler != SIG_IGN) {
        prev.sa_handler(sig);
    }
}

// A module that calls exit() inside a notification ends the worker through libc's exit, which
// runs this; the Go runtime's own exit does not.
void OnExit()
{
    CrashContext c = tCrashContext;
    if (c.module) {
        Report("exit", 0, c);
    }
}

} // namespace

// Installs the handlers, chaining to the ones in place (the Go runtime's). fd receives the lines.
extern "C" int iis_crash_install(int fd)
{
    void *warm[1];
    backtrace(warm, 1); // loads the unwinder now, not in a signal handler
    gCrashFd = fd;
    for (int sig : kSignals) {
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_sigaction = OnFatalSignal;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART; // SA_ONSTACK: Go's threads run signals on their alternate stack
        sigemptyset(&sa.sa_mask);
        if (sigaction(sig, &sa, &gPrevious[sig]) != 0) {
            return -1;
        }
    }
    return atexit(OnExit);
}
