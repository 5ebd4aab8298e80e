package host

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// Log formats and levels the command takes from -log-format and -log-level, or from
// <iishost logFormat logLevel> (Config.LogFormat, Config.LogLevel).
const (
	LogFormatText = "text"
	LogFormatJSON = "json"
)

// CheckLogFormat reports whether format is one NewLogHandler takes ("" is text).
func CheckLogFormat(format string) error {
	switch strings.ToLower(format) {
	case "", LogFormatText, LogFormatJSON:
		return nil
	}
	return fmt.Errorf("%q: want text or json", format)
}

// ParseLogLevel reads debug, info, warn or error in any letter case; "" is info.
func ParseLogLevel(level string) (slog.Level, error) {
	switch strings.ToLower(level) {
	case "debug":
		return slog.LevelDebug, nil
	case "", "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("%q: want debug, info, warn or error", level)
}

// NewLogHandler writes records of level and above to w as slog's text or JSON lines.
func NewLogHandler(w io.Writer, format string, level slog.Leveler) (slog.Handler, error) {
	if err := CheckLogFormat(format); err != nil {
		return nil, err
	}
	opts := &slog.HandlerOptions{Level: level}
	if strings.EqualFold(format, LogFormatJSON) {
		return slog.NewJSONHandler(w, opts), nil
	}
	return slog.NewTextHandler(w, opts), nil
}
