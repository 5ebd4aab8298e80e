// The admin manager modules read their configuration through (admin.h).
//
// Sections: GetAdminSection(section, path) takes section as a '/'-separated element path under
// <configuration> ("system.webServer/security/requestFiltering"). The path
// "MACHINE/WEBROOT/APPHOST" is the root document; "MACHINE/WEBROOT/APPHOST/<site>[/<url>]"
// additionally applies the <location path="..."> blocks whose path is that site path or a prefix
// of it, least specific first, as IIS inherits configuration: attributes override, child
// elements merge by name, and collection entries follow the inherited ones after <remove> and
// <clear> applied.
//
// Values: IIS types each attribute by its schema, which iishost does not have, so get_Value
// infers the type from the text: "true"/"false" (any case) is VT_BOOL; a decimal integer that fits
// a LONG is VT_I4, one that fits only a ULONG is VT_UI4; anything else is VT_BSTR.
// Collections: the <add> children of an element are its collection; a <remove> drops the
// entries whose attributes match every attribute the <remove> carries (values compared
// case-insensitively, as IIS compares collection keys); <clear/> drops all entries so far.
#include "admin.h"

#include <string.h>
#include <wctype.h>

#include <algorithm>
#include <functional>

namespace iishost {

std::wstring WidenString(const std::string &s); // strings.cpp

namespace {

// ---------------------------------------------------------------- the document buffer

struct Reader {
    const unsigned char *p, *end;
    bool ok = true;

