/* generic_names_unicode.cpp - the generic names of A/W pairs in a UNICODE C++ build: the W forms. */
#define UNICODE
#define _UNICODE
#include <windows.h>

#include <type_traits>

#include "check.h"
#include "generic_names.h"

static_assert(std::is_same<decltype(&CreateMutex), decltype(&CreateMutexW)>::value, "CreateMutex is W");
static_assert(std::is_same<decltype(&LoadLibrary), decltype(&LoadLibraryW)>::value, "LoadLibrary is W");
static_assert(std::is_same<decltype(&GetModuleFileName), decltype(&GetModuleFileNameW)>::value,
              "GetModuleFileName is W");

int main()
{
    check_generic_names();
    return check_finish();
}
