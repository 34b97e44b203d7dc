//go:build !unix

package main

import "time"

// cpuTime returns 0 where getrusage does not exist: bench then reports no
// CPU time.
func cpuTime() time.Duration { return 0 }
