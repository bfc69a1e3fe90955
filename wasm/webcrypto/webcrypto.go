//go:build js && wasm

// Package webcrypto derives sync keys and seals batches with the browser's Web Crypto API
// (crypto.subtle): the same bytes as syncproto/stdcrypto, without linking Go's cryptography into
// the WebAssembly module (about 60 KB of brotli). The AES key is imported as non-extractable, so
// not even the page's own script can read it back.
package webcrypto

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"syscall/js"

	"github.com/issmp-study/issmp/syncproto"
	"github.com/issmp-study/issmp/wasm/dom"
)

// ErrUnavailable is returned where the browser offers no Web Crypto: outside a secure context
// (https, or localhost), or in a very old browser.
var ErrUnavailable = errors.New("this browser offers no Web Crypto here (it needs https): sync cannot encrypt your progress")

func subtle() (js.Value, error) {
	c := js.Global().Get("crypto")
	if !c.Truthy() || !c.Get("subtle").Truthy() {
		return js.Value{}, ErrUnavailable
	}
	return c.Get("subtle"), nil
}

func toJS(b []byte) js.Value {
	arr := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(arr, b)
	return arr
}

func fromJS(buf js.Value) []byte {
	arr := js.Global().Get("Uint8Array").New(buf)
	out := make([]byte, arr.Length())
	js.CopyBytesToGo(out, arr)
	return out
}

// Derive is a syncproto.Deriver. It waits on promises: call it from a goroutine.
func Derive(c syncproto.Code) (syncproto.Keys, syncproto.Sealer, error) {
	s, err := subtle()
	if err != nil {
		return syncproto.Keys{}, nil, err
	}
	base, err := dom.Await(s.Call("importKey", "raw", toJS(c[:]), "HKDF", false, []any{"deriveBits"}))
	if err != nil {
		return syncproto.Keys{}, nil, fmt.Errorf("sync: importing the code: %w", err)
	}
	expand := func(info string, n int) ([]byte, error) {
		params := map[string]any{"name": "HKDF", "hash": "SHA-256", "salt": toJS([]byte(syncproto.HKDFSalt)), "info": toJS([]byte(info))}
		buf, err := dom.Await(s.Call("deriveBits", params, base, n*8))
		if err != nil {
			return nil, fmt.Errorf("sync: deriving keys: %w", err)
		}
		return fromJS(buf), nil
	}
	id, err := expand(syncproto.InfoID, 16)
	if err != nil {
		return syncproto.Keys{}, nil, err
	}
	token, err := expand(syncproto.InfoToken, 32)
	if err != nil {
		return syncproto.Keys{}, nil, err
	}
	raw, err := expand(syncproto.InfoKey, 32)
	if err != nil {
		return syncproto.Keys{}, nil, err
	}
	key, err := dom.Await(s.Call("importKey", "raw", toJS(raw), map[string]any{"name": "AES-GCM"}, false, []any{"encrypt", "decrypt"}))
	clear(raw)
	if err != nil {
		return syncproto.Keys{}, nil, fmt.Errorf("sync: importing the key: %w", err)
	}
	k := syncproto.Keys{LegacyID: hex.EncodeToString(id), Token: base64.RawURLEncoding.EncodeToString(token)}
	sum, err := dom.Await(s.Call("digest", "SHA-256", toJS(syncproto.IDInput(k.Token))))
	if err != nil {
		return syncproto.Keys{}, nil, fmt.Errorf("sync: naming the log: %w", err)
	}
	k.ID = syncproto.IDFromSum(fromJS(sum))
	return k, Sealer{subtle: s, key: key, ad: syncproto.AdditionalData(k.LegacyID)}, nil
}

// Sealer seals with one log's non-extractable AES-GCM key.
type Sealer struct {
	subtle js.Value
	key    js.Value
	ad     []byte
}

func (s Sealer) params(nonce []byte) map[string]any {
	return map[string]any{"name": "AES-GCM", "iv": toJS(nonce), "additionalData": toJS(s.ad), "tagLength": syncproto.TagLen * 8}
}

// Seal implements syncproto.Sealer.
func (s Sealer) Seal(plain []byte, random io.Reader) ([]byte, error) {
	out := make([]byte, 1+syncproto.NonceLen, syncproto.SealOverhead+len(plain))
	out[0] = syncproto.SealVersion
	if _, err := io.ReadFull(random, out[1:]); err != nil {
		return nil, fmt.Errorf("sync: drawing a nonce: %w", err)
	}
	buf, err := dom.Await(s.subtle.Call("encrypt", s.params(out[1:]), s.key, toJS(plain)))
	if err != nil {
		return nil, fmt.Errorf("sync: encrypting: %w", err)
	}
	return append(out, fromJS(buf)...), nil
}

// Open implements syncproto.Sealer.
func (s Sealer) Open(sealed []byte) ([]byte, error) {
	if err := syncproto.CheckSealed(sealed); err != nil {
		return nil, err
	}
	buf, err := dom.Await(s.subtle.Call("decrypt", s.params(sealed[1:1+syncproto.NonceLen]), s.key, toJS(sealed[1+syncproto.NonceLen:])))
	if err != nil {
		return nil, syncproto.ErrTampered
	}
	return fromJS(buf), nil
}

// SHA256 hashes data with Web Crypto.
func SHA256(data []byte) ([]byte, error) {
	s, err := subtle()
	if err != nil {
		return nil, err
	}
	buf, err := dom.Await(s.Call("digest", "SHA-256", toJS(data)))
	if err != nil {
		return nil, fmt.Errorf("sync: hashing: %w", err)
	}
	return fromJS(buf), nil
}
