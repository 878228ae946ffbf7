package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"disclose/internal/build"
	"disclose/internal/diag"
)

// buildSite builds the real site from content/ with the default theme.
func buildSite(out string) error {
	ctx, cancel := context.WithTimeout(context.Background(), patient(2*time.Minute))
	defer cancel()
	res, err := build.Build(ctx, build.Options{
		Content: filepath.Join(repoRoot, "content"),
		Out:     out,
		BaseURL: baseURL,
	})
	if err != nil {
		var b strings.Builder
		diag.WriteText(&b, res.Diagnostics, diag.Zh)
		return fmt.Errorf("%w\n%s", err, b.String())
	}
	return nil
}
