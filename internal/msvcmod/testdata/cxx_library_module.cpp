// cxx_library_module.cpp: an MSVC-ABI module using the C++ library pieces msvcmod supplies:
// std::string, std::mutex, std::thread, std::condition_variable, the standard exceptions and
// the C library's math. Each export returns a number the test knows.
#include <httpserv.h>

#include <cmath>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

// Eight threads add 1 a hundred thousand times each under one std::mutex: 800000 only if the
// mutex really locks.
extern "C" __declspec(dllexport) int __cdecl CountUnderMutex(int)
{
    std::mutex mu;
    int count = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; t++) {
        threads.emplace_back([&] {
            for (int i = 0; i < 100000; i++) {
                std::lock_guard<std::mutex> lock(mu);
                count = count + 1;
            }
        });
    }
    for (auto &t : threads) {
        t.join();
    }
    return count;
}

// A thread waits on a condition variable for a value the caller hands over.
extern "C" __declspec(dllexport) int __cdecl HandOver(int v)
{
    std::mutex mu;
    std::condition_variable cv;
    int seen = -1;
    bool ready = false;
    std::thread waiter([&] {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return ready; });
        seen = v;
    });
    {
        std::lock_guard<std::mutex> lock(mu);
        ready = true;
    }
    cv.notify_one();
    waiter.join();
    return seen;
}

// std::string growth, and what() of an out_of_range the library throws.
extern "C" __declspec(dllexport) int __cdecl StringWork(int n)
{
    std::string s;
    for (int i = 0; i < n; i++) {
        s += "abc";
    }
    try {
        (void)s.at(s.size() + 5);
    } catch (const std::out_of_range &e) {
        return static_cast<int>(s.size()) * 1000 + (std::string(e.what()).find("basic_string") != std::string::npos ? 1 : 0);
    }
    return -1;
}

extern "C" __declspec(dllexport) int __cdecl RuntimeErrorMessage(int)
{
    try {
        throw std::runtime_error("seven chars");
    } catch (const std::exception &e) {
        return static_cast<int>(std::string(e.what()).size());
    }
}

extern "C" __declspec(dllexport) int __cdecl Math(int v) { return static_cast<int>(std::pow(2.0, v) + std::sqrt(81.0)); }

HRESULT WINAPI RegisterModule(DWORD, IHttpModuleRegistrationInfo *, IHttpServer *) { return S_OK; }
