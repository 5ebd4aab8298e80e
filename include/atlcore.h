/*
 * atlcore.h - the core of ATL that atlbase.h builds on: the critical
 * section wrappers (CComCriticalSection, CComAutoCriticalSection,
 * CComSafeDeleteCriticalSection, CComAutoDeleteCriticalSection,
 * CComFakeCriticalSection), AtlIsValidString and AtlIsValidAddress, plus
 * everything of atldef.h. Our own header-only subset, written from ATL's
 * documented behaviour. C++ only: compiled as C this header is empty.
 *
 * Not provided: CAtlBaseModule and string resources (AtlLoadString); see
 * atlbase.h for what else ATL has that this subset leaves out.
 */
#ifndef IISHOST_ATLCORE_H
#define IISHOST_ATLCORE_H

#ifdef __cplusplus

#include <limits.h>
#include <string.h>

#include "windows.h"
#include "atldef.h"

namespace ATL {

/* Whether psz can be read as a string of up to nMaxLength characters. As in ATL since it
 * stopped probing memory (IsBadReadPtr), that is: a pointer, and a length above zero. */
inline BOOL AtlIsValidString(LPCWSTR psz, size_t nMaxLength = INT_MAX) noexcept
{
    return psz != NULL && nMaxLength != 0;
}
inline BOOL AtlIsValidString(LPCSTR psz, size_t nMaxLength = UINT_MAX) noexcept
{
    return psz != NULL && nMaxLength != 0;
}

/* Whether p can be accessed for nBytes: not NULL, as in ATL (which no longer probes memory). */
inline BOOL AtlIsValidAddress(const void *p, size_t nBytes, BOOL bReadWrite = TRUE) noexcept
{
    (void)nBytes;
    (void)bReadWrite;
    return p != NULL;
}

/* ------------------------------------------------------------------------
 * Critical sections (kernel32.h's CRITICAL_SECTION, recursive as on Windows).
 */

/* Init and Term are the caller's job. */
class CComCriticalSection {
public:
    CComCriticalSection() noexcept { memset(&m_sec, 0, sizeof m_sec); }
    HRESULT Lock() noexcept
    {
        EnterCriticalSection(&m_sec);
        return S_OK;
    }
    HRESULT Unlock() noexcept
    {
        LeaveCriticalSection(&m_sec);
        return S_OK;
    }
    HRESULT Init() noexcept
    {
        if (!InitializeCriticalSectionAndSpinCount(&m_sec, 0))
            return AtlHresultFromLastError();
        return S_OK;
    }
    HRESULT Term() noexcept
    {
        DeleteCriticalSection(&m_sec);
        return S_OK;
    }

    CRITICAL_SECTION m_sec;
};

/* Initialized by the constructor and deleted by the destructor; Init/Term are not for callers. */
class CComAutoCriticalSection : public CComCriticalSection {
public:
    CComAutoCriticalSection()
    {
        HRESULT hr = CComCriticalSection::Init();
        if (FAILED(hr))
            AtlThrow(hr);
    }
    ~CComAutoCriticalSection() noexcept { CComCriticalSection::Term(); }

private:
    HRESULT Init();
    HRESULT Term();
};

/* Remembers whether it was initialized: Term (and the destructor) is safe at any time. */
class CComSafeDeleteCriticalSection : public CComCriticalSection {
public:
    CComSafeDeleteCriticalSection() noexcept : m_bInitialized(false) {}
    ~CComSafeDeleteCriticalSection() noexcept { Term(); }
    HRESULT Init() noexcept
    {
        ATLASSERT(!m_bInitialized);
        HRESULT hr = CComCriticalSection::Init();
        if (SUCCEEDED(hr))
            m_bInitialized = true;
        return hr;
    }
    HRESULT Term() noexcept
    {
        if (!m_bInitialized)
            return S_OK;
        m_bInitialized = false;
        return CComCriticalSection::Term();
    }
    /* E_UNEXPECTED before Init (ATL asserts there). */
    HRESULT Lock() noexcept
    {
        if (!m_bInitialized)
            return E_UNEXPECTED;
        return CComCriticalSection::Lock();
    }

protected:
    bool m_bInitialized;
};

/* The caller Inits; the destructor deletes. */
class CComAutoDeleteCriticalSection : public CComSafeDeleteCriticalSection {
private:
    HRESULT Term();
};

/* The lock of single-threaded models: takes nothing, because there is nothing to exclude. */
class CComFakeCriticalSection {
public:
    HRESULT Lock() noexcept { return S_OK; }
    HRESULT Unlock() noexcept { return S_OK; }
    HRESULT Init() noexcept { return S_OK; }
    HRESULT Term() noexcept { return S_OK; }
};

} /* namespace ATL */

#ifndef _ATL_NO_AUTOMATIC_NAMESPACE
using namespace ATL;
#endif

#endif /* __cplusplus */

#endif /* IISHOST_ATLCORE_H */
