/*
 * atlstr.h: CStringA and CStringW, every method porters use, with their
 * edge cases (clamped indexes, empty and NULL arguments, embedded
 * conversions between the widths, MSVC format rules). Narrow build: CString
 * is CStringA here (atlstr_unicode.cpp covers the UNICODE build). Prints
 * one line per failed check, then PASS when all passed.
 */
#include <atlstr.h>

#include <locale.h>

#include <string>

#include "check.h"

/* The text is copied first: a temporary CString's buffer dies with the full expression. */
#define CHECK_A(actual, expected)                                                                  \
    do {                                                                                           \
        CStringA check_copy_(actual);                                                              \
        CHECK_STR(check_copy_.GetString(), expected);                                              \
    } while (0)
#define CHECK_W(actual, expected)                                                                  \
    do {                                                                                           \
        CStringW check_copy_(actual);                                                              \
        CHECK_WSTR(check_copy_.GetString(), expected);                                             \
    } while (0)

#define THROWN(expr) \
    ([&]() -> HRESULT { \
        try { \
            expr; \
        } catch (const CAtlException &e) { \
            return e; \
        } \
        return S_OK; \
    }())

static void construction()
{
    CStringA empty;
    CHECK(empty.IsEmpty() && empty.GetLength() == 0 && strcmp(empty, "") == 0);
    CStringA a("abc");
    CHECK(a.GetLength() == 3 && strcmp(a.GetString(), "abc") == 0 && strcmp(static_cast<const char *>(a), "abc") == 0);
    CStringA fromWide(L"h\u00E9\u20AC"); /* converted to UTF-8 */
    CHECK_A(fromWide, "h\xC3\xA9\xE2\x82\xAC");
    CHECK(fromWide.GetLength() == 6);
    CStringW w("h\xC3\xA9\xE2\x82\xAC");
    CHECK_W(w, L"h\u00E9\u20AC");
    CHECK(w.GetLength() == 3);
    CStringW fromA(fromWide);
    CHECK(fromA == w);
    CStringW assignedFromA = fromWide; /* copy-initialization converts too */
    CHECK(assignedFromA == w);
    CStringA back = w;
    CHECK(back == fromWide);
    CStringA counted("abcdef", 4);
    CHECK_A(counted, "abcd");
    CStringA withNul("a\0b", 3);
    CHECK(withNul.GetLength() == 3 && withNul.GetAt(2) == 'b');
    CStringW countedOther("h\xC3\xA9xyz", 3);
    CHECK_W(countedOther, L"h\u00E9");
    CStringA repeated('x', 3);
    CHECK_A(repeated, "xxx");
    CStringW wideRepeat(L'-', 2);
    CHECK_W(wideRepeat, L"--");
    CStringW widened('a');
    CHECK_W(widened, L"a");
    CStringW loneByte('\xC3'); /* half a UTF-8 sequence */
    CHECK(loneByte.GetLength() == 1 && loneByte[0] == 0xFFFD);
    CStringA narrowed(L'\u00E9');
    CHECK_A(narrowed, "\xC3\xA9");
    CStringA nullA(static_cast<const char *>(NULL));
    CStringW nullW(static_cast<const wchar_t *>(NULL));
    CHECK(nullA.IsEmpty() && nullW.IsEmpty());
    CStringA resource(reinterpret_cast<const char *>(static_cast<uintptr_t>(101))); /* MAKEINTRESOURCE */
    CHECK(resource.IsEmpty());
    CHECK(THROWN(CStringA bad("x", -1)) == E_INVALIDARG);
    CHECK(THROWN(CStringW bad(static_cast<const char *>(NULL), 2)) == E_INVALIDARG);
    const unsigned char bytes[] = "uc";
    CStringA fromBytes(bytes);
    CHECK_A(fromBytes, "uc");

    VARIANT v;
    VariantInit(&v);
    v.vt = VT_I4;
    v.lVal = -12;
    CStringW fromVariant(v);
    CHECK_W(fromVariant, L"-12");
    CStringA narrowVariant(v);
    CHECK_A(narrowVariant, "-12");
    v.vt = VT_DISPATCH;
    v.pdispVal = NULL;
    CHECK(THROWN(CStringW bad(v)) != S_OK);

    /* Copies are independent. */
    CStringA copy(a);
    copy.SetAt(0, 'X');
    CHECK_A(a, "abc");
    CHECK_A(copy, "Xbc");
    CStringA moved(static_cast<CStringA &&>(copy));
    CHECK_A(moved, "Xbc");
}

