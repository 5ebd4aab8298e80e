package modbuild

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// unit is one translation unit: a source in the porter's tree and how to compile it.
type unit struct {
	src         string
	cxx         bool
	defines     []string
	includeDirs []string // absolute; searched as /I directories are
}

// Build compiles a module from o.Inputs and links it into o.Out.
func Build(o Options) error {
	log := newLogger(o.Log)
	names := newCaseless()
	p, err := plan(o, names, log.warn)
	if err != nil {
		return err
	}
	if o.Out == "" {
		o.Out = p.name + ".so"
	}
	var exports []export
	if p.def != "" {
		if exports, err = readDef(p.def, log.warn); err != nil {
			return err
		}
	}
	tc := toolchainFromEnv()
	if err := tc.addPackages(o.Packages); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "iishost-build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	st := &stager{names: names, include: filepath.Join(o.Root, "include"), warn: log.warn}

	objs := make([]string, len(p.units))
	errs := make([]error, len(p.units))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.NumCPU())
	for i, u := range p.units {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			objs[i], errs[i] = tc.compile(st, filepath.Join(tmp, strconv.Itoa(i)), u, p.def != "", o, log)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return tc.link(p, objs, exports, tmp, o, log)
}

// plan reads the inputs: one project, or sources and folders of sources.
func plan(o Options, names *caseless, warn func(Warning)) (*project, error) {
	if len(o.Inputs) == 0 {
		return nil, errors.New("nothing to build: name sources, a folder of sources or a .vcxproj")
	}
	var p *project
	var err error
	for _, in := range o.Inputs {
		if strings.EqualFold(filepath.Ext(in), ".vcxproj") && len(o.Inputs) > 1 {
			return nil, fmt.Errorf("project %s is built alone: name no other input beside it", in)
		}
	}
	if in := o.Inputs[0]; strings.EqualFold(filepath.Ext(in), ".vcxproj") {
		config := o.Config
		if config == "" {
			config = DefaultConfig
		}
		if p, err = loadProject(in, config, names, warn); err != nil {
			return nil, err
		}
	} else {
		if o.Config != "" {
			return nil, fmt.Errorf("configuration %q chooses what a .vcxproj builds, and no input is one", o.Config)
		}
		if p, err = sourcesPlan(o.Inputs); err != nil {
			return nil, err
		}
	}
	if o.Def != "" {
		if p.def, err = filepath.Abs(o.Def); err != nil {
			return nil, err
		}
	}
	var dirs []string
	for _, d := range o.IncludeDirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			return nil, err
		}
		if info, err := os.Stat(abs); err != nil || !info.IsDir() {
			return nil, fmt.Errorf("include directory %s: no such folder", d)
		}
		dirs = append(dirs, abs)
	}
	for i := range p.units {
		p.units[i].defines = append(p.units[i].defines, o.Defines...)
		p.units[i].includeDirs = append(p.units[i].includeDirs, dirs...)
	}
	return p, nil
}

// sourcesPlan takes sources, and every C/C++ source directly inside each folder named.
func sourcesPlan(inputs []string) (*project, error) {
	p := &project{}
	for _, in := range inputs {
		abs, err := filepath.Abs(in)
		if err != nil {
			return nil, err
		}
		info, err := os.Stat(abs)
		if err != nil {
			return nil, fmt.Errorf("source %s: no such file or folder", in)
		}
		if p.name == "" {
			p.name = strings.TrimSuffix(filepath.Base(abs), filepath.Ext(abs))
		}
		if !info.IsDir() {
			cxx, err := isCxx(abs)
			if err != nil {
				return nil, fmt.Errorf("source %s: %v", in, err)
			}
			p.units = append(p.units, unit{src: abs, cxx: cxx})
			continue
		}
		entries, err := os.ReadDir(abs)
		if err != nil {
			return nil, err
		}
		var found []string
		for _, e := range entries {
			if _, err := isCxx(e.Name()); err == nil && !e.IsDir() {
				found = append(found, e.Name())
			}
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("folder %s holds no .c, .cpp, .cc or .cxx source", in)
		}
		sort.Strings(found)
		for _, f := range found {
			cxx, _ := isCxx(f)
			p.units = append(p.units, unit{src: filepath.Join(abs, f), cxx: cxx})
		}
	}
	return p, nil
}

// isCxx tells C++ sources from C ones by extension, in any letter case as on Windows.
func isCxx(path string) (bool, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".c":
		return false, nil
	case ".cpp", ".cc", ".cxx":
		return true, nil
	}
	return false, errors.New("unknown source extension (expected .c, .cpp, .cc or .cxx)")
}
