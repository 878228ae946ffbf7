// Command previewbench times disclose serve the way an editor meets it, for
// `make bench` (scripts/bench-build.sh): how soon a fresh serve answers its
// first page, and, over a series of atomic saves of one report's budget
// total (a figure the site-wide lists show as well as the report's page),
// how soon after each save the report's page is served with the new figure
// and how soon every list page that showed the old figure shows the new one.
//
// It talks to the server over HTTP only, as a browser would, polling every
// millisecond; it imports nothing of the project.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	bin := flag.String("bin", "bin/disclose", "the disclose binary")
	contentDir := flag.String("content", "", "content tree (edited in place and restored)")
	out := flag.String("out", "", "output directory for disclose serve")
	saves := flag.Int("saves", 10, "atomic saves to time")
	timeout := flag.Duration("timeout", 10*time.Minute, "give up on any one wait after this long")
	logPath := flag.String("log", "", "file for disclose serve's own output")
	flag.Parse()
	if *contentDir == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "previewbench: --content and --out are required")
		os.Exit(2)
	}
	if err := run(*bin, *contentDir, *out, *logPath, *saves, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "previewbench:", err)
		os.Exit(1)
	}
}

var budgetLine = regexp.MustCompile(`(?m)^totals:\n  budget: ([0-9]+\.[0-9]{2})\n`)

func run(bin, contentDir, out, logPath string, saves int, timeout time.Duration) error {
	report, dept, year, err := firstReport(contentDir)
	if err != nil {
		return err
	}
	orig, err := os.ReadFile(report)
	if err != nil {
		return err
	}
	restore := func() { _ = os.WriteFile(report, orig, 0o644) }
	defer restore()
	// An interrupted run must not leave the tree edited: the next run
	// reads its figure from it.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		restore()
		os.Exit(1)
	}()
	m := budgetLine.FindSubmatch(orig)
	if m == nil {
		return fmt.Errorf("%s: no totals.budget with two decimals", report)
	}
	old := string(m[1])

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	cmd := exec.CommandContext(ctx, bin, "serve", "--content", contentDir, "--out", out, "--port", "0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	var log io.Writer = io.Discard
	if logPath != "" {
		f, err := os.Create(logPath)
		if err != nil {
			return err
		}
		defer f.Close()
		log = f
	}
	cmd.Stderr = log
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { _ = cmd.Process.Signal(os.Interrupt); _ = cmd.Wait() }()
	addr := make(chan string, 1)
	// The preview says 已更新 once its first build, or its reading of the
	// content behind a site it served at once, is done: saves before
	// that wait for it, and are not what is timed.
	settled := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		once := false
		for sc.Scan() {
			fmt.Fprintf(log, "%s %s\n", time.Now().Format("15:04:05.000"), sc.Text())
			if _, rest, ok := strings.Cut(sc.Text(), "http://"); ok && len(addr) == 0 {
				host, _, _ := strings.Cut(rest, "/")
				addr <- host
			}
			if strings.Contains(sc.Text(), "] 已更新") && !once {
				once = true
				close(settled)
			}
		}
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a + "/"
	case <-time.After(timeout):
		return errors.New("serve printed no address")
	}
	if _, err := waitFor(base, func(string) bool { return true }, timeout); err != nil {
		return err
	}
	firstPage := time.Since(start)
	select {
	case <-settled:
	case <-time.After(timeout):
		return errors.New("serve never finished reading the content")
	}
	settle := time.Since(start)

	page := base + "reports/" + dept + "/" + year + ".html"
	// The lists that show the figure now must show each new one.
	lists, err := pagesShowing(out, display(old), dept, year)
	if err != nil {
		return err
	}
	fmt.Printf("first page of a fresh serve: %.3f s; content read, saves rebuilt incrementally from %.3f s\n", firstPage.Seconds(), settle.Seconds())
	fmt.Printf("report %s, budget %s, shown on %d list pages\n", strings.TrimPrefix(page, base), old, len(lists))

	// As an open page does: the preview's events say which pages to
	// reload; each is fetched when named, and counts once it shows the
	// new figure.
	events, err := subscribe(ctx, base+"_disclose/events")
	if err != nil {
		return err
	}
	oldCents, _ := strconv.ParseFloat(old, 64)
	var pageT, listT []time.Duration
	for i := 1; i <= saves; i++ {
		now := fmt.Sprintf("%.2f", oldCents+float64(i)/100)
		edited := budgetLine.ReplaceAll(orig, []byte("totals:\n  budget: "+now+"\n"))
		t0, err := atomicSave(report, edited)
		if err != nil {
			return err
		}
		want := map[string]bool{strings.TrimPrefix(page, base): true}
		for _, l := range lists {
			want[l] = true
		}
		var d, last time.Duration
		deadline := time.After(timeout)
		for len(want) > 0 {
			var e string
			select {
			case e = <-events:
			case <-deadline:
				return fmt.Errorf("save %d: no reload of %v within %s", i, want, timeout)
			}
			for p := range want {
				if !strings.Contains(e, `"`+p+`"`) {
					continue
				}
				body, err := fetch(base + p)
				if err != nil {
					return err
				}
				if !strings.Contains(body, display(now)) {
					continue
				}
				delete(want, p)
				if base+p == page {
					d = time.Since(t0)
				}
			}
		}
		last = time.Since(t0)
		pageT, listT = append(pageT, d), append(listT, last)
		fmt.Printf("save %2d: page %7.1f ms, lists %7.1f ms\n", i, ms(d), ms(last))
		// An editor's pause: sometimes the downloads of the whole site
		// are being written when the next save comes.
		time.Sleep(time.Duration(300+200*(i%4)) * time.Millisecond)
	}
	fmt.Printf("median: page %.1f ms, lists %.1f ms (%d saves)\n", ms(median(pageT)), ms(median(listT)), saves)
	// Put the figure back and wait for the site to show it, so that the
	// next run starts from a site that is up to date.
	if _, err := atomicSave(report, orig); err != nil {
		return err
	}
	if _, err := waitFor(page, func(b string) bool { return strings.Contains(b, display(old)) }, timeout); err != nil {
		return err
	}
	time.Sleep(5 * time.Second) // the lists and downloads follow
	return nil
}

