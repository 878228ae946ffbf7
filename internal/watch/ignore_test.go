package watch

import "testing"

func TestIsEditorTemp(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		// vim
		{"4913", true},
		{"5036", true}, // 4913+123, when 4913 is taken
		{"4914", false},
		{"2023", false},
		{"report.yaml~", true},
		{".report.yaml.swp", true},
		{".report.yaml.swx", true},
		{"report.yaml.swo", true},
		{"report.yaml.swpx", true},
		// Emacs
		{".#report.yaml", true},
		{"#report.yaml#", true},
		{"#", false},
		{"#tag", false},
		// JetBrains
		{"report.yaml___jb_tmp___", true},
		{"report.yaml___jb_old___", true},
		// rename-over saves
		{"report.yaml.tmp", true},
		{"report.yaml.tmp123", true},
		{"report.tmp.4821", true},
		{"report.yaml.TMP", true},
		{"report.yaml.temp", true},
		{"report.yaml.crswap", true},
		{"sedAb12Cd", true},
		// Office
		{"~$funds.xlsx", true},
		{"~WRL0001.tmp", true},
		// real content and theme files
		{"2023.yaml", false},
		{"report.md", false},
		{"base.tmpl", false},
		{"page.html.tmpl", false},
		{"report.template.md", false},
		{"logo.svg", false},
		{"tmp.yaml", false},
		{"temp", false},
		{"sed.yaml", false},
		{"sediment", false},
		{"民政局.yaml", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsEditorTemp(tt.name); got != tt.want {
			t.Errorf("IsEditorTemp(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestIsIgnored(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{".git", true},
		{".hidden", true},
		{".report.yaml.tmp", true},
		{".goutputstream-ABC123", true},
		{"report.yaml~", true},
		{"content", false},
		{"2023.yaml", false},
		{"style.css", false},
	}
	for _, tt := range tests {
		if got := IsIgnored(tt.name); got != tt.want {
			t.Errorf("IsIgnored(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestIsUnder(t *testing.T) {
	tests := []struct {
		p, dir string
		want   bool
	}{
		{"/a/b", "/a", true},
		{"/a", "/a", false},
		{"/ab", "/a", false},
		{"/a/b", "/", true},
		{"content/x.yaml", "content", true},
		{"contentx/x.yaml", "content", false},
		{"x.yaml", ".", true},
		{"../x.yaml", ".", false},
		{"..x", ".", true},
		{"/x", ".", false},
	}
	for _, tt := range tests {
		if got := isUnder(tt.p, tt.dir); got != tt.want {
			t.Errorf("isUnder(%q, %q) = %v, want %v", tt.p, tt.dir, got, tt.want)
		}
	}
}
