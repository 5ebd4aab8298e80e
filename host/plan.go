package host

import (
	"slices"

	"github.com/iishost/iishost/internal/cabi"
)

// The request-notification bits of the 12 deterministic stages, and RQ_SEND_RESPONSE.
const (
	sendBit    = 29 // RQ_SEND_RESPONSE
	customBit  = 28 // RQ_CUSTOM_NOTIFICATION
	mapPathBit = 31 // RQ_MAP_PATH
	readBit    = 30 // RQ_READ_ENTITY
)

// plan is the compiled pipeline: for each notification, the modules to call, in order.
// It is computed once at startup (docs/design.md §5), like nginx's phase arrays.
type plan struct {
	Lists [cabi.ListGlobal + cabi.MaskBits][]int32
}

// ordered returns the modules subscribed to a bit, by priority and then configuration order.
func ordered(mods []*LoadedModule, mask func(*LoadedModule) uint32,
	priority func(*LoadedModule) *[cabi.MaskBits]uint8, bit int) []int32 {
	var subs []*LoadedModule
	for _, m := range mods {
		if mask(m)&(1<<bit) != 0 {
			subs = append(subs, m)
		}
	}
	slices.SortStableFunc(subs, func(a, b *LoadedModule) int {
		return int(priority(a)[bit]) - int(priority(b)[bit])
	})
	out := make([]int32, len(subs))
	for i, m := range subs {
		out[i] = int32(m.Index)
	}
	return out
}

// compilePlan orders modules per notification. requestOrder lists the modules enabled for
// request notifications, in <modules> order; every loaded module takes part in global ones.
func compilePlan(loaded []*LoadedModule, requestOrder []*LoadedModule) *plan {
	p := &plan{}
	req := func(m *LoadedModule) uint32 { return m.Registration.RequestMask }
	post := func(m *LoadedModule) uint32 { return m.Registration.PostMask }
	global := func(m *LoadedModule) uint32 { return m.Registration.GlobalMask }
	reqPri := func(m *LoadedModule) *[cabi.MaskBits]uint8 { return &m.Registration.RequestPriority }
	postPri := func(m *LoadedModule) *[cabi.MaskBits]uint8 { return &m.Registration.PostPriority }
	globalPri := func(m *LoadedModule) *[cabi.MaskBits]uint8 { return &m.Registration.GlobalPriority }
	for stage := range cabi.StageCount {
		p.Lists[2*stage] = ordered(requestOrder, req, reqPri, stage)
		p.Lists[2*stage+1] = ordered(requestOrder, post, postPri, stage)
	}
	// Pre-send events run in the opposite order: priority inverted and configuration order
	// walked backwards, as IIS's integrated mode does.
	send := ordered(requestOrder, req, reqPri, sendBit)
	slices.Reverse(send)
	p.Lists[cabi.ListSendResponse] = send
	p.Lists[cabi.ListMapPath] = ordered(requestOrder, req, reqPri, mapPathBit)
	p.Lists[cabi.ListCustom] = ordered(requestOrder, req, reqPri, customBit)
	p.Lists[cabi.ListReadEntity] = ordered(requestOrder, req, reqPri, readBit)
	for bit := range cabi.MaskBits {
		p.Lists[cabi.ListGlobal+bit] = ordered(loaded, global, globalPri, bit)
	}
	return p
}

func (p *plan) install(h *cabi.Host) {
	for list, mods := range p.Lists {
		h.SetPlan(list, mods)
	}
}
