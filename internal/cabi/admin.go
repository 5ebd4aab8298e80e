package cabi

/*
#include "bridge.h"
*/
import "C"

import (
	"encoding/binary"
	"unsafe"
)

// VARTYPEs a configuration value can have (oaidl.h's numbering).
const (
	VTEmpty = 0 // no declared type: get_Value types the text, as without a schema
	VTI4    = 3
	VTBSTR  = 8
	VTBool  = 11
	VTUI4   = 19
	VTI8    = 20
	VTUI8   = 21
)

// ConfigNode is one element of the configuration document, as modules read it through the admin
// manager (IHttpServer::GetAdminManager, CoCreateInstance(CLSID_AppHostAdminManager)).
type ConfigNode struct {
	Name       string
	Attributes []ConfigAttribute // in document order
	Children   []*ConfigNode
}

// ConfigAttribute is one attribute and the value modules read.
type ConfigAttribute struct {
	Name string
	// Text is what get_StringValue answers: the attribute as written, or a typed value's
	// canonical text (an enum's declared name, say).
	Text string
	// Type is the VARTYPE get_Value answers with; VTEmpty types the value from Text.
	Type uint16
	// Number is the value of every type but VTBSTR (VTBool: 0 or 1; VTUI8: its bits).
	Number int64
}

// SchemaNode declares an element for the admin manager: the attributes every instance has
// (with the value an unset one reads), its child elements and its collection. A section's
// node is named by the section's path ("system.webServer/modules").
type SchemaNode struct {
	Name       string
	Attributes []SchemaAttribute
	Elements   []*SchemaNode
	Collection *SchemaCollection
}

// SchemaAttribute is one declared attribute.
type SchemaAttribute struct {
	Default ConfigAttribute // named as the attribute; the value it reads when not set
	// Key says the attribute identifies a collection entry: <remove> matches entries by their
	// keys, and two entries with the same keys are a configuration error.
	Key           bool
	CaseSensitive bool // keys compare case-insensitively unless this is set
}

// SchemaCollection is an element's collection.
type SchemaCollection struct {
	Add             []string // element names that add an entry
	Remove, Clear   string
	AllowDuplicates bool
	MergeAppend     bool // a deeper level's entries follow the inherited ones (else they go first)
	Entry           *SchemaNode
}

// SetConfiguration gives the C++ side the configuration document modules read and the schema
// of its sections; root is the <configuration> element (nil means an empty one). Call it before
// registering modules, whose RegisterModule often reads its configuration.
//
// Both cross in one call, as one flat buffer (little-endian uint32 counts, strings prefixed by
// their length):
//
//	node      = name, attribute count, attribute*, child count, node*
//	attribute = name, text, type (uint32), number (int64)
//	schema    = section count, snode*
//	snode     = name, attribute count, (attribute, flags (uint32: 1 key, 2 case-sensitive))*,
//	            element count, snode*, collection present (uint32), [collection]
//	collection = add count, name*, remove, clear, flags (uint32: 1 duplicates, 2 merge append), snode
func (h *Host) SetConfiguration(root *ConfigNode, schema []*SchemaNode) {
	if root == nil {
		root = &ConfigNode{Name: "configuration"}
	}
	buf := appendConfigNode(nil, root)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(len(schema)))
	for _, s := range schema {
		buf = appendSchemaNode(buf, s)
	}
	C.iis_host_set_configuration(h.c, (*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)))
}

func appendConfigNode(b []byte, n *ConfigNode) []byte {
	b = appendConfigString(b, n.Name)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(n.Attributes)))
	for _, a := range n.Attributes {
		b = appendConfigAttribute(b, a)
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(n.Children)))
	for _, c := range n.Children {
		b = appendConfigNode(b, c)
	}
	return b
}

func appendConfigAttribute(b []byte, a ConfigAttribute) []byte {
	b = appendConfigString(b, a.Name)
	b = appendConfigString(b, a.Text)
	b = binary.LittleEndian.AppendUint32(b, uint32(a.Type))
	return binary.LittleEndian.AppendUint64(b, uint64(a.Number))
}

func appendSchemaNode(b []byte, n *SchemaNode) []byte {
	b = appendConfigString(b, n.Name)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(n.Attributes)))
	for _, a := range n.Attributes {
		b = appendConfigAttribute(b, a.Default)
		b = binary.LittleEndian.AppendUint32(b, flagBits(a.Key, a.CaseSensitive))
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(n.Elements)))
	for _, e := range n.Elements {
		b = appendSchemaNode(b, e)
	}
	c := n.Collection
	if c == nil {
		return binary.LittleEndian.AppendUint32(b, 0)
	}
	b = binary.LittleEndian.AppendUint32(b, 1)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(c.Add)))
	for _, name := range c.Add {
		b = appendConfigString(b, name)
	}
	b = appendConfigString(b, c.Remove)
	b = appendConfigString(b, c.Clear)
	b = binary.LittleEndian.AppendUint32(b, flagBits(c.AllowDuplicates, c.MergeAppend))
	return appendSchemaNode(b, c.Entry)
}

func flagBits(first, second bool) uint32 {
	var f uint32
	if first {
		f |= 1
	}
	if second {
		f |= 2
	}
	return f
}

func appendConfigString(b []byte, s string) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}
