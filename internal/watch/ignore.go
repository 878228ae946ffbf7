package watch

import (
	"strconv"
	"strings"
)

// IsIgnored reports whether a file or folder named name (a base name, not
// a path) never counts as a change: dotfiles and dot-folders such as .git,
// and the temporary, swap, lock and backup files of editors (IsEditorTemp).
// The site never publishes such names, so a rebuild for them would only
// flicker the preview.
func IsIgnored(name string) bool {
	return strings.HasPrefix(name, ".") || IsEditorTemp(name)
}

// IsEditorTemp reports whether name (a base name) is one of the files that
// editors and tools write beside the file being edited: vim's 4913 probe,
// swap files and ~ backups, Emacs' #autosave# and .#lock files, JetBrains'
// ___jb_tmp___ and ___jb_old___, Office's ~$ lock files, sed -i's sedXXXXXX,
// and .tmp / .tmp123 / .temp / .crswap files that are renamed over the real
// file when it is saved.
//
// It must not match a real content or theme file: .tmpl (templates) and
// .svg are deliberately not matched.
func IsEditorTemp(name string) bool {
	if name == "" {
		return false
	}
	switch {
	case strings.HasPrefix(name, ".#"): // Emacs lock (a dangling symlink)
		return true
	case len(name) >= 2 && strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"): // Emacs autosave
		return true
	case strings.HasSuffix(name, "~"), strings.HasPrefix(name, "~"): // backups; Office ~$lock and ~WRL temp files
		return true
	case strings.Contains(name, "___jb_tmp___"), strings.Contains(name, "___jb_old___"):
		return true
	case isVimProbe(name), isSedTemp(name):
		return true
	}
	lower := strings.ToLower(name)
	for _, suf := range []string{".swp", ".swo", ".swn", ".swx", ".swpx", ".crswap"} {
		if strings.HasSuffix(lower, suf) {
			return true
		}
	}
	// Any extension, not only the last: "a.yaml.tmp", "a.tmp123", "a.tmp.4821".
	parts := strings.Split(lower, ".")
	for _, ext := range parts[1:] {
		if ext == "temp" || isTmpExt(ext) {
			return true
		}
	}
	return false
}

// isTmpExt matches "tmp" and "tmp" followed by digits only, so that the
// theme's ".tmpl" templates are not taken for temporary files.
func isTmpExt(ext string) bool {
	rest, ok := strings.CutPrefix(ext, "tmp")
	if !ok {
		return false
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// isVimProbe matches the file vim creates to test whether it may write in a
// folder: 4913, or 4913+123n when that name is taken.
func isVimProbe(name string) bool {
	if len(name) < 4 || len(name) > 6 {
		return false
	}
	n, err := strconv.Atoi(name)
	if err != nil || name[0] == '+' || name[0] == '-' {
		return false
	}
	return n >= 4913 && (n-4913)%123 == 0
}

// isSedTemp matches the temporary file of GNU sed -i ("sed" and six random
// letters or digits, no extension), which is renamed over the edited file.
func isSedTemp(name string) bool {
	rest, ok := strings.CutPrefix(name, "sed")
	if !ok || len(rest) != 6 {
		return false
	}
	for _, c := range rest {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
