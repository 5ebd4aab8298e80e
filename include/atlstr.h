/*
 * atlstr.h - ATL/MFC's CString: CStringA (char), CStringW (wchar_t) and
 * CString (TCHAR, so wide when UNICODE is defined), all CStringT. Our own
 * header-only implementation, written from the documented behaviour.
 * C++ only: compiled as C this header is empty.
 *
 * Where this differs from ATL:
 *  - Value semantics: copies do not share a buffer (no reference counting
 *    or copy-on-write, which nothing observable depends on). GetBuffer
 *    returns the string's own storage, valid until the next change;
 *    ReleaseBuffer ends the edit as in ATL.
 *  - Narrow text is UTF-8 (Linux has no ANSI code page): constructing one
 *    width from the other converts with MultiByteToWideChar/
 *    WideCharToMultiByte (CP_ACP), invalid input becoming U+FFFD or '?'.
 *    A single char above 0x7F, being part of a UTF-8 sequence, becomes
 *    U+FFFD when widened on its own.
 *  - Format/FormatV/AppendFormat read formats as MSVC does (in CStringW
 *    "%s" is a wide string and "%S" a narrow one; "%I64d" is 64-bit), by
 *    iishost/crt_secure.h's MS-named printf functions. Format and
 *    AppendFormat are variadic templates rather than C "..." functions, so
 *    that a CString or CComBSTR argument prints its text as with MSVC (gcc
 *    and clang cannot pass a class object through "..."); ATLTRACE does the
 *    same. FormatV and the CRT functions still need GetString() or
 *    (LPCTSTR)s. A format that cannot
 *    be printed (for example narrow text that is not valid in the C
 *    library's locale under "%S") throws CAtlException(E_INVALIDARG).
 *  - There are no string resources: LoadString returns FALSE, and a
 *    constructor given MAKEINTRESOURCE(id) makes an empty string. The
 *    Format(UINT nFormatID, ...) overloads are not provided.
 *  - Case mapping (MakeLower/MakeUpper, CompareNoCase) and the white space
 *    of Trim use the C library (tolower, towupper, iswspace ...), so
 *    beyond ASCII they follow the LC_CTYPE locale: in the default "C"
 *    locale only ASCII letters change case.
 *  - CollateNoCase is CompareNoCase (the C library has no case-blind
 *    collation).
 *  - Bad indexes are clamped where ATL clamps (Mid, Left, Right, Insert,
 *    Delete, Find's start); GetAt, SetAt, operator[] and Truncate throw
 *    CAtlException(E_INVALIDARG) where ATL does.
 */
#ifndef IISHOST_ATLSTR_H
#define IISHOST_ATLSTR_H

#ifdef __cplusplus

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>
#include <string>
#include <type_traits>

#include "atlbase.h"

