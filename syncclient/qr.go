package syncclient

import (
	"fmt"
	"strings"

	"rsc.io/qr"
)

// QR is a QR code drawn as one SVG path: Size modules square, including a 4-module quiet zone,
// and D the path's data, one unit square per dark module.
type QR struct {
	Size int
	D    string
}

// NewQR encodes text (the join link) as a QR code with medium error correction, which a phone's
// camera reads from a screen with ease.
func NewQR(text string) (QR, error) {
	c, err := qr.Encode(text, qr.M)
	if err != nil {
		return QR{}, fmt.Errorf("sync: drawing the QR code: %w", err)
	}
	const quiet = 4
	var d strings.Builder
	for y := 0; y < c.Size; y++ {
		for x := 0; x < c.Size; {
			if !c.Black(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < c.Size && c.Black(x+run, y) {
				run++
			}
			fmt.Fprintf(&d, "M%d %dh%dv1h-%dz", x+quiet, y+quiet, run, run)
			x += run
		}
	}
	return QR{Size: c.Size + 2*quiet, D: d.String()}, nil
}

// JoinLink is the link a QR code carries: the settings page with the code in the fragment, which
// the browser never sends to any server.
func JoinLink(origin string, c interface{ Compact() string }) string {
	return strings.TrimSuffix(origin, "/") + "/settings/#sync=" + c.Compact()
}
