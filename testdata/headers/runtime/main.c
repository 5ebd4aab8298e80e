/*
 * Runtime checks of the base headers, linked with guid_c.c and guid_cpp.cpp
 * by scripts/check-headers.sh. Exit status 0 means every check passed.
 *  - DEFINE_GUID in two translation units (C and C++) yields one object;
 *  - HRESULT_FROM_WIN32 on values only known at run time;
 *  - the Windows address views read what Linux wrote into a sockaddr.
 */
#include <stdio.h>

#define _WINSOCKAPI_
#include <windows.h>

const GUID *RuntimeGuidFromC(void);
const GUID *RuntimeGuidFromCpp(void);

static int failures;

static void expect(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "runtime check failed: %s\n", what);
        failures++;
    }
}

static HRESULT from_win32(volatile DWORD code)
{
    return HRESULT_FROM_WIN32(code);
}

int main(void)
{
    static const GUID want = { 0x5b0e1c2d, 0x3a4f, 0x4e6b, { 0x8c, 0x9d, 0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f } };
    struct sockaddr_storage storage;
    struct sockaddr_in *pLinux4 = (struct sockaddr_in *)&storage;
    struct sockaddr_in6 *pLinux6 = (struct sockaddr_in6 *)&storage;
    const SOCKADDR_IN *pIn = (const SOCKADDR_IN *)&storage;
    const SOCKADDR_IN6 *pIn6 = (const SOCKADDR_IN6 *)&storage;
    BYTE secret[16];
    USHORT i;

    expect(RuntimeGuidFromC() == RuntimeGuidFromCpp(), "DEFINE_GUID copies merge into one object");
    expect(IsEqualGUID(RuntimeGuidFromC(), &want), "DEFINE_GUID value");

    expect(from_win32(0) == S_OK, "HRESULT_FROM_WIN32(0)");
    expect(from_win32(ERROR_INSUFFICIENT_BUFFER) == (HRESULT)0x8007007A, "HRESULT_FROM_WIN32(122)");
    expect(from_win32((DWORD)E_FAIL) == E_FAIL, "HRESULT_FROM_WIN32(E_FAIL)");
    expect(from_win32(0xFFFFFFFF) == (HRESULT)-1, "HRESULT_FROM_WIN32(-1)");
    expect(from_win32(0x12345) == (HRESULT)0x80072345, "HRESULT_FROM_WIN32 keeps the low 16 bits");

    FillMemory(secret, sizeof(secret), 0x5A);
    SecureZeroMemory(secret, sizeof(secret));
    for (i = 0; i < sizeof(secret); i++)
        expect(secret[i] == 0, "SecureZeroMemory");

    ZeroMemory(&storage, sizeof(storage));
    pLinux4->sin_family = AF_INET;
    pLinux4->sin_port = htons(8080);
    expect(inet_pton(AF_INET, "127.1.2.3", &pLinux4->sin_addr) == 1, "inet_pton v4");
    expect(pIn->sin_family == AF_INET && ntohs(pIn->sin_port) == 8080, "SOCKADDR_IN family and port");
    expect(pIn->sin_addr.S_un.S_un_b.s_b1 == 127 && pIn->sin_addr.S_un.S_un_b.s_b4 == 3, "IN_ADDR bytes");
    expect(pIn->sin_addr.S_un.S_addr == pLinux4->sin_addr.s_addr, "IN_ADDR S_addr");
    expect(pIn->sin_addr.s_addr == htonl(0x7F010203), "IN_ADDR s_addr");

    ZeroMemory(&storage, sizeof(storage));
    pLinux6->sin6_family = AF_INET6;
    pLinux6->sin6_port = htons(443);
    pLinux6->sin6_scope_id = 7;
    expect(inet_pton(AF_INET6, "2001:db8::1", &pLinux6->sin6_addr) == 1, "inet_pton v6");
    expect(pIn6->sin6_family == AF_INET6 && ntohs(pIn6->sin6_port) == 443, "SOCKADDR_IN6 family and port");
    expect(pIn6->sin6_addr.u.Byte[0] == 0x20 && pIn6->sin6_addr.u.Byte[15] == 1, "IN6_ADDR bytes");
    expect(ntohs(pIn6->sin6_addr.u.Word[1]) == 0x0db8, "IN6_ADDR words");
    expect(pIn6->sin6_addr.s6_addr[1] == 0x01, "IN6_ADDR s6_addr");
    expect(pIn6->sin6_scope_id == 7 && pIn6->sin6_scope_struct.Zone == 7, "SOCKADDR_IN6 scope");

    if (failures == 0)
        printf("runtime checks passed\n");
    return failures == 0 ? 0 : 1;
}
