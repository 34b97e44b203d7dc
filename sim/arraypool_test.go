package sim

import "testing"

// TestSizeClass: the class of a request holds it with at most an eighth to
// spare (above minClass), classes are numbered in the order of their
// capacities with none skipped, and classCapacity gives back each class's
// capacity; checked at every n up to 70,000 and around every power of two
// up to 2^40, against capacities worked out by hand for a few.
func TestSizeClass(t *testing.T) {
	for _, c := range []struct{ n, class, capacity int }{
		{0, 0, 16}, {1, 0, 16}, {16, 0, 16}, {17, 1, 18}, {18, 1, 18}, {19, 2, 20},
		{32, 8, 32}, {33, 9, 36}, {64, 16, 64}, {65, 17, 72}, {1000, 48, 1024}, {1025, 49, 1152},
	} {
		if k, capacity := sizeClass(c.n); k != c.class || capacity != c.capacity {
			t.Errorf("sizeClass(%d) = %d, %d; want %d, %d", c.n, k, capacity, c.class, c.capacity)
		}
	}
	check := func(n int, prev *int) {
		k, c := sizeClass(n)
		if c < n || (n > minClass && 8*c > 9*n) {
			t.Fatalf("sizeClass(%d): capacity %d", n, c)
		}
		if classCapacity(k) != c {
			t.Fatalf("sizeClass(%d) = %d, %d; classCapacity(%d) = %d", n, k, c, k, classCapacity(k))
		}
		if k > 0 && classCapacity(k-1) >= n {
			t.Fatalf("sizeClass(%d) = %d, %d: class %d (capacity %d) holds it", n, k, c, k-1, classCapacity(k-1))
		}
		if prev != nil {
			if k != *prev && k != *prev+1 {
				t.Fatalf("sizeClass(%d) = %d after %d for %d", n, k, *prev, n-1)
			}
			*prev = k
		}
	}
	prev := 0
	for n := 1; n <= 70000; n++ {
		check(n, &prev)
	}
	for e := 5; e <= 40; e++ {
		for d := -2; d <= 2; d++ {
			check(1<<e+d, nil)
		}
	}
}

// TestArrayPool: a new array has the capacity asked for; an array let go
// is kept in the largest class its capacity holds and handed out again,
// as it was left, for a request of that class or of the two below, and
// not of another; the pool keeps at most poolBytes.
func TestArrayPool(t *testing.T) {
	var p arrayPool[int64]
	a := p.get(100)
	if len(a) != 100 || cap(a) != 100 {
		t.Fatalf("get(100): length %d, capacity %d; want 100, 100", len(a), cap(a))
	}
	a[0] = 42
	// Capacity 100 lies between the classes of 96 (64 + 4 × 8) and 104:
	// it serves requests of 89 … 96.
	p.put(a)
	if p.bytes != 100*8 {
		t.Errorf("pool holds %d bytes, want %d", p.bytes, 100*8)
	}
	if b := p.get(97); &b[0] == &a[0] {
		t.Error("get(97) was given the array of capacity 100, kept for requests of 89 … 96")
	}
	// Requests of two classes below are served too: 73 … 80 and 81 … 88.
	if b := p.get(72); &b[0] == &a[0] {
		t.Error("get(72) was given the array of capacity 100, kept for requests of 73 … 96")
	}
	b := p.get(73)
	if &b[0] != &a[0] || len(b) != 73 || cap(b) != 100 || b[0] != 42 {
		t.Errorf("get(73) did not get the kept array back as it was left: length %d, capacity %d, b[0] %d", len(b), cap(b), b[0])
	}
	if p.bytes != 0 {
		t.Errorf("pool holds %d bytes after handing its array out", p.bytes)
	}
	// A class's own capacity serves its whole class.
	c := p.get(104)
	p.put(c)
	if d := p.get(97); &d[0] != &c[0] {
		t.Error("get(97) was not given the array of capacity 104")
	}
	// Too small for any class: not kept.
	p.put(make([]int64, 0, 10))
	if p.bytes != 0 {
		t.Errorf("an array of 10 was kept")
	}
	// Full: the array that would pass poolBytes is let go.
	big := poolBytes / 8 / 2
	p.put(make([]int64, 0, big))
	p.put(make([]int64, 0, big))
	p.put(make([]int64, 0, big))
	if want := int64(2 * big * 8); p.bytes != want {
		t.Errorf("pool holds %d bytes, want %d (at most %d)", p.bytes, want, poolBytes)
	}
}
