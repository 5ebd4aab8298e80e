#include "greeting.h"

#include <cwchar>

namespace {
const wchar_t kKey[] = L"?name=";
const size_t kKeyChars = sizeof(kKey) / sizeof(kKey[0]) - 1;
const size_t kMaxName = 32;

bool IsLetter(wchar_t c) { return (c >= L'a' && c <= L'z') || (c >= L'A' && c <= L'Z'); }
}  // namespace

std::string Greeting(const wchar_t* query, size_t chars) {
    if (query == nullptr || chars <= kKeyChars || chars - kKeyChars > kMaxName ||
        wmemcmp(query, kKey, kKeyChars) != 0) {
        return "";
    }
    std::string name;
    for (size_t i = kKeyChars; i < chars; i++) {
        if (!IsLetter(query[i])) {
            return "";
        }
        name += static_cast<char>(query[i]);
    }
    return "Hello, " + name + "!";
}
