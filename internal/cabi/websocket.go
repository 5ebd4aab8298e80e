package cabi

/*
#include "upgrade_doors.h"
*/
import "C"

import (
	"encoding/binary"
	"errors"
	"net"
	"unsafe"
)

// WebSocket opcodes (RFC 6455 §5.2).
const (
	wsContinuation = 0x0
	wsText         = 0x1
	wsBinary       = 0x2
	wsClose        = 0x8
	wsPing         = 0x9
	wsPong         = 0xA
)

// errProtocol: the client broke RFC 6455; the host answered with close 1002.
var errProtocol = errors.New("websocket protocol error")

// wsReader is where reading is in the client's frames (under rmu). A data frame is handed to
// the module in as many reads as its buffer needs; control frames never reach it.
type wsReader struct {
	inFrame   bool
	remaining uint64 // payload bytes of the current data frame not read yet
	fin       bool
	mask      [4]byte
	maskPos   int
	inMessage bool // a message started and its final frame is not read yet
	text      bool
	closed    bool  // a close frame was read
	failed    error // reading stopped for good
}

// wsWriter is where writing is (under wmu).
type wsWriter struct {
	inMessage bool // a fragment without FIN went out: the next one is a continuation
	closeSent bool
}

// wsFrame appends a server frame (never masked) to dst.
func wsFrame(dst []byte, op byte, fin bool, payloadLen int) []byte {
	b0 := op
	if fin {
		b0 |= 0x80
	}
	switch {
	case payloadLen < 126:
		return append(dst, b0, byte(payloadLen))
	case payloadLen <= 0xFFFF:
		return binary.BigEndian.AppendUint16(append(dst, b0, 126), uint16(payloadLen))
	default:
		return binary.BigEndian.AppendUint64(append(dst, b0, 127), uint64(payloadLen))
	}
}

// wsWriteLocked writes one frame; the caller holds wmu.
func (u *upgraded) wsWriteLocked(op byte, fin bool, payload []byte) (int, error) {
	if u.broken {
		return 0, net.ErrClosed
	}
	hdr := wsFrame(make([]byte, 0, 10), op, fin, len(payload))
	n, err := (&net.Buffers{hdr, payload}).WriteTo(u.conn)
	if err != nil {
		if n > 0 {
			u.broken = true
		}
		return 0, err
	}
	return len(payload), nil
}

// wsControl writes a control frame the host sends by itself (pong, close 1002).
func (u *upgraded) wsControl(op byte, payload []byte) error {
	u.wmu.Lock()
	defer u.wmu.Unlock()
	if u.wsw.closeSent {
		return nil // nothing may follow a close frame
	}
	if op == wsClose {
		u.wsw.closeSent = true
	}
	_, err := u.wsWriteLocked(op, true, payload)
	return err
}

// wsFail ends reading after a protocol error, telling the client why (close 1002).
func (u *upgraded) wsFail() error {
	u.ws.failed = errProtocol
	_ = u.wsControl(wsClose, []byte{0x03, 0xEA})
	return errProtocol
}

// wsNextFrame reads frame headers until a data frame starts or a close frame arrives, answering
// pings and dropping pongs on the way. Headers are peeked whole before being consumed, so a
// cancelled read leaves the stream where it was.
func (u *upgraded) wsNextFrame(res *C.iis_ws_result) error {
	r := &u.ws
	for {
		hdr, err := u.br.Peek(2)
		if err != nil {
			return err
		}
		fin, rsv, op := hdr[0]&0x80 != 0, hdr[0]&0x70, hdr[0]&0x0F
		masked, length := hdr[1]&0x80 != 0, uint64(hdr[1]&0x7F)
		size := 2
		switch length {
		case 126:
			size += 2
		case 127:
			size += 8
		}
		if masked {
			size += 4
		}
		if hdr, err = u.br.Peek(size); err != nil {
			return err
		}
		switch length {
		case 126:
			length = uint64(binary.BigEndian.Uint16(hdr[2:]))
		case 127:
			length = binary.BigEndian.Uint64(hdr[2:])
		}
		// Clients mask every frame (§5.1); no extension was negotiated, so RSV is zero.
		if !masked || rsv != 0 || length>>63 != 0 {
			return u.wsFail()
		}
		var mask [4]byte
		copy(mask[:], hdr[size-4:size])
		if op&0x8 != 0 {
			if !fin || length > 125 || (op != wsClose && op != wsPing && op != wsPong) {
				return u.wsFail()
			}
			frame, err := u.br.Peek(size + int(length))
			if err != nil {
				return err
			}
			payload := make([]byte, length)
			for i := range payload {
				payload[i] = frame[size+i] ^ mask[i%4]
			}
			_, _ = u.br.Discard(size + int(length))
			switch op {
			case wsPing:
				if err := u.wsControl(wsPong, payload); err != nil {
					return err
				}
			case wsClose:
				if len(payload) == 1 {
					return u.wsFail()
				}
				r.closed = true
				res.close, res.final_fragment = 1, 1
				if len(payload) >= 2 {
					res.has_code = 1
					res.close_code = C.uint16_t(binary.BigEndian.Uint16(payload))
					reason := payload[2:]
					for i, b := range reason {
						res.close_reason[i] = C.char(b)
					}
					res.close_reason_len = C.uint16_t(len(reason))
				}
				return nil
			}
			continue
		}
		switch {
		case op == wsContinuation && !r.inMessage, (op == wsText || op == wsBinary) && r.inMessage,
			op != wsContinuation && op != wsText && op != wsBinary:
			return u.wsFail()
		case op != wsContinuation:
			r.inMessage, r.text = true, op == wsText
		}
		_, _ = u.br.Discard(size)
		r.inFrame, r.remaining, r.fin, r.mask, r.maskPos = true, length, fin, mask, 0
		return nil
	}
}

