// Command icons draws the app's icons (the site's diamond mark) as PNG files for the web manifest:
// 192 and 512 pixels, and a 512-pixel maskable icon whose mark stays inside the safe zone; and a
// 32-pixel favicon.ico beside DIR, for the agents that ask for /favicon.ico whatever the page says.
// Run it after changing the design: go run ./cmd/icons site/static/icons
package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
)

var (
	blue  = color.RGBA{0x0b, 0x4f, 0x8a, 0xff}
	white = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// draw renders the mark at size px: a rounded blue square (or a full bleed for maskable icons)
// with a white diamond whose half-diagonal is scale of the half-size.
func draw(size int, maskable bool) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	s := float64(size)
	radius := 0.19 * s
	scale := 0.6875
	if maskable {
		radius, scale = 0, 0.48 // the safe zone is the inner 80% circle
	}
	c := s / 2
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			// Sample 4x4 per pixel for smooth edges.
			var inBg, inMark float64
			for sy := 0; sy < 4; sy++ {
				for sx := 0; sx < 4; sx++ {
					px, py := float64(x)+(float64(sx)+0.5)/4, float64(y)+(float64(sy)+0.5)/4
					if insideRounded(px, py, s, radius) {
						inBg++
						if math.Abs(px-c)+math.Abs(py-c) <= scale*c {
							inMark++
						}
					}
				}
			}
			a := inBg / 16
			if a == 0 {
				continue
			}
			m := inMark / 16 / a
			mix := func(b, w uint8) uint8 { return uint8(math.Round(float64(b)*(1-m) + float64(w)*m)) }
			img.SetRGBA(x, y, color.RGBA{mix(blue.R, white.R), mix(blue.G, white.G), mix(blue.B, white.B), uint8(math.Round(255 * a))})
		}
	}
	return img
}

func insideRounded(x, y, s, r float64) bool {
	if r == 0 {
		return true
	}
	cx := math.Min(math.Max(x, r), s-r)
	cy := math.Min(math.Max(y, r), s-r)
	return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: icons DIR")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "icons:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	for _, icon := range []struct {
		name     string
		size     int
		maskable bool
	}{{"icon-192.png", 192, false}, {"icon-512.png", 512, false}, {"maskable-512.png", 512, true}, {"apple-touch-icon.png", 180, true}} {
		data, err := encodePNG(draw(icon.size, icon.maskable))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, icon.name), data, 0o644); err != nil {
			return err
		}
	}
	data, err := encodePNG(draw(32, false))
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "..", "favicon.ico"), favicon(data, 32), 0o644)
}

func encodePNG(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	err := png.Encode(&b, img)
	return b.Bytes(), err
}

// favicon wraps a size-pixel square PNG as a one-image ICO file, which every current browser reads.
func favicon(png []byte, size int) []byte {
	var b bytes.Buffer
	// ICONDIR (reserved, type 1 = icon, one image), then one ICONDIRENTRY; the PNG follows at 22.
	binary.Write(&b, binary.LittleEndian, [3]uint16{0, 1, 1})
	b.Write([]byte{byte(size), byte(size), 0, 0})
	binary.Write(&b, binary.LittleEndian, [2]uint16{1, 32})
	binary.Write(&b, binary.LittleEndian, [2]uint32{uint32(len(png)), 22})
	b.Write(png)
	return b.Bytes()
}
