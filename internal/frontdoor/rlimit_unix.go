//go:build unix

package frontdoor

import "syscall"

// defaultMaxConnections leaves a quarter of the descriptor limit to files and modules.
func defaultMaxConnections() int {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil || r.Cur == 0 {
		return 1024
	}
	n := r.Cur / 4 * 3
	if n > 1<<20 {
		n = 1 << 20
	}
	if n < 16 {
		n = 16
	}
	return int(n)
}
