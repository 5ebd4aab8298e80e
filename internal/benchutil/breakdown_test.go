package benchutil

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestBreakdownOfTraces(t *testing.T) {
	text := `File: iishost
Type: cpu
-----------+-------------------------------------------------------
     30ms   runtime.cgocall
             github.com/iishost/iishost/internal/cabi._Cfunc_iis_request_run
             github.com/iishost/iishost/internal/cabi.(*Host).serve
             net/http.(*conn).serve
-----------+-------------------------------------------------------
     20ms   internal/runtime/syscall/linux.Syscall6
             syscall.write
             internal/poll.(*FD).Write
             github.com/iishost/iishost/internal/frontdoor.(*Conn).Write
             net/http.(*response).finishRequest
-----------+-------------------------------------------------------
   1.01s   github.com/iishost/iishost/internal/frontdoor.(*Conn).follow
             github.com/iishost/iishost/internal/frontdoor.(*Conn).Read
             net/http.(*conn).serve
-----------+-------------------------------------------------------
     10ms   github.com/iishost/iishost/host.(*requestFilter).check
             net/http.(*conn).serve
-----------+-------------------------------------------------------
     20ms   net/textproto.readMIMEHeader (inline)
             net/http.readRequest
-----------+-------------------------------------------------------
     10ms   runtime.findRunnable
             runtime.schedule
`
	shares, sampled, err := breakdownOfTraces(text)
	require.NoError(t, err)
	require.Equal(t, 1100*time.Millisecond, sampled)
	total := 1100.0
	require.InDeltaSlice(t, []float64{30 / total, 20 / total, 1010 / total, 10 / total, 20 / total, 10 / total}, shares, 1e-9)

	_, _, err = breakdownOfTraces("File: x\n")
	require.ErrorContains(t, err, "no samples")
	_, _, err = breakdownOfTraces("-----------+----\n   tenms   f\n")
	require.ErrorContains(t, err, "sample value")
}
