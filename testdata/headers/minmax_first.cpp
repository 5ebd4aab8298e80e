/*
 * The C++ standard headers first, then windows.h, then code that calls min and max both ways:
 * the other include order of stdlib_after.cpp.
 */
#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include <windows.h>

#include <valarray>

int MinMaxFirst(const std::vector<int> &v, DWORD cb);
int MinMaxFirst(const std::vector<int> &v, DWORD cb)
{
    std::valarray<int> va(3);
    int top = v.empty() ? 0 : *std::max_element(v.begin(), v.end());
    DWORD part = min(cb, sizeof(long long)); /* DWORD and size_t, as Windows code mixes them */
    return static_cast<int>(max(top, 1) + part + std::min(2, 3) + va.max() +
                            (std::numeric_limits<int>::max)() % 7);
}
