package boltstore

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/issmp-study/issmp/lambda/syncstore"
)

// meta is a log's entry in the bucket "logs".
type meta struct {
	token   []byte
	epoch   string
	last    int64 // the log's last sequence number: the next append starts above it
	bytes   int64
	expires time.Time
}

// metaFormat is the first byte of an encoded meta, so a later layout can tell this one apart.
const metaFormat = 1

// metaFixed is the length of an encoded meta before its token: format, last, bytes, expiry,
// and the token's length.
const metaFixed = 1 + 8 + 8 + 8 + 1

// encode lays a meta out as: format | last | bytes | expires (Unix ns) | len(token) | token |
// epoch, integers 8 bytes big-endian.
func (m meta) encode() []byte {
	b := make([]byte, 0, metaFixed+len(m.token)+len(m.epoch))
	b = append(b, metaFormat)
	b = binary.BigEndian.AppendUint64(b, uint64(m.last))
	b = binary.BigEndian.AppendUint64(b, uint64(m.bytes))
	b = binary.BigEndian.AppendUint64(b, uint64(m.expires.UnixNano()))
	b = append(b, byte(len(m.token)))
	b = append(b, m.token...)
	return append(b, m.epoch...)
}

// decodeMeta reads what encode wrote; anything else is ErrCorrupt. The result does not share
// memory with v, which bbolt reuses once its transaction ends.
func decodeMeta(v []byte) (meta, error) {
	if len(v) < metaFixed || v[0] != metaFormat || len(v) < metaFixed+int(v[metaFixed-1]) {
		return meta{}, fmt.Errorf("a log meta of %d bytes does not decode: %w", len(v), syncstore.ErrCorrupt)
	}
	n := metaFixed + int(v[metaFixed-1])
	return meta{
		last:    int64(binary.BigEndian.Uint64(v[1:9])),
		bytes:   int64(binary.BigEndian.Uint64(v[9:17])),
		expires: time.Unix(0, int64(binary.BigEndian.Uint64(v[17:25]))).UTC(),
		token:   append([]byte(nil), v[metaFixed:n]...),
		epoch:   string(v[n:]),
	}, nil
}

// log is what a meta tells the caller.
func (m meta) log() syncstore.Log {
	return syncstore.Log{TokenHash: m.token, Epoch: m.epoch, Bytes: m.bytes, Expires: m.expires}
}

// counter is one of Take's allowances: uses counted so far, and when it ends.
type counter struct {
	n       int64
	expires time.Time
}

// encode lays a counter out as n | expires (Unix ns), 8 bytes big-endian each.
func (c counter) encode() []byte {
	b := binary.BigEndian.AppendUint64(nil, uint64(c.n))
	return binary.BigEndian.AppendUint64(b, uint64(c.expires.UnixNano()))
}

func decodeCounter(v []byte) (counter, error) {
	if len(v) != 16 {
		return counter{}, fmt.Errorf("a counter of %d bytes does not decode: %w", len(v), syncstore.ErrCorrupt)
	}
	return counter{
		n:       int64(binary.BigEndian.Uint64(v[:8])),
		expires: time.Unix(0, int64(binary.BigEndian.Uint64(v[8:]))).UTC(),
	}, nil
}
