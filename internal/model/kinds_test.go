package model

import (
	"strings"
	"testing"
)

func TestParseDelta(t *testing.T) {
	for _, c := range []struct {
		in      string
		value   string
		percent bool
		unit    Unit
		bad     bool
	}{
		{in: "下降42.13%", value: "-42.13", percent: true},
		{in: "增长8.81%", value: "8.81", percent: true},
		{in: "减少18,987.42元", value: "-1.898742", unit: UnitYuan},
		{in: "增加53.81万元", value: "53.81", unit: UnitWan},
		{in: "减少63.96", value: "-63.96"},
		{in: "+12.5", value: "12.5"},
		{in: "-3.2%", value: "-3.2", percent: true},
		{in: "下降 47 %", value: "-47", percent: true},
		{in: "增长1,055.4%", value: "1055.4", percent: true},
		{in: "提高2.5个百分点", value: "2.5", percent: true},
		{in: "持平", value: "0"},
		{in: "增加了0.05万元", value: "0.05", unit: UnitWan},
		{in: "少了不少", bad: true},
		{in: "下降-5%", bad: true},
		{in: "", bad: true},
	} {
		d, err := ParseDelta(c.in)
		if c.bad {
			if err == nil {
				t.Errorf("%q: want an error, got %+v", c.in, d)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if d.Value.Cmp(MustDecimal(c.value)) != 0 || d.Percent != c.percent || d.Unit != c.unit || d.Text != c.in {
			t.Errorf("%q: got %s percent=%v unit=%q, want %s %v %q", c.in, d.Value, d.Percent, d.Unit, c.value, c.percent, c.unit)
		}
	}
}

// FuzzParseDelta: any text either parses into a change whose text is the
// input and whose sign follows the direction word, or is refused; never a
// panic.
func FuzzParseDelta(f *testing.F) {
	for _, s := range []string{"下降42.13%", "减少18,987.42元", "增加3.5万元", "持平", "+1", "降低2个百分点", "增长%", "减少元"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDelta(s)
		if err != nil {
			return
		}
		if d.Text != s {
			t.Fatalf("text %q, want %q", d.Text, s)
		}
		rest := strings.TrimSpace(s)
		for _, w := range deltaDown {
			if strings.HasPrefix(rest, w) && d.Value.Units > 0 {
				t.Fatalf("%q: a fall parsed as %s", s, d.Value)
			}
		}
	})
}
