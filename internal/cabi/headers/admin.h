// Read-only configuration access for modules: IAppHostAdminManager and the element, property and
// collection objects it hands out, over the configuration document the host loaded (docs/design.md §10-11).
#pragma once

#include <httpserv.h> // brings windows.h, after winsock2.h on Windows
#include <ahadmin.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "stubs_gen.h"

namespace iishost {

// One attribute and the value modules read: vt is VT_EMPTY when no schema types it, and the
// value is then typed from text when read (admin.cpp).
struct ConfigValue {
    std::wstring name;
    std::wstring text; // get_StringValue's answer
    VARTYPE vt = VT_EMPTY;
    int64_t number = 0; // every type's value but VT_BSTR's
};

// One element of the configuration document, as written. Immutable once parsed.
struct ConfigNode {
    std::wstring name;
    std::vector<ConfigValue> attributes;
    std::vector<std::unique_ptr<ConfigNode>> children;
};

// The schema of one element (internal/cabi/admin.go describes it): its attributes with their defaults,
// its child elements and its collection.
struct SchemaNode {
    struct Attribute {
        ConfigValue value; // the default
        bool key = false;
        bool caseSensitive = false;
    };
    std::wstring name;
    std::vector<Attribute> attributes;
    std::vector<std::unique_ptr<SchemaNode>> elements;
    bool hasCollection = false;
    std::vector<std::wstring> addNames;
    std::wstring removeName, clearName;
    bool allowDuplicates = false;
    bool mergeAppend = true;
    std::unique_ptr<SchemaNode> entry;

    const Attribute *FindAttribute(const std::wstring &n) const;
    const SchemaNode *FindElement(const std::wstring &n) const;
    bool HasKeys() const;
};

// The document and the schema of its sections, replaced together.
struct ConfigDocument {
    std::unique_ptr<ConfigNode> root;
    std::vector<std::unique_ptr<SchemaNode>> sections; // named by section path
    const SchemaNode *Section(const std::wstring &path) const;
};

// Parses the flat buffer internal/cabi/admin.go builds; null when it is malformed.
std::unique_ptr<ConfigDocument> ParseConfigBuffer(const char *buf, size_t len);

// The document a host serves to modules. Objects handed out hold the document they were made
// from, so replacing it (or freeing the host) never pulls memory from under a module.
class AdminConfig {
public:
    AdminConfig();
    std::shared_ptr<const ConfigDocument> Document();
    void SetDocument(std::shared_ptr<const ConfigDocument> doc);

private:
    std::mutex lock_;
    std::shared_ptr<const ConfigDocument> document_;
};

// A new admin manager over config, with one reference the caller owns.
IAppHostAdminManager *NewAdminManager(std::shared_ptr<AdminConfig> config);

// CoCreateInstance through the host services table: CLSID_AppHostAdminManager is the one
// class; anything else is REGDB_E_CLASSNOTREG, as Windows answers for an unregistered class.
HRESULT CreateAdminInstance(std::shared_ptr<AdminConfig> config, const GUID *clsid, const GUID *iid, void **ppv);

// ---------------------------------------------------------------- the COM objects

// The merged view of one element at a configuration path: attributes and child elements of
// every level that applies, and its collection (the entries after <remove>/<clear>); with a
// schema, every declared attribute and child element is there, unset ones with their defaults.
struct ConfigView {
    std::wstring name;
    std::vector<ConfigValue> attributes;
    std::vector<std::shared_ptr<ConfigView>> children;
    std::vector<std::shared_ptr<ConfigView>> entries;
};

// Real COM reference counting: created with one reference, deleted when the last goes.
template <class Derived, class Interface, class Stub> class ComObject : public Stub {
public:
    HRESULT QueryInterface(const IID &riid, void **ppv) override
    {
        if (!ppv) {
            return E_POINTER;
        }
        if (riid == IID_IUnknown || riid == IisUuidOf<Interface>::Get()) {
            *ppv = static_cast<Interface *>(this);
            AddRef();
            return S_OK;
        }
        *ppv = nullptr;
        return E_NOINTERFACE;
    }
    ULONG AddRef() override { return ++refs_; }
    ULONG Release() override
    {
        ULONG n = --refs_;
        if (n == 0) {
            delete static_cast<Derived *>(this);
        }
        return n;
    }

private:
    std::atomic<ULONG> refs_{1};
};

class AdminManager final : public ComObject<AdminManager, IAppHostAdminManager, IAppHostAdminManagerStub> {
public:
    std::shared_ptr<AdminConfig> config;
    HRESULT GetAdminSection(BSTR section, BSTR path, IAppHostElement **out) override;
};

class AdminElement final : public ComObject<AdminElement, IAppHostElement, IAppHostElementStub> {
public:
    std::shared_ptr<const ConfigView> view;
    HRESULT get_Name(BSTR *name) override;
    HRESULT get_Collection(IAppHostElementCollection **out) override;
    HRESULT get_Properties(IAppHostPropertyCollection **out) override;
    HRESULT get_ChildElements(IAppHostChildElementCollection **out) override;
    HRESULT GetElementByName(BSTR name, IAppHostElement **out) override;
    HRESULT GetPropertyByName(BSTR name, IAppHostProperty **out) override;
};

class AdminProperty final : public ComObject<AdminProperty, IAppHostProperty, IAppHostPropertyStub> {
public:
    std::shared_ptr<const ConfigView> view;
    size_t index = 0;
    HRESULT get_Name(BSTR *name) override;
    HRESULT get_Value(VARIANT *value) override;
    HRESULT get_StringValue(BSTR *value) override;
};

class AdminPropertyCollection final
    : public ComObject<AdminPropertyCollection, IAppHostPropertyCollection, IAppHostPropertyCollectionStub> {
public:
    std::shared_ptr<const ConfigView> view;
    HRESULT get_Count(DWORD *count) override;
    HRESULT get_Item(VARIANT index, IAppHostProperty **out) override;
};

class AdminElementCollection final
    : public ComObject<AdminElementCollection, IAppHostElementCollection, IAppHostElementCollectionStub> {
public:
    std::shared_ptr<const ConfigView> view;
    HRESULT get_Count(DWORD *count) override;
    HRESULT get_Item(VARIANT index, IAppHostElement **out) override;
};

class AdminChildElementCollection final
    : public ComObject<AdminChildElementCollection, IAppHostChildElementCollection, IAppHostChildElementCollectionStub> {
public:
    std::shared_ptr<const ConfigView> view;
    HRESULT get_Count(DWORD *count) override;
    HRESULT get_Item(VARIANT index, IAppHostElement **out) override;
};

} // namespace iishost
