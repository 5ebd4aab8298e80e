// A small HTTP server, cross-built for Windows by the harness's own test: it prints the address
// it listens on and answers every request with the request's path and a variable from its
// environment, proving that a Go program runs, listens and sees its environment under Wine. On
// os.Interrupt (CTRL_C) it says so and exits with status 0.
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
)

func main() {
	interrupted := make(chan os.Signal, 1)
	signal.Notify(interrupted, os.Interrupt)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	go func() {
		err := http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, "%s on %s with %s", r.URL.Path, os.Getenv("OS"), os.Getenv("WINETEST_GREETING"))
		}))
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}()
	<-interrupted
	fmt.Println("interrupted")
}
