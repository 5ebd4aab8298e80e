package cabi

/*
#include "bridge.h"
*/
import "C"

import (
	"encoding/binary"
	"unsafe"
)

// ConfigNode is one element of the configuration document, as modules read it through the admin
// manager (IHttpServer::GetAdminManager, CoCreateInstance(CLSID_AppHostAdminManager)).
type ConfigNode struct {
	Name       string
	Attributes [][2]string // name, value, in document order
	Children   []*ConfigNode
}

// SetConfiguration gives the C++ side the configuration document modules read; root is the
// <configuration> element (nil means an empty one). Call it before registering modules, whose
// RegisterModule often reads its configuration.
//
// The tree crosses in one call, as one flat buffer: per element in pre-order, its name, its
// attribute count and name/value pairs, and its child count, every string prefixed by its
// length as a little-endian uint32.
func (h *Host) SetConfiguration(root *ConfigNode) {
	if root == nil {
		root = &ConfigNode{Name: "configuration"}
	}
	buf := appendConfigNode(nil, root)
	C.iis_host_set_configuration(h.c, (*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)))
}

func appendConfigNode(b []byte, n *ConfigNode) []byte {
	b = appendConfigString(b, n.Name)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(n.Attributes)))
	for _, a := range n.Attributes {
		b = appendConfigString(b, a[0])
		b = appendConfigString(b, a[1])
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(n.Children)))
	for _, c := range n.Children {
		b = appendConfigNode(b, c)
	}
	return b
}

func appendConfigString(b []byte, s string) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}