    uint32_t U32()
    {
        if (end - p < 4) {
            ok = false;
            return 0;
        }
        uint32_t v = uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
        p += 4;
        return v;
    }
    std::wstring String()
    {
        uint32_t n = U32();
        if (!ok || uint32_t(end - p) < n) {
            ok = false;
            return {};
        }
        std::string s(reinterpret_cast<const char *>(p), n);
        p += n;
        return WidenString(s);
    }
};

// Configuration files are shallow; the bound keeps a hostile buffer from exhausting the stack.
constexpr int kMaxDepth = 256;

std::unique_ptr<ConfigNode> ReadNode(Reader &r, int depth)
{
    auto node = std::make_unique<ConfigNode>();
    node->name = r.String();
    uint32_t attrs = r.U32();
    for (uint32_t i = 0; r.ok && i < attrs; i++) {
        std::wstring name = r.String();
        std::wstring value = r.String();
        node->attributes.emplace_back(std::move(name), std::move(value));
    }
    uint32_t children = r.U32();
    if (children > 0 && depth >= kMaxDepth) {
        r.ok = false;
    }
    for (uint32_t i = 0; r.ok && i < children; i++) {
        node->children.push_back(ReadNode(r, depth + 1));
    }
    return r.ok ? std::move(node) : nullptr;
}

// ---------------------------------------------------------------- merging

bool EqualFold(const std::wstring &a, const std::wstring &b)
{
    if (a.size() != b.size()) {
        return false;
    }
    for (size_t i = 0; i < a.size(); i++) {
        if (towlower(a[i]) != towlower(b[i])) {
            return false;
        }
    }
    return true;
}

const std::wstring *Attribute(const std::vector<std::pair<std::wstring, std::wstring>> &attrs, const std::wstring &name)
{
    for (const auto &a : attrs) {
        if (a.first == name) {
            return &a.second;
        }
    }
    return nullptr;
}

// Applies one level's element on top of what the levels before it gave.
void MergeInto(ConfigView &into, const ConfigNode &src)
{
    for (const auto &a : src.attributes) {
        auto it = std::find_if(into.attributes.begin(), into.attributes.end(),
                               [&](const std::pair<std::wstring, std::wstring> &b) { return b.first == a.first; });
        if (it != into.attributes.end()) {
            it->second = a.second;
        } else {
            into.attributes.push_back(a);
        }
    }
    for (const auto &child : src.children) {
        if (child->name == L"add") {
            auto entry = std::make_shared<ConfigView>();
            entry->name = child->name;
            MergeInto(*entry, *child);
            into.entries.push_back(std::move(entry));
        } else if (child->name == L"remove") {
            if (child->attributes.empty()) {
                continue;
            }
            auto matches = [&](const std::shared_ptr<ConfigView> &e) {
                for (const auto &key : child->attributes) {
                    const std::wstring *v = Attribute(e->attributes, key.first);
                    if (!v || !EqualFold(*v, key.second)) {
                        return false;
                    }
                }
                return true;
            };
            into.entries.erase(std::remove_if(into.entries.begin(), into.entries.end(), matches), into.entries.end());
        } else if (child->name == L"clear") {
            into.entries.clear();
        } else {
            auto it = std::find_if(into.children.begin(), into.children.end(),
                                   [&](const std::shared_ptr<ConfigView> &c) { return c->name == child->name; });
            if (it == into.children.end()) {
                auto view = std::make_shared<ConfigView>();
                view->name = child->name;
                it = into.children.insert(into.children.end(), std::move(view));
            }
            MergeInto(**it, *child);
        }
    }
}

std::vector<std::wstring> Split(const std::wstring &s)
{
    std::vector<std::wstring> parts;
    size_t start = 0;
    for (;;) {
        size_t slash = s.find(L'/', start);
        parts.push_back(s.substr(start, slash == std::wstring::npos ? std::wstring::npos : slash - start));
        if (slash == std::wstring::npos) {
            return parts;
        }
        start = slash + 1;
    }
}

std::wstring TrimSlashes(const std::wstring &s)
{
    size_t b = s.find_first_not_of(L'/');
    if (b == std::wstring::npos) {
        return {};
    }
    return s.substr(b, s.find_last_not_of(L'/') - b + 1);
}

// Collects the elements at names[i..] under parent, in document order.
void Collect(const ConfigNode &parent, const std::vector<std::wstring> &names, size_t i, std::vector<const ConfigNode *> &out)
{
    for (const auto &child : parent.children) {
        if (child->name != names[i]) {
            continue;
        }
        if (i + 1 == names.size()) {
            out.push_back(child.get());
        } else {
            Collect(*child, names, i + 1, out);
        }
    }
}

const wchar_t kAppHost[] = L"MACHINE/WEBROOT/APPHOST";

// The merged section, or a failing HRESULT: the documented ERROR_FILE_NOT_FOUND for a path this
// host has no configuration for, ERROR_INVALID_PARAMETER for a section that is not there.
HRESULT FindSection(const ConfigNode &doc, const std::wstring &section, const std::wstring &path,
                    std::shared_ptr<ConfigView> *out)
{
    std::vector<std::wstring> names = Split(section);
    for (const auto &n : names) {
        if (n.empty()) {
            return HRESULT_FROM_WIN32(ERROR_INVALID_PARAMETER);
        }
    }
    const size_t prefix = wcslen(kAppHost);
    std::wstring trimmed = TrimSlashes(path);
    if (!EqualFold(trimmed.substr(0, prefix), kAppHost) || (trimmed.size() > prefix && trimmed[prefix] != L'/')) {
        return HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND);
    }
    std::wstring sitePath = trimmed.size() > prefix ? TrimSlashes(trimmed.substr(prefix)) : std::wstring();

