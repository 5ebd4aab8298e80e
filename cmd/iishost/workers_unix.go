//go:build !windows

package main

import "syscall"

// defaultWorkers is -workers unset: a master and one worker process.
const defaultWorkers = 1

// errNoWorkerProcesses is nil where the master/worker model runs (workers_windows.go).
var errNoWorkerProcesses error

// errNoSampleBuild is nil where the samples are built from source (workers_windows.go says why
// Windows does not).
var errNoSampleBuild error

// workerProcAttr makes a worker outlive no master, even one killed outright.
func workerProcAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM} }

// closeOnExec keeps an inherited descriptor from a module's child processes.
func closeOnExec(fd int) { syscall.CloseOnExec(fd) }
