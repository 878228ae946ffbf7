package gen

import (
	"math/bits"
	"math/rand/v2"
)

// rng draws only PCG's raw 64-bit output and derives everything else here.
// math/rand/v2 fixes the PCG algorithm, but not how Rand turns its output
// into IntN, Perm or Float64; doing that ourselves is what makes the same
// seed give the same bytes on every Go version.
type rng struct{ src *rand.PCG }

// newRNG gives every stream (the plan, each department) its own sequence,
// so that departments can be generated in any order, in parallel, and still
// come out the same.
func newRNG(seed int64, stream uint64) *rng {
	return &rng{src: rand.NewPCG(uint64(seed), splitmix(stream))}
}

// splitmix scrambles a small stream number into a well-mixed PCG seed half;
// neighbouring streams with nearly equal seeds would start out correlated.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// intn returns a uniform int in [0, n) by Lemire's multiply-and-reject,
// which has no modulo bias.
func (r *rng) intn(n int) int {
	if n <= 1 {
		return 0
	}
	un := uint64(n)
	hi, lo := bits.Mul64(r.src.Uint64(), un)
	if lo < un {
		thresh := -un % un
		for lo < thresh {
			hi, lo = bits.Mul64(r.src.Uint64(), un)
		}
	}
	return int(hi)
}

// between returns a uniform int in [lo, hi].
func (r *rng) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.intn(hi-lo+1)
}

// between64 is between for amounts, which may exceed int on 32-bit builds.
func (r *rng) between64(lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	span := uint64(hi - lo + 1)
	hiBits, loBits := bits.Mul64(r.src.Uint64(), span)
	if loBits < span {
		thresh := -span % span
		for loBits < thresh {
			hiBits, loBits = bits.Mul64(r.src.Uint64(), span)
		}
	}
	return lo + int64(hiBits)
}

// chance is true with probability pct/100.
func (r *rng) chance(pct int) bool { return r.intn(100) < pct }

func pick[T any](r *rng, xs []T) T { return xs[r.intn(len(xs))] }

// choose returns k distinct indices of [0, n) in increasing order, so that
// picked items keep the order the data lists them in.
func (r *rng) choose(n, k int) []int {
	if k > n {
		k = n
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	for i := 0; i < k; i++ {
		j := i + r.intn(n-i)
		idx[i], idx[j] = idx[j], idx[i]
	}
	out := idx[:k]
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// subset picks k items of xs, in their listed order.
func subset[T any](r *rng, xs []T, k int) []T {
	var out []T
	for _, i := range r.choose(len(xs), k) {
		out = append(out, xs[i])
	}
	return out
}
