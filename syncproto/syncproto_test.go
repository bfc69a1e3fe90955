package syncproto

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func testCode(t *testing.T, seed uint64) Code {
	t.Helper()
	c, err := NewCode(rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8)}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCodeRoundTripsThroughItsGroupedForm(t *testing.T) {
	for seed := range uint64(200) {
		c := testCode(t, seed)
		s := c.String()
		if len(s) != 34 || strings.Count(s, "-") != 6 {
			t.Fatalf("%q: want 7 groups of 4", s)
		}
		got, err := ParseCode(s)
		if err != nil || got != c {
			t.Fatalf("ParseCode(%q) = %x, %v; want %x", s, got, err, c)
		}
	}
}

func TestParseCodeForgivesWhatPeopleType(t *testing.T) {
	c := testCode(t, 7)
	s := c.Compact()
	variants := []string{
		strings.ToLower(c.String()),
		" " + strings.ReplaceAll(c.String(), "-", " ") + "\n",
		strings.NewReplacer("O", "0", "I", "1", "B", "8").Replace(s),
	}
	for _, v := range variants {
		if got, err := ParseCode(v); err != nil || got != c {
			t.Errorf("ParseCode(%q) = %v; want the code", v, err)
		}
	}
}

func TestParseCodeCatchesEverySingleCharacterTypo(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	missed := 0
	for seed := range uint64(20) {
		s := testCode(t, seed).Compact()
		for i := range s {
			for _, r := range alphabet {
				if byte(r) == s[i] {
					continue
				}
				typo := s[:i] + string(r) + s[i+1:]
				if _, err := ParseCode(typo); err == nil {
					missed++
				} else if !errors.Is(err, ErrCodeTypo) {
					t.Fatalf("ParseCode(%q): %v; want ErrCodeTypo", typo, err)
				}
			}
		}
	}
	// 10 check bits miss about 1 typo in 1024.
	if total := 20 * 28 * 31; missed*200 > total {
		t.Errorf("%d of %d single-character typos were accepted", missed, total)
	}
}

func TestParseCodeExplainsWhatIsWrong(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "28 characters"},
		{"ABCD-EFGH", "28 characters"},
		{"ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ2!", "letters and the digits 2 to 7"},
		{"ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ29", "letters and the digits 2 to 7"},
	} {
		_, err := ParseCode(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseCode(%q) = %v; want an error saying %q", tc.in, err, tc.want)
		}
	}
}

func pushBody(batches ...string) string {
	b, _ := json.Marshal(map[string]any{"v": 1, "id": strings.Repeat("a", 32), "batches": batches})
	return string(b)
}

func TestDecodePushRefusesBadInputWithItsCode(t *testing.T) {
	good := base64.StdEncoding.EncodeToString(make([]byte, 64))
	huge := base64.StdEncoding.EncodeToString(make([]byte, MaxBatchBytes+1))
	id := strings.Repeat("a", 32)
	for _, tc := range []struct {
		name, body, code string
	}{
		{"empty", "", CodeBodyRequired},
		{"not json", "{v:1", CodeBadJSON},
		{"array", "[]", CodeBadJSON},
		{"unknown field", `{"v":1,"id":"` + id + `","batches":["` + good + `"],"x":1}`, CodeBadJSON},
		{"two values", pushBody(good) + pushBody(good), CodeBadJSON},
		{"trailing data", pushBody(good) + " x", CodeBadJSON},
		{"version 2", `{"v":2,"id":"` + id + `","batches":["` + good + `"]}`, CodeBadVersion},
		{"no version", `{"id":"` + id + `","batches":["` + good + `"]}`, CodeBadVersion},
		{"bad id", `{"v":1,"id":"ABC","batches":["` + good + `"]}`, CodeBadRequest},
		{"no batches", pushBody(), CodeBadRequest},
		{"bad base64", pushBody("not base64!"), CodeBadBase64},
		{"url base64", pushBody(strings.NewReplacer("+", "-", "/", "_").Replace(base64.StdEncoding.EncodeToString([]byte(strings.Repeat("\xfb\xff", 40))))), CodeBadBase64},
		{"short batch", pushBody("AAAA"), CodeBadRequest},
		{"batch too large", pushBody(huge), CodeTooLarge},
		{"too many batches", pushBody(good, good, good, good, good, good), CodeTooLarge},
		{"body too large", strings.Repeat(" ", MaxBodyBytes+1), CodeTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodePush(strings.NewReader(tc.body))
			var re *RequestError
			if !errors.As(err, &re) || re.Code != tc.code {
				t.Fatalf("DecodePush = %v; want code %s", err, tc.code)
			}
			if re.Msg == "" {
				t.Error("no message for the user")
			}
		})
	}
	p, err := DecodePush(strings.NewReader(pushBody(good, good)))
	if err != nil || len(p.Batches) != 2 || len(p.Batches[0]) != 64 {
		t.Fatalf("a good push was refused: %v", err)
	}
}

