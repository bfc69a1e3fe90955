// Package syncproto is the sync service's wire format and its cryptography: the sync code a
// candidate carries between devices, the keys derived from it, the sealing of event batches with
// AES-256-GCM, and the JSON of push and pull. It knows nothing of events or HTTP; the server only
// ever sees the id, a token it can check, and sealed bytes. See docs/SYNC.md.
package syncproto

import (
	"encoding/base32"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
)

// Code is a sync code: 128 random bits that every device of one candidate shares. Whoever holds
// it can read and write that candidate's progress, so it is shown only on the candidate's devices.
type Code [16]byte

// codeChars is the base32 alphabet of RFC 4648 (A-Z, 2-7): no 0, 1, 8 or 9 to misread.
var codeEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

const (
	codeDataChars = 26 // 128 bits in base32
	codeCheckLen  = 2  // 10 check bits catch a mistyped character
	codeLen       = codeDataChars + codeCheckLen
	groupLen      = 4
)

// ErrCodeTypo is wrapped when a code has the right shape but a wrong character.
var ErrCodeTypo = errors.New("the sync code has a typo: compare it with the code on your other device")

// NewCode draws a code from a source of randomness (crypto/rand.Reader in production).
func NewCode(random io.Reader) (Code, error) {
	var c Code
	if _, err := io.ReadFull(random, c[:]); err != nil {
		return c, fmt.Errorf("sync: drawing a sync code: %w", err)
	}
	return c, nil
}

// String writes the code as 28 base32 characters in groups of four, e.g.
// "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23"; the last two characters are a check.
func (c Code) String() string {
	s := c.Compact()
	var b strings.Builder
	for i := 0; i < len(s); i += groupLen {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(s[i:min(i+groupLen, len(s))])
	}
	return b.String()
}

// Compact writes the code without separators, as in a link.
func (c Code) Compact() string {
	data := codeEncoding.EncodeToString(c[:])
	return data + check(c)
}

// check is the code's two check characters: 10 bits of its CRC-32, in base32. A checksum, not a
// secret: it catches typing mistakes.
func check(c Code) string {
	sum := crc32.ChecksumIEEE(c[:])
	return codeEncoding.EncodeToString([]byte{byte(sum >> 24), byte(sum >> 16)})[:codeCheckLen]
}

// ParseCode reads a code as a person may type it: any case, with or without hyphens or spaces, and
// with the digits 0, 1 and 8 read as the letters O, I and B they are mistaken for.
func ParseCode(s string) (Code, error) {
	var c Code
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ' || r == '\t' || r == '\n' || r == '\r':
			continue
		case r == '0':
			r = 'O'
		case r == '1':
			r = 'I'
		case r == '8':
			r = 'B'
		}
		if !(r >= 'A' && r <= 'Z' || r >= '2' && r <= '7') {
			return c, fmt.Errorf("a sync code has only letters and the digits 2 to 7; %q is not one of them", r)
		}
		b.WriteRune(r)
	}
	t := b.String()
	if len(t) != codeLen {
		return c, fmt.Errorf("a sync code has %d characters; this one has %d: copy it again from your other device", codeLen, len(t))
	}
	data, err := codeEncoding.DecodeString(t[:codeDataChars])
	if err != nil || len(data) != len(c) {
		return c, ErrCodeTypo
	}
	copy(c[:], data)
	if check(c) != t[codeDataChars:] || codeEncoding.EncodeToString(c[:]) != t[:codeDataChars] {
		return Code{}, ErrCodeTypo
	}
	return c, nil
}
