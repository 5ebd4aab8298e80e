package host

import (
	"os"
	"strconv"
)

// openedPath is the path of the file f has open, every link resolved, as the kernel knows it.
func openedPath(f *os.File) (string, error) {
	return os.Readlink("/proc/self/fd/" + strconv.Itoa(int(f.Fd())))
}
