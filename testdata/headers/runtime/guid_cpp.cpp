/* One of two translation units that both define the same GUID (see main.c). */
#include <windows.h>

DEFINE_GUID(IID_IIishostRuntimeCheck, 0x5b0e1c2d, 0x3a4f, 0x4e6b, 0x8c, 0x9d, 0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f);

extern "C" const GUID *RuntimeGuidFromCpp(void)
{
    return &IID_IIishostRuntimeCheck;
}
