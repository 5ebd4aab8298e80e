//go:build !race && !asan

package winetest

// Instrumented: see instrumented.go.
const Instrumented = false