namespace ATL {

/* The per-character-type functions CStringT is built on. */
template <typename BaseType> class ChTraitsCRT;

template <> class ChTraitsCRT<char> {
public:
    typedef char XCHAR;
    typedef wchar_t YCHAR;
    static int SafeLength(const char *s) noexcept { return s != NULL ? static_cast<int>(strlen(s)) : 0; }
    static char Lower(char c) noexcept { return static_cast<char>(tolower(static_cast<unsigned char>(c))); }
    static char Upper(char c) noexcept { return static_cast<char>(toupper(static_cast<unsigned char>(c))); }
    static bool IsSpace(char c) noexcept { return isspace(static_cast<unsigned char>(c)) != 0; }
    static int Compare(const char *a, const char *b) noexcept { return strcmp(a, b); }
    static int CompareNoCase(const char *a, const char *b) noexcept { return _stricmp(a, b); }
    static int Collate(const char *a, const char *b) noexcept { return strcoll(a, b); }
    static int FormattedLength(const char *fmt, va_list args) noexcept { return _vscprintf(fmt, args); }
    static int Format(char *buf, size_t size, const char *fmt, va_list args) noexcept
    {
        return vsprintf_s(buf, size, fmt, args);
    }
    /* n wide characters as UTF-8. */
    static std::string FromOther(const wchar_t *s, int n)
    {
        std::string out;
        int need = iishost_atl::NarrowLength(s, n, CP_ACP);
        out.resize(static_cast<size_t>(need));
        if (need != 0 && !iishost_atl::ToNarrow(s, n, CP_ACP, &out[0], need))
            AtlThrowLastWin32();
        return out;
    }
};

template <> class ChTraitsCRT<wchar_t> {
public:
    typedef wchar_t XCHAR;
    typedef char YCHAR;
    static int SafeLength(const wchar_t *s) noexcept { return s != NULL ? static_cast<int>(wcslen(s)) : 0; }
    static wchar_t Lower(wchar_t c) noexcept { return static_cast<wchar_t>(towlower(static_cast<wint_t>(c))); }
    static wchar_t Upper(wchar_t c) noexcept { return static_cast<wchar_t>(towupper(static_cast<wint_t>(c))); }
    static bool IsSpace(wchar_t c) noexcept { return iswspace(static_cast<wint_t>(c)) != 0; }
    static int Compare(const wchar_t *a, const wchar_t *b) noexcept { return wcscmp(a, b); }
    static int CompareNoCase(const wchar_t *a, const wchar_t *b) noexcept { return _wcsicmp(a, b); }
    static int Collate(const wchar_t *a, const wchar_t *b) noexcept { return wcscoll(a, b); }
    static int FormattedLength(const wchar_t *fmt, va_list args) noexcept { return _vscwprintf(fmt, args); }
    static int Format(wchar_t *buf, size_t size, const wchar_t *fmt, va_list args) noexcept
    {
        return vswprintf_s(buf, size, fmt, args);
    }
    /* n UTF-8 bytes as wide characters. */
    static std::wstring FromOther(const char *s, int n)
    {
        std::wstring out;
        int need = iishost_atl::WideLength(s, n, CP_ACP);
        out.resize(static_cast<size_t>(need));
        if (need != 0 && !iishost_atl::ToWide(s, n, CP_ACP, &out[0], need))
            AtlThrowLastWin32();
        return out;
    }
};

/* The traits argument of CStringT; CStringA/W name it as ATL does. */
template <typename BaseType, class CharTraits = ChTraitsCRT<BaseType> > class StrTraitATL : public CharTraits {};

template <typename BaseType, class StringTraits = StrTraitATL<BaseType> > class CStringT;

/* Format and ATLTRACE pass a CString argument as its text (see AtlIisVarArg in atldef.h). */
template <class X, class Tr> inline const X *AtlIisVarArg(const CStringT<X, Tr> &s) noexcept
{
    return s.GetString();
}

template <typename BaseType, class StringTraits> class CStringT {
public:
    typedef BaseType XCHAR;
    typedef XCHAR *PXSTR;
    typedef const XCHAR *PCXSTR;
    typedef typename ChTraitsCRT<BaseType>::YCHAR YCHAR;
    typedef YCHAR *PYSTR;
    typedef const YCHAR *PCYSTR;
    typedef StringTraits StrTraits;

private:
    typedef ChTraitsCRT<BaseType> Ch;
    typedef ChTraitsCRT<YCHAR> OtherCh;
    typedef std::basic_string<XCHAR> Storage;

public:
    CStringT() {}
    CStringT(const CStringT &s) : m_s(s.m_s) {}
    CStringT(CStringT &&s) noexcept : m_s(static_cast<Storage &&>(s.m_s)) {}
    CStringT(PCXSTR psz) { Set(psz); }
    CStringT(PCYSTR psz) { Set(psz); }
    CStringT(const unsigned char *psz) { Set(reinterpret_cast<const char *>(psz)); }
    /* The first nLength characters of pch (which need no terminator). */
    CStringT(const XCHAR *pch, int nLength) { SetString(pch, nLength); }
    CStringT(const YCHAR *pch, int nLength)
    {
        ATLENSURE_THROW(nLength >= 0 && (pch != NULL || nLength == 0), E_INVALIDARG);
        m_s = Ch::FromOther(pch, nLength);
    }
    /* ch repeated nLength times. */
    explicit CStringT(XCHAR ch, int nLength = 1)
    {
        if (nLength > 0)
            m_s.assign(static_cast<size_t>(nLength), ch);
    }
    explicit CStringT(YCHAR ch, int nLength = 1)
    {
        if (nLength > 0) {
            Storage one = Widen(ch);
            for (int i = 0; i < nLength; i++)
                m_s += one;
        }
    }
    /* The other width's CString, converted. */
    template <class OtherTraits> CStringT(const CStringT<YCHAR, OtherTraits> &s)
    {
        m_s = Ch::FromOther(s.GetString(), s.GetLength());
    }
    /* A VARIANT's value as text (VariantChangeType to VT_BSTR); throws its failure. */
    explicit CStringT(const VARIANT &varSrc)
    {
        CComVariant v;
        HRESULT hr = v.ChangeType(VT_BSTR, &varSrc);
        if (FAILED(hr))
            AtlThrow(hr);
        AssignBSTR(v.bstrVal);
    }

    CStringT &operator=(const CStringT &s)
    {
        m_s = s.m_s;
        return *this;
    }
    CStringT &operator=(CStringT &&s) noexcept
    {
        m_s.swap(s.m_s);
        return *this;
    }
    CStringT &operator=(PCXSTR psz)
    {
        Set(psz);
        return *this;
    }
    CStringT &operator=(PCYSTR psz)
    {
        Set(psz);
        return *this;
    }
    CStringT &operator=(const unsigned char *psz) { return *this = reinterpret_cast<const char *>(psz); }
    CStringT &operator=(XCHAR ch)
    {
        m_s.assign(1, ch);
        return *this;
    }
    CStringT &operator=(YCHAR ch)
    {
        m_s = Widen(ch);
        return *this;
    }
    template <class OtherTraits> CStringT &operator=(const CStringT<YCHAR, OtherTraits> &s)
    {
        m_s = Ch::FromOther(s.GetString(), s.GetLength());
        return *this;
    }
    CStringT &operator=(const VARIANT &var) { return *this = CStringT(var); }

    CStringT &operator+=(const CStringT &s)
    {
        m_s += s.m_s;
        return *this;
    }
    CStringT &operator+=(PCXSTR psz)
    {
        Append(psz);
        return *this;
    }
    CStringT &operator+=(PCYSTR psz) { return *this += CStringT(psz); }
    CStringT &operator+=(XCHAR ch)
    {
        m_s += ch;
        return *this;
    }
    CStringT &operator+=(YCHAR ch)
    {
        m_s += Widen(ch);
        return *this;
    }
    template <class OtherTraits> CStringT &operator+=(const CStringT<YCHAR, OtherTraits> &s)
    {
        m_s += Ch::FromOther(s.GetString(), s.GetLength());
        return *this;
    }

    /* ---- access ---- */
    operator PCXSTR() const noexcept { return m_s.c_str(); }
    PCXSTR GetString() const noexcept { return m_s.c_str(); }
    int GetLength() const noexcept { return static_cast<int>(m_s.size()); }
    bool IsEmpty() const noexcept { return m_s.empty(); }
    void Empty() noexcept { m_s.clear(); }
    int GetAllocLength() const noexcept { return static_cast<int>(m_s.capacity()); }
    /* Index GetLength() is allowed and gives the terminator, as in ATL. */
    XCHAR GetAt(int iChar) const
    {
        ATLENSURE_THROW(iChar >= 0 && iChar <= GetLength(), E_INVALIDARG);
        return m_s.c_str()[iChar];
    }
    XCHAR operator[](int iChar) const { return GetAt(iChar); }
    void SetAt(int iChar, XCHAR ch)
    {
        ATLENSURE_THROW(iChar >= 0 && iChar < GetLength(), E_INVALIDARG);
        m_s[static_cast<size_t>(iChar)] = ch;
    }
    void SetString(PCXSTR psz) { Set(psz); }
    void SetString(PCXSTR pch, int nLength)
    {
        ATLENSURE_THROW(nLength >= 0 && (pch != NULL || nLength == 0), E_INVALIDARG);
        if (nLength == 0)
            m_s.clear();
        else
            m_s.assign(pch, static_cast<size_t>(nLength));
    }

    /* ---- building ---- */
    void Append(PCXSTR psz)
    {
        if (psz != NULL)
            m_s.append(psz);
    }
    void Append(PCXSTR pch, int nLength)
    {
        ATLENSURE_THROW(nLength >= 0 && (pch != NULL || nLength == 0), E_INVALIDARG);
        if (nLength != 0)
            m_s.append(pch, static_cast<size_t>(nLength));
    }
    void Append(const CStringT &s) { m_s += s.m_s; }
    void AppendChar(XCHAR ch) { m_s += ch; }

    /* Arguments go through AtlIisVarArg first, so a CString or CComBSTR argument prints as its
     * text, as it does with MSVC (see the header comment). */
    template <class... Args> void Format(PCXSTR pszFormat, const Args &...args)
    {
        Storage out = FormattedArgs(pszFormat, AtlIisVarArg(args)...);
        m_s.swap(out);
    }
    void FormatV(PCXSTR pszFormat, va_list args)
    {
        Storage out = Formatted(pszFormat, args);
        m_s.swap(out);
    }
    template <class... Args> void AppendFormat(PCXSTR pszFormat, const Args &...args)
    {
        m_s += FormattedArgs(pszFormat, AtlIisVarArg(args)...);
    }
    void AppendFormatV(PCXSTR pszFormat, va_list args) { m_s += Formatted(pszFormat, args); }

    /* ---- searching ---- */
    int Find(XCHAR ch, int iStart = 0) const noexcept
    {
        if (iStart < 0 || iStart > GetLength())
            return -1;
        size_t at = m_s.find(ch, static_cast<size_t>(iStart));
        return at == Storage::npos ? -1 : static_cast<int>(at);
    }
    int Find(PCXSTR pszSub, int iStart = 0) const noexcept
    {
        if (pszSub == NULL || iStart < 0 || iStart > GetLength())
            return -1;
        size_t at = m_s.find(pszSub, static_cast<size_t>(iStart));
        return at == Storage::npos ? -1 : static_cast<int>(at);
    }
    int ReverseFind(XCHAR ch) const noexcept
    {
        size_t at = m_s.rfind(ch);
        return at == Storage::npos ? -1 : static_cast<int>(at);
    }
    int FindOneOf(PCXSTR pszCharSet) const noexcept
    {
        if (pszCharSet == NULL)
            return -1;
        size_t at = m_s.find_first_of(pszCharSet);
        return at == Storage::npos ? -1 : static_cast<int>(at);
    }

    /* ---- extracting ---- */
    CStringT Mid(int iFirst) const { return Mid(iFirst, GetLength() - (iFirst < 0 ? 0 : iFirst)); }
    CStringT Mid(int iFirst, int nCount) const
    {
        int len = GetLength();
        if (iFirst < 0)
            iFirst = 0;
        if (nCount < 0)
            nCount = 0;
        if (iFirst > len)
            iFirst = len;
        if (nCount > len - iFirst)
            nCount = len - iFirst;
        return CStringT(m_s.substr(static_cast<size_t>(iFirst), static_cast<size_t>(nCount)));
    }
    CStringT Left(int nCount) const { return Mid(0, nCount); }
    CStringT Right(int nCount) const
    {
        int len = GetLength();
        if (nCount < 0)
            nCount = 0;
        if (nCount > len)
            nCount = len;
        return Mid(len - nCount, nCount);
    }
    /* The leading run of characters that are (are not) in pszCharSet. */
    CStringT SpanIncluding(PCXSTR pszCharSet) const
    {
        if (pszCharSet == NULL)
            return CStringT();
        size_t at = m_s.find_first_not_of(pszCharSet);
        return Left(at == Storage::npos ? GetLength() : static_cast<int>(at));
    }
    CStringT SpanExcluding(PCXSTR pszCharSet) const
    {
        if (pszCharSet == NULL)
            return *this;
        size_t at = m_s.find_first_of(pszCharSet);
        return Left(at == Storage::npos ? GetLength() : static_cast<int>(at));
    }
    /*
     * The next token at or after iStart, delimited by any of pszTokens:
     * leading delimiters are skipped, iStart moves past the token and its
     * delimiter, and at the end an empty string comes back with iStart -1.
     * With no delimiters the rest of the string is returned.
     */
    CStringT Tokenize(PCXSTR pszTokens, int &iStart) const
    {
        ATLENSURE_THROW(iStart >= 0, E_INVALIDARG);
        if (pszTokens == NULL || pszTokens[0] == 0) {
            if (iStart < GetLength())
                return Mid(iStart);
        } else if (iStart < GetLength()) {
            size_t from = m_s.find_first_not_of(pszTokens, static_cast<size_t>(iStart));
            if (from != Storage::npos) {
                size_t to = m_s.find_first_of(pszTokens, from);
                if (to == Storage::npos)
                    to = m_s.size();
                iStart = static_cast<int>(to) + 1;
                return CStringT(m_s.substr(from, to - from));
            }
        }
        iStart = -1;
        return CStringT();
    }

    /* ---- changing in place ---- */
    CStringT &MakeLower()
    {
        for (size_t i = 0; i < m_s.size(); i++)
            m_s[i] = Ch::Lower(m_s[i]);
        return *this;
    }
    CStringT &MakeUpper()
    {
        for (size_t i = 0; i < m_s.size(); i++)
            m_s[i] = Ch::Upper(m_s[i]);
        return *this;
    }
    CStringT &MakeReverse()
    {
        for (size_t i = 0, n = m_s.size(); i < n / 2; i++) {
            XCHAR c = m_s[i];
            m_s[i] = m_s[n - 1 - i];
            m_s[n - 1 - i] = c;
        }
        return *this;
    }
    /* Without an argument white space is trimmed; else chTarget, or any character of pszTargets. */
    CStringT &TrimRight()
    {
        size_t n = m_s.size();
        while (n > 0 && Ch::IsSpace(m_s[n - 1]))
            n--;
        m_s.resize(n);
        return *this;
    }
    CStringT &TrimRight(XCHAR chTarget)
    {
        size_t n = m_s.size();
        while (n > 0 && m_s[n - 1] == chTarget)
            n--;
        m_s.resize(n);
        return *this;
    }
    CStringT &TrimRight(PCXSTR pszTargets)
    {
        if (pszTargets == NULL || pszTargets[0] == 0)
            return *this;
        size_t at = m_s.find_last_not_of(pszTargets);
        m_s.resize(at == Storage::npos ? 0 : at + 1);
        return *this;
    }
    CStringT &TrimLeft()
    {
        size_t i = 0;
        while (i < m_s.size() && Ch::IsSpace(m_s[i]))
            i++;
        m_s.erase(0, i);
        return *this;
    }
    CStringT &TrimLeft(XCHAR chTarget)
    {
        size_t i = 0;
        while (i < m_s.size() && m_s[i] == chTarget)
            i++;
        m_s.erase(0, i);
        return *this;
    }
    CStringT &TrimLeft(PCXSTR pszTargets)
    {
        if (pszTargets == NULL || pszTargets[0] == 0)
            return *this;
        size_t at = m_s.find_first_not_of(pszTargets);
        m_s.erase(0, at == Storage::npos ? m_s.size() : at);
        return *this;
    }
    CStringT &Trim() { return TrimRight().TrimLeft(); }
    CStringT &Trim(XCHAR chTarget) { return TrimRight(chTarget).TrimLeft(chTarget); }
    CStringT &Trim(PCXSTR pszTargets) { return TrimRight(pszTargets).TrimLeft(pszTargets); }

    /* Returns how many were replaced. */
    int Replace(XCHAR chOld, XCHAR chNew)
    {
        int count = 0;
        for (size_t i = 0; i < m_s.size(); i++) {
            if (m_s[i] == chOld) {
                m_s[i] = chNew;
                count++;
            }
        }
        return count;
    }
    /* Every non-overlapping pszOld, left to right; a NULL pszNew removes them. */
    int Replace(PCXSTR pszOld, PCXSTR pszNew)
    {
        size_t oldLen = pszOld != NULL ? Storage(pszOld).size() : 0;
        if (oldLen == 0)
            return 0;
        Storage repl = pszNew != NULL ? Storage(pszNew) : Storage();
        Storage out;
        int count = 0;
        size_t pos = 0;
        for (;;) {
            size_t at = m_s.find(pszOld, pos, oldLen);
            if (at == Storage::npos)
                break;
            out.append(m_s, pos, at - pos);
            out += repl;
            pos = at + oldLen;
            count++;
        }
        if (count != 0) {
            out.append(m_s, pos, Storage::npos);
            m_s.swap(out);
        }
        return count;
    }
    /* Removes every chRemove; returns how many. */
    int Remove(XCHAR chRemove)
    {
        size_t o = 0;
        for (size_t i = 0; i < m_s.size(); i++) {
            if (m_s[i] != chRemove)
                m_s[o++] = m_s[i];
        }
        int count = static_cast<int>(m_s.size() - o);
        m_s.resize(o);
        return count;
    }
    /* Inserts before iIndex (clamped to the string); returns the new length. */
    int Insert(int iIndex, XCHAR ch)
    {
        m_s.insert(Clamp(iIndex), 1, ch);
        return GetLength();
    }
    int Insert(int iIndex, PCXSTR psz)
    {
        if (psz != NULL)
            m_s.insert(Clamp(iIndex), psz);
        return GetLength();
    }
    /* Deletes nCount characters from iIndex (both clamped); returns the new length. */
    int Delete(int iIndex, int nCount = 1)
    {
        size_t at = Clamp(iIndex);
        if (nCount > 0)
            m_s.erase(at, static_cast<size_t>(nCount));
        return GetLength();
    }
    /* Keeps the first nNewLength characters (0..GetLength()). */
    void Truncate(int nNewLength)
    {
        ATLENSURE_THROW(nNewLength >= 0 && nNewLength <= GetLength(), E_INVALIDARG);
        m_s.resize(static_cast<size_t>(nNewLength));
    }

    /* ---- comparing (<0, 0, >0) ---- */
    int Compare(PCXSTR psz) const
    {
        ATLENSURE_THROW(psz != NULL, E_INVALIDARG);
        return Ch::Compare(GetString(), psz);
    }
    int CompareNoCase(PCXSTR psz) const
    {
        ATLENSURE_THROW(psz != NULL, E_INVALIDARG);
        return Ch::CompareNoCase(GetString(), psz);
    }
    int Collate(PCXSTR psz) const
    {
        ATLENSURE_THROW(psz != NULL, E_INVALIDARG);
        return Ch::Collate(GetString(), psz);
    }
    int CollateNoCase(PCXSTR psz) const { return CompareNoCase(psz); }

    /* ---- direct buffer access ---- */
    /* A writable buffer of at least nMinBufferLength characters (plus a terminator)
     * holding the current text; call ReleaseBuffer when done writing. */
    PXSTR GetBuffer(int nMinBufferLength)
    {
        ATLENSURE_THROW(nMinBufferLength >= 0, E_INVALIDARG);
        if (static_cast<size_t>(nMinBufferLength) > m_s.size())
            m_s.resize(static_cast<size_t>(nMinBufferLength));
        return &m_s[0];
    }
    PXSTR GetBuffer() { return &m_s[0]; }
    PXSTR GetBufferSetLength(int nLength)
    {
        ATLENSURE_THROW(nLength >= 0, E_INVALIDARG);
        m_s.resize(static_cast<size_t>(nLength));
        return &m_s[0];
    }
    /* Ends a GetBuffer edit: the length becomes nNewLength, or with -1 the text up to the first NUL. */
    void ReleaseBuffer(int nNewLength = -1)
    {
        if (nNewLength < 0) {
            size_t n = 0;
            while (n < m_s.size() && m_s[n] != 0)
                n++;
            m_s.resize(n);
        } else {
            ATLENSURE_THROW(static_cast<size_t>(nNewLength) <= m_s.size(), E_INVALIDARG);
            m_s.resize(static_cast<size_t>(nNewLength));
        }
    }
    void ReleaseBufferSetLength(int nNewLength)
    {
        ATLENSURE_THROW(nNewLength >= 0, E_INVALIDARG);
        m_s.resize(static_cast<size_t>(nNewLength));
    }
    void Preallocate(int nLength)
    {
        if (nLength > 0)
            m_s.reserve(static_cast<size_t>(nLength));
    }
    void FreeExtra() { m_s.shrink_to_fit(); }

    /* ---- BSTR and resources ---- */
    /* A new BSTR of the text (converted for CStringA); the caller frees it. Throws E_OUTOFMEMORY. */
    BSTR AllocSysString() const
    {
        std::wstring w = ToWide(m_s);
        return iishost_atl::Checked(::SysAllocStringLen(w.data(), static_cast<UINT>(w.size())));
    }
    /* *pbstr (freed first) becomes a BSTR of the text, which is also returned. */
    BSTR SetSysString(BSTR *pbstr) const
    {
        ATLENSURE_THROW(pbstr != NULL, E_INVALIDARG);
        std::wstring w = ToWide(m_s);
        if (!::SysReAllocStringLen(pbstr, w.data(), static_cast<UINT>(w.size())))
            AtlThrow(E_OUTOFMEMORY);
        return *pbstr;
    }
    /* No string resources on Linux: FALSE, and the string is unchanged. */
    BOOL LoadString(UINT nID) noexcept
    {
        (void)nID;
        return FALSE;
    }
    BOOL LoadString(HINSTANCE hInstance, UINT nID) noexcept
    {
        (void)hInstance;
        return LoadString(nID);
    }

    /* ---- operators ---- */
    friend CStringT operator+(const CStringT &a, const CStringT &b) { return CStringT(a.m_s + b.m_s); }
    friend CStringT operator+(const CStringT &a, PCXSTR b)
    {
        CStringT r(a);
        r.Append(b);
        return r;
    }
    friend CStringT operator+(PCXSTR a, const CStringT &b)
    {
        CStringT r(a);
        r += b;
        return r;
    }
    friend CStringT operator+(const CStringT &a, XCHAR b)
    {
        CStringT r(a);
        r += b;
        return r;
    }
    friend CStringT operator+(XCHAR a, const CStringT &b)
    {
        CStringT r(a);
        r += b;
        return r;
    }
    friend CStringT operator+(const CStringT &a, YCHAR b)
    {
        CStringT r(a);
        r += b;
        return r;
    }
    friend CStringT operator+(YCHAR a, const CStringT &b)
    {
        CStringT r(a);
        r += b;
        return r;
    }

    friend bool operator==(const CStringT &a, const CStringT &b) noexcept { return a.m_s == b.m_s; }
    friend bool operator==(const CStringT &a, PCXSTR b) { return a.Compare(b) == 0; }
    friend bool operator==(PCXSTR a, const CStringT &b) { return b.Compare(a) == 0; }
    friend bool operator==(const CStringT &a, PCYSTR b) { return a == CStringT(b); }
    friend bool operator==(PCYSTR a, const CStringT &b) { return b == CStringT(a); }
    friend bool operator==(const CStringT &a, XCHAR b) noexcept { return a.m_s.size() == 1 && a.m_s[0] == b; }
    friend bool operator==(XCHAR a, const CStringT &b) noexcept { return b == a; }
    friend bool operator!=(const CStringT &a, const CStringT &b) noexcept { return !(a == b); }
    friend bool operator!=(const CStringT &a, PCXSTR b) { return !(a == b); }
    friend bool operator!=(PCXSTR a, const CStringT &b) { return !(a == b); }
    friend bool operator!=(const CStringT &a, PCYSTR b) { return !(a == b); }
    friend bool operator!=(PCYSTR a, const CStringT &b) { return !(a == b); }
    friend bool operator!=(const CStringT &a, XCHAR b) noexcept { return !(a == b); }
    friend bool operator!=(XCHAR a, const CStringT &b) noexcept { return !(a == b); }
    friend bool operator<(const CStringT &a, const CStringT &b) { return a.Compare(b) < 0; }
    friend bool operator<(const CStringT &a, PCXSTR b) { return a.Compare(b) < 0; }
    friend bool operator<(PCXSTR a, const CStringT &b) { return b.Compare(a) > 0; }
    friend bool operator>(const CStringT &a, const CStringT &b) { return a.Compare(b) > 0; }
    friend bool operator>(const CStringT &a, PCXSTR b) { return a.Compare(b) > 0; }
    friend bool operator>(PCXSTR a, const CStringT &b) { return b.Compare(a) < 0; }
    friend bool operator<=(const CStringT &a, const CStringT &b) { return a.Compare(b) <= 0; }
    friend bool operator<=(const CStringT &a, PCXSTR b) { return a.Compare(b) <= 0; }
    friend bool operator<=(PCXSTR a, const CStringT &b) { return b.Compare(a) >= 0; }
    friend bool operator>=(const CStringT &a, const CStringT &b) { return a.Compare(b) >= 0; }
    friend bool operator>=(const CStringT &a, PCXSTR b) { return a.Compare(b) >= 0; }
    friend bool operator>=(PCXSTR a, const CStringT &b) { return b.Compare(a) <= 0; }

private:
    Storage m_s;

    explicit CStringT(const Storage &s) : m_s(s) {}

    /* MAKEINTRESOURCE(id) pointers name string resources, which do not exist here. */
    template <class C> static bool IsResourceId(const C *p) noexcept
    {
        return p != NULL && reinterpret_cast<uintptr_t>(p) < 0x10000;
    }
    void Set(PCXSTR psz)
    {
        if (psz == NULL || IsResourceId(psz))
            m_s.clear();
        else
            m_s.assign(psz);
    }
    void Set(PCYSTR psz)
    {
        if (psz == NULL || IsResourceId(psz))
            m_s.clear();
        else
            m_s = Ch::FromOther(psz, OtherCh::SafeLength(psz));
    }
    /* One character of the other width. A lone byte above 0x7F is an incomplete UTF-8 sequence. */
    static Storage Widen(YCHAR ch) { return Ch::FromOther(&ch, 1); }
    size_t Clamp(int iIndex) const noexcept
    {
        if (iIndex < 0)
            return 0;
        return static_cast<size_t>(iIndex) > m_s.size() ? m_s.size() : static_cast<size_t>(iIndex);
    }
    static std::wstring ToWide(const std::wstring &s) { return s; }
    static std::wstring ToWide(const std::string &s)
    {
        return ChTraitsCRT<wchar_t>::FromOther(s.data(), static_cast<int>(s.size()));
    }
    void AssignBSTR(BSTR b) { AssignWide(m_s, b, static_cast<int>(::SysStringLen(b))); }
    static void AssignWide(std::wstring &out, const wchar_t *s, int n) { out.assign(s, static_cast<size_t>(n)); }
    static void AssignWide(std::string &out, const wchar_t *s, int n) { out = ChTraitsCRT<char>::FromOther(s, n); }
    static Storage FormattedArgs(PCXSTR pszFormat, ...)
    {
        va_list ap;
        va_start(ap, pszFormat);
        Storage out = Formatted(pszFormat, ap);
        va_end(ap);
        return out;
    }
    static Storage Formatted(PCXSTR pszFormat, va_list args)
    {
        va_list copy;
        ATLENSURE_THROW(pszFormat != NULL, E_INVALIDARG);
        va_copy(copy, args);
        int n = Ch::FormattedLength(pszFormat, copy);
        va_end(copy);
        if (n < 0)
            AtlThrow(E_INVALIDARG);
        Storage out(static_cast<size_t>(n), XCHAR(0));
        if (Ch::Format(&out[0], static_cast<size_t>(n) + 1, pszFormat, args) != n)
            AtlThrow(E_INVALIDARG);
        return out;
    }
};

typedef CStringT<char> CAtlStringA;
typedef CStringT<wchar_t> CAtlStringW;
typedef CStringT<TCHAR> CAtlString;

} /* namespace ATL */

/* As in ATL, the CString names are global (MFC's spelling); ATL:: names them too. */
typedef ATL::CAtlStringA CStringA;
typedef ATL::CAtlStringW CStringW;
typedef ATL::CAtlString CString;

#endif /* __cplusplus */

#endif /* IISHOST_ATLSTR_H */
