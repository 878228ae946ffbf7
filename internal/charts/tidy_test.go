package charts

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"disclose/internal/diag"
)

// referenceTidy is tidy as it was written first, through encoding/json:
// decode into maps, edit, encode. It defines the bytes tidy must write.
func referenceTidy(in []byte, patch patch) json.RawMessage {
	var m map[string]any
	if err := decode(in, &m); err != nil {
		panic("charts: re-reading option: " + err.Error())
	}
	m = refDropNulls(m).(map[string]any)
	delete(m, "toolbox")
	if t, ok := m["title"].(map[string]any); ok && len(t) == 0 {
		delete(m, "title")
	}
	m["textStyle"] = map[string]any{"fontSize": fontSize, "color": textColor}
	if t, ok := m["tooltip"].(map[string]any); ok {
		t["confine"] = true
		t["textStyle"] = map[string]any{"fontSize": fontSize, "color": textColor}
	}
	for _, key := range []string{"xAxis", "yAxis"} {
		axes, _ := m[key].([]any)
		for _, a := range axes {
			if ax, ok := a.(map[string]any); ok && ax["name"] != nil {
				ax["nameTextStyle"] = map[string]any{"fontSize": fontSize, "color": textColor}
			}
		}
	}
	refPinDecals(m)
	if patch.maps != nil {
		patch.maps(m)
	}
	return encode(m)
}

func refPinDecals(m map[string]any) {
	aria, _ := m["aria"].(map[string]any)
	decal, _ := aria["decal"].(map[string]any)
	if show, _ := decal["show"].(bool); !show {
		return
	}
	series, _ := m["series"].([]any)
	for i, x := range series {
		sr, ok := x.(map[string]any)
		if !ok {
			continue
		}
		style, _ := sr["itemStyle"].(map[string]any)
		if style == nil {
			style = map[string]any{}
			sr["itemStyle"] = style
		}
		if _, set := style["decal"]; set {
			continue
		}
		d := map[string]any{"color": "rgba(0, 0, 0, 0.2)"}
		for k, v := range decalPalette[i%len(decalPalette)] {
			d[k] = v
		}
		style["decal"] = d
	}
}

// refDropNulls removes null members of objects; nulls in arrays stay.
func refDropNulls(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if x == nil {
				delete(v, k)
				continue
			}
			v[k] = refDropNulls(x)
		}
		return v
	case []any:
		for i, x := range v {
			v[i] = refDropNulls(x)
		}
		return v
	}
	return v
}

// checkTidy makes tidyOption compare every option it tidies, until the
// test ends, with referenceTidy. It returns how many it compared, and how
// many of those had a patch and decals.
func checkTidy(t *testing.T) (count func() (all, patched, decals int)) {
	orig := tidyOption
	t.Cleanup(func() { tidyOption = orig })
	var all, patched, decals int
	tidyOption = func(td *tidier, in []byte, patch patch) json.RawMessage {
		want := referenceTidy(in, patch)
		got := orig(td, in, patch)
		if !bytes.Equal(got, want) {
			i := 0
			for i < min(len(got), len(want)) && got[i] == want[i] {
				i++
			}
			t.Errorf("tidy differs from encoding/json at byte %d:\n got …%s\nwant …%s", i,
				got[max(0, i-80):min(len(got), i+80)], want[max(0, i-80):min(len(want), i+80)])
		}
		all++
		if patch.maps != nil {
			patched++
		}
		if bytes.Contains(got, []byte(`"decal":{`)) {
			decals++
		}
		return got
	}
	return func() (int, int, int) { return all, patched, decals }
}

// Every option of every chart, of the seeds, the test reports and a
// generated tree, with and without title, is byte for byte what the
// encoding/json round trip wrote.
func TestTidyMatchesEncodingJSON(t *testing.T) {
	count := checkTidy(t)
	var cs []Chart
	for _, c := range everyChart(t) {
		cs = append(cs, c...)
	}
	site := generated(t)
	rs := allReports(site)
	years := map[int]bool{}
	names := map[string]bool{}
	for _, r := range rs {
		cs = append(cs, ForReport(r)...)
		years[r.Year] = true
		for _, c := range r.Categories() {
			names[c.Name] = true
		}
	}
	for _, d := range site.Departments {
		cs = append(cs, ForDepartment(d)...)
	}
	for y := range years {
		cs = append(cs, ForYear(y, rs)...)
	}
	for n := range names {
		cs = append(cs, ForCategory(n, rs)...)
	}
	for _, c := range cs {
		c.WithTitle()
	}
	all, patched, decals := count()
	t.Logf("%d options compared, %d patched, %d with decals", all, patched, decals)
	if all != 2*len(cs) || patched == 0 || decals == 0 {
		t.Errorf("%d options compared for %d charts, %d patched, %d with decals: the test misses some", all, len(cs), patched, decals)
	}
}

