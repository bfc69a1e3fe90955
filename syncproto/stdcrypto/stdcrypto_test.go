package stdcrypto

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/issmp-study/issmp/syncproto"
)

func code(seed byte) syncproto.Code {
	c, _ := syncproto.NewCode(rand.NewChaCha8([32]byte{seed}))
	return c
}

// The derivation is fixed forever: a change would cut every device off its synced log. These
// values were computed once by this implementation; wasm/webcrypto is checked against them too.
func TestDeriveGivesTheKnownKeysOfAKnownCode(t *testing.T) {
	k, s, err := Derive(syncproto.Code{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	if err != nil {
		t.Fatal(err)
	}
	if k.ID != KnownID || k.LegacyID != KnownLegacyID || k.Token != KnownToken {
		t.Fatalf("Derive = %q %q %q; want %q %q %q", k.ID, k.LegacyID, k.Token, KnownID, KnownLegacyID, KnownToken)
	}
	sealed, err := s.Seal([]byte(KnownPlain), bytes.NewReader(make([]byte, 12)))
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(sealed); got != KnownSealed {
		t.Fatalf("Seal with a zero nonce = %s; want %s", got, KnownSealed)
	}
}

func TestDeriveIsDeterministicAndSeparatesItsKeys(t *testing.T) {
	ka, _, err := Derive(code(1))
	if err != nil {
		t.Fatal(err)
	}
	ka2, _, _ := Derive(code(1))
	kb, _, _ := Derive(code(2))
	if ka != ka2 {
		t.Error("one code derived two different key sets")
	}
	if ka.ID == kb.ID || ka.Token == kb.Token {
		t.Error("two codes derived the same id or token")
	}
	if !syncproto.ValidID(ka.ID) || !syncproto.ValidToken(ka.Token) {
		t.Errorf("derived id %q or token %q has the wrong shape", ka.ID, ka.Token)
	}
	if strings.Contains(ka.Token, ka.ID) {
		t.Error("the token gives the id away")
	}
}

func TestSealedBatchesOpenOnlyWithTheirOwnCode(t *testing.T) {
	_, sa, _ := Derive(code(1))
	_, sb, _ := Derive(code(2))
	plain := []byte(`{"v":1,"events":[]}`)
	sealed, err := sa.Seal(plain, rand.NewChaCha8([32]byte{9}))
	if err != nil {
		t.Fatal(err)
	}
	if len(sealed) != len(plain)+syncproto.SealOverhead {
		t.Errorf("sealed %d bytes into %d; want overhead %d", len(plain), len(sealed), syncproto.SealOverhead)
	}
	if bytes.Contains(sealed, plain[2:8]) {
		t.Error("the sealed batch shows its plaintext")
	}
	got, err := sa.Open(sealed)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := sb.Open(sealed); !errors.Is(err, syncproto.ErrTampered) {
		t.Errorf("another code opened the batch: %v", err)
	}
	for i := range sealed {
		bad := bytes.Clone(sealed)
		bad[i] ^= 0x20
		if _, err := sa.Open(bad); !errors.Is(err, syncproto.ErrTampered) {
			t.Fatalf("flipping byte %d went unnoticed: %v", i, err)
		}
	}
	if _, err := sa.Open(sealed[:10]); !errors.Is(err, syncproto.ErrTampered) {
		t.Errorf("a truncated batch opened: %v", err)
	}
}

func TestSealingTwiceGivesDifferentCiphertexts(t *testing.T) {
	_, s, _ := Derive(code(3))
	random := rand.NewChaCha8([32]byte{1})
	x, _ := s.Seal([]byte("same"), random)
	y, _ := s.Seal([]byte("same"), random)
	if bytes.Equal(x, y) {
		t.Error("two seals of one plaintext are equal: the nonce repeated")
	}
}
