package quiz

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"time"
)

// EventVersion is the newest version of the event format this code reads. Events of a later
// version come from a newer app and are refused with a message that says so. The app writes
// version 1 for every event an older app understands, and 2 only for what it does not: arrival
// notes and resets that name what they reset.
const EventVersion = 2

// EventType names what an event records.
type EventType string

// The event types of the progress log.
const (
	PracticeAnswer EventType = "practice.answer" // a practice question answered
	ExamStart      EventType = "exam.start"      // a mock exam begun; its id is the exam's id
	ExamAnswer     EventType = "exam.answer"     // an exam item answered or changed
	ExamFlag       EventType = "exam.flag"       // an exam item flagged or unflagged for review
	ExamSubmit     EventType = "exam.submit"     // a mock exam ended, by the candidate or the clock
	SettingSet     EventType = "settings.set"    // a setting changed
	ProgressReset  EventType = "progress.reset"  // progress cleared: what the resetting device had seen
	EventsArrived  EventType = "events.arrived"  // events dated far ahead reached this device now
)

// Submit reasons.
const (
	ByCandidate = "candidate"
	ByClock     = "time"
)

// Event is one entry of the progress log. Its id is unique, sorts by time, and names the device
// that wrote it; the payload field that matches Type is set.
type Event struct {
	ID       string
	Type     EventType
	Answer   *AnswerData    // practice.answer
	Start    *ExamStartData // exam.start
	Item     *ExamItemData  // exam.answer, exam.flag
	Submit   *ExamSubmitData
	Setting  *SettingData
	Reset    *ResetData   // progress.reset; nil in resets written before version 2
	Arrived  *ArrivalData // events.arrived
	checksum uint64       // of the canonical encoding; breaks ties between two events with one id
}

// ResetData says what a reset clears: for each device, the newest event of it that the resetting
// device held. Events written later, or not yet synced to it, are not cleared: a reset means
// "everything before this, as this device saw it", not "everything with a smaller timestamp".
type ResetData struct {
	Seen map[string]string `json:"seen"`
}

// ArrivalData notes that events dated more than Tolerance ahead of the clock reached the device
// at the time of this event's id. The fold places them there, not at their claimed time, so they
// cannot reorder answers given after they arrived (docs/PROGRESS.md).
type ArrivalData struct {
	IDs []string `json:"ids"`
}

// AnswerData records a practice answer. Correct is recorded as scored at the time, so a later
// edit of the question does not rewrite history.
type AnswerData struct {
	Question string   `json:"q"`
	Response Response `json:"r"`
	Correct  bool     `json:"ok"`
	Session  string   `json:"s,omitempty"`
	Millis   int64    `json:"ms,omitempty"` // time spent on the question
}

// ExamStartData records the start of a mock exam: its items in order, the seed that fixes every
// item's layout, and its length.
type ExamStartData struct {
	Items   []string `json:"items"`
	Seed    uint64   `json:"seed,string"`
	Minutes int      `json:"minutes"`
	Bank    string   `json:"bank,omitempty"` // bank version the exam was drawn from
}

// ExamItemData records an answer to, or a flag on, one item of an exam.
type ExamItemData struct {
	Exam     string   `json:"exam"`
	Index    int      `json:"i"`
	Response Response `json:"r,omitempty"`  // exam.answer; empty clears the answer
	Correct  bool     `json:"ok,omitempty"` // exam.answer
	Flagged  bool     `json:"on,omitempty"` // exam.flag
}

// ExamSubmitData ends an exam.
type ExamSubmitData struct {
	Exam   string `json:"exam"`
	Reason string `json:"reason"`
}

// SettingData sets one setting.
type SettingData struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// wireEvent is the JSON form of an event.
type wireEvent struct {
	V    int             `json:"v"`
	ID   string          `json:"id"`
	Type EventType       `json:"type"`
	Data json.RawMessage `json:"data"`
}

// Limits on what an event may hold, so a hostile or corrupt record cannot exhaust memory.
const (
	maxIDLen       = 64
	maxExamItems   = 500
	maxResponseLen = 64
	maxSettingLen  = 2048
	maxDevices     = 1000  // devices a reset may name
	maxArrivals    = 10000 // events one arrival note may name
)

