/*
 * GUID text and generation from C: StringFromGUID2's exact braced
 * uppercase form, CLSIDFromString/IIDFromString parsing and their errors,
 * StringFromCLSID, the NULL GUIDs, and CoCreateGuid's version-4 bits.
 * Prints one line per failed check, then PASS when all passed.
 */
#include <windows.h>
#include <ahadmin.h>

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "check.h"

/* Every hex digit position differs, so byte-order mistakes show. */
DEFINE_GUID(mixed, 0x0A1B2C3D, 0x4E5F, 0x6071, 0x82, 0x93, 0xA4, 0xB5, 0xC6, 0xD7, 0xE8, 0xF9);

static int formats_as(const GUID *g, const wchar_t *want)
{
    OLECHAR buf[40];
    int n = StringFromGUID2(g, buf, 40);
    if (n != 39 || wcscmp(buf, want) != 0) {
        printf("  got %d \"%ls\", want \"%ls\"\n", n, n ? buf : L"", want);
        return 0;
    }
    return 1;
}

static void format(void)
{
    OLECHAR buf[39];

    CHECK(formats_as(&IID_IUnknown, L"{00000000-0000-0000-C000-000000000046}"));
    CHECK(formats_as(&IID_IDispatch, L"{00020400-0000-0000-C000-000000000046}"));
    CHECK(formats_as(&CLSID_AppHostAdminManager, L"{228FB8F7-FB53-4FD5-8C7B-FF59DE606C5B}"));
    CHECK(formats_as(&mixed, L"{0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9}"));
    CHECK(formats_as(&GUID_NULL, L"{00000000-0000-0000-0000-000000000000}"));

    CHECK(StringFromGUID2(&IID_IUnknown, buf, 39) == 39); /* exactly enough */
    CHECK(StringFromGUID2(&IID_IUnknown, buf, 38) == 0);  /* no room for the NUL */
    CHECK(StringFromGUID2(&IID_IUnknown, buf, 0) == 0);
}

static void parse(void)
{
    CLSID c;
    IID i;
    CHECK(CLSIDFromString(L"{228FB8F7-FB53-4FD5-8C7B-FF59DE606C5B}", &c) == S_OK);
    CHECK(IsEqualCLSID(&c, &CLSID_AppHostAdminManager));
    CHECK(CLSIDFromString(L"{228fb8f7-fb53-4fd5-8c7b-ff59de606c5b}", &c) == S_OK); /* either case */
    CHECK(IsEqualCLSID(&c, &CLSID_AppHostAdminManager));
    CHECK(IIDFromString(L"{00020400-0000-0000-C000-000000000046}", &i) == S_OK);
    CHECK(IsEqualIID(&i, &IID_IDispatch));

    /* Round trip through the text. */
    {
        OLECHAR buf[39];
        GUID g;
        CHECK(CoCreateGuid(&g) == S_OK);
        CHECK(StringFromGUID2(&g, buf, 39) == 39);
        CHECK(CLSIDFromString(buf, &c) == S_OK && IsEqualGUID(&c, &g));
    }

    /* NULL means GUID_NULL. */
    c = CLSID_AppHostAdminManager;
    CHECK(CLSIDFromString(NULL, &c) == S_OK && IsEqualCLSID(&c, &CLSID_NULL));
    CHECK(IIDFromString(NULL, &i) == S_OK && IsEqualIID(&i, &IID_NULL));

    /* Malformed: CO_E_CLASSSTRING (CLSID), E_INVALIDARG (IID, as documented). */
    CHECK(CO_E_CLASSSTRING == (HRESULT)0x800401F3);
    CHECK(CLSIDFromString(L"228FB8F7-FB53-4FD5-8C7B-FF59DE606C5B", &c) == CO_E_CLASSSTRING);
    CHECK(CLSIDFromString(L"{228FB8F7-FB53-4FD5-8C7B-FF59DE606C5B", &c) == CO_E_CLASSSTRING);
    CHECK(CLSIDFromString(L"{228FB8F7-FB53-4FD5-8C7B-FF59DE606C5B}x", &c) == CO_E_CLASSSTRING);
    CHECK(CLSIDFromString(L"{228FB8F7-FB53-4FD5-8C7B-FF59DE606C5G}", &c) == CO_E_CLASSSTRING);
    CHECK(CLSIDFromString(L"{228FB8F7FB53-4FD5-8C7B-FF59DE606C5B}", &c) == CO_E_CLASSSTRING);
    CHECK(CLSIDFromString(L"{228FB8F7-FB53-4FD5-8C7B-FF59DE606C5}", &c) == CO_E_CLASSSTRING);
    CHECK(CLSIDFromString(L"Microsoft.ApplicationHost.AdminManager", &c) == CO_E_CLASSSTRING);
    CHECK(CLSIDFromString(L"", &c) == CO_E_CLASSSTRING);
    CHECK(IIDFromString(L"{nonsense}", &i) == E_INVALIDARG);
}

static void string_from_clsid(void)
{
    LPOLESTR s = NULL;
    CHECK(StringFromCLSID(&CLSID_AppHostAdminManager, &s) == S_OK);
    CHECK(s != NULL && wcscmp(s, L"{228FB8F7-FB53-4FD5-8C7B-FF59DE606C5B}") == 0);
    CoTaskMemFree(s);
    CHECK(StringFromIID(&IID_IUnknown, &s) == S_OK);
    CHECK(s != NULL && wcscmp(s, L"{00000000-0000-0000-C000-000000000046}") == 0);
    CoTaskMemFree(s);
}

static void null_guids(void)
{
    static const GUID zero;
    CHECK(memcmp(&GUID_NULL, &zero, sizeof(GUID)) == 0);
    CHECK(IsEqualGUID(&IID_NULL, &GUID_NULL) && IsEqualGUID(&CLSID_NULL, &GUID_NULL));
    CHECK(&IID_NULL == &GUID_NULL); /* one object under three names */
}

static void create_guid(void)
{
    GUID a, b;
    int i, version_ok = 1, variant_ok = 1;
    CHECK(CoCreateGuid(&a) == S_OK);
    CHECK(CoCreateGuid(&b) == S_OK);
    CHECK(!IsEqualGUID(&a, &b));
    CHECK(!IsEqualGUID(&a, &GUID_NULL));
    CHECK(CoCreateGuid(NULL) == E_INVALIDARG);
    for (i = 0; i < 64; i++) {
        CHECK(CoCreateGuid(&a) == S_OK);
        version_ok &= (a.Data3 >> 12) == 4;        /* version 4: random */
        variant_ok &= (a.Data4[0] & 0xC0) == 0x80; /* RFC 4122 variant */
    }
    CHECK(version_ok);
    CHECK(variant_ok);
    /* The text form shows the version as the first digit of the third group. */
    {
        OLECHAR buf[39];
        StringFromGUID2(&a, buf, 39);
        CHECK(buf[15] == L'4');
        CHECK(buf[20] == L'8' || buf[20] == L'9' || buf[20] == L'A' || buf[20] == L'B');
    }
}

int main(void)
{
    format();
    parse();
    string_from_clsid();
    null_guids();
    create_guid();
    return check_finish();
}
