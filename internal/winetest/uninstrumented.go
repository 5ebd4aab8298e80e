//go:build !race && !asan

package winetest

// instrumented: see instrumented.go.
const instrumented = false
