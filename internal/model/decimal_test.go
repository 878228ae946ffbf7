package model

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in     string
		units  int64
		places int
		err    error
	}{
		{"3176.4889", 317648890000, 4, nil},
		{"3704.8", 370480000000, 1, nil},
		{"253", 25300000000, 0, nil},
		{"0.84", 84000000, 2, nil},
		{"-12.5", -1250000000, 1, nil},
		{"+7", 700000000, 0, nil},
		{"11,605.29", 1160529000000, 2, nil},
		{"1,000,000", 100000000000000, 0, nil},
		{"0.00000001", 1, 8, nil},
		{"  42  ", 4200000000, 0, nil},
		{"", 0, 0, ErrEmpty},
		{"12.3.4", 0, 0, ErrSyntax},
		{"1e3", 0, 0, ErrSyntax},
		{".5", 0, 0, ErrSyntax},
		{"5.", 0, 0, ErrSyntax},
		{"12a", 0, 0, ErrSyntax},
		{"0.000000001", 0, 0, ErrPrecision},
		{"11,60.29", 0, 0, ErrGrouping},
		{"1234,567", 0, 0, ErrGrouping},
		{"99999999999999999999", 0, 0, ErrRange},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := ParseDecimal(tt.in)
			if !errors.Is(err, tt.err) {
				t.Fatalf("ParseDecimal(%q) error = %v, want %v", tt.in, err, tt.err)
			}
			if err == nil && (d.Units != tt.units || d.Places != tt.places) {
				t.Fatalf("ParseDecimal(%q) = %+v, want units %d places %d", tt.in, d, tt.units, tt.places)
			}
		})
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		in     string
		places int
		want   string
	}{
		{"3176.4889", 2, "3176.49"},
		{"3176.4849", 2, "3176.48"},
		{"0.005", 2, "0.01"},
		{"-0.005", 2, "-0.01"},
		{"-0.004", 2, "0.00"},
		{"253", 2, "253.00"},
		{"1.5", 0, "2"},
		{"12.345", 8, "12.34500000"},
	}
	for _, tt := range tests {
		if got := MustDecimal(tt.in).Format(tt.places); got != tt.want {
			t.Errorf("Format(%s, %d) = %s, want %s", tt.in, tt.places, got, tt.want)
		}
	}
	if got := MustDecimal("11605.29").Grouped(); got != "11,605.29" {
		t.Errorf("Grouped = %s", got)
	}
	if got := MustDecimal("-1234567").Grouped(); got != "-1,234,567" {
		t.Errorf("Grouped = %s", got)
	}
}

// Property: printing at the parsed precision gives back the canonical
// literal, and parsing that again gives the same value, for random values
// across the whole range the model supports.
func TestDecimalRoundTripProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		places := r.IntN(Scale + 1)
		ip := r.Int64N(1_000_000_000)
		frac := ""
		if places > 0 {
			frac = "." + strings.Repeat("0", places)
			f := strconv.FormatInt(r.Int64N(pow10(places)), 10)
			frac = frac[:len(frac)-len(f)] + f
		}
		sign := ""
		if r.IntN(4) == 0 {
			sign = "-"
		}
		lit := sign + strconv.FormatInt(ip, 10) + frac
		d, err := ParseDecimal(lit)
		if err != nil {
			t.Fatalf("ParseDecimal(%q): %v", lit, err)
		}
		out := d.String()
		want := lit
		if d.Units == 0 {
			want = strings.TrimPrefix(lit, "-")
		}
		if out != want {
			t.Fatalf("round trip %q -> %q", lit, out)
		}
		back, err := ParseDecimal(out)
		if err != nil || back != d {
			t.Fatalf("reparse %q = %+v, %v; want %+v", out, back, err, d)
		}
	}
}

// Property: addition is exact — a+b-b == a and sums are associative, which
// float64 cannot promise for amounts like 0.1 + 0.2.
func TestDecimalArithmeticProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 20000; i++ {
		a := Decimal{Units: r.Int64N(1 << 50), Places: r.IntN(Scale + 1)}
		b := Decimal{Units: r.Int64N(1 << 50), Places: r.IntN(Scale + 1)}
		c := Decimal{Units: r.Int64N(1 << 50), Places: r.IntN(Scale + 1)}
		if a.Add(b).Sub(b).Units != a.Units {
			t.Fatalf("a+b-b != a for %v %v", a, b)
		}
		if a.Add(b).Add(c).Units != a.Add(b.Add(c)).Units {
			t.Fatalf("not associative: %v %v %v", a, b, c)
		}
	}
	if got := Sum(MustDecimal("0.1"), MustDecimal("0.2")); got.Cmp(MustDecimal("0.3")) != 0 {
		t.Fatalf("0.1+0.2 = %s", got)
	}
}

func pow10(n int) int64 {
	p := int64(1)
	for i := 0; i < n; i++ {
		p *= 10
	}
	return p
}

func TestRatio(t *testing.T) {
	tests := []struct {
		num, den string
		places   int
		want     string
	}{
		{"4076.11", "4813.07", 2, "84.69"},
		{"21680.25", "11605.29", 2, "186.81"},
		{"1", "3", 4, "33.3333"},
		{"2", "3", 0, "67"},
		{"0", "5", 2, "0.00"},
	}
	for _, tt := range tests {
		got, ok := Ratio(MustDecimal(tt.num), MustDecimal(tt.den), tt.places)
		if !ok || got.Format(tt.places) != tt.want {
			t.Errorf("Ratio(%s, %s) = %s %v, want %s", tt.num, tt.den, got.Format(tt.places), ok, tt.want)
		}
	}
	if _, ok := Ratio(MustDecimal("1"), Decimal{}, 2); ok {
		t.Error("Ratio by zero should fail")
	}
}

func TestHalfUnit(t *testing.T) {
	for in, want := range map[string]string{"4702.42": "0.005", "1595.3": "0.05", "253": "0.5"} {
		if got := MustDecimal(in).HalfUnit(); got.Cmp(MustDecimal(want)) != 0 {
			t.Errorf("HalfUnit(%s) = %s, want %s", in, got, want)
		}
	}
}

func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"3176.4889", "11,605.29", "-0.5", "1e3", "", "0.00000001", "９", "1,2,3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDecimal(s)
		if err != nil {
			return
		}
		out := d.String()
		back, err := ParseDecimal(out)
		if err != nil {
			t.Fatalf("String() of %q gave unparsable %q: %v", s, out, err)
		}
		if back.Units != d.Units {
			t.Fatalf("%q -> %q -> %d, want %d", s, out, back.Units, d.Units)
		}
	})
}
