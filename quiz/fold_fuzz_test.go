package quiz_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/issmp-study/issmp/quiz"
)

// fuzzBytes hands out the fuzzer's bytes as small decisions; past the end it gives zeros.
type fuzzBytes []byte

func (b *fuzzBytes) next() byte {
	if len(*b) == 0 {
		return 0
	}
	c := (*b)[0]
	*b = (*b)[1:]
	return c
}

func (b *fuzzBytes) intn(n int) int { return int(b.next()) % n }

// fuzzEvents turns bytes into up to 64 events of three devices, well formed as the constructors
// make them but otherwise anything: questions from the bank and made up, responses of any length
// and any indices, exams with any length and items, answers to items and exams that do not exist,
// resets of both kinds naming any ids, arrival notes, corrupt copies of an id, dates from a year
// back to a year ahead. It returns them in the order made.
func fuzzEvents(t *testing.T, cat *quiz.Catalog, data []byte) []quiz.Event {
	b := fuzzBytes(data)
	var gens []*quiz.IDs
	for _, name := range []string{"AAAAAAAA", "BBBBBBBB", "CCCCCCCC"} {
		g, err := quiz.NewIDs(name, "")
		if err != nil {
			t.Fatal(err)
		}
		gens = append(gens, g)
	}
	question := func() string {
		switch b.intn(8) {
		case 0:
			return fmt.Sprintf("9.%d-%03d", b.intn(10), b.next()) // not in the bank
		case 1:
			return ""
		}
		return cat.Live[(int(b.next())<<8|int(b.next()))%len(cat.Live)]
	}
	response := func() quiz.Response {
		n := b.intn(9)
		if n == 8 {
			return nil
		}
		r := make(quiz.Response, n)
		for i := range r {
			r[i] = int(int8(b.next())) // -128 to 127
		}
		return r
	}
	var out []quiz.Event
	var exams []string
	pick := func() string { // an id of an event made so far, or a made-up one
		if len(out) == 0 || b.intn(8) == 0 {
			return fmt.Sprintf("01M6%06d-%s-0000", b.next(), []string{"AAAAAAAA", "BBBBBBBB"}[b.intn(2)])
		}
		return out[b.intn(len(out))].ID
	}
	exam := func() string {
		if len(exams) == 0 || b.intn(6) == 0 {
			return pick()
		}
		return exams[b.intn(len(exams))]
	}
	index := func() int { // an exam item: 0 to 7, or negative
		if k := int(int8(b.next())); k < 0 {
			return k
		} else {
			return k % 8
		}
	}
	clocks := []time.Time{t0, t0, t0}
	for len(b) > 0 && len(out) < 64 {
		op := b.next()
		dev := int(op>>4) % len(gens)
		clock := clocks[dev]
		switch b.intn(5) { // the device's clock: on, back, or ahead by minutes to a year
		case 0:
			clock = clock.Add(time.Duration(b.next()) * time.Minute)
		case 1:
			clock = clock.Add(-time.Duration(b.next()) * time.Hour)
		case 2:
			clock = clock.Add(time.Duration(b.next()) * 24 * time.Hour)
		case 3:
			clock = clock.Add(time.Duration(b.next()) * 4 * 24 * time.Hour)
		}
		if lo := t0.Add(-365 * 24 * time.Hour); clock.Before(lo) {
			clock = lo
		}
		if hi := t0.Add(365 * 24 * time.Hour); clock.After(hi) {
			clock = hi
		}
		clocks[dev] = clock
		id := gens[dev].Next(clock)
		var e quiz.Event
		switch int(op&0x0F) % 10 {
		case 0, 1:
			e = quiz.NewPracticeAnswer(id, quiz.AnswerData{Question: question(), Response: response(), Correct: b.intn(2) == 0})
		case 2:
			items := make([]string, b.intn(8))
			for i := range items {
				items[i] = question()
			}
			e = quiz.NewExamStart(id, quiz.ExamStartData{Items: items, Seed: uint64(b.next()), Minutes: int(int8(b.next()))})
			exams = append(exams, id)
		case 3:
			e = quiz.NewExamAnswer(id, quiz.ExamItemData{Exam: exam(), Index: index(), Response: response(), Correct: b.intn(2) == 0})
		case 4:
			e = quiz.NewExamFlag(id, quiz.ExamItemData{Exam: exam(), Index: index(), Flagged: b.intn(2) == 0})
		case 5:
			e = quiz.NewExamSubmit(id, quiz.ExamSubmitData{Exam: exam(), Reason: []string{quiz.ByCandidate, quiz.ByClock, "?"}[b.intn(3)]})
		case 6:
			e = quiz.NewSetting(id, []string{"goal", "theme", ""}[b.intn(3)], fmt.Sprint(b.next()))
		case 7: // a reset that names ids of A, B and C (never of Z, whose answer the test adds)
			seen := map[string]string{}
			for _, d := range []string{"AAAAAAAA", "BBBBBBBB", "CCCCCCCC"} {
				if b.intn(2) == 0 {
					seen[d] = pick()
				}
			}
			e = quiz.NewReset(id, seen)
			if b.intn(3) == 0 {
				e = legacyReset(t, id)
			}
		case 8:
			ids := make([]string, 1+b.intn(4))
			for i := range ids {
				ids[i] = pick()
			}
			e = quiz.NewArrival(id, ids)
		case 9: // a corrupt copy: the id of an event made so far, other content
			if len(out) > 0 {
				id = out[b.intn(len(out))].ID
			}
			e = quiz.NewPracticeAnswer(id, quiz.AnswerData{Question: question(), Response: response()})
		}
		out = append(out, e)
	}
	return out
}

