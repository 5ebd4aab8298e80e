//go:build race || asan

package winetest

// Instrumented: this test binary is built with -race or -asan. The Wine subset runs once, in
// the plain pass; the instrumented passes would only repeat it slowly.
const Instrumented = true
