// Package stdcrypto derives sync keys and seals batches with Go's standard library (crypto/hkdf,
// crypto/aes, crypto/cipher): the reference implementation of syncproto's cryptography, used on
// servers and in tests. The browser does the same with Web Crypto (wasm/webcrypto).
package stdcrypto

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/issmp-study/issmp/syncproto"
)

// Derive is a syncproto.Deriver.
func Derive(c syncproto.Code) (syncproto.Keys, syncproto.Sealer, error) {
	expand := func(info string, n int) ([]byte, error) {
		return hkdf.Key(sha256.New, c[:], []byte(syncproto.HKDFSalt), info, n)
	}
	id, err := expand(syncproto.InfoID, 16)
	if err != nil {
		return syncproto.Keys{}, nil, fmt.Errorf("sync: deriving keys: %w", err)
	}
	token, err := expand(syncproto.InfoToken, 32)
	if err != nil {
		return syncproto.Keys{}, nil, fmt.Errorf("sync: deriving keys: %w", err)
	}
	key, err := expand(syncproto.InfoKey, 32)
	if err != nil {
		return syncproto.Keys{}, nil, fmt.Errorf("sync: deriving keys: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return syncproto.Keys{}, nil, fmt.Errorf("sync: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return syncproto.Keys{}, nil, fmt.Errorf("sync: %w", err)
	}
	k := syncproto.Keys{LegacyID: hex.EncodeToString(id), Token: base64.RawURLEncoding.EncodeToString(token)}
	k.ID = IDForToken(k.Token)
	return k, Sealer{aead: aead, ad: syncproto.AdditionalData(k.LegacyID)}, nil
}

// IDForToken is the log id that belongs to a token (syncproto.IDInput): what the server checks.
func IDForToken(token string) string {
	sum := sha256.Sum256(syncproto.IDInput(token))
	return syncproto.IDFromSum(sum[:])
}

// Sealer seals with one log's key.
type Sealer struct {
	aead cipher.AEAD
	ad   []byte
}

// Seal implements syncproto.Sealer.
func (s Sealer) Seal(plain []byte, random io.Reader) ([]byte, error) {
	out := make([]byte, 1+syncproto.NonceLen, syncproto.SealOverhead+len(plain))
	out[0] = syncproto.SealVersion
	if _, err := io.ReadFull(random, out[1:]); err != nil {
		return nil, fmt.Errorf("sync: drawing a nonce: %w", err)
	}
	return s.aead.Seal(out, out[1:], plain, s.ad), nil
}

// Open implements syncproto.Sealer.
func (s Sealer) Open(sealed []byte) ([]byte, error) {
	if err := syncproto.CheckSealed(sealed); err != nil {
		return nil, err
	}
	plain, err := s.aead.Open(nil, sealed[1:1+syncproto.NonceLen], sealed[1+syncproto.NonceLen:], s.ad)
	if err != nil {
		return nil, syncproto.ErrTampered
	}
	return plain, nil
}
