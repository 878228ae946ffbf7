// Package chartimage draws the site's charts as image files for briefings.
// The options come from internal/charts, exactly as the pages get them,
// and are drawn by the same ECharts file the site ships, run in the goja
// JavaScript engine in ECharts' server-side rendering mode: no browser.
//
// Layer 5 (see internal/arch): it imports charts, model and svgraster.
package chartimage

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"runtime"
	"strconv"

	"github.com/dop251/goja"
)

// echartsPath is where a theme keeps ECharts (see themes/default).
const echartsPath = "assets/vendor/echarts/echarts.min.js"

// Renderer draws options to SVG. It keeps a pool of JavaScript runtimes,
// one per core at most, because loading ECharts into a runtime takes a
// few hundred milliseconds and a runtime is single-threaded.
type Renderer struct {
	program *goja.Program
	font    *Font
	pool    chan *goja.Runtime
	slots   chan struct{}
}

// New prepares a renderer with ECharts from the theme's files and text
// measured with font.
func New(themeFS fs.FS, font *Font) (*Renderer, error) {
	src, err := fs.ReadFile(themeFS, echartsPath)
	if err != nil {
		return nil, fmt.Errorf("ECharts (%s): %w; run `make assets`", echartsPath, err)
	}
	prog, err := goja.Compile("echarts.min.js", string(src), false)
	if err != nil {
		return nil, fmt.Errorf("ECharts: %w", err)
	}
	n := runtime.GOMAXPROCS(0)
	r := &Renderer{program: prog, font: font, pool: make(chan *goja.Runtime, n), slots: make(chan struct{}, n)}
	for range n {
		r.slots <- struct{}{}
	}
	return r, nil
}

var (
	fontSize = regexp.MustCompile(`(\d+(?:\.\d+)?)px`)
	fontBold = regexp.MustCompile(`(^|\s)(bold|bolder|[6-9]00)\s`)
)

// newRuntime loads ECharts into a fresh runtime. ECharts asks for timers
// only for animation, which the options turn off; measureText gives it the
// real widths of the font the images are meant to be seen in.
func (r *Renderer) newRuntime() (*goja.Runtime, error) {
	vm := goja.New()
	noop := func(goja.FunctionCall) goja.Value { return goja.Undefined() }
	for _, name := range []string{"setTimeout", "clearTimeout", "setInterval", "clearInterval"} {
		if err := vm.Set(name, noop); err != nil {
			return nil, err
		}
	}
	if _, err := vm.RunString("var window = this, self = this;"); err != nil {
		return nil, err
	}
	if _, err := vm.RunProgram(r.program); err != nil {
		return nil, fmt.Errorf("loading ECharts: %w", err)
	}
	measure := func(text, font string) map[string]any {
		px := 12.0
		if m := fontSize.FindStringSubmatch(font); m != nil {
			px, _ = strconv.ParseFloat(m[1], 64)
		}
		return map[string]any{"width": r.font.Width(text, px, fontBold.MatchString(font))}
	}
	if err := vm.Set("__measure", measure); err != nil {
		return nil, err
	}
	if _, err := vm.RunString(`echarts.setPlatformAPI({measureText: function (text, font) { return __measure(String(text), String(font || '')); }});`); err != nil {
		return nil, fmt.Errorf("ECharts platform: %w", err)
	}
	return vm, nil
}

func (r *Renderer) get() (*goja.Runtime, error) {
	select {
	case vm := <-r.pool:
		return vm, nil
	case <-r.slots:
		vm, err := r.newRuntime()
		if err != nil {
			r.slots <- struct{}{}
			return nil, err
		}
		return vm, nil
	}
}

const renderJS = `(function (option, width, height, family) {
	var o = JSON.parse(option);
	o.animation = false;
	o.backgroundColor = o.backgroundColor || '#ffffff';
	o.textStyle = Object.assign({}, o.textStyle || {}, {fontFamily: family});
	var chart = echarts.init(null, null, {renderer: 'svg', ssr: true, width: width, height: height});
	try {
		chart.setOption(o);
		return chart.renderToSVGString();
	} finally {
		chart.dispose();
	}
})`

// SVG draws option at width×height CSS pixels.
func (r *Renderer) SVG(option json.RawMessage, width, height int) ([]byte, error) {
	vm, err := r.get()
	if err != nil {
		return nil, err
	}
	defer func() { r.pool <- vm }()
	fn, err := vm.RunString(renderJS)
	if err != nil {
		return nil, err
	}
	call, ok := goja.AssertFunction(fn)
	if !ok {
		return nil, fmt.Errorf("render function missing")
	}
	v, err := call(goja.Undefined(), vm.ToValue(string(option)), vm.ToValue(width), vm.ToValue(height), vm.ToValue(FontFamily))
	if err != nil {
		return nil, fmt.Errorf("ECharts: %w", err)
	}
	svg := renumberClasses(v.String())
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + svg + "\n"), nil
}

// zrName matches the names ECharts generates for CSS classes, patterns
// (the decals of multi-series bars), gradients and clip paths, such as
// zr0-cls-3 or zr1-p0.
var zrName = regexp.MustCompile(`zr\d+-[a-z]+-?\d+`)

// renumberClasses renames ECharts' generated classes and ids in order of
// first use. ECharts numbers them with counters that live as long as the
// runtime (and the pool has several), so the same chart would otherwise
// come out different each time.
func renumberClasses(svg string) string {
	names := map[string]string{}
	return zrName.ReplaceAllStringFunc(svg, func(c string) string {
		n, ok := names[c]
		if !ok {
			n = "e" + strconv.Itoa(len(names))
			names[c] = n
		}
		return n
	})
}
