package gen

import (
	_ "embed"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The department kinds live in a text file because they are mostly
// Chinese prose: written as Go literals they would be half quotes and
// commas, and harder for a finance reader to review.
//
//go:embed types.txt
var typesText string

// deptType is one kind of department (民政、教育 …): what its reports
// spend money on, what it counts and what it writes.
type deptType struct {
	slug, short       string
	scale             int       // budget relative to 民政, in percent
	titles            [3]string // the unit's name at province, city and county level
	offices, subs     []string
	duties            []string
	cats, fund        []*catSpec // project spending; 政府性基金 spending
	projects          []projSpec
	targets           []string
	quantity, quality []indSpec
	social, satisfied []indSpec
	heads             []string
	topics            []topic
}

// catSpec is a spending category with its usual sub-items.
type catSpec struct {
	name, code string
	kids       []*catSpec
}

type projSpec struct {
	name    string
	parts   []string
	outputs []string
	effect  string
}

// indSpec is a level-3 indicator: numeric (op, unit, lo..hi) or, when op
// is "Q", qualitative with a fixed target and actual text.
type indSpec struct {
	name, op, unit string
	lo, hi         int
	scaled         bool
	target, actual string
}

// topic is a titled group of sentences: an achievement, a problem, a fix.
type topic struct {
	title string
	lines []string
}

type commonText struct {
	timeliness, cost, sustain, economic []indSpec
	topics, problems, measures          []topic
	process, results, other             []string
}

var (
	kinds  []*deptType
	common commonText
)

func init() {
	var err error
	kinds, common, err = parseTypes(typesText)
	if err != nil {
		panic("gen: types.txt: " + err.Error())
	}
}

var keyLine = regexp.MustCompile(`^([a-z]+):(?: (.*))?$`)

func parseTypes(text string) ([]*deptType, commonText, error) {
	var (
		out  []*deptType
		cur  *deptType
		com  commonText
		inCo bool
		key  string
		body []string
	)
	flush := func() error {
		if key == "" {
			return nil
		}
		var err error
		if inCo {
			err = com.set(key, body)
		} else if cur != nil {
			err = cur.set(key, body)
		}
		key, body = "", nil
		return err
	}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, " \r")
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			if err := flush(); err != nil {
				return nil, com, err
			}
			head := strings.Fields(strings.Trim(line, "[]"))
			if len(head) == 1 && head[0] == "common" {
				inCo, cur = true, nil
				continue
			}
			if len(head) != 3 {
				return nil, com, fmt.Errorf("line %d: want [slug 简称 规模]", n+1)
			}
			scale, err := strconv.Atoi(head[2])
			if err != nil {
				return nil, com, fmt.Errorf("line %d: %v", n+1, err)
			}
			cur = &deptType{slug: head[0], short: head[1], scale: scale}
			inCo = false
			out = append(out, cur)
			continue
		}
		if m := keyLine.FindStringSubmatch(line); m != nil {
			if err := flush(); err != nil {
				return nil, com, err
			}
			key = m[1]
			if m[2] != "" {
				body = []string{m[2]}
			}
			continue
		}
		if key == "" {
			return nil, com, fmt.Errorf("line %d: text outside a section", n+1)
		}
		body = append(body, line)
	}
	if err := flush(); err != nil {
		return nil, com, err
	}
	for _, t := range out {
		if t.titles[0] == "" || len(t.cats) == 0 || len(t.projects) == 0 || len(t.quantity) == 0 ||
			len(t.social) == 0 || len(t.satisfied) == 0 || len(t.topics) == 0 || len(t.heads) == 0 {
			return nil, com, fmt.Errorf("kind %s is incomplete", t.slug)
		}
	}
	if len(com.problems) == 0 || len(com.measures) == 0 || len(com.timeliness) == 0 {
		return nil, com, fmt.Errorf("[common] is incomplete")
	}
	return out, com, nil
}

