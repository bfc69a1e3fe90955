package syncproto

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
)

// Keys are what a device derives from a sync code and shows the server: the log's id and the
// token that proves the device holds the code. The encryption key, derived beside them, stays in
// the Sealer and never leaves the device.
type Keys struct {
	ID    string // the log's name on the server: 32 hex characters, IDForToken of the token
	Token string // proof of holding the code: 43 characters of unpadded base64url
	// LegacyID is the name apps before protocol 1.1 gave the log (HKDF label InfoID). The server
	// cannot check it against the token, so it registers no new log under it; a device moves
	// what an old log holds to ID (syncclient). Batches stay bound to it (AdditionalData), so
	// they open under either name.
	LegacyID string
}

// Sealer seals and opens a log's batches with AES-256-GCM under the key derived from its code.
type Sealer interface {
	Seal(plain []byte, random io.Reader) ([]byte, error)
	Open(sealed []byte) ([]byte, error)
}

// Deriver turns a code into its keys and sealer. Two implementations compute the same bytes: Go's
// standard library (syncproto/stdcrypto) and the browser's Web Crypto (wasm/webcrypto), which
// keeps Go's cryptography out of the WebAssembly module.
type Deriver func(Code) (Keys, Sealer, error)

// Key derivation is HKDF-SHA256 (RFC 5869) of the code's 16 bytes with this salt, expanded under
// three labels into the legacy id (16 bytes, hex), the token (32 bytes, base64url) and the AES-256
// key. A new protocol version gets new labels, so its keys are unrelated to these.
const (
	HKDFSalt  = "issmp-sync-v1"
	InfoID    = "server id"
	InfoToken = "auth token"
	InfoKey   = "batch encryption key (AES-256-GCM)"
	// IDLabel prefixes the token in the SHA-256 that names the log (IDInput).
	IDLabel = "issmp-sync-id "
)

// IDInput is what a log's id is the SHA-256 of: IDLabel and the token. So the server can check an
// id against the token that comes with it, and nobody who learns an id can register it first
// with a token of their own. (The SHA-256 is left to the caller: the browser computes it with Web
// Crypto, which keeps Go's hash code out of the WebAssembly module.)
func IDInput(token string) []byte { return []byte(IDLabel + token) }

// IDFromSum is the id named by the SHA-256 of IDInput: its first 16 bytes in hex.
func IDFromSum(sum []byte) string { return hex.EncodeToString(sum[:16]) }

// A sealed batch is: one version byte, a 12-byte random nonce, then the AES-256-GCM ciphertext and
// its 16-byte tag. The additional data binds it to the protocol version and the log's id, so a
// batch copied from another log fails to open.
const (
	SealVersion = 1
	NonceLen    = 12
	TagLen      = 16
	// SealOverhead is how many bytes sealing adds to a plaintext.
	SealOverhead = 1 + NonceLen + TagLen
)

// AdditionalData is what a log's batches are bound to: the code's legacy id, which is unique to
// the code like the id, so a batch copied from another code's log does not open.
func AdditionalData(legacyID string) []byte { return []byte(HKDFSalt + " " + legacyID) }

// ErrTampered is wrapped when a sealed batch does not open: it was altered, or was sealed with
// another sync code's key.
var ErrTampered = errors.New("a synced batch failed its integrity check: it was altered, or was written with another sync code")

// ValidID reports whether s has the shape of a derived id.
func ValidID(s string) bool {
	if len(s) != 32 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// ValidToken reports whether s has the shape of a derived token.
func ValidToken(s string) bool {
	if len(s) != 43 {
		return false
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == 32
}

// CheckSealed checks a sealed batch's length and version before it is opened.
func CheckSealed(sealed []byte) error {
	if len(sealed) < SealOverhead {
		return fmt.Errorf("%w (it is too short)", ErrTampered)
	}
	if sealed[0] != SealVersion {
		return fmt.Errorf("%w (unknown format %d: a newer app may have written it; reload to update)", ErrTampered, sealed[0])
	}
	return nil
}
