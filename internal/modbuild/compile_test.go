package modbuild

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShellSplit(t *testing.T) {
	words, err := shellSplit(`-DA=\"x\" -I/a\ b  'c d'"e \"f\" \n"` + "\t-lm\n")
	require.NoError(t, err)
	assert.Equal(t, []string{`-DA="x"`, "-I/a b", `c de "f" \n`, "-lm"}, words)
	_, err = shellSplit(`-DA="x`)
	assert.EqualError(t, err, `unterminated "`)
}

func TestToolchain(t *testing.T) {
	t.Setenv("CC", "")
	t.Setenv("CXX", "ccache  g++-12")
	t.Setenv("IISHOST_CXX_STD", "")
	t.Setenv("IISHOST_MODULE_CFLAGS", " -fsanitize=address  -g ")
	tc := toolchainFromEnv()
	assert.Equal(t, []string{"gcc"}, tc.cc)
	assert.Equal(t, []string{"ccache", "g++-12"}, tc.cxx)
	assert.Equal(t, []string{"-fsanitize=address", "-g"}, tc.envFlags)

	assert.Equal(t, "-std=c11", tc.std(unit{}, &stagedUnit{throwSpecs: true}))
	assert.Equal(t, "-std=c++17", tc.std(unit{cxx: true}, &stagedUnit{}))
	assert.Equal(t, "-std=gnu++14", tc.std(unit{cxx: true}, &stagedUnit{throwSpecs: true}))
	tc.cxxStd = "gnu++20" // IISHOST_CXX_STD
	assert.Equal(t, "-std=gnu++20", tc.std(unit{cxx: true}, &stagedUnit{throwSpecs: true}))
	assert.Equal(t, "-std=c11", tc.std(unit{}, &stagedUnit{}))
}
