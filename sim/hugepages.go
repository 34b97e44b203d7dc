package sim

// makeHuge returns make([]T, n, c) with its array advised for transparent
// huge pages (adviseHuge): for the engine's arrays that grow with the
// number of agents, made before they are first written.
func makeHuge[T any](n, c int) []T {
	s := make([]T, n, c)
	adviseHuge(s)
	return s
}