    // The root level: the document and <location path=""> or "." blocks, in document order;
    // then the locations on the way to sitePath, least specific first.
    std::vector<const ConfigNode *> found;
    std::vector<std::pair<size_t, const ConfigNode *>> locations;
    for (const auto &child : doc.children) {
        if (child->name != L"location") {
            if (child->name == names[0]) {
                if (names.size() == 1) {
                    found.push_back(child.get());
                } else {
                    Collect(*child, names, 1, found);
                }
            }
            continue;
        }
        const std::wstring *p = Attribute(child->attributes, L"path");
        std::wstring where = p ? TrimSlashes(*p) : std::wstring();
        if (where.empty() || where == L".") {
            Collect(*child, names, 0, found);
        } else if (!sitePath.empty() && where.size() <= sitePath.size() && EqualFold(sitePath.substr(0, where.size()), where) &&
                   (where.size() == sitePath.size() || sitePath[where.size()] == L'/')) {
            locations.emplace_back(where.size(), child.get());
        }
    }
    std::stable_sort(locations.begin(), locations.end(),
                     [](const std::pair<size_t, const ConfigNode *> &a, const std::pair<size_t, const ConfigNode *> &b) {
                         return a.first < b.first;
                     });
    for (const auto &loc : locations) {
        Collect(*loc.second, names, 0, found);
    }
    if (found.empty()) {
        return HRESULT_FROM_WIN32(ERROR_INVALID_PARAMETER);
    }
    auto view = std::make_shared<ConfigView>();
    view->name = section;
    for (const ConfigNode *n : found) {
        MergeInto(*view, *n);
    }
    *out = std::move(view);
    return S_OK;
}

// ---------------------------------------------------------------- helpers

BSTR NewBstr(const std::wstring &s) { return SysAllocStringLen(s.data(), static_cast<UINT>(s.size())); }

std::wstring FromBstr(BSTR s) { return s ? std::wstring(s, SysStringLen(s)) : std::wstring(); }

const HRESULT kNoSuchIndex = HRESULT_FROM_WIN32(ERROR_INVALID_INDEX);

// ItemIndex resolves an index VARIANT as collections take it: a number, or a name that nameAt(k)
// matches (nameAt is null where a collection has no names). False for a VARIANT of another type;
// *index is past the end when nothing matches.
static bool ItemIndex(const VARIANT &v, size_t count, const std::function<std::wstring(size_t)> &nameAt, size_t *index)
{
    switch (v.vt) {
    case VT_I2:
        *index = v.iVal < 0 ? SIZE_MAX : size_t(v.iVal);
        return true;
    case VT_UI2:
        *index = v.uiVal;
        return true;
    case VT_I4:
    case VT_INT:
        *index = v.lVal < 0 ? SIZE_MAX : size_t(v.lVal);
        return true;
    case VT_UI4:
    case VT_UINT:
        *index = v.ulVal;
        return true;
    case VT_BSTR: {
        if (!nameAt) {
            return false;
        }
        std::wstring name = FromBstr(v.bstrVal);
        *index = SIZE_MAX;
        for (size_t k = 0; k < count; k++) {
            if (nameAt(k) == name) {
                *index = k;
                break;
            }
        }
        return true;
    }
    }
    return false;
}

template <class T> HRESULT Hand(T *object, T **out)
{
    *out = object;
    return S_OK;
}

IAppHostElement *NewElement(std::shared_ptr<const ConfigView> view)
{
    auto *e = new AdminElement();
    e->view = std::move(view);
    return e;
}

// Infers a VARIANT from attribute text (see the top of this file).
void InferValue(const std::wstring &text, VARIANT *v)
{
    if (EqualFold(text, L"true") || EqualFold(text, L"false")) {
        v->vt = VT_BOOL;
        v->boolVal = EqualFold(text, L"true") ? VARIANT_TRUE : VARIANT_FALSE;
        return;
    }
    bool negative = !text.empty() && text[0] == L'-';
    size_t digits = text.size() - (negative ? 1 : 0);
    if (digits > 0 && digits <= 10 &&
        std::all_of(text.begin() + (negative ? 1 : 0), text.end(), [](wchar_t c) { return c >= L'0' && c <= L'9'; })) {
        long long n = 0;
        for (size_t i = negative ? 1 : 0; i < text.size(); i++) {
            n = n * 10 + (text[i] - L'0');
        }
        if (negative) {
            n = -n;
        }
        if (n >= INT32_MIN && n <= INT32_MAX) {
            v->vt = VT_I4;
            v->lVal = static_cast<LONG>(n);
            return;
        }
        if (n > 0 && n <= UINT32_MAX) {
            v->vt = VT_UI4;
            v->ulVal = static_cast<ULONG>(n);
            return;
        }
    }
    v->vt = VT_BSTR;
    v->bstrVal = NewBstr(text);
}

} // namespace

