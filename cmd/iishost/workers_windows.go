package main

import (
	"errors"
	"syscall"
)

// defaultWorkers is -workers unset: on Windows, this one process serves.
const defaultWorkers = 0

// errNoWorkerProcesses is why -workers N>0 is refused on Windows: the master hands its
// listening sockets to workers as inherited descriptors and stops them with POSIX signals, and
// neither has a Windows form here yet.
var errNoWorkerProcesses = errors.New("worker processes are not available on Windows (the master passes listening sockets to workers as inherited descriptors and stops them with POSIX signals); serve in this one process with -workers 0, the default on Windows")

// errNoSampleBuild is why iishost without -config or -module serves no module on Windows.
var errNoSampleBuild = errors.New("the default configuration serves the sample modules, which are built from source only on Linux; on Windows name compiled modules with -module NAME=C:\\path\\module.dll or a -config applicationHost.config")

// workerProcAttr is never used on Windows: errNoWorkerProcesses stops the master first.
func workerProcAttr() *syscall.SysProcAttr { return nil }

// closeOnExec is never used on Windows: a worker does not start there.
func closeOnExec(int) {}
