package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// yamlToJSON turns a YAML document into the JSON value a JSON Schema
// validator sees, as the YAML language server does: scalars are typed by
// their resolved tag (!!int and !!float become json.Number keeping the
// literal's digits, !!bool a bool, !!null nil) and everything else is a
// string, so 2024-05-31 (a !!timestamp) stays the string "2024-05-31".
// lines maps the JSON pointer of every value to its line, for messages.
func yamlToJSON(data []byte) (v any, lines map[string]int, err error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, map[string]int{}, nil
		}
		return nil, nil, err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("more than one YAML document (---) in the file")
	}
	c := converter{lines: map[string]int{}}
	v, err = c.value(&doc, "")
	return v, c.lines, err
}

type converter struct{ lines map[string]int }

func (c *converter) value(n *yaml.Node, ptr string) (any, error) {
	if _, ok := c.lines[ptr]; !ok {
		c.lines[ptr] = n.Line
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.value(n.Content[0], ptr)
	case yaml.AliasNode:
		// The loader refuses anchors and aliases; so does this test.
		return nil, fmt.Errorf("line %d: YAML alias *%s is not allowed", n.Line, n.Value)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d: a key must be a plain scalar", k.Line)
			}
			if _, dup := m[k.Value]; dup {
				return nil, fmt.Errorf("line %d: key %q repeated", k.Line, k.Value)
			}
			kp := ptr + "/" + pointerEscape(k.Value)
			c.lines[kp] = k.Line // a value is placed at its key
			x, err := c.value(v, kp)
			if err != nil {
				return nil, err
			}
			m[k.Value] = x
		}
		return m, nil
	case yaml.SequenceNode:
		a := make([]any, 0, len(n.Content))
		for i, item := range n.Content {
			x, err := c.value(item, ptr+"/"+strconv.Itoa(i))
			if err != nil {
				return nil, err
			}
			a = append(a, x)
		}
		return a, nil
	case yaml.ScalarNode:
		return scalar(n)
	}
	return nil, fmt.Errorf("line %d: unexpected YAML node kind %v", n.Line, n.Kind)
}

func scalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		err := n.Decode(&b)
		return b, err
	case "!!int", "!!float":
		if jsonNumber.MatchString(n.Value) {
			return json.Number(n.Value), nil // keeps 3.10 as written
		}
		// 0x1F, +12, .5, 1_000 and the like: the value YAML gives them.
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, fmt.Errorf("line %d: %v", n.Line, err)
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, fmt.Errorf("line %d: %s is not a number JSON can hold", n.Line, n.Value)
		}
		if n.ShortTag() == "!!int" {
			var i int64
			if err := n.Decode(&i); err == nil {
				return json.Number(strconv.FormatInt(i, 10)), nil
			}
		}
		return json.Number(strconv.FormatFloat(f, 'g', -1, 64)), nil
	}
	return n.Value, nil
}

func pointerEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func TestYAMLToJSON(t *testing.T) {
	for _, c := range []struct {
		in   string
		want any // JSON value of key a
	}{
		{"a: 2024-05-31", "2024-05-31"},
		{"a: 2024-05", "2024-05"},
		{"a: 2024", json.Number("2024")},
		{"a: 3176.4889", json.Number("3176.4889")},
		{"a: 3.10", json.Number("3.10")},
		{"a: -12", json.Number("-12")},
		{"a: +12", json.Number("12")},
		{"a: 0x1F", json.Number("31")},
		{"a: .5", json.Number("0.5")},
		{"a: 1e3", json.Number("1e3")},
		{`a: "12"`, "12"},
		{"a: '201001'", "201001"},
		{"a: 55.02元", "55.02元"},
		{"a: 1,234.5", "1,234.5"},
		{"a: true", true},
		{"a: ~", nil},
		{"a:", nil},
		{"a: ≥90%", "≥90%"},
		{"a: [x, 1]", []any{"x", json.Number("1")}},
		{"a: {b: c}", map[string]any{"b": "c"}},
	} {
		v, _, err := yamlToJSON([]byte(c.in))
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		got := v.(map[string]any)["a"]
		if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", c.want) {
			t.Errorf("%s: got %#v, want %#v", c.in, got, c.want)
		}
	}
	for _, bad := range []string{
		"a: 1\na: 2",
		"a: &x 1\nb: *x",
		"a: .inf",
		"a: 1\n---\nb: 2",
		"? [x]\n: 1",
	} {
		if _, _, err := yamlToJSON([]byte(bad)); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
	_, lines, err := yamlToJSON([]byte("a:\n  b:\n    - x\n    - y\n"))
	if err != nil || lines["/a/b/1"] != 4 || lines["/a/b"] != 2 {
		t.Errorf("lines %v (%v), want /a/b at 2 and /a/b/1 at 4", lines, err)
	}
}
