package gen

import (
	"strconv"
	"strings"
)

// money is an amount in units of 0.0001 万元 (one 元), the finest precision
// the reports publish. Every figure is built from these integers and
// printed by format, never through float64, so that parts add up to their
// totals exactly and no 0.30000000000000004 can appear.
type money int64

const (
	wan   money = 10000 // 1 万元
	cents money = 100   // 0.01 万元, the unit of two-decimal reports
)

// unitFor is the smallest step of a figure published with places decimals.
func unitFor(places int) money {
	if places >= 4 {
		return 1
	}
	return cents
}

// format prints m in 万元 with places decimals; trim drops trailing zeros
// ("3704.8", "253") the way most documents print their figures.
func (m money) format(places int, trim bool) string {
	neg := m < 0
	if neg {
		m = -m
	}
	s := strconv.FormatInt(int64(m/wan), 10)
	frac := strconv.FormatInt(int64(m%wan)+int64(wan), 10)[1:] // four digits
	frac = frac[:places]
	if trim {
		frac = strings.TrimRight(frac, "0")
	}
	if frac != "" {
		s += "." + frac
	}
	if neg {
		s = "-" + s
	}
	return s
}

// roundTo rounds m to a multiple of unit, half up.
func roundTo(m, unit money) money {
	if unit <= 1 {
		return m
	}
	if m < 0 {
		return -roundTo(-m, unit)
	}
	return (m + unit/2) / unit * unit
}

// pct returns m × p / 10000 (p in basis points) rounded to unit.
func pct(m money, p int, unit money) money {
	return roundTo(money(int64(m)*int64(p)/10000), unit)
}

// split divides total (a multiple of unit) into k positive parts that are
// multiples of unit and add up to total exactly. Squared weights make one
// or two parts dominate, as in real breakdowns, while no part is under a
// hundredth of the largest. Fewer parts come back when total is too small
// to give each one unit.
func split(r *rng, total money, k int, unit money) []money {
	w := make([]int64, k)
	for i := range w {
		x := int64(r.between(10, 100))
		w[i] = x * x
	}
	return allot(total, w, unit)
}

// allot divides total in proportion to the weights, exactly as split does.
func allot(total money, w []int64, unit money) []money {
	n := int64(total / unit)
	if n <= 0 || len(w) == 0 {
		return nil
	}
	if int64(len(w)) > n {
		w = w[:n]
	}
	var sum int64
	for _, x := range w {
		sum += x
	}
	parts := make([]money, len(w))
	rest := n - int64(len(w)) // every part gets one unit first
	given := int64(0)
	biggest := 0
	for i := range w {
		share := rest * w[i] / sum
		parts[i] = money(1+share) * unit
		given += share
		if w[i] > w[biggest] {
			biggest = i
		}
	}
	parts[biggest] += money(rest-given) * unit
	return parts
}

// rate is spent ÷ budget in hundredths of a percent, rounded half up.
func rate(spent, budget money) int64 {
	if budget <= 0 {
		return 0
	}
	return (int64(spent)*20000 + int64(budget)) / (2 * int64(budget))
}

// formatRate prints a rate in hundredths of a percent as documents do:
// "84.69%", and "100%" for a full execution.
func formatRate(bp int64) string {
	if bp%100 == 0 {
		return strconv.FormatInt(bp/100, 10) + "%"
	}
	return strconv.FormatInt(bp/100, 10) + "." + strconv.FormatInt(bp%100+100, 10)[1:] + "%"
}

// score is a score or weight in hundredths of a point.
type score int64

func (s score) String() string {
	whole := strconv.FormatInt(int64(s)/100, 10)
	frac := strings.TrimRight(strconv.FormatInt(int64(s)%100+100, 10)[1:], "0")
	if frac == "" {
		return whole
	}
	return whole + "." + frac
}
