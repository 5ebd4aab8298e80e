package cabi

/*
#include "bridge.h"
*/
import "C"

import (
	"context"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
)

// connKey keys a connection's number in its requests' contexts.
type connKey struct{}

var (
	connIDs atomic.Uint64
	connsOf sync.Map // net.Conn -> uint64, for connections not closed yet
)

// ConnContext is an http.Server ConnContext hook: it numbers each TCP connection so that
// modules see one connection scope (IHttpConnection::GetModuleContextContainer) per connection.
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	id := connIDs.Add(1)
	connsOf.Store(c, id)
	return context.WithValue(ctx, connKey{}, id)
}

// ConnState is an http.Server ConnState hook: when a connection closes (or is hijacked, after
// which net/http no longer tracks it and iishost closes it once the response is out), modules'
// connection stored contexts hear NotifyDisconnect.
func (h *Host) ConnState(c net.Conn, state http.ConnState) {
	if state != http.StateClosed && state != http.StateHijacked {
		return
	}
	v, ok := connsOf.LoadAndDelete(c)
	if !ok {
		return
	}
	h.closing.RLock()
	defer h.closing.RUnlock()
	if h.c == nil {
		return // the host is closed; its modules already released their connection contexts
	}
	C.iis_connection_closed(h.c, C.uint64_t(v.(uint64)))
}

// connectionID is the number ConnContext gave the request's connection, 0 without the hook.
func connectionID(r *http.Request) uint64 {
	id, _ := r.Context().Value(connKey{}).(uint64)
	return id
}