static void assignment_and_append()
{
    CStringA s;
    s = "one";
    CHECK_A(s, "one");
    s = L"\u00E9";
    CHECK_A(s, "\xC3\xA9");
    s = 'c';
    CHECK_A(s, "c");
    s = L'w';
    CHECK_A(s, "w");
    CStringW w;
    w = CStringA("conv");
    CHECK_W(w, L"conv");
    s = CStringW(L"back");
    CHECK_A(s, "back");
    s += "+";
    s += L"\u00E9";
    s += '!';
    s += L'?';
    s += CStringA("end");
    CHECK_A(s, "back+\xC3\xA9!?end");
    s.Empty();
    CHECK(s.IsEmpty());
    s.Append("ab");
    s.Append("cdef", 2);
    s.Append(CStringA("-"));
    s.AppendChar('z');
    s.Append(static_cast<const char *>(NULL));
    CHECK_A(s, "abcd-z");
    CHECK(THROWN(s.Append("x", -2)) == E_INVALIDARG);
    s.SetString("set");
    CHECK_A(s, "set");
    s.SetString("setting", 3);
    CHECK_A(s, "set");

    /* operator+ in every combination. */
    CStringA x("x");
    CHECK_A(x + "y", "xy");
    CHECK_A("y" + x, "yx");
    CHECK_A(x + x, "xx");
    CHECK_A(x + 'c', "xc");
    CHECK_A('c' + x, "cx");
    CStringW wx(L"x");
    CHECK_W(wx + L"y", L"xy");
    CHECK_W(L"y" + wx, L"yx");
    CHECK_W(wx + L'c', L"xc");
    CHECK_W(wx + 'n', L"xn");
    CHECK_W(L'c' + wx, L"cx");
}

static void access()
{
    CStringA s("abc");
    CHECK(s[0] == 'a' && s.GetAt(2) == 'c' && s.GetAt(3) == 0);
    CHECK(THROWN(s.GetAt(4)) == E_INVALIDARG && THROWN(s.GetAt(-1)) == E_INVALIDARG);
    CHECK(THROWN(s[-1]) == E_INVALIDARG);
    s.SetAt(1, 'B');
    CHECK_A(s, "aBc");
    CHECK(THROWN(s.SetAt(3, 'x')) == E_INVALIDARG);
}

/* FormatV / AppendFormatV, the way a module's own printf-style helper uses them. */
static CStringW wide_v(bool append, const wchar_t *fmt, ...)
{
    CStringW s(L"<");
    va_list ap;
    va_start(ap, fmt);
    if (append)
        s.AppendFormatV(fmt, ap);
    else
        s.FormatV(fmt, ap);
    va_end(ap);
    return s;
}

static CStringA narrow_v(bool append, const char *fmt, ...)
{
    CStringA s("<");
    va_list ap;
    va_start(ap, fmt);
    if (append)
        s.AppendFormatV(fmt, ap);
    else
        s.FormatV(fmt, ap);
    va_end(ap);
    return s;
}

