package gen

import (
	"fmt"
	"strings"
)

// Administrative levels, as indexes into deptType.titles.
const (
	levelProvince = iota
	levelCity
	levelCounty
)

var levelNames = [3]string{"省级", "市级", "县级"}

// dept is a planned department: who it is, decided up front because names,
// directories and budget codes must be unique across the whole site.
type dept struct {
	index      int
	kind       *deptType
	level      int
	prov       *province
	city       place // zero for a province department
	county     county
	id         string // directory name
	name       string
	short      string
	budgetCode string
}

// where is the region the department serves: 云溪区, 岳阳市, 湖南省.
func (d *dept) where() string {
	switch d.level {
	case levelProvince:
		return d.prov.name
	case levelCity:
		return d.city.name
	}
	return d.county.name
}

// levelChar is the last character of where(): 全区, 全县, 全市, 全省.
func (d *dept) levelChar() string {
	w := []rune(d.where())
	if d.level == levelProvince {
		return "省"
	}
	return string(w[len(w)-1])
}

func (d *dept) region() []string {
	switch d.level {
	case levelProvince:
		return []string{d.prov.name}
	case levelCity:
		return []string{d.prov.name, d.city.name}
	}
	return []string{d.prov.name, d.city.name, d.county.name}
}

// selfRef is how the report refers to its own unit: 我局, 我委, 我厅.
func (d *dept) selfRef() string {
	t := d.kind.titles[d.level]
	switch {
	case strings.HasSuffix(t, "委员会"):
		return "我委"
	case strings.HasSuffix(t, "厅"):
		return "我厅"
	}
	return "我局"
}

// government is the people's government the department answers to.
func (d *dept) government() string {
	switch d.level {
	case levelProvince:
		return d.prov.name + "人民政府"
	case levelCity:
		return d.city.name + "人民政府"
	}
	if strings.HasSuffix(d.county.name, "市") {
		return d.county.name + "人民政府"
	}
	return d.city.name + d.county.name + "人民政府"
}

// finance is the finance department that asks for the self-evaluation.
func (d *dept) finance() string {
	switch d.level {
	case levelProvince:
		return d.prov.name + "财政厅"
	case levelCity:
		return d.city.name + "财政局"
	}
	return d.county.name + "财政局"
}

// scale is how much bigger a province's or a city's figures are than a
// county's.
func (d *dept) scale() int64 {
	switch d.level {
	case levelProvince:
		return 10
	case levelCity:
		return 3
	}
	return 1
}

// flaw is a deliberate inconsistency planted in one report.
type flaw int

const (
	noFlaw   flaw = iota
	flawSum       // a category's parts do not add up to it  → sum-mismatch
	flawRate      // the stated execution rate is wrong       → rate-mismatch
	flawYuan      // a part written in 元 instead of 万元     → sum-mismatch, with the 元 hint
	flawKinds
)

// plan is everything decided before departments are generated in parallel.
type plan struct {
	o     Options
	depts []*dept
	flaws map[int]flaw // by report number: department index × Years + year index
}

func newPlan(o Options) *plan {
	r := newRNG(o.Seed, 0)
	p := &plan{o: o, flaws: map[int]flaw{}}
	names := map[string]bool{}
	ids := map[string]bool{}
	for i := range o.Departments {
		level := levelCounty
		switch x := r.intn(100); {
		case x < 4:
			level = levelProvince
		case x < 26:
			level = levelCity
		}
		var d *dept
		for attempt := 0; ; attempt++ {
			// Province and city departments run out long before counties
			// do; a few failed draws fall back to the practically endless
			// counties.
			if attempt >= 12 {
				level = levelCounty
			}
			d = drawDept(r, level, o.Province)
			if !names[d.name] && !ids[d.id] {
				break
			}
		}
		d.index = i
		names[d.name], ids[d.id] = true, true
		p.depts = append(p.depts, d)
	}
	// At least one report of each kind of flaw, so that a small tree shows
	// every warning; about 1.5% at scale.
	reports := o.Departments * o.Years
	n := min(reports, max(int(flawKinds-1), reports*15/1000))
	for k := 0; k < n; {
		i := r.intn(reports)
		if _, taken := p.flaws[i]; taken {
			continue
		}
		p.flaws[i] = flaw(1 + k%int(flawKinds-1))
		k++
	}
	return p
}

func drawDept(r *rng, level int, province string) *dept {
	ki := r.intn(len(kinds))
	d := &dept{kind: kinds[ki], level: level}
	pi := r.intn(len(provinces))
	if province != "" {
		pi = provinceIndex(province)
	}
	d.prov = &provinces[pi]
	cityNum, countyNum := 0, 0
	if level != levelProvince {
		ci := r.intn(len(d.prov.cities))
		d.city = d.prov.cities[ci]
		cityNum = ci + 1
		if level == levelCounty {
			for {
				i := r.intn(countyCount())
				if c, ok := countyOf(pi*100+ci, i); ok {
					d.county = c
					countyNum = i + 1
					break
				}
			}
		}
	}
	title := d.kind.titles[level]
	slug := []string{d.prov.slug}
	switch level {
	case levelProvince:
		d.name = d.prov.name + title
	case levelCity:
		d.name = d.city.name + title
		slug = append(slug, d.city.slug)
	case levelCounty:
		if strings.HasSuffix(d.county.name, "市") {
			// A county-level city is named without its prefecture.
			d.name = d.county.name + title
		} else {
			d.name = d.city.name + d.county.name + title
		}
		d.short = d.county.name + title
		slug = append(slug, d.city.slug, d.county.slug)
	}
	d.id = strings.Join(append(slug, d.kind.slug), "-")
	// Division-style prefix, then the kind: unique exactly when the
	// department is.
	d.budgetCode = fmt.Sprintf("%s%02d%04d%03d", d.prov.code, cityNum, countyNum, 101+ki)
	return d
}

// report numbers a department's report for its flaw lookup.
func (p *plan) flawOf(dept, year int) flaw { return p.flaws[dept*p.o.Years+year] }
