package syncproto

import (
	"io"
	"unicode/utf8"
)

// Limits of a report (PathReport). A report is a few short strings, so its body limit is small:
// an abuser's reports cost little to refuse and little to store.
const (
	MaxReportBodyBytes = 8 << 10
	// MaxReportQuestion bounds a question id's length; ids are like "3.1-019".
	MaxReportQuestion = 16
	MaxReportBank     = 64   // bytes of the bank's version string
	MaxReportAnswer   = 200  // characters (runes) of the candidate's answer as text
	MaxReportComment  = 1000 // characters (runes) of the candidate's comment
)

// Reason says what a candidate found wrong with a question.
type Reason string

// The reasons a report may give.
const (
	ReasonKeyWrong    Reason = "key_wrong"
	ReasonTwoRight    Reason = "two_right"
	ReasonExplanation Reason = "explanation"
	ReasonTypo        Reason = "typo"
	ReasonOutdated    Reason = "outdated"
	ReasonOther       Reason = "other"
)

// Reasons lists every reason in the order the app offers them.
var Reasons = []Reason{ReasonKeyWrong, ReasonTwoRight, ReasonExplanation, ReasonTypo, ReasonOutdated, ReasonOther}

// Sentence is how the app and the maintainer's list show the reason; "" for a reason this
// version does not know.
func (r Reason) Sentence() string {
	switch r {
	case ReasonKeyWrong:
		return "The key looks wrong"
	case ReasonTwoRight:
		return "More than one answer is right"
	case ReasonExplanation:
		return "The explanation is wrong or unclear"
	case ReasonTypo:
		return "A typo"
	case ReasonOutdated:
		return "Out of date"
	case ReasonOther:
		return "Something else"
	}
	return ""
}

// Valid reports whether r is one of Reasons.
func (r Reason) Valid() bool { return r.Sentence() != "" }

// ReportRequest is a candidate's report of a problem with a question. It carries nothing that
// identifies the candidate: no token, no sync id, no device.
type ReportRequest struct {
	V        int    `json:"v"`
	Question string `json:"question"` // the question's id, e.g. "3.1-019"
	Bank     string `json:"bank"`     // the version of the bank the app showed it from
	Answer   string `json:"answer"`   // the candidate's answer as text; may be empty
	Reason   Reason `json:"reason"`
	Comment  string `json:"comment,omitempty"`
}

// ReportResponse names the stored report.
type ReportResponse struct {
	V  int    `json:"v"`
	ID string `json:"id"`
}

// ValidQuestionID reports whether id has the shape of a question id: a domain digit, a dot, a
// sub-domain number, a dash and at least three digits ("3.1-019"). The server does not know the
// bank, so it checks the shape alone.
func ValidQuestionID(id string) bool {
	if len(id) < 7 || len(id) > MaxReportQuestion || !digit(id[0]) || id[1] != '.' {
		return false
	}
	i := 2
	for i < len(id) && digit(id[i]) {
		i++
	}
	if i == 2 || i-2 > 2 || i == len(id) || id[i] != '-' {
		return false
	}
	tail := id[i+1:]
	for j := range len(tail) {
		if !digit(tail[j]) {
			return false
		}
	}
	return len(tail) >= 3
}

func digit(c byte) bool { return c >= '0' && c <= '9' }

// validBank reports whether s is a bank version: 1 to MaxReportBank of [0-9A-Za-z._-].
func validBank(s string) bool {
	if len(s) == 0 || len(s) > MaxReportBank {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if !digit(c) && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// DecodeReport reads and checks a report: one JSON object with no unknown fields, within the
// limits above. Every refusal is a *RequestError.
func DecodeReport(r io.Reader) (ReportRequest, error) {
	var p ReportRequest
	if err := decodeStrictN(r, &p, MaxReportBodyBytes, "shorten the comment"); err != nil {
		return ReportRequest{}, err
	}
	if p.V != Version {
		return ReportRequest{}, refuse(CodeBadVersion, "protocol version %d is not supported; this server speaks version %d: reload the app to update it", p.V, Version)
	}
	if !ValidQuestionID(p.Question) {
		return ReportRequest{}, refuse(CodeBadRequest, "the question id is malformed (ids look like 3.1-019): reload the app and report the problem again")
	}
	if !validBank(p.Bank) {
		return ReportRequest{}, refuse(CodeBadRequest, "the bank version must be 1 to %d letters, digits, dots, dashes or underscores: reload the app and report the problem again", MaxReportBank)
	}
	if !p.Reason.Valid() {
		return ReportRequest{}, refuse(CodeBadRequest, "the reason is not one this server knows: choose one of the listed reasons")
	}
	if n := utf8.RuneCountInString(p.Answer); n > MaxReportAnswer {
		return ReportRequest{}, refuse(CodeBadRequest, "the answer is %d characters long; a report carries at most %d: reload the app and report the problem again", n, MaxReportAnswer)
	}
	if n := utf8.RuneCountInString(p.Comment); n > MaxReportComment {
		return ReportRequest{}, refuse(CodeBadRequest, "the comment is %d characters long; the limit is %d: shorten it", n, MaxReportComment)
	}
	return p, nil
}
