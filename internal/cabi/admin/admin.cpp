// The admin manager modules read their configuration through (admin.h).
//
// Sections: GetAdminSection(section, path) takes section as a '/'-separated element path under
// <configuration> ("system.webServer/security/requestFiltering"). The path
// "MACHINE/WEBROOT/APPHOST" is the root document; "MACHINE/WEBROOT/APPHOST/<site>[/<url>]"
// additionally applies the <location path="..."> blocks whose path is that site path or a prefix
// of it, least specific first, as IIS inherits configuration: attributes override, child
// elements merge by name, and collection entries follow the inherited ones after <remove> and
// <clear> applied. Both arguments end at their first NUL: modules pass BSTRs whose length counts
// the terminator, and plain wide literals that have no length at all.
//
// Schema: a section the schema declares (host/schema.go) exists at every path, written or not;
// each declared attribute reads its default when not set, each declared child element exists,
// and the collection's element names, keys, duplicates rule and merge order are the schema's.
// Values carry the type the host gave them. Without a schema for the section, get_Value infers
// the type from the text: "true"/"false" (any case) is VT_BOOL; a decimal integer that fits a
// LONG is VT_I4, one that fits only a ULONG is VT_UI4; anything else is VT_BSTR; <add>, <remove>
// and <clear> make the collection, and a <remove> drops the entries whose attributes match every
// attribute the <remove> carries (values compared case-insensitively, as IIS compares keys).
#include "admin.h"

#include <string.h>
#include <wctype.h>

#include <algorithm>
#include <functional>