// ErrNewerVersion is wrapped when an event comes from a newer version of the app.
var ErrNewerVersion = errors.New("written by a newer version of the app: reload to update")

// ErrBadEvent is wrapped by every other decoding error.
var ErrBadEvent = errors.New("not a valid progress event")

// MarshalJSON encodes the event in its wire form.
func (e Event) MarshalJSON() ([]byte, error) {
	var data any
	v := 1
	switch e.Type {
	case PracticeAnswer:
		data = e.Answer
	case ExamStart:
		data = e.Start
	case ExamAnswer, ExamFlag:
		data = e.Item
	case ExamSubmit:
		data = e.Submit
	case SettingSet:
		data = e.Setting
	case ProgressReset:
		data = struct{}{}
		if e.Reset != nil {
			data, v = e.Reset, 2
		}
	case EventsArrived:
		data, v = e.Arrived, 2
	default:
		return nil, fmt.Errorf("event %s: unknown type %q", e.ID, e.Type)
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return nil, err
	}
	return json.Marshal(wireEvent{V: v, ID: e.ID, Type: e.Type, Data: raw})
}

// DecodeEvent decodes and validates one event. It never panics: anything malformed is an error
// that wraps ErrBadEvent (or ErrNewerVersion).
func DecodeEvent(data []byte) (Event, error) {
	var w wireEvent
	if err := strictJSON(data, &w); err != nil {
		return Event{}, fmt.Errorf("%w: %v", ErrBadEvent, err)
	}
	if w.V > EventVersion {
		return Event{}, fmt.Errorf("event %.64q: version %d: %w", w.ID, w.V, ErrNewerVersion)
	}
	if w.V < 1 {
		return Event{}, fmt.Errorf("%w: missing version", ErrBadEvent)
	}
	e := Event{ID: w.ID, Type: w.Type}
	if _, _, _, err := ParseID(w.ID); err != nil {
		return Event{}, fmt.Errorf("%w: %v", ErrBadEvent, err)
	}
	var err error
	switch w.Type {
	case PracticeAnswer:
		e.Answer = &AnswerData{}
		if err = strictJSON(w.Data, e.Answer); err == nil {
			err = checkAnswer(e.Answer)
		}
	case ExamStart:
		e.Start = &ExamStartData{}
		if err = strictJSON(w.Data, e.Start); err == nil {
			err = checkStart(e.Start)
		}
	case ExamAnswer, ExamFlag:
		e.Item = &ExamItemData{}
		if err = strictJSON(w.Data, e.Item); err == nil {
			err = checkItem(e.Item)
		}
	case ExamSubmit:
		e.Submit = &ExamSubmitData{}
		if err = strictJSON(w.Data, e.Submit); err == nil {
			err = checkSubmit(e.Submit)
		}
	case SettingSet:
		e.Setting = &SettingData{}
		if err = strictJSON(w.Data, e.Setting); err == nil {
			err = checkSetting(e.Setting)
		}
	case ProgressReset:
		if w.V < 2 {
			err = strictJSON(w.Data, &struct{}{})
			break
		}
		e.Reset = &ResetData{}
		if err = strictJSON(w.Data, e.Reset); err == nil {
			err = checkReset(e.Reset)
		}
	case EventsArrived:
		e.Arrived = &ArrivalData{}
		if err = strictJSON(w.Data, e.Arrived); err == nil {
			err = checkArrival(e.Arrived)
		}
	default:
		err = fmt.Errorf("unknown type %.40q", w.Type)
	}
	if err != nil {
		return Event{}, fmt.Errorf("%w: event %.64q: %v", ErrBadEvent, w.ID, err)
	}
	e.seal()
	return e, nil
}

// seal computes the checksum of the event's canonical encoding.
func (e *Event) seal() {
	e.checksum = 0
	b, err := json.Marshal(e)
	if err != nil {
		return
	}
	h := fnv.New64a()
	h.Write(b)
	e.checksum = h.Sum64()
}

func strictJSON(data []byte, v any) error {
	if len(data) == 0 {
		return errors.New("empty")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data")
	}
	return nil
}

