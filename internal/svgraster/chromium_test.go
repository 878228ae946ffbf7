package svgraster

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"testing"

	"disclose/internal/chromium"
	"disclose/internal/imagediff"
)

// TestAgainstChromium draws each feature file in Chromium, the reference,
// and requires the Go rendering to match it within the limits the chart
// images are held to (imagediff.AcrossRenderers explains them).
func TestAgainstChromium(t *testing.T) {
	c, err := chromium.New()
	if errors.Is(err, chromium.ErrNotFound) && os.Getenv("DISCLOSE_E2E") != "require" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	eachFeature(t, func(t *testing.T, name string, svg []byte, got *image.RGBA) {
		ref, err := c.PNG(svg, 200, 150, 2)
		if err != nil {
			t.Fatal(err)
		}
		want, err := png.Decode(bytes.NewReader(ref))
		if err != nil {
			t.Fatal(err)
		}
		res, err := imagediff.AcrossRenderers.Check(got, want)
		t.Logf("%s: %v", name, res)
		if err != nil {
			writeMask(t, name, res)
			t.Error(err)
		}
	})
}
