// adminfx.h - helpers the admin manager fixtures share; include after <ahadmin.h> and fixture.h.
#ifndef IISHOST_TESTDATA_ADMINFX_H
#define IISHOST_TESTDATA_ADMINFX_H

#include <string>

namespace fx {

// BstrText is a BSTR's text as UTF-8, "(null)" for a null one.
inline std::string BstrText(BSTR s) { return s ? Utf8(s, SysStringLen(s)) : std::string("(null)"); }

// VariantText reports a configuration value as "<vt>:<value>" (VT_BOOL as -1/0) and clears it.
inline std::string VariantText(VARIANT &v)
{
    std::string out = std::to_string(v.vt) + ":";
    switch (v.vt) {
    case VT_BOOL:
        out += std::to_string(v.boolVal);
        break;
    case VT_I4:
        out += std::to_string(v.lVal);
        break;
    case VT_UI4:
        out += std::to_string(v.ulVal);
        break;
    case VT_I8:
        out += std::to_string(v.llVal);
        break;
    case VT_UI8:
        out += std::to_string(v.ullVal);
        break;
    case VT_BSTR:
        out += BstrText(v.bstrVal);
        break;
    default:
        out += "?";
    }
    VariantClear(&v);
    return out;
}

} // namespace fx

#endif
