/*
 * The Windows prologue first, then every C++ standard header this compiler
 * has: none of our macros (SAL, min/max, interface, ...) may break them.
 * Templates are parsed where they are defined, so a clash shows up here even
 * when nothing is instantiated.
 */
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <specstrings.h>
#include <objbase.h>
#include <winsock2.h>
#include <initguid.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bitset>
#include <cassert>
#include <cctype>
#include <cerrno>
#include <cfloat>
#include <chrono>
#include <cinttypes>
#include <climits>
#include <clocale>
#include <cmath>
#include <codecvt>
#include <complex>
#include <condition_variable>
#include <csignal>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <cwchar>
#include <cwctype>
#include <deque>
#include <exception>
#include <forward_list>
#include <fstream>
#include <functional>
#include <future>
#include <initializer_list>
#include <iomanip>
#include <ios>
#include <iosfwd>
#include <iostream>
#include <istream>
#include <iterator>
#include <limits>
#include <list>
#include <locale>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <numeric>
#include <ostream>
#include <queue>
#include <random>
#include <ratio>
#include <regex>
#include <set>
#include <sstream>
#include <stack>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <system_error>
#include <thread>
#include <tuple>
#include <type_traits>
#include <typeindex>
#include <typeinfo>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <valarray>
#include <vector>
#if __cplusplus >= 201402L
#include <shared_mutex>
#endif
#if __cplusplus >= 201703L
#include <any>
#include <charconv>
#include <filesystem>
#include <memory_resource>
#include <optional>
#include <string_view>
#include <variant>
#endif
#if __cplusplus >= 202002L
#include <barrier>
#include <bit>
#include <compare>
#include <concepts>
#include <latch>
#include <numbers>
#include <ranges>
#include <semaphore>
#include <source_location>
#include <span>
#include <stop_token>
#include <version>
#endif

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <unistd.h>
#include <dlfcn.h>

/* The names that clash in practice: std::min/max, std::get on a pair, streams. */
int StdlibUse(const std::vector<DWORD> &values);
int StdlibUse(const std::vector<DWORD> &values)
{
    std::pair<DWORD, std::wstring> entry(1, L"iishost");
    std::ostringstream out;
    DWORD largest = 0;
    for (DWORD v : values)
        largest = std::max(largest, v);
    out << std::get<0>(entry) << std::min<DWORD>(largest, 7) << std::numeric_limits<DWORD>::max();
    /* Windows' min/max, mixing types, and std's under using-directives, in the same scope. */
    using namespace std;
    size_t room = min(largest, sizeof(largest)) + max(1, 2) + min<int>(3, 4);
    return static_cast<int>(out.str().size() + std::get<1>(entry).size() + room);
}
