package host

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestURLSegments(t *testing.T) {
	for path, want := range map[string]int{"/": 0, "": 0, "/a": 1, "/a/": 1, "/a/b": 2, "//a///b/": 2, "a/b": 2} {
		assert.Equal(t, want, urlSegments(path), path)
	}
}