func checkQuestionID(id string) error {
	if id == "" || len(id) > maxIDLen {
		return errors.New("bad question id")
	}
	return nil
}

func checkResponse(r Response) error {
	if len(r) > maxResponseLen {
		return errors.New("response too long")
	}
	for _, v := range r {
		if v < -1 || v > maxResponseLen {
			return errors.New("response index out of range")
		}
	}
	return nil
}

func checkAnswer(a *AnswerData) error {
	if err := checkQuestionID(a.Question); err != nil {
		return err
	}
	if len(a.Session) > maxIDLen || a.Millis < 0 {
		return errors.New("bad session or time")
	}
	return checkResponse(a.Response)
}

func checkStart(s *ExamStartData) error {
	if len(s.Items) == 0 || len(s.Items) > maxExamItems {
		return fmt.Errorf("an exam has 1 to %d items", maxExamItems)
	}
	for _, id := range s.Items {
		if err := checkQuestionID(id); err != nil {
			return err
		}
	}
	if s.Minutes <= 0 || s.Minutes > 24*60 {
		return errors.New("bad exam length")
	}
	if len(s.Bank) > maxIDLen {
		return errors.New("bad bank version")
	}
	return nil
}

func checkItem(it *ExamItemData) error {
	if _, _, _, err := ParseID(it.Exam); err != nil {
		return fmt.Errorf("exam: %v", err)
	}
	if it.Index < 0 || it.Index >= maxExamItems {
		return errors.New("item index out of range")
	}
	return checkResponse(it.Response)
}

func checkSubmit(s *ExamSubmitData) error {
	if _, _, _, err := ParseID(s.Exam); err != nil {
		return fmt.Errorf("exam: %v", err)
	}
	if s.Reason != ByCandidate && s.Reason != ByClock {
		return errors.New("bad submit reason")
	}
	return nil
}

func checkReset(r *ResetData) error {
	if len(r.Seen) > maxDevices {
		return errors.New("a reset names too many devices")
	}
	for device, id := range r.Seen {
		if _, dev, _, err := ParseID(id); err != nil || dev != device {
			return errors.New("a reset names an event that is not of its device")
		}
	}
	return nil
}

func checkArrival(a *ArrivalData) error {
	if len(a.IDs) == 0 || len(a.IDs) > maxArrivals {
		return fmt.Errorf("an arrival note names 1 to %d events", maxArrivals)
	}
	for _, id := range a.IDs {
		if _, _, _, err := ParseID(id); err != nil {
			return err
		}
	}
	return nil
}

func checkSetting(s *SettingData) error {
	if s.Key == "" || len(s.Key) > maxIDLen || len(s.Value) > maxSettingLen {
		return errors.New("bad setting")
	}
	return nil
}

// Event ids: the time in milliseconds (10 characters), the device (8), and a sequence number
// (4), in Crockford's base32, so that ids sort by time as strings: 01JDQ3X7K2-7QF3ZC9A-0000.
const (
	crockford   = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	timeChars   = 10
	deviceChars = 8
	seqChars    = 4
	idLen       = timeChars + 1 + deviceChars + 1 + seqChars
)

// crockfordValue maps a byte to its digit in crockford, or -1: a fold parses every event's id, and
// a table is several times faster than searching the alphabet. Read-only after start-up.
var crockfordValue = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(crockford); i++ {
		t[crockford[i]] = int8(i)
	}
	return t
}()

// NewDeviceID returns a random device id (40 bits in 8 base32 characters).
func NewDeviceID(rng *rand.Rand) string {
	return encode32(rng.Uint64()&(1<<40-1), deviceChars)
}

// ValidDeviceID reports whether s is a device id.
func ValidDeviceID(s string) bool {
	_, ok := decode32(s)
	return ok && len(s) == deviceChars
}

// IDs makes the event ids of one device. Ids it makes are strictly increasing even if the clock
// stands still or steps back, so the device's own events keep their order.
type IDs struct {
	Device string
	lastMs int64
	seq    int
}

