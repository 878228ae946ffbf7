package svgraster

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
)

// encodePNG writes img as a PNG: 8-bit RGB when every pixel is opaque
// (a chart on its white background), else RGBA. It is image/png's output
// format with one difference in method: each row is filtered with "Up"
// rather than whichever of the five filters scores best, which for flat
// chart images compresses about as well and takes a third of the time.
func encodePNG(img *image.RGBA) ([]byte, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	opaque := img.Opaque()
	bpp := 4
	colorType := byte(6) // truecolour with alpha
	if opaque {
		bpp, colorType = 3, 2
	}
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, colorType // bit depth, colour type; the rest 0
	chunk(&out, "IHDR", ihdr)

	var data bytes.Buffer
	zw, err := zlib.NewWriterLevel(&data, zlib.BestSpeed)
	if err != nil {
		return nil, err
	}
	stride := w * bpp
	prev := make([]byte, stride)
	cur := make([]byte, stride)
	line := make([]byte, 1+stride)
	for y := range h {
		src := img.Pix[img.PixOffset(img.Rect.Min.X, img.Rect.Min.Y+y):]
		if opaque {
			for x := range w {
				copy(cur[3*x:3*x+3], src[4*x:4*x+3])
			}
		} else {
			// PNG stores straight alpha; image.RGBA is premultiplied.
			for x := range w {
				p := src[4*x : 4*x+4]
				a := uint32(p[3])
				if a == 0 {
					copy(cur[4*x:4*x+4], []byte{0, 0, 0, 0})
					continue
				}
				cur[4*x] = uint8(uint32(p[0]) * 255 / a)
				cur[4*x+1] = uint8(uint32(p[1]) * 255 / a)
				cur[4*x+2] = uint8(uint32(p[2]) * 255 / a)
				cur[4*x+3] = p[3]
			}
		}
		line[0] = 2 // filter type Up
		for i, c := range cur {
			line[1+i] = c - prev[i]
		}
		if _, err := zw.Write(line); err != nil {
			return nil, err
		}
		prev, cur = cur, prev
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	chunk(&out, "IDAT", data.Bytes())
	chunk(&out, "IEND", nil)
	return out.Bytes(), nil
}

func chunk(b *bytes.Buffer, kind string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	b.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(kind))
	crc.Write(data)
	b.WriteString(kind)
	b.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	b.Write(n[:])
}
