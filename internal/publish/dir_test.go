package publish_test

import (
	"testing"

	"disclose/internal/publish"
	"disclose/internal/publish/storetest"
)

// The deploy directory keeps the Store contract as the SFTP server does:
// the same checks, method by method.
func TestDirConformance(t *testing.T) {
	root := t.TempDir()
	s, err := publish.Dir(root)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.Conformance(t, s, root)
}
