package apispec

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSlotInLayouts: in either layout an interface's methods fill its vtable without a gap or a
// clash (a Windows build's coverage reads the MSVC column, a Linux build's the Itanium one), and
// the layouts differ where MSVC regroups overloads, so picking the wrong column would misread.
func TestSlotInLayouts(t *testing.T) {
	api, err := Load("../../api")
	require.NoError(t, err)
	differ := 0
	for _, it := range api.Interfaces {
		for _, msvc := range []bool{false, true} {
			var slots []int
			for _, m := range it.Methods {
				slots = append(slots, m.SlotIn(msvc))
				if !msvc && m.Slot != m.Itanium[0] {
					differ++
				}
			}
			sort.Ints(slots)
			for i, s := range slots {
				require.Equal(t, i, s, "%s (msvc %v): slots %v", it.Name, msvc, slots)
			}
		}
	}
	require.Positive(t, differ)

	var setHeader []*Method
	for _, m := range api.ByName["IHttpResponse"].Methods {
		if m.Name == "SetHeader" {
			setHeader = append(setHeader, m)
		}
	}
	require.Len(t, setHeader, 2)
	// MSVC reverses the overload pair that the Itanium layout keeps in declaration order.
	require.Equal(t, setHeader[0].SlotIn(false), setHeader[1].SlotIn(true))
	require.Equal(t, setHeader[1].SlotIn(false), setHeader[0].SlotIn(true))
}
