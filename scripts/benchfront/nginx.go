//go:build !windows

package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// nginxConf is nginx at its leanest for the comparison: one worker, in the foreground, no
// access log, answering the hello module's bytes. keepalive_requests is raised so that nginx,
// like the Go servers, keeps each load connection for the whole run.
const nginxConf = `worker_processes 1;
daemon off;
pid %[1]s/nginx.pid;
error_log %[1]s/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path %[1]s/nginx-body;
    server {
        listen %[2]s;
        location / {
            default_type text/plain;
            return 200 "Hello, world!";
        }
    }
}
`

// nginxArgs writes the configuration into dir and returns nginx's arguments for it.
func nginxArgs(dir, addr string) ([]string, error) {
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, fmt.Appendf(nil, nginxConf, dir, addr), 0o644); err != nil {
		return nil, err
	}
	return []string{"-p", dir, "-c", conf}, nil
}