// NewIDs returns an id generator for a device. last, if not empty, is the newest id the device
// already wrote, so that ids stay increasing across restarts.
func NewIDs(device, last string) (*IDs, error) {
	if !ValidDeviceID(device) {
		return nil, fmt.Errorf("bad device id %q", device)
	}
	g := &IDs{Device: device, lastMs: -1}
	if last != "" {
		ms, dev, seq, err := ParseID(last)
		if err != nil {
			return nil, err
		}
		if dev == device {
			g.lastMs, g.seq = ms, seq
		}
	}
	return g, nil
}

// Next returns a new id for an event at now.
func (g *IDs) Next(now time.Time) string {
	ms := now.UnixMilli()
	if ms <= g.lastMs {
		ms = g.lastMs
		g.seq++
		if g.seq >= 1<<(5*seqChars) {
			ms, g.seq = ms+1, 0
		}
	} else {
		g.seq = 0
	}
	g.lastMs = ms
	return encode32(uint64(ms), timeChars) + "-" + g.Device + "-" + encode32(uint64(g.seq), seqChars)
}

// ParseID splits an event id into its time (ms since 1970), device and sequence number.
func ParseID(id string) (ms int64, device string, seq int, err error) {
	if len(id) != idLen || id[timeChars] != '-' || id[timeChars+1+deviceChars] != '-' {
		return 0, "", 0, fmt.Errorf("bad event id %.32q", id)
	}
	t, ok1 := decode32(id[:timeChars])
	device = id[timeChars+1 : timeChars+1+deviceChars]
	_, ok2 := decode32(device)
	s, ok3 := decode32(id[timeChars+1+deviceChars+1:])
	if !ok1 || !ok2 || !ok3 {
		return 0, "", 0, fmt.Errorf("bad event id %.32q", id)
	}
	return int64(t), device, int(s), nil
}

// IDTime is the time an event id records.
func IDTime(id string) time.Time {
	ms, _, _, err := ParseID(id)
	if err != nil {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func encode32(v uint64, width int) string {
	b := make([]byte, width)
	for i := width - 1; i >= 0; i-- {
		b[i] = crockford[v&31]
		v >>= 5
	}
	return string(b)
}

func decode32(s string) (uint64, bool) {
	var v uint64
	for i := 0; i < len(s); i++ {
		k := crockfordValue[s[i]]
		if k < 0 {
			return 0, false
		}
		v = v<<5 | uint64(k)
	}
	return v, len(s) > 0
}

// NewPracticeAnswer makes a practice.answer event.
func NewPracticeAnswer(id string, a AnswerData) Event {
	return sealed(Event{ID: id, Type: PracticeAnswer, Answer: &a})
}

// NewExamStart makes an exam.start event; the exam's id is the event's id.
func NewExamStart(id string, s ExamStartData) Event {
	return sealed(Event{ID: id, Type: ExamStart, Start: &s})
}

// NewExamAnswer makes an exam.answer event.
func NewExamAnswer(id string, it ExamItemData) Event {
	return sealed(Event{ID: id, Type: ExamAnswer, Item: &it})
}

// NewExamFlag makes an exam.flag event.
func NewExamFlag(id string, it ExamItemData) Event {
	return sealed(Event{ID: id, Type: ExamFlag, Item: &it})
}

// NewExamSubmit makes an exam.submit event.
func NewExamSubmit(id string, s ExamSubmitData) Event {
	return sealed(Event{ID: id, Type: ExamSubmit, Submit: &s})
}

// NewSetting makes a settings.set event.
func NewSetting(id, key, value string) Event {
	return sealed(Event{ID: id, Type: SettingSet, Setting: &SettingData{Key: key, Value: value}})
}

// NewReset makes a progress.reset event that clears what the device has seen: for each device,
// the newest of its events in the device's log (Progress.Seen).
func NewReset(id string, seen map[string]string) Event {
	return sealed(Event{ID: id, Type: ProgressReset, Reset: &ResetData{Seen: seen}})
}

// NewArrival makes an events.arrived event: the events named reached this device at id's time.
func NewArrival(id string, ids []string) Event {
	return sealed(Event{ID: id, Type: EventsArrived, Arrived: &ArrivalData{IDs: ids}})
}

func sealed(e Event) Event {
	e.seal()
	return e
}
