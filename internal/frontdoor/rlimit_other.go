//go:build !unix

package frontdoor

// defaultMaxConnections: without a descriptor limit to read, a cap a single process serves well.
func defaultMaxConnections() int { return 16384 }
