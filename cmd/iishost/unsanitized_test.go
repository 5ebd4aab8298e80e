//go:build !asan

package main

// sanitized: see sanitized_test.go.
const sanitized = false
