// ModuleCall runs code that calls into a module so that whatever the module throws reaches the
// caller's catch (...), on every platform. On Linux modules share the host's C++ runtime, and
// ModuleCall is a plain call. On Windows a module built by Visual C++ (or clang for the MSVC ABI)
// throws through SEH with code 0xE06D7363, which MinGW g++'s catch (...) does not stop; there
// the call runs inside an SEH scope (module_guard_windows.S, as __try/__except compiles) that
// stops such an exception, unwinds the module's frames with their destructors, and turns it into
// a ModuleException the caller's catch (...) handles as on Linux.
// The file stands alone (windows.h and the C++ standard library only), so that a test harness
// can compile it with module_guard_windows.cpp.
#pragma once

#include <exception>
#include <type_traits>
#include <utility>

#if defined(_WIN32)
#include <windows.h>

#include <string>

namespace iishost {

// What SEH stopped: the exception code and, for an MSVC C++ exception, the thrown type's
// decorated name as the module's throw information gives it (".?AVruntime_error@std@@"; "int"
// types read "H"), empty when it could not be read.
struct StoppedException {
    DWORD code = 0;
    char type[128] = {};
};

// The exception ModuleCall throws in place of one SEH stopped; what() says which.
class ModuleException : public std::exception {
public:
    explicit ModuleException(const StoppedException &stopped);
    const char *what() const noexcept override { return text_.c_str(); }

private:
    std::string text_;
};

// Runs body(context) inside the SEH scope; returns false, with *stopped filled in, when an
// exception was stopped (module_guard_windows.S, the filter in module_guard_windows.cpp).
extern "C" int iis_guarded_call(void (*body)(void *), void *context, StoppedException *stopped);

template <class Call> decltype(auto) ModuleCall(Call &&call)
{
    using Result = decltype(call());
    struct Frame {
        std::remove_reference_t<Call> *call;
        std::conditional_t<std::is_void_v<Result>, char, Result> result{};
    } frame{&call};
    StoppedException stopped;
    auto body = [](void *f) {
        Frame *fr = static_cast<Frame *>(f);
        if constexpr (std::is_void_v<Result>) {
            (*fr->call)();
        } else {
            fr->result = (*fr->call)();
        }
    };
    if (!iis_guarded_call(body, &frame, &stopped)) {
        throw ModuleException(stopped);
    }
    if constexpr (!std::is_void_v<Result>) {
        return frame.result;
    }
}

} // namespace iishost

#else

namespace iishost {

template <class Call> inline decltype(auto) ModuleCall(Call &&call) { return std::forward<Call>(call)(); }

} // namespace iishost

#endif