static void formatting()
{
    CHECK_W(wide_v(false, L"%s:%d", L"v", 1), L"v:1");
    CHECK_W(wide_v(true, L"%s:%d", L"v", 2), L"<v:2");
    CHECK_A(narrow_v(false, "%s:%I64u", "n", 3ULL), "n:3");
    CHECK_A(narrow_v(true, "%S", L"\u00E9"), "<\xC3\xA9");

    CStringA a;
    a.Format("%d-%s-%c-%5.2f", 42, "str", 'c', 3.14159);
    CHECK_A(a, "42-str-c- 3.14");
    a.Format("%S|%ls|%hs", L"wide", L"w2", "narrow"); /* MSVC: %S is the other width */
    CHECK_A(a, "wide|w2|narrow");
    a.Format("%I64d %I64u %Iu", -1234567890123LL, 18446744073709551615ULL, static_cast<size_t>(7));
    CHECK_A(a, "-1234567890123 18446744073709551615 7");
    a.AppendFormat(" +%03d", 5);
    CHECK_A(a, "-1234567890123 18446744073709551615 7 +005");
    a.Format("%s", "");
    CHECK(a.IsEmpty());
    std::string longText(5000, 'q');
    a.Format("<%s>", longText.c_str());
    CHECK(a.GetLength() == 5002 && a[0] == '<' && a[5001] == '>');
    /* The string's own text as an argument: formatted before it is replaced. */
    a = "self";
    a.Format("%s+%s", a.GetString(), a.GetString());
    CHECK_A(a, "self+self");
    a.AppendFormat("/%s", a.GetString());
    CHECK_A(a, "self+self/self+self");

    /* CString and CComBSTR arguments print their text, as with MSVC. */
    CStringA arg("arg");
    a.Format("[%s|%S|%s]", arg, CStringW(L"w\u00E9"), CStringA("tmp"));
    CHECK_A(a, "[arg|w\xC3\xA9|tmp]");
    CStringW warg(L"wa");
    CComBSTR barg(L"bstr");
    CStringW wf;
    wf.Format(L"%s %S %s %d", warg, arg, barg, 5);
    CHECK_W(wf, L"wa arg bstr 5");
    wf.AppendFormat(L"/%s", warg);
    CHECK_W(wf, L"wa arg bstr 5/wa");
    const wchar_t wbuf[] = L"buf";
    short sh = -2;
    float fl = 0.5f;
    wf.Format(L"%s %d %.1f %c", wbuf, sh, fl, L'z');
    CHECK_W(wf, L"buf -2 0.5 z");

    CStringW w;
    w.Format(L"%s=%d %S %c%C", L"k\u00E9y", 7, "nar", L'\u20AC', 'n'); /* wide: %s wide, %S narrow */
    CHECK_W(w, L"k\u00E9y=7 nar \u20ACn");
    w.Format(L"%ls|%hs|%ws", L"l", "h", L"w");
    CHECK_W(w, L"l|h|w");
    w.Format(L"%08.3f|%x|%%", 2.5, 255);
    CHECK_W(w, L"0002.500|ff|%");
    w.AppendFormat(L"%s", L"!");
    CHECK_W(w, L"0002.500|ff|%!");
    std::wstring longWide(3000, L'\u00E9');
    w.Format(L"[%s]", longWide.c_str());
    CHECK(w.GetLength() == 3002 && w[1] == 0xE9);
    CHECK(THROWN(w.Format(static_cast<const wchar_t *>(NULL))) == E_INVALIDARG);
}

static void searching()
{
    CStringA s("hello world, hello");
    CHECK(s.Find('o') == 4 && s.Find('o', 5) == 7 && s.Find('z') == -1);
    CHECK(s.Find("hello") == 0 && s.Find("hello", 1) == 13 && s.Find("nope") == -1);
    CHECK(s.Find("", 3) == 3 && s.Find('h', 100) == -1 && s.Find('h', -1) == -1);
    CHECK(s.Find(static_cast<const char *>(NULL)) == -1);
    CHECK(s.Find('o', s.GetLength()) == -1 && s.Find("", s.GetLength()) == s.GetLength());
    CHECK(s.ReverseFind('o') == 17 && s.ReverseFind('z') == -1);
    CHECK(s.FindOneOf("w,") == 6 && s.FindOneOf("xyz") == -1 && s.FindOneOf("") == -1);
    CStringW w(L"caf\u00E9 au lait");
    CHECK(w.Find(L'\u00E9') == 3 && w.Find(L"au") == 5 && w.ReverseFind(L'a') == 9 && w.FindOneOf(L" t") == 4);
}

