// Checks utf_convert.h in both wide forms, UTF-16 (char16_t, Windows' WCHAR) and UTF-32
// (char32_t, Linux's), on any platform. Run by TestUtfConvert (utf_convert_test.go); prints one
// line per failed check and exits 1 if any failed.
#include <stdio.h>
#include <string.h>

#include <string>

#include "../../headers/utf_convert.h"

using iishost::WideForm;

static int failures = 0;

static void Check(bool ok, const char *what)
{
    if (!ok) {
        printf("FAIL %s\n", what);
        failures++;
    }
}

template <typename Unit> static std::basic_string<Unit> FromUtf8(const std::string &s)
{
    std::basic_string<Unit> out(s.size(), Unit(0));
    out.resize(WideForm<Unit>::FromUtf8(s.data(), s.size(), &out[0]));
    Check(out.size() == WideForm<Unit>::LengthOfUtf8(s.data(), s.size()), "LengthOfUtf8 agrees with FromUtf8");
    return out;
}

template <typename Unit> static std::string ToUtf8(const std::basic_string<Unit> &s)
{
    std::string out(s.size() * iishost::kMaxUtf8PerWideUnit, '\0');
    out.resize(WideForm<Unit>::ToUtf8(s.data(), s.size(), &out[0]));
    return out;
}

int main()
{
    // "aé€😀": 1-, 2-, 3- and 4-byte UTF-8; U+1F600 lies beyond the BMP.
    const std::string mixed = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";

    std::u16string u16 = FromUtf8<char16_t>(mixed);
    Check(u16 == std::u16string{u'a', 0x00E9, 0x20AC, 0xD83D, 0xDE00}, "UTF-16: U+1F600 becomes the pair D83D DE00");
    Check(ToUtf8(u16) == mixed, "UTF-16: round trip");

    std::u32string u32 = FromUtf8<char32_t>(mixed);
    Check(u32 == std::u32string{U'a', 0x00E9, 0x20AC, 0x1F600}, "UTF-32: one unit per character");
    Check(ToUtf8(u32) == mixed, "UTF-32: round trip");

    const std::string fffd = "\xEF\xBF\xBD";
    // Lone surrogates, either half, alone or next to other text, become U+FFFD.
    Check(ToUtf8(std::u16string{0xD83D}) == fffd, "UTF-16: a lone high surrogate at the end");
    Check(ToUtf8(std::u16string{0xD83D, u'x'}) == fffd + "x", "UTF-16: a high surrogate before a non-surrogate");
    Check(ToUtf8(std::u16string{0xDE00, 0xD83D}) == fffd + fffd, "UTF-16: a low surrogate before a high one");
    Check(ToUtf8(std::u32string{0xD800, 0x110000}) == fffd + fffd, "UTF-32: surrogate values and values past U+10FFFF");

    // Malformed UTF-8: each bad byte is one U+FFFD, never dropped, never a surrogate.
    const std::string bad = "\xED\xA0\xBD"          // U+D83D encoded as UTF-8 (CESU): a surrogate
                            "\xC0\xAF"              // an overlong '/'
                            "\xF4\x90\x80\x80"      // U+110000
                            "\xE2\x82";             // truncated
    std::u16string badWide = FromUtf8<char16_t>(bad);
    size_t nonReplacement = 0;
    for (char16_t c : badWide) {
        nonReplacement += c != 0xFFFD;
    }
    Check(nonReplacement == 0 && badWide.size() == bad.size(), "malformed UTF-8: one U+FFFD per byte");
    Check(FromUtf8<char16_t>("\xC0\xAF").find(u'/') == std::u16string::npos, "an overlong '/' is no '/'");

    // Capacity: a 4-byte sequence makes 2 UTF-16 units, never more units than bytes.
    Check(WideForm<char16_t>::LengthOfUtf8("\xF0\x9F\x98\x80", 4) == 2, "UTF-16: U+1F600 counts 2 units");
    Check(WideForm<char32_t>::LengthOfUtf8("\xF0\x9F\x98\x80", 4) == 1, "UTF-32: U+1F600 counts 1 unit");

    if (failures) {
        return 1;
    }
    printf("ok\n");
    return 0;
}
