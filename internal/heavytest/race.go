//go:build race

package heavytest

// RaceEnabled is whether the test binary was built with -race.
const RaceEnabled = true
