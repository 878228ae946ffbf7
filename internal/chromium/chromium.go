// Package chromium draws SVG to PNG in headless Chromium. It is the
// reference renderer: what a browser shows is what the image holds, and
// the tests hold disclose's own renderer (internal/svgraster) to it.
//
// Layer 0 (see internal/arch): it imports nothing of ours.
package chromium

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"

	"github.com/chromedp/chromedp"
)

// ErrNotFound says PNG output through Chromium cannot run here.
var ErrNotFound = errors.New("找不到 Chromium：PNG 由无界面 Chromium 绘制，请安装 chromium（sudo apt-get install chromium）")

// Renderer is a headless Chromium with one tab per core.
type Renderer struct {
	ctx    context.Context
	cancel context.CancelFunc
	dir    string
	tabs   chan context.Context // one tab per core, each drawing one PNG at a time
}

// New starts a headless Chromium that reaches no network.
func New() (*Renderer, error) {
	exe := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			exe = p
			break
		}
	}
	if exe == "" {
		return nil, ErrNotFound
	}
	dir, err := os.MkdirTemp("", "disclose-chromium-")
	if err != nil {
		return nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(dir),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		// Without these Chromium tries to reach Google at every start.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("font-render-hinting", "none"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	if err := chromedp.Do(ctx); err != nil {
		cancelCtx()
		cancelAlloc()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("starting Chromium: %w", err)
	}
	c := &Renderer{ctx: ctx, cancel: func() { cancelCtx(); cancelAlloc() }, dir: dir}
	n := runtime.GOMAXPROCS(0)
	c.tabs = make(chan context.Context, n)
	c.tabs <- ctx
	for range n - 1 {
		tab, _ := chromedp.NewContext(ctx) // cancelled with the browser
		if err := chromedp.Do(tab); err != nil {
			c.Close()
			return nil, fmt.Errorf("opening a Chromium tab: %w", err)
		}
		c.tabs <- tab
	}
	return c, nil
}

// Close stops Chromium.
func (c *Renderer) Close() {
	c.cancel()
	os.RemoveAll(c.dir)
}

// PNG draws svg, width×height CSS pixels, at scale device pixels per CSS
// pixel. Calls may run at once, up to one per tab.
func (c *Renderer) PNG(svg []byte, width, height int, scale float64) ([]byte, error) {
	tab := <-c.tabs
	defer func() { c.tabs <- tab }()
	url := "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(svg)
	if err := chromedp.Do(tab,
		chromedp.EmulateViewport(int64(width), int64(height), chromedp.EmulateScale(scale)),
		chromedp.Navigate(url),
	); err != nil {
		return nil, fmt.Errorf("drawing in chromium: %w", err)
	}
	shot, err := chromedp.Run(tab, chromedp.CaptureScreenshot())
	if err != nil {
		return nil, fmt.Errorf("drawing in chromium: %w", err)
	}
	return shot, nil
}
