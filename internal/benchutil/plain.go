package benchutil

import (
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/iishost/iishost/internal/cpuprofile"
)

// ServePlain serves the baseline the scripts measure iishost against: net/http writing the
// bytes the hello module writes. With cpuProfile set it writes a CPU profile until SIGTERM.
func ServePlain(addr, cpuProfile string) {
	if cpuProfile != "" {
		stop, err := cpuprofile.Start(cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		term := make(chan os.Signal, 1)
		signal.Notify(term, syscall.SIGTERM)
		go func() {
			<-term
			stop()
			os.Exit(0)
		}()
	}
	body := []byte("Hello, world!")
	err := http.ListenAndServe(addr, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(body)
	}))
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
