package main

import (
	"strings"

	"github.com/iishost/iishost/internal/apispec"
)

// cName is the member name a method gets in the C binding, where overloads cannot share a name.
//
// In-class pairs are told apart by their distinguishing parameter (ById, W, A, Const); an
// overload added by a later interface version takes that version's digit (Flush2,
// ReadEntityBody3, PostCompletion3).
func cName(it *apispec.Interface, m *apispec.Method) string {
	if m.Overload {
		switch {
		case len(m.Params) > 0 && m.Params[0].Type == "HTTP_HEADER_ID":
			return m.Name + "ById"
		case m.Name == "GetServerVariable" && m.Params[1].Type == "PCWSTR *":
			return m.Name + "W"
		case m.Name == "SetUrl" && m.Params[0].Type == "PCSTR":
			return m.Name + "A"
		case m.Const && strings.HasPrefix(m.Name, "GetRaw"):
			return m.Name + "Const"
		}
	}
	for _, other := range it.Methods {
		if other.Name == m.Name && other.DeclaredIn != m.DeclaredIn && other.Slot < m.Slot {
			return m.Name + m.DeclaredIn[len(m.DeclaredIn)-1:]
		}
	}
	if m.Name == "~CHttpModule" {
		return "Destructor"
	}
	return m.Name
}

// cType turns a C++ parameter type into its C spelling: references become pointers.
func cType(t string) string {
	if strings.HasSuffix(t, "&") {
		return strings.TrimSpace(strings.TrimSuffix(t, "&")) + " *"
	}
	return t
}

// spaced writes a type followed by a name with the pointer star hugging the name.
func spaced(t, name string) string {
	if strings.HasSuffix(t, "*") || strings.HasSuffix(t, "&") {
		return t + name
	}
	return t + " " + name
}
