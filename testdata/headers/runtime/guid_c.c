/* The other definition of the GUID, in C and with INITGUID as Windows sources do. */
#include <initguid.h>
#include <windows.h>

DEFINE_GUID(IID_IIishostRuntimeCheck, 0x5b0e1c2d, 0x3a4f, 0x4e6b, 0x8c, 0x9d, 0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f);

const GUID *RuntimeGuidFromC(void);
const GUID *RuntimeGuidFromC(void)
{
    return &IID_IIishostRuntimeCheck;
}
