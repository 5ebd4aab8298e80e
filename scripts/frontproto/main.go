// Command frontproto is a prototype, measured by scripts/benchfront: fasthttp as iishost's
// HTTP/1.1 front end instead of net/http. It is its own module so that the main module neither
// builds it nor depends on fasthttp.
//
// With -module it serves the modules through the same host.Server as iishost, reached through
// fasthttp's net/http adaptor (the host's request engine takes an http.ResponseWriter and an
// *http.Request). With -bare it answers "Hello, world!" from fasthttp itself: the cost of the
// front end alone, the floor any fasthttp-based iishost could reach.
//
//	frontproto -listen 127.0.0.1:8081 -module Hello=hello.so -root DIR
//	frontproto -listen 127.0.0.1:8082 -bare
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/iishost/iishost/host"
	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"
)

type moduleFlags []string

func (m *moduleFlags) String() string     { return strings.Join(*m, ",") }
func (m *moduleFlags) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	listen := flag.String("listen", "127.0.0.1:8081", "address to serve on")
	root := flag.String("root", "", "the site's root folder")
	bare := flag.Bool("bare", false, "answer from fasthttp alone, with no module")
	var modules moduleFlags
	flag.Var(&modules, "module", "NAME=PATH of a module to load; repeatable")
	flag.Parse()
	if err := run(*listen, *root, *bare, modules); err != nil {
		fmt.Fprintln(os.Stderr, "frontproto:", err)
		os.Exit(1)
	}
}

func run(listen, root string, bare bool, modules []string) error {
	fs := &fasthttp.Server{NoDefaultServerHeader: true}
	if bare {
		body := []byte("Hello, world!")
		fs.Handler = func(ctx *fasthttp.RequestCtx) {
			ctx.SetContentType("text/plain")
			ctx.SetBody(body)
		}
		return fs.ListenAndServe(listen)
	}
	cfg, err := host.ParseConfig(strings.NewReader("<configuration/>"), "frontproto")
	if err != nil {
		return err
	}
	for _, m := range modules {
		if err := cfg.AddModule(m); err != nil {
			return err
		}
	}
	if root != "" {
		cfg.SetRoot(root)
	}
	srv, err := host.New(cfg, host.Options{})
	if err != nil {
		return err
	}
	defer srv.Close()
	fs.Handler = fasthttpadaptor.NewFastHTTPHandler(srv)
	return fs.ListenAndServe(listen)
}
