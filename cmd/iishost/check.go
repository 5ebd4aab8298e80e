package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/iishost/iishost/host"
)

// checkCommand runs `iishost check [flags]` and `iishost [flags] -t`, which test the
// configuration as `nginx -t` does; ok is false when args ask for neither.
func checkCommand(args []string, stdout, stderr io.Writer) (code int, ok bool) {
	if len(args) > 0 && args[0] == "check" {
		return runCheck(args[1:], stdout, stderr), true
	}
	for _, a := range args {
		if a == "--" {
			break
		}
		if isTestFlag(a) {
			return runCheck(args, stdout, stderr), true
		}
	}
	return 0, false
}

// isTestFlag says whether arg sets -t, written as the flag package reads it.
func isTestFlag(arg string) bool {
	name, ok := strings.CutPrefix(arg, "-")
	if !ok {
		return false
	}
	name = strings.TrimPrefix(name, "-")
	name, value, hasValue := strings.Cut(name, "=")
	if name != "t" {
		return false
	}
	on, err := strconv.ParseBool(value)
	return !hasValue || err == nil && on
}

// runCheck checks the configuration the flags name and prints each problem, then a summary, on
// stderr. It returns the exit status: 0 with no error (warnings allowed), 1 with errors, 2
// for a usage error. -h prints the usage on stdout.
func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("iishost check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	flags := addServerFlags(fs, "", true) // -listen is checked for its form only
	listen, configPath, root, schema := flags.listen, flags.config, flags.root, flags.schema
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: iishost check [flags]   (or iishost [flags] -t)\n"+
			"Checks the configuration, its schemas and modules without serving; exits 0 when there is no error.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if helped, err := parseFlags(fs, args, stdout); helped || err != nil {
		if helped {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "iishost check: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	if err := flags.log.check(); err != nil {
		fmt.Fprintf(stderr, "iishost check: %v\n", err)
		return 2
	}
	// Only warnings unless -log-level says otherwise: a module's registration messages, and
	// nothing from building the samples.
	if *flags.log.level == "" {
		*flags.log.level = "warn"
	}
	logger := flags.log.logger(stderr, nil)
	name, problems := checkConfig(*configPath, *listen, *root, *schema, *flags.modules, logger)
	report := &host.CheckReport{Problems: problems}
	for _, p := range problems {
		fmt.Fprintln(stderr, p)
	}
	errs, warnings := report.Count(host.SeverityError), report.Count(host.SeverityWarning)
	fmt.Fprintf(stderr, "iishost: configuration %s: %d %s, %d %s\n", name, errs, plural(errs, "error"), warnings, plural(warnings, "warning"))
	if report.Failed() {
		fmt.Fprintf(stderr, "iishost: configuration %s test failed\n", name)
		return 1
	}
	fmt.Fprintf(stderr, "iishost: configuration %s test is successful\n", name)
	return 0
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// checkConfig reads the configuration as run does and checks it; name is what the summary
// calls it.
func checkConfig(path, listen, root, schema string, modules []string, logger *slog.Logger) (name string, problems []host.Problem) {
	name = path
	if listen != "" {
		if _, _, err := net.SplitHostPort(listen); err != nil {
			problems = append(problems, host.Problem{Message: fmt.Sprintf("-listen %q: %v", listen, err)})
		}
	}
	cfg, err := loadConfig(path, len(modules) > 0, logger)
	if err != nil {
		if name == "" {
			name = "embedded default.config"
		}
		return name, append(problems, host.ErrorProblem(err))
	}
	switch {
	case cfg.Source != "":
		name = cfg.Source
	case name == "":
		name = "from flags"
	}
	for _, m := range modules {
		if err := cfg.AddModule(m); err != nil {
			problems = append(problems, host.ErrorProblem(err))
		}
	}
	opts := host.CheckOptions{Logger: logger}
	if path != "" {
		opts.Dir = filepath.Dir(path)
	}
	// Flags are relative to the working directory, as run reads them.
	if root != "" {
		if opts.Root, err = filepath.Abs(root); err != nil {
			return name, append(problems, host.ErrorProblem(err))
		}
	}
	if schema != "" {
		if cfg.SchemaDirectory, err = filepath.Abs(schema); err != nil {
			return name, append(problems, host.ErrorProblem(err))
		}
	}
	return name, append(problems, host.Check(cfg, opts).Problems...)
}
