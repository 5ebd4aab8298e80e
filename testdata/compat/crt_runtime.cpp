/*
 * crt_runtime.cpp - crt_runtime_tests.h from C++17 with library headers on both sides of
 * windows.h, and the old names used the way C++ code does (through pointers, beside std::).
 */
#include <algorithm>
#include <cstring>
#include <string>

#include <windows.h>

#include <memory>

#include "check.h"
#include "crt_runtime_tests.h"

int main()
{
    test_old_names();
    test_aligned();
    test_dupenv();
    test_time();

    int (*compare)(const char *, const char *) = stricmp;
    std::string word = "MiXeD";
    CHECK_EQ(compare(word.c_str(), "mixed"), 0);
    std::unique_ptr<void, void (*)(void *)> block(_aligned_malloc(256, 32), _aligned_free);
    CHECK(block != nullptr && reinterpret_cast<uintptr_t>(block.get()) % 32 == 0);
    return check_finish();
}
