//go:build js && wasm

package webcrypto

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/issmp-study/issmp/syncproto"
	"github.com/issmp-study/issmp/syncproto/stdcrypto"
)

var known = syncproto.Code{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}

func TestWebCryptoDerivesTheKnownKeys(t *testing.T) {
	k, s, err := Derive(known)
	if err != nil {
		t.Fatal(err)
	}
	if k.ID != stdcrypto.KnownID || k.LegacyID != stdcrypto.KnownLegacyID || k.Token != stdcrypto.KnownToken {
		t.Fatalf("Derive = %q %q %q; want %q %q %q", k.ID, k.LegacyID, k.Token, stdcrypto.KnownID, stdcrypto.KnownLegacyID, stdcrypto.KnownToken)
	}
	sealed, err := s.Seal([]byte(stdcrypto.KnownPlain), bytes.NewReader(make([]byte, 12)))
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(sealed); got != stdcrypto.KnownSealed {
		t.Fatalf("Seal with a zero nonce = %s; want %s", got, stdcrypto.KnownSealed)
	}
}

func TestWebCryptoAndGoOpenEachOthersBatches(t *testing.T) {
	code, _ := syncproto.NewCode(rand.NewChaCha8([32]byte{5}))
	_, web, err := Derive(code)
	if err != nil {
		t.Fatal(err)
	}
	_, std, _ := stdcrypto.Derive(code)
	random := rand.NewChaCha8([32]byte{6})
	plain := bytes.Repeat([]byte("progress "), 1000)
	fromWeb, err := web.Seal(plain, random)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := std.Open(fromWeb); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Go opened the browser's batch: %v", err)
	}
	fromGo, _ := std.Seal(plain, random)
	if got, err := web.Open(fromGo); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("the browser opened Go's batch: %v", err)
	}
	fromGo[len(fromGo)-1] ^= 1
	if _, err := web.Open(fromGo); !errors.Is(err, syncproto.ErrTampered) {
		t.Errorf("a tampered batch opened: %v", err)
	}
	other, _ := syncproto.NewCode(rand.NewChaCha8([32]byte{7}))
	_, foreign, _ := Derive(other)
	if _, err := foreign.Open(fromWeb); !errors.Is(err, syncproto.ErrTampered) {
		t.Errorf("another code's key opened the batch: %v", err)
	}
}

func TestWebCryptoHashesLikeGo(t *testing.T) {
	data := []byte(`{"v":1,"id":"x"}`)
	got, err := SHA256(data)
	want := sha256.Sum256(data)
	if err != nil || !bytes.Equal(got, want[:]) {
		t.Fatalf("SHA256 = %x, %v; want %x", got, err, want)
	}
}
