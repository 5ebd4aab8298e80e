// A small HTTP server, cross-built for Windows by the harness's own test: it prints the address
// it listens on and answers every request with the request's path and a variable from its
// environment, proving that a Go program runs, listens and sees its environment under Wine.
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	err = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s on %s with %s", r.URL.Path, os.Getenv("OS"), os.Getenv("WINETEST_GREETING"))
	}))
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
