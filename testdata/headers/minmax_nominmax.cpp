/* NOMINMAX, as portable Windows code defines it: no min or max of ours; std's serve. */
#define NOMINMAX
#include <windows.h>

#include <algorithm>

template <class T> int min(T, T, T) { return 0; } /* a module's own overload set is untouched */

int MinMaxNone(DWORD a, DWORD b);
int MinMaxNone(DWORD a, DWORD b)
{
    using std::max;
    return static_cast<int>(max(a, b) + std::min(a, b)) + min(1, 2, 3);
}
