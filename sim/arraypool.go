package sim

import (
	"math/bits"
	"unsafe"
)

// arrayPool keeps arrays the engine has let go, to be handed out again for
// arrays of about their size. The day's arrays of journeys (one per day the
// journeys are due) and of wake tokens (one per day of wakes, grown as
// tokens are filed) are made and let go by the thousand in a run — 32,000
// in the corridor at 1:1, 1.1 GB — and each new one is zeroed by the
// runtime on the goroutine that asks for it, in the day's sequential
// parts. With the pool, three requests in four are met by a kept array.
//
// Arrays are kept by capacity class, eight classes to each doubling
// (sizeClass), and a request gets an array of its class or of the two
// above it; at most poolBytes are kept in all, and an array let go when
// the pool is full goes to the garbage collector. An array handed out
// again is not cleared: the engine writes every element of these arrays up
// to their length before it reads one.
type arrayPool[T any] struct {
	free  [][][]T // by class
	bytes int64   // of the arrays kept
}

// poolBytes is the most an arrayPool keeps: a few days' arrays of the
// corridor, 0.4 bytes per agent at 10 million.
const poolBytes = 4 << 20

// minClass is the capacity of the smallest class: shorter arrays get
// this capacity.
const minClass = 16

// sizeClass returns the class of a request for n elements and the
// capacity of its arrays, the least of the classes' capacities that holds
// n: minClass, then eight evenly spaced capacities in each doubling above
// it (18, 20, …, 32, 36, 40, …, 64, 72, …), at most an eighth more than n.
func sizeClass(n int) (class, capacity int) {
	if n <= minClass {
		return 0, minClass
	}
	e := bits.Len(uint(n - 1)) // 2^(e−1) < n ≤ 2^e
	half := 1 << (e - 1)
	step := half / 8
	sub := (n - half + step - 1) / step // 1 … 8
	return (e-5)*8 + sub, half + sub*step
}

// classCapacity returns the capacity of the arrays of class k.
func classCapacity(k int) int {
	if k == 0 {
		return minClass
	}
	half := 1 << (4 + (k-1)/8)
	return half + ((k-1)%8+1)*(half/8)
}

// get returns an array of length n: a kept one of n's class or of the two
// above it (at most 1.6 times as large as n), its elements as they were
// left, or else a new one of capacity n — as large as an array made
// without the pool, so that the engine's memory at its peak, when the
// arrays are mostly too large for the pool, is about what it was.
func (p *arrayPool[T]) get(n int) []T {
	k, _ := sizeClass(n)
	for j := k; j < min(k+3, len(p.free)); j++ {
		if list := p.free[j]; len(list) > 0 {
			s := list[len(list)-1]
			list[len(list)-1] = nil
			p.free[j] = list[:len(list)-1]
			p.bytes -= int64(cap(s)) * elemSize[T]()
			return s[:n]
		}
	}
	return makeHuge[T](n, n)
}

// put keeps s's array for reuse, in the largest class its capacity holds,
// if the pool has room for it; the caller must not use s afterwards.
func (p *arrayPool[T]) put(s []T) {
	k, c := sizeClass(cap(s))
	if c > cap(s) {
		k-- // a capacity between two classes serves the smaller one
	}
	b := int64(cap(s)) * elemSize[T]()
	if k < 0 || p.bytes+b > poolBytes {
		return
	}
	for len(p.free) <= k {
		p.free = append(p.free, nil)
	}
	p.free[k] = append(p.free[k], s[:0])
	p.bytes += b
}

// elemSize returns the size of a T in bytes.
func elemSize[T any]() int64 {
	var zero T
	return int64(unsafe.Sizeof(zero))
}

// memory returns the bytes of the pool's arrays and of its lists.
func (p *arrayPool[T]) memory() int64 {
	n := p.bytes + bytesOf(p.free)
	for _, list := range p.free {
		n += bytesOf(list)
	}
	return n
}
