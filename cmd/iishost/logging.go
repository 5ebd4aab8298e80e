package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/iishost/iishost/host"
)

// logFlags are -log-format and -log-level; "" leaves the choice to the configuration's
// <iishost logFormat logLevel>, then to text at info.
type logFlags struct {
	format, level *string
}

func addLogFlags(fs *flag.FlagSet) logFlags {
	return logFlags{
		format: fs.String("log-format", "", "log records as text or json lines (overrides <iishost logFormat>; default text)"),
		level:  fs.String("log-level", "", "log records of this level and above: debug, info, warn or error (overrides <iishost logLevel>; default info); debug shows modules' trace events"),
	}
}

// check names the flag at fault.
func (f logFlags) check() error {
	if err := host.CheckLogFormat(*f.format); err != nil {
		return fmt.Errorf("-log-format %v", err)
	}
	if _, err := host.ParseLogLevel(*f.level); err != nil {
		return fmt.Errorf("-log-level %v", err)
	}
	return nil
}

// logger writes to w as the flags say, each flag left unset taken from cfg (nil: none). The
// values were checked (check, and the configuration's parser).
func (f logFlags) logger(w io.Writer, cfg *host.Config) *slog.Logger {
	format, level := *f.format, *f.level
	if cfg != nil {
		if format == "" {
			format = cfg.LogFormat
		}
		if level == "" {
			level = cfg.LogLevel
		}
	}
	lvl, _ := host.ParseLogLevel(level)
	h, _ := host.NewLogHandler(w, format, lvl)
	return slog.New(h)
}
