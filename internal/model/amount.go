package model

import (
	"errors"
	"strings"
)

// Unit is the money unit a literal was written in. Everything is stored in
// 万元, the unit the disclosure documents use.
type Unit string

const (
	UnitWan  Unit = "万元"
	UnitYuan Unit = "元"
	UnitYi   Unit = "亿元"
)

var ErrUnit = errors.New("unknown money unit")

// ParseMoney reads "3176.4889", "3176.4889万元", "55.02元" or "1.2亿元" and
// returns the value in 万元 together with the unit as written.
func ParseMoney(s string) (Decimal, Unit, error) {
	s = strings.TrimSpace(s)
	unit := UnitWan
	for _, u := range []Unit{UnitYi, UnitWan, UnitYuan} {
		if strings.HasSuffix(s, string(u)) {
			unit = u
			s = strings.TrimSpace(strings.TrimSuffix(s, string(u)))
			break
		}
	}
	d, err := ParseDecimal(s)
	if err != nil {
		return Decimal{}, unit, err
	}
	switch unit {
	case UnitYuan:
		// 1 元 = 0.0001 万元: shift four places; digits beyond Scale are lost,
		// so refuse them instead of rounding silently.
		if d.Units%10000 != 0 {
			return Decimal{}, unit, ErrPrecision
		}
		d.Units /= 10000
		d.Places += 4
		if d.Places > Scale {
			d.Places = Scale
		}
	case UnitYi:
		const limit = 1 << 62 / 10000
		if d.Units > limit || d.Units < -limit {
			return Decimal{}, unit, ErrRange
		}
		d.Units *= 10000
		d.Places = max(d.Places-4, 0)
	}
	return d, unit, nil
}

// Amount is a money figure in 万元 as a document publishes it. When the
// document is plainly wrong (元 written for 万元, a typo), Erratum holds the
// published text and the reason, and Value is the corrected figure; readers
// are shown both.
type Amount struct {
	Value     Decimal
	Published string // literal as written in the source document
	Unit      Unit   // unit the literal was written in
	Erratum   *Erratum
	Pos       Pos
}

// Erratum documents a correction of a plainly wrong published figure or text.
type Erratum struct {
	Published string `yaml:"published" req:"true" doc:"原文所写（一字不改）"`
	Corrected string `yaml:"corrected" req:"true" doc:"更正为"`
	Reason    string `yaml:"reason" req:"true" doc:"判定原文有误的理由（读者可见）"`
	Location  string `yaml:"location" doc:"在原文中的位置，如 章节或段落"`
	Pos       Pos    `yaml:"-"`
}

// PublishedValue is the figure exactly as the document printed it, converted
// to 万元 (so "55.02元" gives 0.005502).
func (a Amount) PublishedValue() (Decimal, bool) {
	d, _, err := ParseMoney(a.Published)
	return d, err == nil
}

// Percent is a stated percentage such as an execution rate, "84.69%".
type Percent struct {
	Value Decimal // 84.69 for 84.69%
	Pos   Pos
}

// ParsePercent accepts "84.69%", "84.69" or "100％".
func ParsePercent(s string) (Decimal, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "%"), "％")
	return ParseDecimal(s)
}

func (Unit) Values() []string { return []string{"万元", "元", "亿元"} }
