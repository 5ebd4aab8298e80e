//go:build race || asan

package winetest

// instrumented: this test binary is built with -race or -asan. The Wine subset runs once, in
// the plain pass; the instrumented passes would only repeat it slowly.
const instrumented = true
