package model

import "testing"

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want Date
		ok   bool
	}{
		{"2024-05-31", Date{Year: 2024, Month: 5, Day: 31}, true},
		{"2024-05", Date{Year: 2024, Month: 5}, true},
		{"2024", Date{Year: 2024}, true},
		{"2024年5月31日", Date{Year: 2024, Month: 5, Day: 31}, true},
		{"2024年5月", Date{Year: 2024, Month: 5}, true},
		{"2023-02-29", Date{}, false},
		{"2024-13", Date{}, false},
		{"24-05-31", Date{}, false},
		{"yesterday", Date{}, false},
		{"2024-05-31-01", Date{}, false},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("ParseDate(%q) = %+v, %v", tt.in, got, err)
		}
	}
	if s := (Date{Year: 2024, Month: 5, Day: 31}).String(); s != "2024年5月31日" {
		t.Errorf("String = %s", s)
	}
	if s := (Date{Year: 2024, Month: 5}).ISO(); s != "2024-05" {
		t.Errorf("ISO = %s", s)
	}
}

func TestParseMeasure(t *testing.T) {
	tests := []struct {
		in, op, value, unit string
	}{
		{"≥90%", "≥", "90", "%"},
		{">=95%", "≥", "95", "%"},
		{"＝100人", "=", "100", "人"},
		{"3,633人次", "", "3633", "人次"},
		{"<5%", "<", "5", "%"},
		{"≤ 30 天", "≤", "30", "天"},
		{"应保尽保", "", "", ""},
		{"覆盖市、县四级", "", "", ""},
	}
	for _, tt := range tests {
		m := ParseMeasure(tt.in)
		if m.Text != tt.in || m.Op != tt.op || m.Unit != tt.unit {
			t.Errorf("ParseMeasure(%q) = %+v", tt.in, m)
			continue
		}
		if tt.value == "" {
			if !m.Qualitative() {
				t.Errorf("ParseMeasure(%q) should be qualitative", tt.in)
			}
		} else if m.Value == nil || m.Value.Cmp(MustDecimal(tt.value)) != 0 {
			t.Errorf("ParseMeasure(%q) value = %v", tt.in, m.Value)
		}
	}
}

func TestNarrativeSections(t *testing.T) {
	var n Narrative
	if !n.Set("problems", "问题") || n.Set("nope", "x") {
		t.Fatal("Set")
	}
	n.Set("summary", "综述")
	got := n.Sections()
	if len(got) != 2 || got[0].Key != "summary" || got[1].Title != "存在的问题及原因分析" {
		t.Fatalf("Sections = %+v", got)
	}
}
