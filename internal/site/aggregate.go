package site

import (
	"fmt"
	"strings"

	"disclose/internal/model"
)

// Aggregate describes everything the site-wide files (home and the pages
// of the report list, comparisons and their pages by province, categories
// and their pages, 公开情况, search index, feed, sitemap) show of one
// department. TestHeavyAggregateCoversSiteWidePages holds it to the
// rendered pages.
// When an edit leaves it unchanged, those files come out the same, and a
// rebuild need not render them. It over-approximates: any figure a
// site-wide page could show is in it. Which pages there are, and which
// rows each holds, follows from the years, regions and categories in it:
// only a department that comes or goes, or an edit that changes one of
// those, moves rows between pages.
func (s *Site) Aggregate(deptID string) string {
	s.deptsOnce.Do(func() {
		s.depts = make(map[string][]*model.Department, len(s.m.Departments))
		for _, d := range s.m.Departments {
			s.depts[d.ID] = append(s.depts[d.ID], d)
		}
	})
	var b strings.Builder
	for _, d := range s.depts[deptID] {
		fmt.Fprintf(&b, "%q %q %q %q %q %v\n", d.Name, d.ShortName, d.BudgetCode, d.Authority, d.Level, d.Region)
		for _, r := range d.Reports {
			row := s.summary(r, "")
			// The key and kind name the document in the lists, the
			// comparison's list of other documents and the search index.
			fmt.Fprintf(&b, "%d %q %q %q %+v\n", r.Year, r.Key(), r.DocKind(), r.Title, flatRow(row))
			// The scope marks and notes the comparisons print (they name
			// the funds a figure comes from).
			fmt.Fprintf(&b, "scope:%+v\n", row.Scopes)
			if pe := r.ProjectEval; pe != nil {
				b.WriteString("pe:" + pe.Name + "\n")
			}
			o := r.Overview()
			for _, f := range []*model.Figure{o.Budget, o.Income, o.Expenditure, o.Basic, o.Project} {
				if f != nil {
					fmt.Fprintf(&b, "%s/%v ", f.Value, f.Computed)
				} else {
					b.WriteString("- ")
				}
			}
			if o.Score != nil {
				b.WriteString(o.Score.String())
			}
			if t := r.ThreePublic; t != nil && t.Total != nil {
				// As the comparison prints them: the published figures and
				// the stated rate and changes.
				fmt.Fprintf(&b, " 3p:%s/%s/%s/%s/%s/%s", publishedText(t.Total.Budget), publishedText(t.Total.Actual),
					percentText(t.Total.Rate), deltaText(t.Total.Change), deltaText(t.Total.ChangeRate), amountText(t.Total.Prior))
			}
			for _, c := range r.Categories() {
				// The code too: it decides the class a line is compared under.
				fmt.Fprintf(&b, " %s/%s/%s/%v/%s", c.Kind, c.Name, c.Amount, c.Computed, c.Code)
			}
			// Every line's name, as the search index holds them.
			b.WriteString(" lines:" + strings.Join(categoryNames(r), "|"))
			if dt := publicationDate(r); dt != nil {
				b.WriteString(" " + dt.ISO())
			}
			if r.Source != nil {
				b.WriteString(" " + r.Source.Publisher)
			}
			for _, t := range r.Targets {
				b.WriteString("\n" + t.Text)
			}
			for _, p := range r.Projects {
				b.WriteString("\n" + p.Name)
			}
			b.WriteString("\n" + r.Narrative.Summary + "\n")
		}
	}
	// The 公开情况 page: what the profile finds of the department's
	// disclosures (an execution rate that a figure's edit takes below
	// 90% needs a reason, for one).
	for _, row := range s.compliance.Rows {
		if row.Dept.ID != deptID {
			continue
		}
		for _, it := range row.Items {
			key := ""
			if it.Report != nil {
				key = it.Report.Key()
			}
			t := it.Timing
			fmt.Fprintf(&b, "compliance %d %s %v %q %q %d %s %s %s %d %d %q %+v %+v\n", row.Year, it.Kind, it.Required, it.Basis, key,
				t.State, dateText(t.Approved), dateText(t.Published), dateText(t.Due), t.Days, t.LateDays, t.Reason+"|"+t.Basis, it.Missing, it.Undecided)
		}
	}
	return b.String()
}

func dateText(d *model.Date) string {
	if d == nil {
		return "-"
	}
	return d.ISO()
}

// flatRow renders a summary row without pointers, so that two equal rows
// print the same.
func flatRow(r summaryRow) string {
	unit := ""
	if r.Three != nil {
		unit = r.Three.Unit
	}
	return fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s%s|%s|%d", r.Dept, r.Kind, r.Region,
		r.Budget.String(), r.Expenditure.String(), r.Basic.String(), r.Project.String(),
		r.BasicShare, r.ProjectShare, r.StatedRate, r.ComputedRate, r.Three.String(), unit, r.Score, r.Checks)
}

func amountText(a *model.Amount) string {
	if a == nil {
		return "-"
	}
	return a.Value.String()
}

// publishedText is an amount as a page shows it: its value and the literal
// it was published as.
func publishedText(a *model.Amount) string {
	if a == nil {
		return "-"
	}
	return a.Value.String() + "=" + a.Published
}
