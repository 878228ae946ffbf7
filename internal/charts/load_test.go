package charts

import (
	"io/fs"

	"disclose/internal/check"
	"disclose/internal/content"
	"disclose/internal/diag"
	"disclose/internal/model"
)

// loadChecked reads and checks the content tree in fsys as build.LoadFS
// does; build imports charts, so charts's own tests cannot call it.
func loadChecked(fsys fs.FS, display string) (*model.Site, []diag.Diagnostic) {
	m, ds := content.Load(fsys, display)
	ds = append(ds, check.Site(m)...)
	diag.Sort(ds)
	return m, ds
}