// subscribe reads the preview's Server-Sent Events and passes on the data
// of each reload event.
func subscribe(ctx context.Context, url string) (<-chan string, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	out := make(chan string, 64)
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		name := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: ") && name == "reload":
				out <- strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	return out, nil
}

func fetch(url string) (string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: %s", url, resp.Status)
	}
	return string(b), err
}

// display is how the pages write an amount: thousands separated.
func display(v string) string {
	whole, frac, _ := strings.Cut(v, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String() + "." + frac
}

func firstReport(dir string) (path, dept, year string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", "", "", err
	}
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), "_") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		files, _ := filepath.Glob(filepath.Join(dir, e.Name(), "20[0-9][0-9].yaml"))
		slices.Sort(files)
		for _, f := range files {
			b, _ := os.ReadFile(f)
			if budgetLine.Match(b) {
				return f, e.Name(), strings.TrimSuffix(filepath.Base(f), ".yaml"), nil
			}
		}
	}
	return "", "", "", fmt.Errorf("%s: no report with totals.budget", dir)
}

// pagesShowing lists the site-wide HTML pages that show figure on the row
// of the report's link.
func pagesShowing(out, figure, dept, year string) ([]string, error) {
	href := "reports/" + dept + "/" + year + ".html"
	var pages []string
	err := filepath.WalkDir(out, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		rel = filepath.ToSlash(rel)
		if e.IsDir() || !strings.HasSuffix(p, ".html") || strings.HasPrefix(rel, "reports/") || strings.HasPrefix(rel, "departments/") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		s := string(b)
		if i := strings.Index(s, href); i >= 0 && strings.Contains(s[i:min(len(s), i+4000)], figure) {
			pages = append(pages, rel)
		}
		return nil
	})
	slices.Sort(pages)
	return pages, err
}

// atomicSave writes b beside p and renames it over p, as editors save; it
// gives the time of the rename.
func atomicSave(p string, b []byte) (time.Time, error) {
	tmp := p + ".previewbench~"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return time.Time{}, err
	}
	t := time.Now()
	return t, os.Rename(tmp, p)
}

// waitFor polls url every millisecond until its body satisfies ok, and gives
// how long that took.
func waitFor(url string, ok func(string) bool, timeout time.Duration) (time.Duration, error) {
	start := time.Now()
	client := &http.Client{Timeout: 5 * time.Second}
	for {
		resp, err := client.Get(url)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && ok(string(b)) {
				return time.Since(start), nil
			}
		}
		if time.Since(start) > timeout {
			return 0, fmt.Errorf("%s: not as expected after %s", url, timeout)
		}
		time.Sleep(time.Millisecond)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}