std::unique_ptr<ConfigNode> ParseConfigBuffer(const char *buf, size_t len)
{
    Reader r{reinterpret_cast<const unsigned char *>(buf), reinterpret_cast<const unsigned char *>(buf) + len};
    auto root = ReadNode(r, 0);
    if (!r.ok || r.p != r.end) {
        return nullptr;
    }
    return root;
}

AdminConfig::AdminConfig()
{
    auto empty = std::make_shared<ConfigNode>();
    empty->name = L"configuration";
    document_ = std::move(empty);
}

std::shared_ptr<const ConfigNode> AdminConfig::Document()
{
    std::lock_guard<std::mutex> lock(lock_);
    return document_;
}

void AdminConfig::SetDocument(std::shared_ptr<const ConfigNode> doc)
{
    std::lock_guard<std::mutex> lock(lock_);
    document_ = std::move(doc);
}

IAppHostAdminManager *NewAdminManager(std::shared_ptr<AdminConfig> config)
{
    auto *m = new AdminManager();
    m->config = std::move(config);
    return m;
}

HRESULT CreateAdminInstance(std::shared_ptr<AdminConfig> config, const GUID *clsid, const GUID *iid, void **ppv)
{
    if (!ppv) {
        return E_POINTER;
    }
    *ppv = nullptr;
    if (!clsid || !iid) {
        return E_INVALIDARG;
    }
    if (*clsid != CLSID_AppHostAdminManager || !config) {
        return REGDB_E_CLASSNOTREG;
    }
    IAppHostAdminManager *m = NewAdminManager(std::move(config));
    HRESULT hr = m->QueryInterface(*iid, ppv);
    m->Release();
    return hr;
}

// ---------------------------------------------------------------- AdminManager

HRESULT AdminManager::GetAdminSection(BSTR section, BSTR path, IAppHostElement **out)
{
    if (!out) {
        return E_INVALIDARG;
    }
    *out = nullptr;
    if (!section || !path) {
        return E_INVALIDARG;
    }
    std::shared_ptr<const ConfigNode> doc = config->Document();
    std::shared_ptr<ConfigView> view;
    HRESULT hr = FindSection(*doc, FromBstr(section), FromBstr(path), &view);
    if (FAILED(hr)) {
        return hr;
    }
    return Hand(NewElement(std::move(view)), out);
}

// ---------------------------------------------------------------- AdminElement

HRESULT AdminElement::get_Name(BSTR *name)
{
    if (!name) {
        return E_INVALIDARG;
    }
    *name = NewBstr(view->name);
    return *name ? S_OK : E_OUTOFMEMORY;
}

HRESULT AdminElement::get_Collection(IAppHostElementCollection **out)
{
    if (!out) {
        return E_INVALIDARG;
    }
    auto *c = new AdminElementCollection();
    c->view = view;
    return Hand<IAppHostElementCollection>(c, out);
}

HRESULT AdminElement::get_Properties(IAppHostPropertyCollection **out)
{
    if (!out) {
        return E_INVALIDARG;
    }
    auto *c = new AdminPropertyCollection();
    c->view = view;
    return Hand<IAppHostPropertyCollection>(c, out);
}

HRESULT AdminElement::get_ChildElements(IAppHostChildElementCollection **out)
{
    if (!out) {
        return E_INVALIDARG;
    }
    auto *c = new AdminChildElementCollection();
    c->view = view;
    return Hand<IAppHostChildElementCollection>(c, out);
}

HRESULT AdminElement::GetElementByName(BSTR name, IAppHostElement **out)
{
    if (!out) {
        return E_INVALIDARG;
    }
    *out = nullptr;
    std::wstring wanted = FromBstr(name);
    for (const auto &c : view->children) {
        if (c->name == wanted) {
            return Hand(NewElement(c), out);
        }
    }
    return kNoSuchIndex;
}

