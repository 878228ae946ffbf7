package model

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

var ErrDate = errors.New("not a date")

// ParseDate reads 2024-05-31, 2024-05, 2024 or 2024年5月31日.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	var parts []string
	if strings.Contains(s, "年") {
		r := strings.NewReplacer("年", "-", "月", "-", "日", "")
		parts = strings.Split(strings.TrimRight(r.Replace(s), "-"), "-")
	} else {
		parts = strings.Split(s, "-")
	}
	if len(parts) == 0 || len(parts) > 3 {
		return Date{}, ErrDate
	}
	var nums [3]int
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" || len(p) > 4 {
			return Date{}, ErrDate
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return Date{}, ErrDate
		}
		nums[i] = n
	}
	d := Date{Year: nums[0], Month: nums[1], Day: nums[2]}
	if d.Year < 1000 || (len(parts) > 1 && (d.Month < 1 || d.Month > 12)) {
		return Date{}, ErrDate
	}
	if len(parts) == 3 {
		t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
		if d.Day < 1 || t.Day() != d.Day {
			return Date{}, ErrDate
		}
	}
	return d, nil
}

// Before reports whether d is earlier than o, comparing only what both know.
func (d Date) Before(o Date) bool {
	if d.Year != o.Year {
		return d.Year < o.Year
	}
	if d.Month == 0 || o.Month == 0 || d.Month != o.Month {
		return d.Month != 0 && o.Month != 0 && d.Month < o.Month
	}
	return d.Day != 0 && o.Day != 0 && d.Day < o.Day
}

var comparators = []struct{ in, op string }{
	{"≥", "≥"}, {">=", "≥"}, {"≤", "≤"}, {"<=", "≤"},
	{"＝", "="}, {"=", "="}, {"＞", ">"}, {">", ">"}, {"＜", "<"}, {"<", "<"},
}

// ParseMeasure splits "≥90%", "=100人", "3633人次" into comparator, number
// and unit. Text that does not start with a number (after an optional
// comparator) is qualitative and only Text is set.
func ParseMeasure(s string) Measure {
	m := Measure{Text: s}
	rest := strings.TrimSpace(s)
	op := ""
	for _, c := range comparators {
		if strings.HasPrefix(rest, c.in) {
			op = c.op
			rest = strings.TrimSpace(rest[len(c.in):])
			break
		}
	}
	end := 0
	for end < len(rest) {
		c := rest[end]
		if (c >= '0' && c <= '9') || c == '.' || c == ',' || (end == 0 && c == '-') {
			end++
			continue
		}
		break
	}
	if end == 0 {
		return m
	}
	num := strings.TrimRight(rest[:end], ".,")
	d, err := ParseDecimal(num)
	if err != nil {
		return m
	}
	unit := strings.TrimSpace(rest[len(num):])
	if unit != "" && !utf8.ValidString(unit) {
		return m
	}
	m.Op, m.Value, m.Unit = op, &d, unit
	return m
}

// Qualitative reports whether the measure has no number.
func (m Measure) Qualitative() bool { return m.Value == nil }
