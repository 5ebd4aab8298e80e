// What an exception escaping a module was, in words for the log. The module's exception types
// are matched by name across libraries (GCC compares type names), so _com_error and
// CAtlException thrown by a module are recognised here with their HRESULT.
#include <stdio.h>

#include <exception>
#include <string>

#include "module_calls.h"

#include <atldef.h>
#include <comdef.h>

namespace iishost {

static std::string WithHresult(const char *kind, HRESULT hr, const char *message)
{
    char text[64];
    snprintf(text, sizeof(text), "%s 0x%08X", kind, static_cast<unsigned>(hr));
    std::string out = text;
    if (message && *message) {
        out += ": ";
        out += message;
        while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) {
            out.pop_back(); // FormatMessage's texts end in CR LF
        }
    }
    return out;
}

std::string DescribeCurrentException()
{
    try {
        throw;
    } catch (const _com_error &e) {
        return WithHresult("_com_error", e.Error(), e.ErrorMessage());
    } catch (const ATL::CAtlException &e) {
        return WithHresult("CAtlException", e.m_hr, nullptr);
    } catch (const std::exception &e) {
        return e.what();
    } catch (...) {
        return "a non-standard exception";
    }
}

} // namespace iishost
