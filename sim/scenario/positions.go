package scenario

// positions maps a key path ("edge[3].capacity", "border.us.apprehension")
// to the line in the source file where the key is written.
type positions map[string]int
