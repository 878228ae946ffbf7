package model

import (
	"errors"
	"testing"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in   string
		want string // in 万元, full precision
		unit Unit
		err  error
	}{
		{"3176.4889", "3176.4889", UnitWan, nil},
		{"3176.4889万元", "3176.4889", UnitWan, nil},
		{"55.02元", "0.005502", UnitYuan, nil},
		{"3229.37 元", "0.322937", UnitYuan, nil},
		{"1.2亿元", "12000", UnitYi, nil},
		{"0.0001元", "0.00000001", UnitYuan, nil},
		{"0.00001元", "", UnitYuan, ErrPrecision},
		{"12.3.4", "", UnitWan, ErrSyntax},
		{"万元", "", UnitWan, ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, u, err := ParseMoney(tt.in)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if u != tt.unit || d.Cmp(MustDecimal(tt.want)) != 0 {
				t.Fatalf("ParseMoney(%q) = %s %s, want %s %s", tt.in, d.Format(8), u, tt.want, tt.unit)
			}
		})
	}
}

// Property: a figure written in 元 equals the same figure in 万元 divided by
// 10000, exactly, whenever it is representable.
func TestMoneyUnitsProperty(t *testing.T) {
	for _, s := range []string{"0", "1", "55.02", "3229.37", "123456789.1234", "0.5"} {
		yuan, _, err := ParseMoney(s + "元")
		if err != nil {
			t.Fatal(err)
		}
		wan, _, _ := ParseMoney(s)
		if yuan.Units*10000 != wan.Units {
			t.Errorf("%s元 = %d units, %s万元 = %d units", s, yuan.Units, s, wan.Units)
		}
		yi, _, err := ParseMoney(s + "亿元")
		if errors.Is(err, ErrRange) {
			if wan.Units <= (1<<62)/10000 {
				t.Errorf("%s亿元 refused as out of range", s)
			}
			continue
		}
		if yi.Units != wan.Units*10000 {
			t.Errorf("%s亿元 = %d units, want %d", s, yi.Units, wan.Units*10000)
		}
	}
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"55.02元", "1.2亿元", "3176.4889万元", "-3", "元元"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, _, err := ParseMoney(s)
		if err != nil {
			return
		}
		// Whatever parses must print and parse back to the same value in 万元.
		back, _, err := ParseMoney(d.Format(Scale))
		if err != nil || back.Units != d.Units {
			t.Fatalf("%q -> %s -> %v %v", s, d.Format(Scale), back, err)
		}
	})
}

func TestParsePercent(t *testing.T) {
	for in, want := range map[string]string{"84.69%": "84.69", "100％": "100", "65": "65"} {
		d, err := ParsePercent(in)
		if err != nil || d.Cmp(MustDecimal(want)) != 0 {
			t.Errorf("ParsePercent(%q) = %s, %v", in, d, err)
		}
	}
	if _, err := ParsePercent("很高"); err == nil {
		t.Error("ParsePercent(很高) should fail")
	}
}
