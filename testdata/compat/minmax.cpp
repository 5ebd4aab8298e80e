/*
 * minmax.cpp - min and max in C++ (function templates, see iishost/winmacros.h) with
 * <algorithm> included after windows.h: mixed types give the common type as the macros do,
 * std::min and std::max still work, including under using-directives, and each argument is
 * evaluated once.
 */
#include <windows.h>

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "check.h"

static_assert(min(2, 3) == 2 && max(2.5, 1) == 2.5, "constant expressions");

int main()
{
    DWORD cb = 10;
    long long big = 1LL << 40;
    int i = 0;
    CHECK_EQ(min(cb, sizeof(DWORD)), 4);
    CHECK(sizeof(min(cb, sizeof(DWORD))) == sizeof(size_t));
    CHECK_EQ(max(cb, big), big);
    CHECK_EQ(max(i++, 0), 0); /* evaluated once: a function, not a macro */
    CHECK_EQ(i, 1);
    CHECK_EQ(std::max({3, 9, 4}), 9);
    CHECK_EQ((std::numeric_limits<DWORD>::max)(), 0xFFFFFFFFu);
    CHECK_EQ(std::numeric_limits<int>::max(), 0x7FFFFFFF);
    std::string a = "apple", b = "banana";
    {
        using namespace std;
        CHECK_STR(min(a, b).c_str(), "apple"); /* std::min: the better match for one type */
        CHECK_EQ(max(1, 2L), 2L);
        std::vector<int> v{5, 1, 3};
        CHECK_EQ(*max_element(v.begin(), v.end()), 5);
    }
    return check_finish();
}
