// Package e2e holds the end-to-end tests of the generated site: they build the
// real site from content/ and check it the way a reader's browser and the
// W3C validator see it, over real HTTP and from disk.
//
// The tests need Chromium, Java and the npm packages axe-core and vnu-jar
// (`make browser node`). Without them they skip, unless DISCLOSE_E2E=require
// is set, as `make test` does; then a missing tool fails the run.
//
// `go test ./internal/e2e -run TestScreenshot -screenshot` rewrites
// docs/screens/*.png, the pictures in the README.
//
// It is a package for tests only (see internal/arch): it may import
// anything, and no package that ships imports it.
package e2e
