package hosttest

import "errors"

// errNoIsolation is why Run fails on Windows: the host process reports to the test through an
// inherited descriptor (exec.Cmd.ExtraFiles, which Windows lacks) and its crash reporter is built
// on POSIX signals.
var errNoIsolation = errors.New("isolated host processes are not available on Windows (they report through an inherited descriptor and a POSIX-signal crash reporter); use hosttest.Serve, which hosts the modules in the test process")
