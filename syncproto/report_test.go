package syncproto

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// reportBody is a good report with fields replaced or added by extra (a nil value drops one).
func reportBody(extra map[string]any) string {
	m := map[string]any{"v": 1, "question": "3.1-019", "bank": "2026.12.1-a_b", "answer": "B. Ask the data owner", "reason": "key_wrong", "comment": "The notes say C."}
	for k, v := range extra {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func TestDecodeReportTakesAGoodReportAndItsLimitsExactly(t *testing.T) {
	for _, tc := range []struct {
		name  string
		extra map[string]any
	}{
		{"a whole report", nil},
		{"no comment", map[string]any{"comment": nil}},
		{"an empty answer", map[string]any{"answer": ""}},
		{"every reason", nil},
		{"a comment of exactly 1,000 characters, none of them ASCII", map[string]any{"comment": strings.Repeat("é", MaxReportComment)}},
		{"an answer of exactly 200 characters", map[string]any{"answer": strings.Repeat("ü", MaxReportAnswer)}},
		{"a bank of exactly 64 characters", map[string]any{"bank": strings.Repeat("a", MaxReportBank)}},
		{"a question with a longer number", map[string]any{"question": "6.12-1234"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := reportBody(tc.extra)
			got, err := DecodeReport(strings.NewReader(body))
			if err != nil {
				t.Fatalf("DecodeReport(%.80s…) = %v", body, err)
			}
			var want ReportRequest
			_ = json.Unmarshal([]byte(body), &want)
			if got != want {
				t.Fatalf("DecodeReport = %+v; want %+v", got, want)
			}
		})
	}
	for _, r := range Reasons {
		if _, err := DecodeReport(strings.NewReader(reportBody(map[string]any{"reason": string(r)}))); err != nil {
			t.Errorf("reason %q: %v", r, err)
		}
	}
}

func TestDecodeReportRefusesBadInputWithItsCode(t *testing.T) {
	for _, tc := range []struct {
		name, body, code string
	}{
		{"not JSON", "<report/>", CodeBadJSON},
		{"an unknown field", reportBody(map[string]any{"id": "0123456789abcdef0123456789abcdef"}), CodeBadJSON},
		{"a device id", reportBody(map[string]any{"device": "abc"}), CodeBadJSON},
		{"two values", reportBody(nil) + reportBody(nil), CodeBadJSON},
		{"an empty body", "  ", CodeBodyRequired},
		{"version 2", reportBody(map[string]any{"v": 2}), CodeBadVersion},
		{"no version", reportBody(map[string]any{"v": nil}), CodeBadVersion},
		{"no question", reportBody(map[string]any{"question": nil}), CodeBadRequest},
		{"a question without its number", reportBody(map[string]any{"question": "3.1-"}), CodeBadRequest},
		{"a question with two digits", reportBody(map[string]any{"question": "3.1-01"}), CodeBadRequest},
		{"a scenario id", reportBody(map[string]any{"question": "3.1-S01"}), CodeBadRequest},
		{"a question with a letter", reportBody(map[string]any{"question": "3.1-01a"}), CodeBadRequest},
		{"a question with two domain digits", reportBody(map[string]any{"question": "31.1-019"}), CodeBadRequest},
		{"a question with a long sub-domain", reportBody(map[string]any{"question": "3.123-019"}), CodeBadRequest},
		{"a question with markup", reportBody(map[string]any{"question": "<b>3.1-019"}), CodeBadRequest},
		{"a question too long", reportBody(map[string]any{"question": "3.1-" + strings.Repeat("0", 13)}), CodeBadRequest},
		{"no bank", reportBody(map[string]any{"bank": nil}), CodeBadRequest},
		{"a bank with a space", reportBody(map[string]any{"bank": "v 1"}), CodeBadRequest},
		{"a bank of 65 characters", reportBody(map[string]any{"bank": strings.Repeat("a", MaxReportBank+1)}), CodeBadRequest},
		{"an unknown reason", reportBody(map[string]any{"reason": "spam"}), CodeBadRequest},
		{"no reason", reportBody(map[string]any{"reason": nil}), CodeBadRequest},
		{"a reason in another case", reportBody(map[string]any{"reason": "Key_Wrong"}), CodeBadRequest},
		{"an answer of 201 characters", reportBody(map[string]any{"answer": strings.Repeat("x", MaxReportAnswer+1)}), CodeBadRequest},
		{"a comment of 1,001 characters", reportBody(map[string]any{"comment": strings.Repeat("é", MaxReportComment+1)}), CodeBadRequest},
		{"a question that is a number", reportBody(map[string]any{"question": 3.1}), CodeBadJSON},
		{"a body over 8 KiB", reportBody(map[string]any{"comment": strings.Repeat(" ", MaxReportBodyBytes)}), CodeTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeReport(strings.NewReader(tc.body))
			var re *RequestError
			if !errors.As(err, &re) || re.Code != tc.code || len(re.Msg) < 20 {
				t.Fatalf("DecodeReport = %v; want a %s with a sentence", err, tc.code)
			}
		})
	}
}

func TestReasonsAreListedInDisplayOrderWithTheirSentences(t *testing.T) {
	want := []struct {
		r    Reason
		code string
		s    string
	}{
		{ReasonKeyWrong, "key_wrong", "The key looks wrong"},
		{ReasonTwoRight, "two_right", "More than one answer is right"},
		{ReasonExplanation, "explanation", "The explanation is wrong or unclear"},
		{ReasonTypo, "typo", "A typo"},
		{ReasonOutdated, "outdated", "Out of date"},
		{ReasonOther, "other", "Something else"},
	}
	if len(Reasons) != len(want) {
		t.Fatalf("%d reasons; want %d", len(Reasons), len(want))
	}
	for i, w := range want {
		if Reasons[i] != w.r || string(w.r) != w.code || w.r.Sentence() != w.s {
			t.Errorf("reason %d = %q %q; want %q %q", i, Reasons[i], Reasons[i].Sentence(), w.code, w.s)
		}
	}
	if Reason("spam").Valid() || Reason("").Sentence() != "" {
		t.Error("an unknown reason is valid")
	}
}

// FuzzDecodeReport: arbitrary bytes are refused with a RequestError or accepted within the limits.
func FuzzDecodeReport(f *testing.F) {
	f.Add([]byte(reportBody(nil)))
	f.Add([]byte(reportBody(map[string]any{"comment": "\xff\x00"})))
	f.Add([]byte(`{"v":1,"question":"1.1-001","bank":"x","reason":"other"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := DecodeReport(bytes.NewReader(data))
		var re *RequestError
		if err != nil {
			if !errors.As(err, &re) {
				t.Fatalf("DecodeReport: %T %v is not a RequestError", err, err)
			}
			return
		}
		if !ValidQuestionID(p.Question) || !validBank(p.Bank) || !p.Reason.Valid() ||
			utf8.RuneCountInString(p.Answer) > MaxReportAnswer || utf8.RuneCountInString(p.Comment) > MaxReportComment {
			t.Fatalf("accepted %+v", p)
		}
	})
}
