package charts

import (
	"strings"
	"testing"
)

func TestWrappedLines(t *testing.T) {
	for _, c := range []struct {
		s     string
		width int
		want  []string
	}{
		{"公务用车运行维护费", categoryLabelWidth, []string{"公务用车运行维护费"}},
		{"孤儿、事实无人抚养儿童生活补贴", categoryLabelWidth, []string{"孤儿、事实无人抚养", "儿童生活补贴"}},
		// A number is never broken; a space is a break.
		{"湘潭市民政局 2024年", categoryLabelWidth, []string{"湘潭市民政局 2024", "年"}},
		{"12345678901234567890", 56, []string{"12345678901234567890"}},
		{"", categoryLabelWidth, []string{""}},
		// No line starts with a closing mark.
		{"《部门整体支出绩效评价报告》", 182, []string{"《部门整体支出绩效评价报告》"}},
		{"甲乙丙，丁", 42, []string{"甲乙丙，", "丁"}},
	} {
		got := wrapLine(c.s, c.width)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrapLine(%q, %d) = %q, want %q", c.s, c.width, got, c.want)
		}
		if n := wrappedLines(c.s, c.width); n != len(c.want) {
			t.Errorf("wrappedLines(%q) = %d, want %d", c.s, n, len(c.want))
		}
	}
	if got := breakText("数据来源：某某\n单位：万元", 28); got != "数据\n来源：\n某某\n单位：\n万元" {
		t.Errorf("breakText = %q", got)
	}
}

// A category whose name wraps gets a row tall enough for its lines, so
// that the chart grows with its names and no line overlaps the next row.
func TestBarHeightGrowsWithWrappedNames(t *testing.T) {
	// Enough categories to be above the least height of a chart.
	short := bar{names: []string{"甲", "乙", "丙", "丁", "戊", "己", "庚"}, series: []barSeries{{}}, horizontal: true}
	long := bar{names: []string{"甲", "孤儿、事实无人抚养儿童生活补贴及孤儿医疗资金", "丙", "丁", "戊", "己", "庚"}, series: []barSeries{{}}, horizontal: true}
	lines := wrappedLines(long.names[1], categoryLabelWidth)
	if lines < 3 {
		t.Fatalf("the long name wraps to %d lines, want 3 or more", lines)
	}
	if got, want := long.height()-short.height(), lines*labelLine+8-2*barRow; got != want {
		t.Errorf("the long name adds %d px, want %d (its %d lines)", got, want, lines)
	}
}
