// Package arch owns no code: its test (layers_test.go) holds the table of
// layers that says which internal package may import which, and fails when
// an import goes the wrong way or a package is in no layer. The table is
// the map of the program: model ← content ← check ← render ← build ←
// preview, cli ← cmd. Layer 0: it imports nothing.
package arch
