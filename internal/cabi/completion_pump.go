package cabi

/*
#include "bridge.h"
*/
import "C"

import (
	"os"
	"sync"
	"unsafe"
)

// The completion pump (completion_pump.cpp): module threads queue parked requests'
// completions in C++ memory and write one byte to a pipe; this goroutine, woken by the network
// poller, takes them in batches and resumes each request's goroutine. No module thread calls
// into Go for a completion, and the goroutines it wakes run on this goroutine's processor.
var startPump = sync.OnceFunc(func() {
	r, w, err := os.Pipe()
	if err != nil {
		panic("cabi: no pipe for the completion pump: " + err.Error())
	}
	// Fd would switch the pipe to blocking mode; the write end must stay non-blocking so a
	// module thread never waits on it, and it stays open for the process's life.
	raw, err := w.SyscallConn()
	if err == nil {
		err = raw.Control(func(fd uintptr) { C.iis_completion_pump_start(C.uintptr_t(fd)) })
	}
	if err != nil {
		panic("cabi: completion pump: " + err.Error())
	}
	pumpWriter = w
	go pumpCompletions(r)
})

// pumpWriter keeps the pipe's write end open (and its descriptor valid) for C++.
var pumpWriter *os.File

// pumpBatch is how many completions one call takes from the queue.
const pumpBatch = 256

func pumpCompletions(r *os.File) {
	wake := make([]byte, 64)
	ids := make([]C.uintptr_t, pumpBatch)
	for {
		if _, err := r.Read(wake); err != nil {
			panic("cabi: completion pump: " + err.Error())
		}
		for {
			n := int(C.iis_completion_pump_take((*C.uintptr_t)(unsafe.Pointer(&ids[0])), pumpBatch))
			for _, id := range ids[:n] {
				lookupSlot(uintptr(id)).wake()
			}
			if n < pumpBatch {
				break
			}
		}
	}
}