static void extracting()
{
    CStringA s("abcdef");
    CHECK_A(s.Mid(2), "cdef");
    CHECK_A(s.Mid(2, 2), "cd");
    CHECK_A(s.Mid(4, 100), "ef");
    CHECK_A(s.Mid(-3, 2), "ab");
    CHECK_A(s.Mid(10), "");
    CHECK_A(s.Mid(1, -1), "");
    CHECK_A(s.Left(2), "ab");
    CHECK_A(s.Left(100), "abcdef");
    CHECK_A(s.Left(-1), "");
    CHECK_A(s.Right(2), "ef");
    CHECK_A(s.Right(100), "abcdef");
    CHECK_A(s.Right(-5), "");
    CHECK_A(s.SpanIncluding("abc"), "abc");
    CHECK_A(s.SpanIncluding("xyz"), "");
    CHECK_A(s.SpanIncluding("fedcba"), "abcdef");
    CHECK_A(s.SpanExcluding("dx"), "abc");
    CHECK_A(s.SpanExcluding("xyz"), "abcdef");
    CHECK_A(s.SpanExcluding("a"), "");

    /* Tokenize: leading delimiters skipped, -1 at the end. */
    CStringA list(",,one, two,,three,");
    int pos = 0;
    CHECK_A(list.Tokenize(",", pos), "one");
    CHECK_EQ(pos, 6);
    CHECK_A(list.Tokenize(", ", pos), "two");
    CHECK_A(list.Tokenize(",", pos), "three");
    CHECK_A(list.Tokenize(",", pos), "");
    CHECK_EQ(pos, -1);
    pos = 0;
    CStringA all("a b  c");
    std::string joined;
    for (CStringA tok = all.Tokenize(" ", pos); pos != -1; tok = all.Tokenize(" ", pos))
        joined += std::string(tok) + "|";
    CHECK_A(joined.c_str(), "a|b|c|");
    pos = 2;
    CHECK_A(all.Tokenize("", pos), "b  c"); /* no delimiters: the rest */
    CHECK_EQ(pos, 2);
    pos = 0;
    CHECK_A(CStringA("").Tokenize(",", pos), "");
    CHECK_EQ(pos, -1);
    pos = 0;
    CHECK_A(CStringA(",,,").Tokenize(",", pos), "");
    CHECK_EQ(pos, -1);
    pos = -1;
    CHECK(THROWN(all.Tokenize(" ", pos)) == E_INVALIDARG);
    CStringW wl(L"k=v;x=y");
    pos = 0;
    CHECK_W(wl.Tokenize(L";", pos), L"k=v");
    CHECK_W(wl.Tokenize(L";", pos), L"x=y");
}

