//go:build !linux

package sim

// adviseHuge does nothing outside Linux (see hugepages_linux.go).
func adviseHuge[T any](s []T) {}
