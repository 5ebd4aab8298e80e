/* wsprintf.c - wsprintfA/W and wvsprintf: MSVC format rules (wide %s takes a wide string), the
   1024-character limit with the output cut to 1023, and the UNICODE mapping. */
#include <windows.h>

#include "check.h"

static int viaVA(LPSTR buf, LPCSTR fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = wvsprintfA(buf, fmt, ap);
    va_end(ap);
    return n;
}

int main(void)
{
    char a[1100];
    wchar_t w[1100];
    char big[2000];

    CHECK_EQ(wsprintfA(a, "%s-%d-%S", "x", 42, L"wide"), 9);
    CHECK_STR(a, "x-42-wide");
    CHECK_EQ(wsprintfW(w, L"%s=%u %S", L"name", 7u, "narrow"), 13);
    CHECK_WSTR(w, L"name=7 narrow");
    CHECK_EQ(viaVA(a, "%I64d|%c", (long long)-5, 'q'), 4);
    CHECK_STR(a, "-5|q");

    memset(big, 'z', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    CHECK_EQ(wsprintfA(a, "%s", big), 1023);
    CHECK_EQ((int)strlen(a), 1023);
    CHECK_EQ(wsprintfA(a, "%.1024s", big), 1023); /* exactly at the limit: still cut to 1023 */
    CHECK_EQ(a[1023], 0);

    return check_finish();
}
