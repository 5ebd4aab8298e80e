/*
 * atlcore_wpf.cpp - headers of a Visual Studio module's stdafx.h: windows.h (with SDKDDKVer.h's
 * defaults: Windows 10), atlcore.h's critical sections under contention and its validity
 * checks, and wpframework.h's settings interface, implemented here as a module would mock it.
 */
#include <SDKDDKVer.h>
#include <windows.h>
#include <atlcore.h>
#include <httpserv.h>
#include <wpframework.h>

#include <thread>
#include <vector>

#include "check.h"

namespace {

static_assert(_WIN32_WINNT == _WIN32_WINNT_WIN10 && WINVER == 0x0A00, "Windows 10 by default");
static_assert(NTDDI_VERSION >= NTDDI_WIN10_RS1 && _WIN32_IE == _WIN32_IE_IE110, "the newest known");

// A settings object of a module's tests, through the documented interface.
class FakeSettings final : public IWpfSettings {
public:
    ULONG AddRef() override { return ++refs; }
    ULONG Release() override { return --refs; }
    HRESULT GetBoolProperty(WPF_SETTINGS_BOOL_ENUM id, BOOL *v) override
    {
        *v = id == ENABLED_HOSTABLE_WEB_CORE;
        return S_OK;
    }
    HRESULT GetDwordProperty(WPF_SETTINGS_DWORD_ENUM id, DWORD *v) override
    {
        *v = id == IDLE_TIMEOUT ? 20 : 0;
        return S_OK;
    }
    HRESULT GetHandleProperty(WPF_SETTINGS_HANDLE_ENUM, HANDLE *v) override
    {
        *v = NULL;
        return HRESULT_FROM_WIN32(ERROR_NOT_SUPPORTED);
    }
    HRESULT GetStringProperty(WPF_SETTINGS_STRING_ENUM, PWSTR s, DWORD *n) override
    {
        if (s == nullptr || *n < 8) {
            *n = 8;
            return HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER);
        }
        wcscpy(s, L"DefPool");
        return S_OK;
    }
    HRESULT GetUlonglongProperty(WPF_SETTINGS_ULONGLONG_ENUM, ULONGLONG *v) override
    {
        *v = 0;
        return S_OK;
    }
    ULONG refs = 1;
};

} // namespace

int main()
{
    // Two threads under one CComAutoCriticalSection: no increment lost.
    CComAutoCriticalSection cs;
    long counter = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; t++)
        threads.emplace_back([&] {
            for (int i = 0; i < 100000; i++) {
                cs.Lock();
                counter++;
                cs.Unlock();
            }
        });
    for (auto &t : threads)
        t.join();
    CHECK_EQ(counter, 200000);
    CComSafeDeleteCriticalSection safe;
    CHECK_EQ(safe.Lock(), E_UNEXPECTED); // before Init
    CHECK_EQ(safe.Init(), S_OK);
    CHECK_EQ(safe.Lock(), S_OK);
    CHECK_EQ(safe.Unlock(), S_OK);
    CHECK_EQ(safe.Term(), S_OK);
    CHECK(AtlIsValidString(L"x") && !AtlIsValidString(static_cast<LPCWSTR>(nullptr)));
    CHECK(AtlIsValidString("x", 1) && !AtlIsValidString("x", 0));
    CHECK(AtlIsValidAddress(&counter, sizeof counter) && !AtlIsValidAddress(nullptr, 1, FALSE));

    CHECK_EQ(PERIODIC_RESTART_REQUESTS, 1);
    CHECK_EQ(MANAGED_PIPELINE_MODE, 4);
    CHECK_EQ(ROOT_WEB_CONFIG_FILE_NAME, 3);
    CHECK_EQ(PERIODIC_RESTART_PRIVATE_MEMORY, 1);
    FakeSettings fake;
    IWpfSettings *settings = &fake; // what IHttpServer::GetWorkerProcessSettings hands out on IIS
    DWORD idle = 0, cch = 0;
    WCHAR name[16];
    CHECK(SUCCEEDED(settings->GetDwordProperty(IDLE_TIMEOUT, &idle)) && idle == 20);
    CHECK_EQ(settings->GetStringProperty(APP_POOL_NAME, nullptr, &cch), HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER));
    cch = 16;
    CHECK(SUCCEEDED(settings->GetStringProperty(APP_POOL_NAME, name, &cch)));
    CHECK_WSTR(name, L"DefPool");
    CHECK_EQ(settings->AddRef(), 2);
    CHECK_EQ(settings->Release(), 1);
    IWorkerProcessFramework *framework = nullptr; // declared by name only
    CHECK(framework == nullptr);
    return check_finish();
}