func (t *deptType) set(key string, body []string) error {
	var err error
	switch key {
	case "titles":
		f := strings.Fields(strings.Join(body, " "))
		if len(f) != 3 {
			return fmt.Errorf("%s: titles needs three names", t.slug)
		}
		copy(t.titles[:], f)
	case "offices":
		t.offices = strings.Fields(strings.Join(body, " "))
	case "subs":
		t.subs = strings.Fields(strings.Join(body, " "))
	case "duties":
		t.duties = body
	case "cats":
		t.cats, err = parseTree(body)
	case "fund":
		t.fund, err = parseTree(body)
	case "projects":
		for _, l := range body {
			f := strings.Split(l, "|")
			if len(f) != 4 {
				return fmt.Errorf("%s: project %q needs four fields", t.slug, l)
			}
			p := projSpec{name: strings.TrimSpace(f[0]), effect: strings.TrimSpace(f[3])}
			if parts := strings.TrimSpace(f[1]); parts != "-" {
				p.parts = strings.Fields(parts)
			}
			for _, o := range strings.Split(f[2], "；") {
				p.outputs = append(p.outputs, strings.TrimSpace(o))
			}
			t.projects = append(t.projects, p)
		}
	case "targets":
		t.targets = body
	case "quantity":
		t.quantity, err = parseInds(body)
	case "quality":
		t.quality, err = parseInds(body)
	case "social":
		t.social, err = parseInds(body)
	case "satisfaction":
		t.satisfied, err = parseInds(body)
	case "heads":
		t.heads = body
	case "topics":
		t.topics, err = parseTopics(body)
	default:
		return fmt.Errorf("%s: unknown section %q", t.slug, key)
	}
	if err != nil {
		return fmt.Errorf("%s: %s: %w", t.slug, key, err)
	}
	return nil
}

func (c *commonText) set(key string, body []string) error {
	var err error
	switch key {
	case "timeliness":
		c.timeliness, err = parseInds(body)
	case "cost":
		c.cost, err = parseInds(body)
	case "sustain":
		c.sustain, err = parseInds(body)
	case "economic":
		c.economic, err = parseInds(body)
	case "topics":
		c.topics, err = parseTopics(body)
	case "problems":
		c.problems, err = parseTopics(body)
	case "measures":
		c.measures, err = parseTopics(body)
	case "process":
		c.process = body
	case "results":
		c.results = body
	case "other":
		c.other = body
	default:
		return fmt.Errorf("common: unknown section %q", key)
	}
	return err
}

func parseTree(lines []string) ([]*catSpec, error) {
	var roots []*catSpec
	var stack []*catSpec
	for _, l := range lines {
		trimmed := strings.TrimLeft(l, " ")
		depth := (len(l) - len(trimmed)) / 2
		if depth > len(stack) {
			return nil, fmt.Errorf("%q is indented too far", l)
		}
		c := &catSpec{name: trimmed}
		if f := strings.Fields(trimmed); len(f) == 2 {
			if _, err := strconv.Atoi(f[1]); err == nil {
				c.name, c.code = f[0], f[1]
			}
		}
		stack = stack[:depth]
		if depth == 0 {
			roots = append(roots, c)
		} else {
			stack[depth-1].kids = append(stack[depth-1].kids, c)
		}
		stack = append(stack, c)
	}
	return roots, nil
}

func parseInds(lines []string) ([]indSpec, error) {
	var out []indSpec
	for _, l := range lines {
		f := strings.Split(l, "|")
		if len(f) == 4 && f[1] == "Q" {
			out = append(out, indSpec{name: f[0], op: "Q", target: f[2], actual: f[3]})
			continue
		}
		if len(f) < 5 || len(f) > 6 {
			return nil, fmt.Errorf("indicator %q: want name|op|unit|lo|hi[|s]", l)
		}
		lo, err1 := strconv.Atoi(f[3])
		hi, err2 := strconv.Atoi(f[4])
		if err1 != nil || err2 != nil || hi < lo {
			return nil, fmt.Errorf("indicator %q: bad range", l)
		}
		out = append(out, indSpec{name: f[0], op: f[1], unit: f[2], lo: lo, hi: hi, scaled: len(f) == 6 && f[5] == "s"})
	}
	return out, nil
}

func parseTopics(lines []string) ([]topic, error) {
	var out []topic
	for _, l := range lines {
		if title, ok := strings.CutPrefix(l, "# "); ok {
			out = append(out, topic{title: title})
			continue
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("%q comes before any # title", l)
		}
		out[len(out)-1].lines = append(out[len(out)-1].lines, l)
	}
	return out, nil
}
