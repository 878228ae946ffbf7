package site

import (
	"bytes"
	"encoding/json"
	"html/template"
	"strings"
	"testing"

	"disclose/internal/charts"
	"disclose/internal/theme"
)

// oldTable is the chart data table as the theme wrote it when it asked
// per cell for the column's alignment: the default theme's "table" must
// write the same bytes from the laid-out view, and a theme that kept its
// own copy must still work.
const oldTable = `{{define "old"}}<div class="table-scroll" tabindex="0" role="region" aria-label="{{.Caption}}"><table class="data">
  <caption>{{.Caption}}</caption>
  <thead><tr>{{range $i, $h := .Head}}<th scope="col"{{if index $.Numeric $i}} class="n"{{end}}>{{$h}}</th>{{end}}</tr></thead>
  <tbody>{{range .Rows}}<tr>{{range $i, $c := .}}{{if eq $i 0}}<th scope="row">{{$c}}</th>{{else}}<td{{if index $.Numeric $i}} class="n"{{end}}>{{$c}}</td>{{end}}{{end}}</tr>
  {{end}}</tbody>
</table></div>{{end}}`

func TestDataTable(t *testing.T) {
	th, err := theme.Open("")
	if err != nil {
		t.Fatal(err)
	}
	pages, err := theme.Templates(th, (&Site{}).funcs())
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := pages["report"].Clone()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tmpl.Parse(oldTable); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		t    charts.Table
	}{
		{"empty", charts.Table{Caption: "空"}},
		{"head only", charts.Table{Caption: "表", Head: []string{"项目", "金额"}, Numeric: []bool{false, true}}},
		{"rows", charts.Table{Caption: "支出 <b>&</b>", Head: []string{"项目", "金额", "占比"}, Numeric: []bool{false, true, true},
			Rows: [][]string{{"基本支出", "1,234.50", "12.00%"}, {"项目<支出>", "", "—"}}}},
		{"numeric first column", charts.Table{Caption: "年度", Head: []string{"年度", "金额"}, Numeric: []bool{true, true},
			Rows: [][]string{{"2023", "1"}, {"", "2"}, {}}}},
		{"short rows", charts.Table{Caption: "缺", Head: []string{"a", "b", "c"}, Numeric: []bool{false, false, true},
			Rows: [][]string{{"x"}, {"y", "z"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want, got bytes.Buffer
			if err := tmpl.ExecuteTemplate(&want, "old", tc.t); err != nil {
				t.Fatal(err)
			}
			if err := tmpl.ExecuteTemplate(&got, "table", newDataTable(tc.t)); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("got\n%s\nwant\n%s", got.String(), want.String())
			}
			// A theme's own "table", written for the chart's table, still
			// works on the view.
			var own bytes.Buffer
			if err := tmpl.ExecuteTemplate(&own, "old", newDataTable(tc.t)); err != nil {
				t.Fatal(err)
			}
			if own.String() != want.String() {
				t.Errorf("a theme's table on the view wrote\n%s\nwant\n%s", own.String(), want.String())
			}
		})
	}
}

func TestScriptJSON(t *testing.T) {
	for _, in := range []string{
		`{}`,
		`{"a":"中文","b":[1,2.5]}`,
		`{"a":"</script>"}`,
		`{"a":"x & y"}`,
		"{\"a\":\"\u2028\u2029\"}",
		"{\"a\":\"\xe2\x80\"}",
		"{\"a\":\"\xff<\"}",
	} {
		var want bytes.Buffer
		json.HTMLEscape(&want, []byte(in))
		if got := scriptJSON(json.RawMessage(in)); got != template.JS(want.String()) {
			t.Errorf("scriptJSON(%q) = %q, want %q", in, got, want.String())
		}
		if strings.ContainsAny(in, "<>&\u2028\u2029") == (want.String() == in) {
			t.Errorf("%q: the case does not test what it means to", in)
		}
	}
}