namespace iishost {

std::wstring WidenString(const std::string &s); // wide_strings.cpp

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
    uint64_t U64()
    {
        uint64_t lo = U32();
        return lo | uint64_t(U32()) << 32;
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

ConfigValue ReadValue(Reader &r)
{
    ConfigValue v;
    v.name = r.String();
    v.text = r.String();
    v.vt = static_cast<VARTYPE>(r.U32());
    v.number = static_cast<int64_t>(r.U64());
    return v;
}

std::unique_ptr<ConfigNode> ReadNode(Reader &r, int depth)
{
    auto node = std::make_unique<ConfigNode>();
    node->name = r.String();
    uint32_t attrs = r.U32();
    for (uint32_t i = 0; r.ok && i < attrs; i++) {
        node->attributes.push_back(ReadValue(r));
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

std::unique_ptr<SchemaNode> ReadSchema(Reader &r, int depth)
{
    if (depth >= kMaxDepth) {
        r.ok = false;
        return nullptr;
    }
    auto node = std::make_unique<SchemaNode>();
    node->name = r.String();
    uint32_t attrs = r.U32();
    for (uint32_t i = 0; r.ok && i < attrs; i++) {
        SchemaNode::Attribute a;
        a.value = ReadValue(r);
        uint32_t flags = r.U32();
        a.key = flags & 1;
        a.caseSensitive = flags & 2;
        node->attributes.push_back(std::move(a));
    }
    uint32_t elements = r.U32();
    for (uint32_t i = 0; r.ok && i < elements; i++) {
        node->elements.push_back(ReadSchema(r, depth + 1));
    }
    node->hasCollection = r.ok && r.U32() != 0;
    if (node->hasCollection) {
        uint32_t adds = r.U32();
        for (uint32_t i = 0; r.ok && i < adds; i++) {
            node->addNames.push_back(r.String());
        }
        node->removeName = r.String();
        node->clearName = r.String();
        uint32_t flags = r.U32();
        node->allowDuplicates = flags & 1;
        node->mergeAppend = flags & 2;
        node->entry = ReadSchema(r, depth + 1);
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

template <class T> auto FindByName(T &list, const std::wstring &name) -> decltype(&list[0])
{
    for (auto &item : list) {
        if (item.name == name) {
            return &item;
        }
    }
    return nullptr;
}

bool SameValue(const ConfigValue &a, const ConfigValue &b, bool caseSensitive)
{
    if (a.vt != VT_EMPTY && a.vt != VT_BSTR && a.vt == b.vt) {
        return a.number == b.number; // "Read" and "1" name the same enum value
    }
    return caseSensitive ? a.text == b.text : EqualFold(a.text, b.text);
}

// Whether entry has the keys probe carries: the schema's key attributes (an attribute missing on
// either side reads its default), or without keys every attribute probe has.
bool KeysMatch(const ConfigView &entry, const std::vector<ConfigValue> &probe, const SchemaNode *schema)
{
    if (schema && schema->HasKeys()) {
        for (const auto &key : schema->attributes) {
            if (!key.key) {
                continue;
            }
            const ConfigValue *a = FindByName(probe, key.value.name);
            const ConfigValue *b = FindByName(entry.attributes, key.value.name);
            if (!SameValue(a ? *a : key.value, b ? *b : key.value, key.caseSensitive)) {
                return false;
            }
        }
        return true;
    }
    if (probe.empty()) {
        return false;
    }
    for (const auto &p : probe) {
        const ConfigValue *v = FindByName(entry.attributes, p.name);
        if (!v || !EqualFold(v->text, p.text)) {
            return false;
        }
    }
    return true;
}

enum class Role { Element, Add, Remove, Clear };

Role RoleOf(const std::wstring &name, const SchemaNode *schema)
{
    if (!schema || !schema->hasCollection) {
        // Without a schema the usual names make the collection.
        return name == L"add" ? Role::Add : name == L"remove" ? Role::Remove : name == L"clear" ? Role::Clear : Role::Element;
    }
    if (std::find(schema->addNames.begin(), schema->addNames.end(), name) != schema->addNames.end()) {
        return Role::Add;
    }
    if (!schema->removeName.empty() && name == schema->removeName) {
        return Role::Remove;
    }
    if (!schema->clearName.empty() && name == schema->clearName) {
        return Role::Clear;
    }
    return Role::Element;
}

// Applies one level's element on top of what the levels before it gave. False when the level
// adds an entry whose keys an entry already has, which IIS refuses unless the collection allows
// duplicates.
bool MergeInto(ConfigView &into, const ConfigNode &src, const SchemaNode *schema)
{
    for (const auto &a : src.attributes) {
        if (ConfigValue *v = FindByName(into.attributes, a.name)) {
            *v = a;
        } else {
            into.attributes.push_back(a);
        }
    }
    const SchemaNode *entrySchema = schema && schema->hasCollection ? schema->entry.get() : nullptr;
    bool append = !schema || !schema->hasCollection || schema->mergeAppend;
    size_t insertAt = 0; // where this level's next entry goes when it does not append
    for (const auto &child : src.children) {
        switch (RoleOf(child->name, schema)) {
        case Role::Add: {
            if (entrySchema && !schema->allowDuplicates && entrySchema->HasKeys()) {
                for (const auto &e : into.entries) {
                    if (KeysMatch(*e, child->attributes, entrySchema)) {
                        return false;
                    }
                }
            }
            auto entry = std::make_shared<ConfigView>();
            entry->name = child->name;
            if (!MergeInto(*entry, *child, entrySchema)) {
                return false;
            }
            if (append) {
                into.entries.push_back(std::move(entry));
            } else {
                into.entries.insert(into.entries.begin() + insertAt++, std::move(entry));
            }
            break;
        }
        case Role::Remove:
            for (size_t i = 0; i < into.entries.size();) {
                if (KeysMatch(*into.entries[i], child->attributes, entrySchema)) {
                    into.entries.erase(into.entries.begin() + i);
                    insertAt -= i < insertAt ? 1 : 0;
                } else {
                    i++;
                }
            }
            break;
        case Role::Clear:
            into.entries.clear();
            insertAt = 0;
            break;
        case Role::Element: {
            auto it = std::find_if(into.children.begin(), into.children.end(),
                                   [&](const std::shared_ptr<ConfigView> &c) { return c->name == child->name; });
            if (it == into.children.end()) {
                auto view = std::make_shared<ConfigView>();
                view->name = child->name;
                it = into.children.insert(into.children.end(), std::move(view));
            }
            if (!MergeInto(**it, *child, schema ? schema->FindElement(child->name) : nullptr)) {
                return false;
            }
        }
        }
    }
    return true;
}

// Completes a merged element from its schema: declared attributes in declaration order, unset
// ones with their defaults, then any the schema does not declare; declared child elements exist
// whether written or not.
void Complete(ConfigView &view, const SchemaNode *schema)
{
    if (!schema) {
        return;
    }
    std::vector<ConfigValue> attrs;
    for (const auto &a : schema->attributes) {
        const ConfigValue *set = FindByName(view.attributes, a.value.name);
        attrs.push_back(set ? *set : a.value);
    }
    for (auto &a : view.attributes) {
        if (!schema->FindAttribute(a.name)) {
            attrs.push_back(std::move(a));
        }
    }
    view.attributes = std::move(attrs);

    std::vector<std::shared_ptr<ConfigView>> children;
    for (const auto &e : schema->elements) {
        auto it = std::find_if(view.children.begin(), view.children.end(),
                               [&](const std::shared_ptr<ConfigView> &c) { return c->name == e->name; });
        std::shared_ptr<ConfigView> child;
        if (it != view.children.end()) {
            child = *it;
        } else {
            child = std::make_shared<ConfigView>();
            child->name = e->name;
        }
        Complete(*child, e.get());
        children.push_back(std::move(child));
    }
    for (auto &c : view.children) {
        if (!schema->FindElement(c->name)) {
            children.push_back(std::move(c));
        }
    }
    view.children = std::move(children);
    if (schema->hasCollection) {
        for (auto &e : view.entries) {
            Complete(*e, schema->entry.get());
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
// host has no configuration for, ERROR_INVALID_PARAMETER for a section that neither the document
// nor the schema has, and ERROR_ALREADY_EXISTS (IIS's answer) for a duplicate collection entry.
HRESULT FindSection(const ConfigDocument &config, const std::wstring &section, const std::wstring &path,
                    std::shared_ptr<ConfigView> *out)
{
    const ConfigNode &doc = *config.root;
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
        const ConfigValue *p = FindByName(child->attributes, L"path");
        std::wstring where = p ? TrimSlashes(p->text) : std::wstring();
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
    const SchemaNode *schema = config.Section(section);
    if (found.empty() && !schema) {
        return HRESULT_FROM_WIN32(ERROR_INVALID_PARAMETER);
    }
    auto view = std::make_shared<ConfigView>();
    view->name = section;
    for (const ConfigNode *n : found) {
        if (!MergeInto(*view, *n, schema)) {
            return HRESULT_FROM_WIN32(ERROR_ALREADY_EXISTS);
        }
    }
    Complete(*view, schema);
    *out = std::move(view);
    return S_OK;
}

// ---------------------------------------------------------------- helpers

BSTR NewBstr(const std::wstring &s) { return SysAllocStringLen(s.data(), static_cast<UINT>(s.size())); }

// An argument a module passes as a BSTR ends at its first NUL: a length-prefixed BSTR may count
// its terminator, and a plain wide literal (which real modules pass too) has no prefix at all.
std::wstring FromBstr(BSTR s) { return s ? std::wstring(s, wcslen(s)) : std::wstring(); }

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

// Fills a VARIANT with a value as typed (VT_EMPTY: inferred from its text).
void StoreValue(const ConfigValue &value, VARIANT *v)
{
    switch (value.vt) {
    case VT_BOOL:
        v->boolVal = value.number ? VARIANT_TRUE : VARIANT_FALSE;
        break;
    case VT_I4:
        v->lVal = static_cast<LONG>(value.number);
        break;
    case VT_UI4:
        v->ulVal = static_cast<ULONG>(value.number);
        break;
    case VT_I8:
        v->llVal = value.number;
        break;
    case VT_UI8:
        v->ullVal = static_cast<ULONGLONG>(value.number);
        break;
    case VT_BSTR:
        v->bstrVal = NewBstr(value.text);
        break;
    default:
        InferValue(value.text, v);
        return;
    }
    v->vt = value.vt;
}

} // namespace

const SchemaNode::Attribute *SchemaNode::FindAttribute(const std::wstring &n) const
{
    for (const auto &a : attributes) {
        if (a.value.name == n) {
            return &a;
        }
    }
    return nullptr;
}

const SchemaNode *SchemaNode::FindElement(const std::wstring &n) const
{
    for (const auto &e : elements) {
        if (e->name == n) {
            return e.get();
        }
    }
    return nullptr;
}

bool SchemaNode::HasKeys() const
{
    return std::any_of(attributes.begin(), attributes.end(), [](const Attribute &a) { return a.key; });
}

const SchemaNode *ConfigDocument::Section(const std::wstring &path) const
{
    for (const auto &s : sections) {
        if (s->name == path) {
            return s.get();
        }
    }
    return nullptr;
}

std::unique_ptr<ConfigDocument> ParseConfigBuffer(const char *buf, size_t len)
{
    Reader r{reinterpret_cast<const unsigned char *>(buf), reinterpret_cast<const unsigned char *>(buf) + len};
    auto doc = std::make_unique<ConfigDocument>();
    doc->root = ReadNode(r, 0);
    uint32_t sections = r.ok ? r.U32() : 0;
    for (uint32_t i = 0; r.ok && i < sections; i++) {
        doc->sections.push_back(ReadSchema(r, 0));
    }
    if (!r.ok || r.p != r.end) {
        return nullptr;
    }
    return doc;
}

AdminConfig::AdminConfig()
{
    auto empty = std::make_shared<ConfigDocument>();
    empty->root = std::make_unique<ConfigNode>();
    empty->root->name = L"configuration";
    document_ = std::move(empty);
}

std::shared_ptr<const ConfigDocument> AdminConfig::Document()
{
    std::lock_guard<std::mutex> lock(lock_);
    return document_;
}

void AdminConfig::SetDocument(std::shared_ptr<const ConfigDocument> doc)
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
    std::shared_ptr<const ConfigDocument> doc = config->Document();
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
        if (view->attributes[i].name == wanted) {
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
    *name = NewBstr(view->attributes[index].name);
    return *name ? S_OK : E_OUTOFMEMORY;
}

HRESULT AdminProperty::get_Value(VARIANT *value)
{
    if (!value) {
        return E_INVALIDARG;
    }
    VariantInit(value);
    StoreValue(view->attributes[index], value);
    return value->vt == VT_BSTR && !value->bstrVal ? E_OUTOFMEMORY : S_OK;
}

HRESULT AdminProperty::get_StringValue(BSTR *value)
{
    if (!value) {
        return E_INVALIDARG;
    }
    *value = NewBstr(view->attributes[index].text);
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
    auto nameAt = [this](size_t k) { return view->attributes[k].name; };
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