HRESULT AdminElement::GetPropertyByName(BSTR name, IAppHostProperty **out)
{
    if (!out) {
        return E_INVALIDARG;
    }
    *out = nullptr;
    std::wstring wanted = FromBstr(name);
    for (size_t i = 0; i < view->attributes.size(); i++) {
        if (view->attributes[i].first == wanted) {
            auto *p = new AdminProperty();
            p->view = view;
            p->index = i;
            return Hand<IAppHostProperty>(p, out);
        }
    }
    return kNoSuchIndex;
}

// ---------------------------------------------------------------- AdminProperty

HRESULT AdminProperty::get_Name(BSTR *name)
{
    if (!name) {
        return E_INVALIDARG;
    }
    *name = NewBstr(view->attributes[index].first);
    return *name ? S_OK : E_OUTOFMEMORY;
}

HRESULT AdminProperty::get_Value(VARIANT *value)
{
    if (!value) {
        return E_INVALIDARG;
    }
    VariantInit(value);
    InferValue(view->attributes[index].second, value);
    return value->vt == VT_BSTR && !value->bstrVal ? E_OUTOFMEMORY : S_OK;
}

HRESULT AdminProperty::get_StringValue(BSTR *value)
{
    if (!value) {
        return E_INVALIDARG;
    }
    *value = NewBstr(view->attributes[index].second);
    return *value ? S_OK : E_OUTOFMEMORY;
}

// ---------------------------------------------------------------- collections

HRESULT AdminPropertyCollection::get_Count(DWORD *count)
{
    if (!count) {
        return E_INVALIDARG;
    }
    *count = static_cast<DWORD>(view->attributes.size());
    return S_OK;
}

HRESULT AdminPropertyCollection::get_Item(VARIANT index, IAppHostProperty **out)
{
    if (!out) {
        return E_INVALIDARG;
    }
    *out = nullptr;
    size_t i;
    auto nameAt = [this](size_t k) { return view->attributes[k].first; };
    if (!ItemIndex(index, view->attributes.size(), nameAt, &i)) {
        return E_INVALIDARG;
    }
    if (i >= view->attributes.size()) {
        return kNoSuchIndex;
    }
    auto *p = new AdminProperty();
    p->view = view;
    p->index = i;
    return Hand<IAppHostProperty>(p, out);
}

HRESULT AdminElementCollection::get_Count(DWORD *count)
{
    if (!count) {
        return E_INVALIDARG;
    }
    *count = static_cast<DWORD>(view->entries.size());
    return S_OK;
}

HRESULT AdminElementCollection::get_Item(VARIANT index, IAppHostElement **out)
{
    if (!out) {
        return E_INVALIDARG;
    }
    *out = nullptr;
    size_t i;
    if (!ItemIndex(index, view->entries.size(), nullptr, &i)) {
        return E_INVALIDARG;
    }
    if (i >= view->entries.size()) {
        return kNoSuchIndex;
    }
    return Hand(NewElement(view->entries[i]), out);
}

HRESULT AdminChildElementCollection::get_Count(DWORD *count)
{
    if (!count) {
        return E_INVALIDARG;
    }
    *count = static_cast<DWORD>(view->children.size());
    return S_OK;
}

HRESULT AdminChildElementCollection::get_Item(VARIANT index, IAppHostElement **out)
{
    if (!out) {
        return E_INVALIDARG;
    }
    *out = nullptr;
    size_t i;
    auto nameAt = [this](size_t k) { return view->children[k]->name; };
    if (!ItemIndex(index, view->children.size(), nameAt, &i)) {
        return E_INVALIDARG;
    }
    if (i >= view->children.size()) {
        return kNoSuchIndex;
    }
    return Hand(NewElement(view->children[i]), out);
}

} // namespace iishost
