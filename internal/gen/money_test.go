package gen

import (
	"strings"
	"testing"

	"disclose/internal/model"
)

func TestMoneyFormat(t *testing.T) {
	tests := []struct {
		m      money
		places int
		trim   bool
		want   string
	}{
		{37048000, 2, true, "3704.8"},
		{37048000, 2, false, "3704.80"},
		{2530000, 2, true, "253"},
		{2530000, 2, false, "253.00"},
		{31764889, 4, true, "3176.4889"},
		{30000, 4, true, "3"},
		{3000, 2, true, "0.3"},
		{1, 4, false, "0.0001"},
		{0, 2, true, "0"},
		{-8555200, 2, true, "-855.52"},
	}
	for _, tt := range tests {
		if got := tt.m.format(tt.places, tt.trim); got != tt.want {
			t.Errorf("money(%d).format(%d, %v) = %q, want %q", tt.m, tt.places, tt.trim, got, tt.want)
		}
	}
}

func TestRateAndScore(t *testing.T) {
	tests := []struct {
		spent, budget money
		want          string
	}{
		{43084900, 48130700, "89.52%"}, // 4308.49 ÷ 4813.07, the README example
		{100, 100, "100%"},
		{99995, 100000, "100%"}, // 99.995% rounds half up
		{1, 3, "33.33%"},
		{2, 3, "66.67%"},
	}
	for _, tt := range tests {
		if got := formatRate(rate(tt.spent, tt.budget)); got != tt.want {
			t.Errorf("rate(%d, %d) = %s, want %s", tt.spent, tt.budget, got, tt.want)
		}
	}
	for s, want := range map[score]string{9735: "97.35", 4500: "45", 2950: "29.5", 5: "0.05"} {
		if got := s.String(); got != want {
			t.Errorf("score(%d) = %s, want %s", int64(s), got, want)
		}
	}
}

// Property: split always adds up exactly, gives positive multiples of the
// unit, and formatting the parts and parsing them back as the loader does
// gives the same exact sum: no float64 anywhere.
func TestSplitExact(t *testing.T) {
	r := newRNG(7, 7)
	for i := 0; i < 2000; i++ {
		places := []int{2, 4}[i%2]
		unit := unitFor(places)
		total := money(r.between64(1, 5_000_000)) * unit
		parts := split(r, total, r.between(1, 9), unit)
		var sum money
		parsed := model.Decimal{}
		for _, p := range parts {
			if p <= 0 || p%unit != 0 {
				t.Fatalf("part %d of %d is not a positive multiple of %d", p, total, unit)
			}
			sum += p
			d, err := model.ParseDecimal(p.format(places, true))
			if err != nil {
				t.Fatal(err)
			}
			parsed = parsed.Add(d)
		}
		if sum != total {
			t.Fatalf("parts %v add up to %d, not %d", parts, sum, total)
		}
		if want := model.MustDecimal(total.format(places, false)); parsed.Cmp(want) != 0 {
			t.Fatalf("parsed parts add up to %s, not %s", parsed, want)
		}
	}
	if got := split(r, 3*cents, 5, cents); len(got) != 3 {
		t.Errorf("0.03 万元 in cents gives %d parts, want 3", len(got))
	}
}

// The same seed and stream give the same draws; another stream does not.
func TestRNGStreams(t *testing.T) {
	draw := func(seed int64, stream uint64) string {
		r := newRNG(seed, stream)
		var b strings.Builder
		for range 20 {
			b.WriteByte(byte('a' + r.intn(26)))
		}
		return b.String()
	}
	first, again := draw(1, 5), draw(1, 5)
	if first != again {
		t.Fatal("same seed and stream differ")
	}
	if first == draw(1, 6) || first == draw(2, 5) {
		t.Fatal("different streams or seeds agree")
	}
	r := newRNG(3, 0)
	seen := map[int]bool{}
	for range 1000 {
		x := r.between(-2, 2)
		if x < -2 || x > 2 {
			t.Fatalf("between(-2, 2) = %d", x)
		}
		seen[x] = true
	}
	if len(seen) != 5 {
		t.Errorf("between(-2, 2) drew only %v", seen)
	}
}

func TestPlainSafe(t *testing.T) {
	tests := []struct {
		s    string
		safe bool
	}{
		{"岳阳市云溪区民政局", true},
		{"“三公”经费控制", true},
		{"2023年度报告", false}, // a leading digit could read as a number
		{"50万元以上项目", false},
		{"≥90%", true},
		{">90%", false},
		{"目标: 一", false},
		{"null", false},
		{"", false},
		{" 前导空格", false},
		{"含\"引号", false},
	}
	for _, tt := range tests {
		if got := plainSafe(tt.s); got != tt.safe {
			t.Errorf("plainSafe(%q) = %v, want %v", tt.s, got, tt.safe)
		}
	}
	if got := quote(`a"b\c`); got != `"a\"b\\c"` {
		t.Errorf("quote = %s", got)
	}
}

// Every kind's templates expand completely: no {placeholder} survives.
func TestTemplatesExpand(t *testing.T) {
	if len(kinds) < 10 {
		t.Fatalf("only %d department kinds", len(kinds))
	}
	r := newRNG(1, 1)
	for _, k := range kinds {
		d := &dept{kind: k, level: levelCounty, prov: &provinces[0], city: provinces[0].cities[0]}
		d.county, _ = countyOf(0, 1)
		rp := &report{d: d, r: r, year: 2023}
		var texts []string
		for _, tp := range append(append([]topic{}, k.topics...), common.topics...) {
			texts = append(texts, tp.lines...)
		}
		for _, p := range k.projects {
			texts = append(texts, p.effect)
			texts = append(texts, p.outputs...)
		}
		texts = append(texts, k.heads...)
		texts = append(texts, k.targets...)
		texts = append(texts, common.process...)
		texts = append(texts, common.results...)
		for _, tp := range append(append([]topic{}, common.problems...), common.measures...) {
			texts = append(texts, tp.lines...)
		}
		for _, s := range texts {
			if got := rp.expand(s); strings.ContainsAny(got, "{}") {
				t.Errorf("%s: %q expands to %q", k.slug, s, got)
			}
		}
	}
}
