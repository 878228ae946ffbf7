// Package diag is what the loader and the checker tell the user: located,
// ruled, in plain Chinese by default (finance staff read it) or English.
//
// Layer 1 (see internal/arch): it imports model only.
package diag

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"disclose/internal/model"
)

type Severity int

// Note is for facts worth reading that need no action, such as an erratum
// already recorded; it never fails a check, even with --strict.
const (
	Note Severity = iota
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "note"
}

// Lang selects the language of messages and hints.
type Lang string

const (
	Zh Lang = "zh"
	En Lang = "en"
)

// Diagnostic is one problem found in the content. Args fill the rule's
// message template; Stated and Computed carry the two figures of a
// reconciliation so that the site can show readers both.
type Diagnostic struct {
	Pos      model.Pos
	Severity Severity
	Rule     Rule
	Args     []string
	Stated   string
	Computed string
}

// New makes a diagnostic whose severity is the rule's default.
func New(pos model.Pos, rule Rule, args ...string) Diagnostic {
	return Diagnostic{Pos: pos, Severity: rule.Severity(), Rule: rule, Args: args}
}

// Message renders the message in lang.
func (d Diagnostic) Message(lang Lang) string { return d.Rule.render(lang, false, d.Args) }

// Hint renders the fix hint in lang.
func (d Diagnostic) Hint(lang Lang) string { return d.Rule.render(lang, true, d.Args) }

// Location is "file:line:col", or just the file when the line is unknown.
func (d Diagnostic) Location() string {
	switch {
	case d.Pos.Line > 0:
		return fmt.Sprintf("%s:%d:%d", d.Pos.File, d.Pos.Line, max(d.Pos.Col, 1))
	case d.Pos.File != "":
		return d.Pos.File
	}
	return "-"
}

// Sort orders diagnostics by file, line, column, then rule, so that output is
// deterministic however the work was split across goroutines.
func Sort(ds []Diagnostic) {
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
			cmp.Compare(a.Rule, b.Rule),
			slices.Compare(a.Args, b.Args),
		)
	})
}

// Count returns the numbers of errors, warnings and notes.
func Count(ds []Diagnostic) (errors, warnings, notes int) {
	for _, d := range ds {
		switch d.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		default:
			notes++
		}
	}
	return
}

// HasErrors reports whether any diagnostic is an error.
func HasErrors(ds []Diagnostic) bool {
	e, _, _ := Count(ds)
	return e > 0
}

// WriteText prints "path:line:col: error [rule]: message" with the hint on
// an indented line below, and a closing count.
func WriteText(w io.Writer, ds []Diagnostic, lang Lang) error {
	return WriteSome(w, ds, ds, lang)
}

// WriteSome prints the diagnostics of shown, as WriteText does, but closes
// with the count of all of them, so that build and serve, which list only
// what needs attention, give the same count as check and say where the
// rest are.
func WriteSome(w io.Writer, shown, all []Diagnostic, lang Lang) error {
	ds := shown
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "%s: %s [%s]: %s\n", d.Location(), d.Severity, d.Rule, d.Message(lang))
		if h := d.Hint(lang); h != "" {
			label := "  提示："
			if lang == En {
				label = "  hint: "
			}
			fmt.Fprintf(&b, "%s%s\n", label, h)
		}
	}
	e, wn, n := Count(all)
	hidden := len(all) - len(shown)
	switch {
	case lang == En && hidden > 0:
		fmt.Fprintf(&b, "%d error(s), %d warning(s), %d note(s) (%d not listed here; disclose check lists all)\n", e, wn, n, hidden)
	case lang == En:
		fmt.Fprintf(&b, "%d error(s), %d warning(s), %d note(s)\n", e, wn, n)
	case hidden > 0:
		fmt.Fprintf(&b, "共 %d 个错误，%d 个警告，%d 条说明（%d 条未在此列出，disclose check 可看全部）\n", e, wn, n, hidden)
	default:
		fmt.Fprintf(&b, "共 %d 个错误，%d 个警告，%d 条说明\n", e, wn, n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type jsonDiag struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Severity string `json:"severity"`
	Rule     Rule   `json:"rule"`
	Message  string `json:"message"`
	Hint     string `json:"hint,omitempty"`
	Stated   string `json:"stated,omitempty"`
	Computed string `json:"computed,omitempty"`
}

// WriteJSON prints {"diagnostics":[...],"errors":N,"warnings":N}.
func WriteJSON(w io.Writer, ds []Diagnostic, lang Lang) error {
	out := struct {
		Diagnostics []jsonDiag `json:"diagnostics"`
		Errors      int        `json:"errors"`
		Warnings    int        `json:"warnings"`
		Notes       int        `json:"notes"`
	}{Diagnostics: []jsonDiag{}}
	for _, d := range ds {
		out.Diagnostics = append(out.Diagnostics, jsonDiag{
			File: d.Pos.File, Line: d.Pos.Line, Col: d.Pos.Col,
			Severity: d.Severity.String(), Rule: d.Rule,
			Message: d.Message(lang), Hint: d.Hint(lang),
			Stated: d.Stated, Computed: d.Computed,
		})
	}
	out.Errors, out.Warnings, out.Notes = Count(ds)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// Merge returns what Sort would make of the lists' concatenation, each list
// being sorted already. A province's checks give tens of thousands of
// diagnostics and the live preview gathers them after every save, so Merge
// moves whole runs of one file rather than sorting every diagnostic: the
// runs are ordered by file and then by list, and only a file with runs
// from several lists is sorted again (stably, so that the earlier list
// comes first among equals, as in the concatenation). It returns nil when
// there is nothing, as Sort of nothing leaves nil.
func Merge(lists ...[]Diagnostic) []Diagnostic {
	type run struct {
		file  string
		list  int
		diags []Diagnostic
	}
	var rs []run
	n := 0
	for i, ds := range lists {
		n += len(ds)
		start := 0
		for j := 1; j <= len(ds); j++ {
			if j == len(ds) || ds[j].Pos.File != ds[start].Pos.File {
				rs = append(rs, run{ds[start].Pos.File, i, ds[start:j:j]})
				start = j
			}
		}
	}
	if n == 0 {
		return nil
	}
	slices.SortFunc(rs, func(a, b run) int {
		return cmp.Or(strings.Compare(a.file, b.file), a.list-b.list)
	})
	out := make([]Diagnostic, 0, n)
	for i := 0; i < len(rs); {
		j := i + 1
		for j < len(rs) && rs[j].file == rs[i].file {
			j++
		}
		start := len(out)
		for _, r := range rs[i:j] {
			out = append(out, r.diags...)
		}
		if j-i > 1 {
			Sort(out[start:])
		}
		i = j
	}
	return out
}
