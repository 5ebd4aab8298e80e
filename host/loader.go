package host

import (
	"fmt"

	"github.com/iishost/iishost/internal/cabi"
)

// LoadedModule is one native module after RegisterModule succeeded.
type LoadedModule struct {
	Name         string
	Image        string
	Index        int // position in the host's module table
	Registration Registration
}

// NotificationBits is how many notification bits a module's masks have; a priority is kept per
// bit.
const NotificationBits = cabi.MaskBits

// Registration is what a module subscribed to in RegisterModule: the request notifications
// (RQ_*, and their post forms) and the global ones (GL_*) as masks, and the priority it asked for
// each (PRIORITY_ALIAS_* as 0 = first to 4 = last).
type Registration struct {
	RequestMask, PostMask, GlobalMask             uint32
	RequestPriority, PostPriority, GlobalPriority [NotificationBits]uint8
}

// ModuleError says which module failed to load, from which file, and why.
type ModuleError struct {
	Module, Image string
	Err           error
}

func (e *ModuleError) Error() string {
	return fmt.Sprintf("module %q (%s): %v", e.Module, e.Image, e.Err)
}

func (e *ModuleError) Unwrap() error { return e.Err }

// Reasons a module fails to load; match them with errors.Is.
var (
	ErrNoImage          = cabi.ErrNoImage
	ErrNotSharedLibrary = cabi.ErrNotSharedLibrary
	ErrWrongArch        = cabi.ErrWrongArch
	ErrNoEntryPoint     = cabi.ErrNoEntryPoint
	ErrDllMain          = cabi.ErrDllMain
)

// loadModule opens one module image and calls its RegisterModule (docs/design.md §3).
func loadModule(h *cabi.Host, spec ModuleSpec) (*LoadedModule, error) {
	fail := func(err error) (*LoadedModule, error) {
		return nil, &ModuleError{Module: spec.Name, Image: spec.Image, Err: err}
	}
	img, err := cabi.OpenImage(spec.Image)
	if err != nil {
		return fail(err)
	}
	// Set before RegisterModule, which commonly logs.
	if err := h.InstallServices(spec.Name, img); err != nil {
		return fail(err)
	}
	if err := img.Attach(); err != nil {
		return fail(err)
	}
	index, reg, err := h.RegisterModule(spec.Name, img.RegisterModule)
	if err != nil {
		return fail(err)
	}
	return &LoadedModule{Name: spec.Name, Image: spec.Image, Index: index, Registration: Registration(reg)}, nil
}