func TestDecodePullChecksItsCursorAndLimit(t *testing.T) {
	id := strings.Repeat("b", 32)
	for _, tc := range []struct{ body, code string }{
		{`{"v":1,"id":"` + id + `","after":-1}`, CodeBadRequest},
		{`{"v":1,"id":"` + id + `","after":0,"limit":1000}`, CodeBadRequest},
		{`{"v":1,"id":"` + id + `","after":"0"}`, CodeBadJSON},
		{`{"v":3,"id":"` + id + `"}`, CodeBadVersion},
	} {
		_, err := DecodePull(strings.NewReader(tc.body))
		var re *RequestError
		if !errors.As(err, &re) || re.Code != tc.code {
			t.Errorf("DecodePull(%s) = %v; want %s", tc.body, err, tc.code)
		}
	}
	p, err := DecodePull(strings.NewReader(`{"v":1,"id":"` + id + `","after":7}`))
	if err != nil || p.After != 7 || p.Limit != MaxPullLimit {
		t.Errorf("DecodePull = %+v, %v", p, err)
	}
}

func TestPushRequestEncodesWhatDecodePushReads(t *testing.T) {
	in := PushRequest{V: Version, ID: strings.Repeat("c", 32), Batches: [][]byte{bytes.Repeat([]byte{1}, 40), bytes.Repeat([]byte{2}, 50)}}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := DecodePush(bytes.NewReader(data))
	if err != nil || out.ID != in.ID || !bytes.Equal(out.Batches[1], in.Batches[1]) {
		t.Fatalf("round trip: %+v, %v", out, err)
	}
}

// FuzzDecode feeds arbitrary bytes to the server's request decoders: they refuse with a
// RequestError, never panic, and what they accept is within the limits.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(pushBody(base64.StdEncoding.EncodeToString(make([]byte, 40)))))
	f.Add([]byte(`{"v":1,"id":"` + strings.Repeat("d", 32) + `","after":3,"limit":2}`))
	f.Add([]byte(`{"v":1,"batches":[null]}`))
	f.Add([]byte("\xff\xfe"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := DecodePush(bytes.NewReader(data))
		var re *RequestError
		if err != nil && !errors.As(err, &re) {
			t.Fatalf("DecodePush: %T %v is not a RequestError", err, err)
		}
		if err == nil {
			if len(p.Batches) == 0 || len(p.Batches) > MaxBatchesPerPush || !ValidID(p.ID) {
				t.Fatalf("accepted %+v", p)
			}
			for _, b := range p.Batches {
				if len(b) < SealOverhead || len(b) > MaxBatchBytes {
					t.Fatalf("accepted a batch of %d bytes", len(b))
				}
			}
		}
		q, err := DecodePull(bytes.NewReader(data))
		if err != nil && !errors.As(err, &re) {
			t.Fatalf("DecodePull: %T %v is not a RequestError", err, err)
		}
		if err == nil && (q.Limit < 1 || q.Limit > MaxPullLimit || q.After < 0) {
			t.Fatalf("accepted %+v", q)
		}
	})
}

func TestPadFillsABatchToTheSmallestSizeClassThatHoldsIt(t *testing.T) {
	for _, n := range []int{0, 19, 1024 - SealOverhead, 1024 - SealOverhead + 1, 5000, MaxBatchBytes - SealOverhead} {
		plain := bytes.Repeat([]byte{'x'}, n)
		got := Pad(plain)
		want := 0
		for _, c := range SizeClasses {
			if n+SealOverhead <= c {
				want = c
				break
			}
		}
		if len(got)+SealOverhead != want {
			t.Errorf("Pad of %d bytes seals to %d; want the class %d", n, len(got)+SealOverhead, want)
		}
		if !bytes.Equal(got[:n], plain) || strings.TrimRight(string(got[n:]), " ") != "" {
			t.Errorf("Pad of %d bytes changed the plaintext or padded with something other than spaces", n)
		}
	}
}

func TestAPaddedBatchDecodesAsTheSameJSON(t *testing.T) {
	plain := []byte(`{"v":1,"events":[{"id":"a"}]}`)
	var a, b map[string]any
	if err := json.Unmarshal(plain, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(Pad(plain), &b); err != nil {
		t.Fatalf("a padded batch does not decode: %v", err)
	}
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatalf("padded batch decodes to %v; want %v", b, a)
	}
}