static void modifying()
{
    CStringA s("MiXeD 123");
    CHECK_A(s.MakeLower(), "mixed 123");
    CHECK_A(s.MakeUpper(), "MIXED 123");
    CHECK_A(s.MakeReverse(), "321 DEXIM");
    CStringW w(L"\u00C9t\u00E9");
    w.MakeUpper();
    CHECK(w.GetLength() == 3 && w[0] == 0xC9 && w[1] == L'T');
    CStringA odd("abc");
    CHECK_A(odd.MakeReverse(), "cba");
    CStringA none;
    CHECK_A(none.MakeReverse(), "");

    CStringA t("  \t padded \r\n");
    CHECK_A(CStringA(t).TrimLeft(), "padded \r\n");
    CHECK_A(CStringA(t).TrimRight(), "  \t padded");
    CHECK_A(t.Trim(), "padded");
    CStringA x("xxhixx");
    CHECK_A(CStringA(x).TrimLeft('x'), "hixx");
    CHECK_A(CStringA(x).TrimRight('x'), "xxhi");
    CHECK_A(x.Trim('x'), "hi");
    CStringA set("-=-value=-");
    CHECK_A(CStringA(set).TrimLeft("=-"), "value=-");
    CHECK_A(CStringA(set).TrimRight("=-"), "-=-value");
    CHECK_A(set.Trim("-="), "value");
    CHECK_A(CStringA("   ").Trim(), "");
    CHECK_A(CStringA("aaa").Trim('a'), "");
    CHECK_A(CStringA("keep").Trim(""), "keep");
    CStringW wt(L" \u3000wide\t");
    CHECK_W(wt.Trim(), L"wide"); /* iswspace knows the ideographic space */

    CStringA r("a.b.c");
    CHECK(r.Replace('.', '/') == 2);
    CHECK_A(r, "a/b/c");
    CHECK(r.Replace('z', 'y') == 0);
    CStringA rs("one two one two one");
    CHECK(rs.Replace("one", "1") == 3);
    CHECK_A(rs, "1 two 1 two 1");
    CHECK(rs.Replace("two", "three") == 2);
    CHECK_A(rs, "1 three 1 three 1");
    CHECK(rs.Replace(" ", NULL) == 4);
    CHECK_A(rs, "1three1three1");
    CHECK(rs.Replace("", "x") == 0 && rs.Replace(static_cast<const char *>(NULL), "x") == 0);
    CStringA overlap("aaaa");
    CHECK(overlap.Replace("aa", "b") == 2);
    CHECK_A(overlap, "bb");
    CStringA grow("ab");
    CHECK(grow.Replace("a", "aa") == 1);
    CHECK_A(grow, "aab");

    CStringA rm("banana");
    CHECK(rm.Remove('a') == 3);
    CHECK_A(rm, "bnn");
    CHECK(rm.Remove('z') == 0);

    CStringA ins("ace");
    CHECK(ins.Insert(1, 'b') == 4);
    CHECK_A(ins, "abce");
    CHECK(ins.Insert(4, "fg") == 6);
    CHECK_A(ins, "abcefg");
    CHECK(ins.Insert(100, '!') == 7);
    CHECK(ins.Insert(-5, "<") == 8);
    CHECK_A(ins, "<abcefg!");
    CHECK(ins.Insert(3, static_cast<const char *>(NULL)) == 8);

    CStringA del("abcdef");
    CHECK(del.Delete(1) == 5);
    CHECK_A(del, "acdef");
    CHECK(del.Delete(2, 2) == 3);
    CHECK_A(del, "acf");
    CHECK(del.Delete(1, 100) == 1);
    CHECK_A(del, "a");
    CHECK(del.Delete(5, 1) == 1 && del.Delete(0, -1) == 1 && del.Delete(-3, 1) == 0);

    CStringA tr("truncate");
    tr.Truncate(5);
    CHECK_A(tr, "trunc");
    CHECK(THROWN(tr.Truncate(6)) == E_INVALIDARG);
}

static void comparing()
{
    CStringA a("apple"), b("Banana");
    CHECK(a.Compare("apple") == 0 && a.Compare("apples") < 0 && a.Compare("app") > 0);
    CHECK(a.Compare(b) > 0); /* ordinal: 'a' > 'B' */
    CHECK(a.CompareNoCase("APPLE") == 0 && a.CompareNoCase(b) < 0);
    CHECK(a.Collate("apple") == 0 && a.CollateNoCase("APPLE") == 0);
    CHECK(THROWN(a.Compare(NULL)) == E_INVALIDARG);
    CHECK(a == "apple" && "apple" == a && a != "Apple" && "x" != a);
    CHECK(a == CStringA("apple") && a != b);
    CHECK(a == L"apple" && L"apple" == a && a != L"pear");
    CHECK(CStringA("c") == 'c' && 'c' == CStringA("c") && CStringA("cc") != 'c');
    CHECK(b < a && a > b && b <= a && a >= b && a <= CStringA("apple") && a >= "apple");
    CHECK("Banana" < a && a > "Banana" && "zzz" > a && "a" <= a && "b" >= a);
    CStringW w(L"\u00E9t\u00E9");
    CHECK(w.CompareNoCase(L"\u00C9T\u00C9") == 0 && w == L"\u00E9t\u00E9" && w == "\xC3\xA9t\xC3\xA9");
}

