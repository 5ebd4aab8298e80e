//go:build !unix

package host

// writableDirectory cannot be asked without creating a file here; the server reports failed
// writes when it serves.
func writableDirectory(string) error { return nil }