// wsRead reads the next piece of a data message into p (ReadFragment).
func (u *upgraded) wsRead(p []byte, res *C.iis_ws_result) error {
	r := &u.ws
	if r.failed != nil {
		return r.failed
	}
	if r.closed {
		res.close, res.final_fragment = 1, 1
		return nil
	}
	if !r.inFrame {
		if err := u.wsNextFrame(res); err != nil || res.close != 0 {
			return err
		}
	}
	want := uint64(len(p))
	if r.remaining < want {
		want = r.remaining
	}
	n := 0
	var err error
	if want > 0 {
		if n, err = u.readSome(p[:want]); n == 0 {
			return err
		}
	}
	for i := range p[:n] {
		p[i] ^= r.mask[(r.maskPos+i)%4]
	}
	r.maskPos = (r.maskPos + n) % 4
	r.remaining -= uint64(n)
	res.bytes = C.uint32_t(n)
	if r.text {
		res.utf8 = 1
	}
	if r.remaining == 0 {
		r.inFrame = false
		if r.fin {
			res.final_fragment = 1
			r.inMessage = false
		}
	}
	return nil
}

// wsWrite writes one data fragment or, with close, the close frame (WriteFragment,
// SendConnectionClose).
func (u *upgraded) wsWrite(data []byte, utf8, fin, close bool, code uint16) (int, error) {
	u.wmu.Lock()
	defer u.wmu.Unlock()
	w := &u.wsw
	if w.closeSent {
		return 0, errInvalidState
	}
	if close {
		payload := binary.BigEndian.AppendUint16(make([]byte, 0, 2+len(data)), code)
		payload = append(payload, data...)
		w.closeSent = true
		_, err := u.wsWriteLocked(wsClose, true, payload)
		return 0, err
	}
	op := byte(wsContinuation)
	if !w.inMessage {
		op = wsBinary
		if utf8 {
			op = wsText
		}
	}
	n, err := u.wsWriteLocked(op, fin, data)
	if err == nil {
		w.inMessage = !fin
	}
	return n, err
}

// iisgoWsRead implements IWebSocketContext::ReadFragment.
//
//export iisgoWsRead
func iisgoWsRead(id C.uintptr_t, buffer unsafe.Pointer, capacity C.uint32_t, async C.int32_t, out *C.iis_ws_result) C.int32_t {
	s, u := upgradedOf(id)
	if u == nil || !u.begin(opRead) {
		return hrConnectionGone
	}
	buf := unsafe.Slice((*byte)(buffer), int(capacity))
	read := func(res *C.iis_ws_result) int32 {
		u.rmu.Lock()
		err := u.wsRead(buf, res)
		u.rmu.Unlock()
		// A connection that ends without a close frame was aborted, not closed (§7.1.5).
		return u.finish(opRead, err, hrConnectionGone)
	}
	if async != 0 {
		state := s.state
		go func() {
			defer u.wg.Done()
			var res C.iis_ws_result
			hr := read(&res)
			if !u.isEnding() {
				C.iis_ws_done(state, opRead, C.int32_t(hr), &res)
			}
		}()
		return hrOK
	}
	defer u.wg.Done()
	return C.int32_t(read(out))
}

// iisgoWsWrite implements IWebSocketContext::WriteFragment and SendConnectionClose.
//
//export iisgoWsWrite
func iisgoWsWrite(id C.uintptr_t, data unsafe.Pointer, n C.uint32_t, utf8, fin, close C.int32_t, code C.uint16_t,
	async C.int32_t, sent *C.uint32_t) C.int32_t {
	s, u := upgradedOf(id)
	if u == nil || !u.begin(opWrite) {
		return hrConnectionGone
	}
	var payload []byte
	if n > 0 {
		payload = unsafe.Slice((*byte)(data), int(n))
	}
	write := func() (int, int32) {
		k, err := u.wsWrite(payload, utf8 != 0, fin != 0, close != 0, uint16(code))
		return k, u.finish(opWrite, err, hrConnectionGone)
	}
	if async != 0 {
		payload = append([]byte(nil), payload...) // the caller's buffer may go once this returns
		state := s.state
		go func() {
			defer u.wg.Done()
			k, hr := write()
			var res C.iis_ws_result
			res.bytes = C.uint32_t(k)
			res.utf8, res.final_fragment = flag(utf8 != 0), flag(fin != 0)
			if close != 0 {
				res.close, res.utf8, res.final_fragment = 1, 0, 1
			}
			if !u.isEnding() {
				C.iis_ws_done(state, opWrite, C.int32_t(hr), &res)
			}
		}()
		return hrOK
	}
	defer u.wg.Done()
	k, hr := write()
	*sent = C.uint32_t(k)
	return C.int32_t(hr)
}

func flag(b bool) C.uint8_t {
	if b {
		return 1
	}
	return 0
}
