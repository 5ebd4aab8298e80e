//go:build !unix

package winetest

import (
	"errors"
	"os"
)

var errNoFlock = errors.New("the Wine harness runs on Unix hosts only")

func lockFile(string, bool) (*os.File, error) { return nil, errNoFlock }

func tryExclusive(*os.File) bool { return false }
