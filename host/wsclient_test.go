package host_test

import (
	"bufio"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// rawConn is a hand-made client of an upgraded connection: it writes exact frames (masked, as
// clients must) and reads exact frames, which a WebSocket library would hide.
type rawConn struct {
	t    *testing.T
	conn net.Conn
	br   *bufio.Reader
	resp *http.Response
}

// testKey is RFC 6455's example key; its accept value is given there too.
const (
	testKey    = "dGhlIHNhbXBsZSBub25jZQ=="
	testAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
)

// wsHeaders are the headers of a WebSocket handshake.
func wsHeaders() map[string]string {
	return map[string]string{"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": testKey, "Sec-WebSocket-Version": "13"}
}

// dialUpgrade sends a request with the given headers and reads the response head; the body of
// a 101 is the stream that follows.
func dialUpgrade(t *testing.T, baseURL, method, path string, headers map[string]string) *rawConn {
	t.Helper()
	return dialUpgradeEarly(t, baseURL, method, path, headers, nil)
}

// dialUpgradeEarly is dialUpgrade with bytes of the upgraded protocol sent together with the
// request, before any answer: they reach the server in the same packet.
func dialUpgradeEarly(t *testing.T, baseURL, method, path string, headers map[string]string, early []byte) *rawConn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(baseURL, "http://"))
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	require.NoError(t, conn.SetDeadline(time.Now().Add(30*time.Second))) // hang guard only
	var b strings.Builder
	b.WriteString(method + " " + path + " HTTP/1.1\r\nHost: test\r\n")
	for k, v := range headers {
		b.WriteString(k + ": " + v + "\r\n")
	}
	b.WriteString("\r\n")
	b.Write(early)
	_, err = io.WriteString(conn, b.String())
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	return &rawConn{t: t, conn: conn, br: br, resp: resp}
}

// frame writes one masked client frame.
func (c *rawConn) frame(op byte, fin bool, payload []byte) {
	c.t.Helper()
	_, err := c.conn.Write(clientFrame(op, fin, payload))
	require.NoError(c.t, err)
}

// clientFrame encodes a client frame, masked as RFC 6455 §5.3 requires.
func clientFrame(op byte, fin bool, payload []byte) []byte {
	b0 := op
	if fin {
		b0 |= 0x80
	}
	hdr := []byte{b0}
	switch n := len(payload); {
	case n < 126:
		hdr = append(hdr, 0x80|byte(n))
	case n <= 0xFFFF:
		hdr = binary.BigEndian.AppendUint16(append(hdr, 0x80|126), uint16(n))
	default:
		hdr = binary.BigEndian.AppendUint64(append(hdr, 0x80|127), uint64(n))
	}
	mask := []byte{0x12, 0x34, 0x56, 0x78}
	hdr = append(hdr, mask...)
	body := make([]byte, len(payload))
	for i, p := range payload {
		body[i] = p ^ mask[i%4]
	}
	return append(hdr, body...)
}

// wsFrame is a frame the server sent.
type wsFrame struct {
	Fin     bool
	Op      byte
	Payload string
}

// next reads one server frame, which must not be masked.
func (c *rawConn) next() wsFrame {
	c.t.Helper()
	hdr := make([]byte, 2)
	_, err := io.ReadFull(c.br, hdr)
	require.NoError(c.t, err)
	require.Zero(c.t, hdr[1]&0x80, "server frames are not masked")
	n := uint64(hdr[1] & 0x7F)
	switch n {
	case 126:
		ext := make([]byte, 2)
		_, err = io.ReadFull(c.br, ext)
		n = uint64(binary.BigEndian.Uint16(ext))
	case 127:
		ext := make([]byte, 8)
		_, err = io.ReadFull(c.br, ext)
		n = binary.BigEndian.Uint64(ext)
	}
	require.NoError(c.t, err)
	payload := make([]byte, n)
	_, err = io.ReadFull(c.br, payload)
	require.NoError(c.t, err)
	return wsFrame{Fin: hdr[0]&0x80 != 0, Op: hdr[0] & 0x0F, Payload: string(payload)}
}

// closePayload is a close frame's body: the code, then the reason.
func closePayload(code uint16, reason string) []byte {
	return append(binary.BigEndian.AppendUint16(nil, code), reason...)
}

// line reads one line of the raw stream.
func (c *rawConn) line() string {
	c.t.Helper()
	s, err := c.br.ReadString('\n')
	require.NoError(c.t, err)
	return s
}

// eof asserts that the server closed the connection and sent nothing more.
func (c *rawConn) eof() {
	c.t.Helper()
	rest, err := io.ReadAll(c.br)
	require.NoError(c.t, err)
	require.Empty(c.t, string(rest))
}
