// Package cabi is the bridge between Go and the C++ host objects that IIS modules call.
//
// It and the C++ packages in its subfolders are the only packages with cgo or unsafe
// (docs/design.md, "Layers"). That C++ implements the server side of the IIS native API; the
// functions in headers/bridge.h are the only doors between the two sides, and callbacks.go holds
// the only calls back into Go.
//
// # Notes
//
//   - A request crosses into C++ once (RunRequest); module calls stay in C++.
//   - Go is called back only for I/O: reading the body, flushing, and the fallback handler.
package cabi

/*
#cgo CFLAGS: -I${SRCDIR}/headers -I${SRCDIR}/../../include
#cgo windows LDFLAGS: -static -static-libgcc -static-libstdc++ -lws2_32 -loleaut32 -lole32 -luuid
#include <stdlib.h>
#include "bridge.h"
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iishost/iishost/internal/frontdoor"
	"unsafe"
)

// Priority levels a module can ask for, in pipeline order.
const (
	PriorityFirst = iota
	PriorityHigh
	PriorityMedium
	PriorityLow
	PriorityLast
)

// Plan list numbering, shared with bridge.h.
const (
	StageCount       = C.IIS_STAGE_COUNT
	ListSendResponse = C.IIS_LIST_SEND_RESPONSE
	ListMapPath      = C.IIS_LIST_MAP_PATH
	ListCustom       = C.IIS_LIST_CUSTOM
	ListReadEntity   = C.IIS_LIST_READ_ENTITY
	ListGlobal       = C.IIS_LIST_GLOBAL
	MaskBits         = C.IIS_MASK_BITS
)

// Registration is what a module subscribed to in RegisterModule.
type Registration struct {
	RequestMask, PostMask, GlobalMask             uint32
	RequestPriority, PostPriority, GlobalPriority [MaskBits]uint8
}

// RecycleRequest is a module's call to IHttpServer::RecycleProcess (Unhealthy false) or
// ReportUnhealthy (Unhealthy true, with its HRESULT).
type RecycleRequest struct {
	Unhealthy bool
	Reason    string
	HRESULT   uint32
}

// ServerConfig is the server-wide information modules can read.
type ServerConfig struct {
	AppPoolName, ConfigPath string
}

// Host is one configured server on the C++ side: its modules, plan and sites. Several hosts
// can live in one process.
type Host struct {
	c  *C.iis_host
	id uintptr
	// Fallback serves requests that no module handled (IIS's static file handler's role).
	Fallback http.Handler
	// Logger receives module errors and host records. Default: slog.Default().
	Logger *slog.Logger
	// Limits are the front door's (internal/frontdoor); only the path limits apply here, the
	// rest is host.Server's to enforce.
	Limits frontdoor.Limits
	// IOTimeout fails a body read or response write that makes no progress for this long
	// (IIS's connectionTimeout); 0 means no limit.
	IOTimeout time.Duration
	// AbandonAfter is how long a pending request whose client has gone may wait for its module's
	// completion before the host gives up on it (see ServeHTTP). 0 means 30 seconds.
	AbandonAfter time.Duration
	// MaxAbandonedBytes is the memory abandoned requests may hold before new requests are
	// answered 503 (abandon.go). 0 means DefaultMaxAbandonedBytes.
	MaxAbandonedBytes int64
	// Recycle, when set, receives a module's RecycleProcess and ReportUnhealthy calls (after
	// they are logged), on a goroutine of its own.
	Recycle func(RecycleRequest)
	// OnComplete, when set before serving, receives each request that ends, on the request's
	// goroutine after its response was written and before its modules are released; it must
	// not keep the record. Requests abandoned for a module that never completed are not given.
	OnComplete func(*Completed)
	// SlowNotificationAfter is how long a module's notification may run before the watchdog
	// logs it (watchdog.go). 0 means DefaultSlowNotificationAfter; negative turns it off.
	SlowNotificationAfter time.Duration
	// clientCerts is SetClientCertificateTrust's.
	clientCerts atomic.Pointer[ClientCertificateTrust]

	sites int // how many AddSite added
	// siteStats are each site's request outcomes, by site index (request_stats.go); never
	// empty. OnFailure, when set, receives each request that ended with a status of 400 or
	// more, on its goroutine once the response is out.
	siteStats []*siteStats
	OnFailure func(Failure)

	// idle is the bounded free list of request states (slots.go).
	idle idleStack
	mu   sync.Mutex
	// active counts requests inside ServeHTTP. net/http's Shutdown does not wait for hijacked
	// connections (SuppressHeaders, ResetConnection), so the host waits for them itself.
	active sync.WaitGroup
	// counters are the requests and bytes Counters reports.
	counters hostCounters
	final    *Counters // set under mu by Close
	// closing keeps Close from freeing the C++ host under a connection hook (ConnState).
	closing sync.RWMutex
	// upgrades holds the connections taken for a 101 that are still open (upgrade.go).
	upgrades sync.Map
	// Abandoned requests (abandon.go): how many are held and their bytes; refusing is set while
	// they hold the cap; reclaims counts late completions being run, which draining (under mu)
	// stops starting.
	abandonedRequests, abandonedBytes atomic.Int64
	refusing                          atomic.Bool
	reclaims                          sync.WaitGroup
	draining                          bool
	// slots holds every request state of the host, for the watchdog; slotsMu keeps a state from
	// being freed while the watchdog reads it (watchdog.go).
	slotsMu      sync.RWMutex
	slots        map[*slot]struct{}
	watchdog     chan struct{} // closed to stop the watchdog; nil when none runs
	watchdogDone sync.WaitGroup
}

// Drain waits until no request is running, or ctx ends. Upgraded connections (WebSockets) are
// closed first, so that their modules' reads fail and their requests end.
func (h *Host) Drain(ctx context.Context) error {
	h.closeUpgraded() // an upgraded stream has no end of its own to wait for
	h.stopReclaims()
	done := make(chan struct{})
	go func() {
		h.active.Wait()
		h.reclaims.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// stopReclaims keeps late completions of abandoned requests from running the pipeline once the
// host shuts down: the modules are about to be terminated.
func (h *Host) stopReclaims() {
	h.mu.Lock()
	h.draining = true
	h.mu.Unlock()
}

// NewHost creates a host; add its sites, register modules and set the plan before serving.
func NewHost(server ServerConfig) *Host {
	startPump() // before any request can park
	pool, path := C.CString(server.AppPoolName), C.CString(server.ConfigPath)
	defer C.free(unsafe.Pointer(pool))
	defer C.free(unsafe.Pointer(path))
	h := &Host{id: uintptr(hostIDs.Add(1)), Logger: slog.Default(), Limits: frontdoor.Limits{}.WithDefaults(), slots: map[*slot]struct{}{},
		siteStats: []*siteStats{{}}}
	cfg := C.iis_server_config{app_pool_name: pool, config_path: path, go_id: C.uintptr_t(h.id)}
	h.c = C.iis_host_new(&cfg)
	if h.c == nil {
		panic("cabi: out of memory creating a host")
	}
	hosts.Store(h.id, h)
	return h
}

// hosts finds a Host by the number its C++ side carries, for log callbacks.
var (
	hosts   sync.Map
	hostIDs atomic.Uint64
)

// Close frees the host's C++ memory. Call it after TerminateModules; it waits for requests
// still running.
func (h *Host) Close() {
	h.stopWatchdog()
	h.active.Wait()
	h.stopReclaims()
	h.reclaims.Wait()
	h.mu.Lock()
	for s := h.idle.pop(); s != nil; s = h.idle.pop() {
		freeSlot(s)
	}
	final := h.snapshot() // Counters answers this once the C++ side is gone
	h.final = &final
	h.mu.Unlock()
	hosts.Delete(h.id)
	h.closing.Lock() // no connection hook is inside the C++ host now
	C.iis_host_free(h.c)
	h.c = nil
	h.closing.Unlock()
}

// ErrRegistration marks failures reported by a module's RegisterModule.
var ErrRegistration = errors.New("registration failed")

// RegisterModule calls a module's RegisterModule entry point (found with dlsym) under a name,
// and returns the module's index in the plan and its subscriptions.
func (h *Host) RegisterModule(name string, entry uintptr) (int, Registration, error) {
	var out C.iis_registration
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	// The entry point is a C function address from dlsym, never Go memory.
	index := int(C.iis_module_register(h.c, cname, *(*unsafe.Pointer)(unsafe.Pointer(&entry)), &out))
	if index < 0 {
		return -1, Registration{}, fmt.Errorf("%w: %s", ErrRegistration, C.GoString(&out.error[0]))
	}
	reg := Registration{RequestMask: uint32(out.request_mask), PostMask: uint32(out.post_mask), GlobalMask: uint32(out.global_mask)}
	for i := range MaskBits {
		reg.RequestPriority[i] = uint8(out.request_priority[i])
		reg.PostPriority[i] = uint8(out.post_priority[i])
		reg.GlobalPriority[i] = uint8(out.global_priority[i])
	}
	return index, reg, nil
}

// SetPlan installs the ordered module indices for one plan list.
func (h *Host) SetPlan(list int, modules []int32) {
	if len(modules) == 0 {
		C.iis_plan_set(h.c, C.int(list), nil, 0)
		return
	}
	C.iis_plan_set(h.c, C.int(list), (*C.int32_t)(unsafe.Pointer(&modules[0])), C.int(len(modules)))
}

// DefaultMaxRequestMemory is the cap SetMaxRequestMemory restores with 0: 256 MiB per request,
// far above what modules take, yet low enough that a module asking for gigabytes (a length
// taken from the client, a DWORD of -1) is refused instead of having the host commit it.
const DefaultMaxRequestMemory = C.IIS_DEFAULT_MAX_REQUEST_MEMORY

// SetMaxRequestMemory caps the bytes one request hands its modules (AllocateRequestMemory,
// IModuleAllocator); past it they get NULL. 0 means DefaultMaxRequestMemory. Call before
// serving.
func (h *Host) SetMaxRequestMemory(bytes int64) {
	C.iis_host_set_request_memory_limit(h.c, C.uint64_t(max(bytes, 0)))
}

// AddSite adds a site and returns its index, which requests name it by (Route.Site); sites
// are numbered from 0 in the order they are added. Every site needs a "/" application with a
// "/" virtual directory before serving.
func (h *Host) AddSite(name string, id uint32) (int, error) {
	cn := C.CString(name)
	defer C.free(unsafe.Pointer(cn))
	i := int(C.iis_site_add(h.c, cn, C.uint32_t(id)))
	if i < 0 {
		return -1, fmt.Errorf("site %q with id %d: a site needs a name and an id from 1", name, id)
	}
	h.sites = i + 1
	for len(h.siteStats) < h.sites {
		h.siteStats = append(h.siteStats, &siteStats{})
	}
	return i, nil
}

// AddApplication adds an application of a site: its site-relative URL ("/" or "/app") and the
// folder of its root virtual directory (absolute). Add applications before their directories.
func (h *Host) AddApplication(site int, url, physicalPath string) error {
	return h.addPath(site, url, physicalPath, "application", func(cu, cp *C.char) C.int {
		return C.iis_application_add(h.c, C.int(site), cu, cp)
	})
}

// AddVirtualDirectory maps a site-relative URL ("/", "/app/images") to an absolute folder; a
// URL maps through the directory with the longest URL it lies under.
func (h *Host) AddVirtualDirectory(site int, url, physicalPath string) error {
	return h.addPath(site, url, physicalPath, "virtual directory", func(cu, cp *C.char) C.int {
		return C.iis_virtual_directory_add(h.c, C.int(site), cu, cp)
	})
}

func (h *Host) addPath(site int, url, physicalPath, what string, add func(url, path *C.char) C.int) error {
	cu, cp := C.CString(url), C.CString(physicalPath)
	defer C.free(unsafe.Pointer(cu))
	defer C.free(unsafe.Pointer(cp))
	if add(cu, cp) < 0 {
		return fmt.Errorf("%s %q -> %q of site %d: want a URL starting with / and an absolute folder of a known site", what, url, physicalPath, site)
	}
	return nil
}

// AddScope makes a URL scope of a site: a request to the site whose path is prefix ("/sub")
// or under it, compared case-insensitively, runs the request plan lists and handler mappings
// set for the scope with SetScopePlan and SetScopeHandlers instead of the host's; the longest
// matching prefix wins, and "/" covers the whole site. Global notifications stay the host's.
// Call it before serving.
func (h *Host) AddScope(site int, prefix string) {
	cp := C.CString(prefix)
	defer C.free(unsafe.Pointer(cp))
	C.iis_scope_add(h.c, C.int(site), cp)
}

// SetScopePlan is SetPlan for a URL scope's request lists (below ListGlobal).
func (h *Host) SetScopePlan(site int, prefix string, list int, modules []int32) {
	cp := C.CString(prefix)
	defer C.free(unsafe.Pointer(cp))
	var first *C.int32_t
	if len(modules) > 0 {
		first = (*C.int32_t)(unsafe.Pointer(&modules[0]))
	}
	C.iis_scope_plan_set(h.c, C.int(site), cp, C.int(list), first, C.int(len(modules)))
}

// GlobalNotify raises a global notification that has no request; true when a module handled it.
func (h *Host) GlobalNotify(event uint32) bool {
	return C.iis_global_notify(h.c, C.uint32_t(event)) != 0
}

// CacheCleanup runs one scavenger round of the file cache, then raises GL_CACHE_CLEANUP.
func (h *Host) CacheCleanup() { C.iis_cache_cleanup(h.c) }

// TerminateModules calls Terminate on every factory and global module.
func (h *Host) TerminateModules() { C.iis_modules_terminate(h.c) }

// Coverage reports whether a vtable slot of a host class is implemented: 1 yes, 0 E_NOTIMPL,
// -1 when no host class implements that interface. slot is in this build's layout (MSVCLayout).
func Coverage(hostInterface string, slot int) int {
	cname := C.CString(hostInterface)
	defer C.free(unsafe.Pointer(cname))
	return int(C.iis_coverage(cname, C.int(slot)))
}
