package model

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Scale is the number of fractional digits a Decimal keeps. Published
// amounts are in 万元 with up to 4 decimals (1 元) and occasionally more;
// eight digits reach 0.0001 元 and still leave room for 9×10^10 万元 in int64.
const Scale = 8

const scaleFactor int64 = 100_000_000

// Decimal is an exact fixed-point number: Units/10^Scale. Places records how
// many fractional digits the source wrote, which is the precision the figure
// is displayed at and the rounding tolerance used when reconciling it.
type Decimal struct {
	Units  int64
	Places int
}

// ErrSyntax and friends let callers explain in plain words what went wrong.
var (
	ErrEmpty     = errors.New("empty number")
	ErrSyntax    = errors.New("not a decimal number")
	ErrPrecision = errors.New("too many decimal places")
	ErrRange     = errors.New("number too large")
	ErrGrouping  = errors.New("misplaced thousands separator")
)

// ParseDecimal reads a plain decimal literal such as "3176.4889", "-12",
// "11,605.29". It never goes through float64, so every digit is kept.
func ParseDecimal(s string) (Decimal, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Decimal{}, ErrEmpty
	}
	neg := false
	switch s[0] {
	case '-':
		neg = true
		s = s[1:]
	case '+':
		s = s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" || (hasDot && frac == "") {
		return Decimal{}, ErrSyntax
	}
	if strings.Contains(intPart, ",") {
		groups := strings.Split(intPart, ",")
		if len(groups[0]) == 0 || len(groups[0]) > 3 {
			return Decimal{}, ErrGrouping
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return Decimal{}, ErrGrouping
			}
		}
		intPart = strings.Join(groups, "")
	}
	for _, part := range []string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return Decimal{}, ErrSyntax
			}
		}
	}
	if len(frac) > Scale {
		return Decimal{}, ErrPrecision
	}
	var units int64
	for i := 0; i < len(intPart); i++ {
		d := int64(intPart[i] - '0')
		if units > (math.MaxInt64/scaleFactor-d)/10 {
			return Decimal{}, ErrRange
		}
		units = units*10 + d
	}
	units *= scaleFactor
	var f int64
	for i := 0; i < Scale; i++ {
		f *= 10
		if i < len(frac) {
			f += int64(frac[i] - '0')
		}
	}
	units += f
	if neg {
		units = -units
	}
	return Decimal{Units: units, Places: len(frac)}, nil
}

// MustDecimal is for tests and constants.
func MustDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(fmt.Sprintf("MustDecimal(%q): %v", s, err))
	}
	return d
}

// String prints the value at its published precision (Places digits).
func (d Decimal) String() string { return d.Format(d.Places) }

// Format prints the value with exactly places fractional digits, rounding
// half away from zero when places is below the stored precision.
func (d Decimal) Format(places int) string {
	var buf [32]byte
	return string(d.AppendFormat(buf[:0], places))
}

// AppendFormat appends Format(places) to b, for writers of many figures
// (a spreadsheet of ten thousand reports) that should not allocate each.
func (d Decimal) AppendFormat(b []byte, places int) []byte {
	places = min(max(places, 0), Scale)
	u := d.Units
	neg := u < 0
	var abs uint64
	if neg {
		abs = uint64(-(u + 1)) + 1
	} else {
		abs = uint64(u)
	}
	div := uint64(1)
	for range Scale - places {
		div *= 10
	}
	q, r := abs/div, abs%div
	if div > 1 && r*2 >= div {
		q++
	}
	pow := uint64(1)
	for range places {
		pow *= 10
	}
	ip, fp := q/pow, q%pow
	if neg && q != 0 {
		b = append(b, '-')
	}
	b = strconv.AppendUint(b, ip, 10)
	if places > 0 {
		b = append(b, '.')
		var digits [20]byte
		f := strconv.AppendUint(digits[:0], fp, 10)
		for range places - len(f) {
			b = append(b, '0')
		}
		b = append(b, f...)
	}
	return b
}

// Grouped is String with thousands separators, for display.
func (d Decimal) Grouped() string {
	s := d.String()
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	ip, fp, hasDot := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range ip {
		if i > 0 && (len(ip)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasDot {
		return sign + b.String() + "." + fp
	}
	return sign + b.String()
}

func (d Decimal) IsZero() bool     { return d.Units == 0 }
func (d Decimal) IsNegative() bool { return d.Units < 0 }

// Add sums exactly; the result carries the finer of the two precisions.
// Amounts here are bounded far below overflow (see Scale), so the sum of a
// document's figures cannot wrap.
func (d Decimal) Add(o Decimal) Decimal {
	return Decimal{Units: d.Units + o.Units, Places: max(d.Places, o.Places)}
}

func (d Decimal) Sub(o Decimal) Decimal {
	return Decimal{Units: d.Units - o.Units, Places: max(d.Places, o.Places)}
}

func (d Decimal) Neg() Decimal { return Decimal{Units: -d.Units, Places: d.Places} }

func (d Decimal) Abs() Decimal {
	if d.Units < 0 {
		return d.Neg()
	}
	return d
}

func (d Decimal) Cmp(o Decimal) int {
	switch {
	case d.Units < o.Units:
		return -1
	case d.Units > o.Units:
		return 1
	}
	return 0
}

// HalfUnit is half of one unit in the last published place: the largest
// error rounding to that precision can introduce.
func (d Decimal) HalfUnit() Decimal {
	u := scaleFactor / 2
	for i := 0; i < d.Places; i++ {
		u /= 10
	}
	return Decimal{Units: u, Places: min(d.Places+1, Scale)}
}

// Ratio returns num/den as a percentage rounded half-up to places digits,
// computed with big integers so that no float rounding creeps in.
func Ratio(num, den Decimal, places int) (Decimal, bool) {
	if den.Units == 0 {
		return Decimal{}, false
	}
	n := new(big.Int).Mul(big.NewInt(num.Units), big.NewInt(100*scaleFactor))
	dd := big.NewInt(den.Units)
	neg := (n.Sign() < 0) != (dd.Sign() < 0)
	n.Abs(n)
	dd.Abs(dd)
	q, r := new(big.Int).QuoRem(n, dd, new(big.Int))
	if new(big.Int).Mul(r, big.NewInt(2)).Cmp(dd) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if !q.IsInt64() {
		return Decimal{}, false
	}
	res := Decimal{Units: q.Int64(), Places: Scale}
	if neg {
		res.Units = -res.Units
	}
	rounded, _ := ParseDecimal(res.Format(places))
	return rounded, true
}

// Sum adds a list of decimals.
func Sum(ds ...Decimal) Decimal {
	var s Decimal
	for _, d := range ds {
		s = s.Add(d)
	}
	return s
}