// FuzzFoldBadEvents folds arbitrary events (fuzzEvents) against the real bank. The fold must not
// panic; every event it cannot use must be listed with a reason; an exam answer the state holds
// must fit its question (the app shows it); the views over the state must not panic; Progress
// must agree with a full fold; and a right answer given after all of it, on another device, must
// count. Run it with go test ./quiz -run '^$' -fuzz FuzzFoldBadEvents -fuzztime 60s.
func FuzzFoldBadEvents(f *testing.F) {
	// Seeds, one event after another: op (device<<4 | kind), the clock (0 n: n minutes on; 3 n:
	// 4n days on; 4: as it was), then what the kind reads (see fuzzEvents).
	live := func(q *quiz.Question) []byte { // the two bytes that choose q from the bank
		for i, id := range realCatalog(f).Live {
			if id == q.ID {
				return []byte{2, byte(i >> 8), byte(i)}
			}
		}
		f.Fatalf("%s is not live", q.ID)
		return nil
	}
	cat := realCatalog(f)
	order := firstOfType(f, cat, quiz.Order, false)
	cat0, cat1 := []byte{2, 0, 0}, []byte{2, 0, 1}
	join := func(parts ...[]byte) []byte {
		var out []byte
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	f.Add([]byte{})
	// An exam of three real questions; an order answer out of range to its item 1; an answer to
	// item -1; a flag on item -2; a submit.
	f.Add(join([]byte{2, 4, 3}, cat0, cat1, live(order), []byte{9, 120},
		[]byte{3, 0, 5, 1, 0, 2, 5, 64, 63, 62, 61, 60, 1},
		[]byte{3, 0, 1, 1, 0, 255, 1, 0, 0},
		[]byte{4, 4, 1, 0, 254, 0},
		[]byte{5, 4, 1, 0, 0}))
	// Practice answers: to the order question with indices out of range, to a made-up question,
	// with no response, with a negative choice.
	f.Add(join([]byte{0, 4}, live(order), []byte{5, 64, 63, 62, 61, 60, 1},
		[]byte{0, 0, 1, 0, 3, 7, 1, 0, 1},
		[]byte{0, 0, 1}, cat0, []byte{8, 1},
		[]byte{0, 0, 1}, cat1, []byte{1, 255, 1}))
	// A answers; B, its clock a year ahead, resets (as an old app does); A notes the reset's
	// arrival and answers again.
	f.Add(join([]byte{0, 4}, cat0, []byte{1, 0, 1},
		[]byte{0x17, 3, 90, 0, 1, 0, 1, 1, 0},
		[]byte{0x08, 0, 10, 0, 1, 1},
		[]byte{0x00, 0, 5}, cat1, []byte{1, 1, 0}))
	// B, its clock three days ahead, answers; C resets naming a made-up id of A a year ahead and
	// B's answer; a corrupt copy of B's answer; a setting.
	f.Add(join([]byte{0x10, 2, 3}, cat0, []byte{1, 0, 0},
		[]byte{0x27, 0, 30, 0, 0, 200, 0, 0, 1, 0, 1, 1},
		[]byte{0x09, 4, 0}, cat1, []byte{2, 0, 0},
		[]byte{0x06, 4, 1, 7}))
	f.Fuzz(func(t *testing.T, data []byte) {
		cat := realCatalog(t)
		events := fuzzEvents(t, cat, data)
		last := t0
		for _, e := range events {
			if at := quiz.IDTime(e.ID); at.After(last) {
				last = at
			}
		}
		now := last.Add(time.Minute)
		q := cat.Questions[cat.Live[len(data)%len(cat.Live)]]
		z, err := quiz.NewIDs("ZZZZZZZZ", "")
		if err != nil {
			t.Fatal(err)
		}
		final := quiz.NewPracticeAnswer(z.Next(now), quiz.AnswerData{Question: q.ID, Response: quiz.KeyResponse(q), Correct: true})
		all := append(events, final)

		log := quiz.SortLog(all)
		s := quiz.Fold(log, quiz.Rules{Catalog: cat, Now: now})
		held := map[string]bool{}
		for _, e := range log {
			held[e.ID] = true
		}
		for _, u := range s.Unusable {
			if u.Reason == "" || !held[u.ID] {
				t.Errorf("unusable %+v: want an event of the log and a reason", u)
			}
		}
		if s.Pending != 0 || s.Events != len(log) || s.Last != final.ID {
			t.Errorf("pending %d, events %d, last %s; want 0, %d, %s", s.Pending, s.Events, s.Last, len(log), final.ID)
		}
		c := s.Cards[q.ID]
		if c == nil || !c.LastCorrect || !c.LastReview.Equal(now) || s.Practiced < 1 {
			t.Fatalf("card %+v: the right answer given last, at %v, does not count", c, now)
		}
		if r := s.Reviews[len(s.Reviews)-1]; r.Question != q.ID || !r.Correct || r.Exam {
			t.Errorf("last review %+v, want the right answer to %s", r, q.ID)
		}
		// What the app shows from the state.
		for _, x := range s.Exams {
			quiz.ScoreExam(cat, x)
			x.ReviewList()
			for i, id := range x.Items {
				if q := cat.Questions[id]; q != nil {
					x.Layout(i, q)
					if _, err := quiz.Score(q, x.Answers[i]); err != nil {
						t.Errorf("exam %s item %d holds an answer that does not fit: %v", x.ID, i+1, err)
					}
				}
			}
		}
		quiz.Summarize(cat, s, now)
		// Progress, fed the same events in two batches, agrees.
		k := len(data) % (len(all) + 1)
		p := newProgress(t, cat, "AAAAAAAA", all[:k], now)
		p.Add(all[k:], now)
		if got, want := digest(p.State()), digest(s); got != want {
			t.Errorf("Progress and Fold disagree:\n%s", diffLines(got, want))
		}
	})
}