// FuzzTidy checks the JSON reader and writer of tidyjson.go against
// encoding/json on any input: the reader accepts what encoding/json
// accepts; the tree, and the maps made from it for a patch, are written as
// encoding/json writes what it decodes (without null members); and an
// object is tidied as referenceTidy tidies it, with or without a patch.
func FuzzTidy(f *testing.F) {
	for _, s := range []string{
		`{}`, `[]`, `null`, `0`, `-0.5e-7`, `1E+21`, `"x"`, `true`, ` {"a" : [ 1 , null , {"b":null} ] } `,
		`{"a":1,"a":null}`, `{"a":null,"a":2}`, `{"a":1,"\u0061":2}`, `{"b":1,"a":2,"c":{"z":[],"y":{}}}`,
		`{"s":"<a href=\"x\">&amp;</a>\u2028\u2029\n\t\b\f\r\u0001\u001f\u007f\/\\"}`,
		`{"s":"\ud83d\ude00\ud83d\u0041\udc00\ud83d\ud83d\ude00\ud83dx\uDBFF\uDFFF\uFFFD"}`,
		"{\"s\":\"\xff\xfe\xed\xa0\x80 \xe2\x80\xa8 \xef\xbf\xbd\",\"\xff\":1,\"\xfe\":2}",
		`{"toolbox":{},"title":{"text":null},"tooltip":{"confine":false},"textStyle":1}`,
		`{"title":"","tooltip":"x","xAxis":[{"name":"a"},{"name":null},{},1],"yAxis":{"name":"b"}}`,
		`{"aria":{"decal":{"show":true}},"series":[{},1,{"itemStyle":{"decal":"x"}},{"itemStyle":"s"},{"itemStyle":{"color":"red"}},{},{},{}]}`,
		`{"aria":{"decal":{"show":"true"}},"series":[{}]}`,
		`{"series":[{"type":"treemap","breadcrumb":1},{"type":"bar"}]}`,
		`{"series":[{"type":"pie","label":{"overflow":1,"overflow":null}},{"type":"p\u0069e","label":{}},{"type":"bar","label":{"rotate":null,"distance":1}},{"type":null,"type":"bar","label":{}},{"type":"bar","type":null,"label":{}},{"type":"treemap","label":null},{"type":"treemap","label":[]},"pie"]}`,
		`{"a":01}`, `{"a":1.}`, `{"a":-}`, `{"a":"\x"}`, `{"a":"\u12"}`, "{\"a\":\"\x01\"}", `{"a":1,}`, `[1,]`,
		`{"a" 1}`, `{1:2}`, `{"a":tru}`, `{"a":nul}`, `{} {}`, `[1] x`, "\ufeff{}", `"\'"`,
		strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
		strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
		strings.Repeat(`{"a":`, 10000) + "1" + strings.Repeat("}", 10000),
	} {
		f.Add([]byte(s))
	}
	// What go-echarts writes for the charts of the example report.
	m, ds := loadChecked(os.DirFS("testdata/example"), "content")
	if m == nil || diag.HasErrors(ds) {
		f.Fatalf("testdata/example does not load: %v", ds)
	}
	for _, o := range goEchartsOptions(func() { ForReport(m.Departments[0].Reports[0]) }) {
		f.Add(o.in)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		td := newTidier()
		tree, err := td.parse(data)
		if valid := json.Valid(data); valid != (err == nil) {
			t.Fatalf("json.Valid %v, parse error %v", valid, err)
		}
		if err != nil {
			return
		}
		var v any
		if err := decode(data, &v); err != nil {
			t.Fatalf("encoding/json cannot decode valid JSON: %v", err)
		}
		want := encode(refDropNulls(v))
		if got := td.appendNode(nil, tree); !bytes.Equal(got, want) {
			t.Fatalf("tree written as\n%s\nencoding/json wrote\n%s", got, want)
		}
		if got := td.appendAny(nil, td.toAny(tree)); !bytes.Equal(got, want) {
			t.Fatalf("maps written as\n%s\nencoding/json wrote\n%s", got, want)
		}
		if m, ok := v.(map[string]any); !ok || m == nil {
			return
		}
		for _, patch := range []patch{{}, breadcrumb, {maps: breadcrumb.maps}, pieLabels, uprightLabels} {
			want := referenceTidy(data, patch)
			if got := td.tidy(data, patch); !bytes.Equal(got, want) {
				t.Fatalf("tidied as\n%s\nreferenceTidy\n%s", got, want)
			}
		}
	})
}

// goEchartsOption is an option as go-echarts writes it, before tidying,
// with the patch of its chart.
type goEchartsOption struct {
	in    []byte
	patch patch
}

// goEchartsOptions returns the options charts makes go-echarts write.
func goEchartsOptions(charts func()) []goEchartsOption {
	var out []goEchartsOption
	orig := tidyOption
	defer func() { tidyOption = orig }()
	tidyOption = func(td *tidier, in []byte, patch patch) json.RawMessage {
		out = append(out, goEchartsOption{bytes.Clone(in), patch})
		return orig(td, in, patch)
	}
	charts()
	return out
}