static void buffers()
{
    CStringA s("abc");
    char *p = s.GetBuffer(10);
    CHECK(strcmp(p, "abc") == 0); /* the current text is kept */
    strcpy(p, "0123456789");
    s.ReleaseBuffer();
    CHECK_A(s, "0123456789");
    p = s.GetBuffer(4);
    p[2] = 0;
    s.ReleaseBuffer();
    CHECK_A(s, "01");
    p = s.GetBuffer();
    p[0] = 'X';
    s.ReleaseBuffer(1);
    CHECK_A(s, "X");
    p = s.GetBufferSetLength(5);
    memcpy(p, "hello", 5);
    CHECK(s.GetLength() == 5);
    s.ReleaseBuffer();
    CHECK_A(s, "hello");
    p = s.GetBufferSetLength(3);
    CHECK_A(s, "hel");
    s.ReleaseBufferSetLength(2);
    CHECK_A(s, "he");
    CHECK(THROWN(s.GetBuffer(-1)) == E_INVALIDARG);
    CHECK(THROWN(s.ReleaseBuffer(100)) == E_INVALIDARG);
    s.Preallocate(1000);
    CHECK(s.GetAllocLength() >= 1000);
    CHECK_A(s, "he");
    s.FreeExtra();
    CHECK_A(s, "he");

    /* A C API filling a buffer, the common legacy pattern. */
    CStringW w;
    int n = swprintf(w.GetBuffer(32), 32, L"%d items", 12);
    w.ReleaseBuffer(n);
    CHECK_W(w, L"12 items");
    CStringA empty;
    p = empty.GetBuffer(0);
    CHECK(p != NULL && p[0] == 0);
    empty.ReleaseBuffer();
    CHECK(empty.IsEmpty());
}

/* This program has no _DEBUG: ATLTRACE, as in an ATL release build, does not evaluate its arguments. */
static void release_trace()
{
    int evaluated = 0;
    ATLTRACE("%d\n", ++evaluated);
    ATLTRACE2(atlTraceGeneral, 0, "%d\n", ++evaluated);
    CHECK(evaluated == 0);
}

static void bstr_and_resources()
{
    CStringA a("h\xC3\xA9");
    BSTR b = a.AllocSysString();
    CHECK(SysStringLen(b) == 2 && b[1] == 0xE9);
    SysFreeString(b);
    CStringW w(L"wide");
    b = w.AllocSysString();
    CHECK(SysStringLen(b) == 4 && wcscmp(b, L"wide") == 0);
    CHECK(w.SetSysString(&b) == b && wcscmp(b, L"wide") == 0);
    CStringA nul("a\0b", 3);
    CHECK(nul.SetSysString(&b) == b && SysStringLen(b) == 3 && b[2] == L'b');
    SysFreeString(b);
    b = CStringW().AllocSysString();
    CHECK(b != NULL && SysStringLen(b) == 0);
    SysFreeString(b);
    CHECK(THROWN(w.SetSysString(NULL)) == E_INVALIDARG);

    CStringA r("unchanged");
    CHECK(!r.LoadString(100) && r == "unchanged");
    CHECK(!r.LoadString(NULL, 100));
}

int main()
{
    /* Case mapping and white space beyond ASCII follow LC_CTYPE, as in the C library. */
    setlocale(LC_CTYPE, "C.UTF-8");
    construction();
    assignment_and_append();
    access();
    formatting();
    searching();
    extracting();
    modifying();
    comparing();
    buffers();
    bstr_and_resources();
    release_trace();
    return check_finish();
}
