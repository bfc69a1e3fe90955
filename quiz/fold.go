package quiz

import (
	"sort"
	"strings"
	"time"
)

// Tolerance is how far ahead of the clock an event may be dated and still count at once: the
// clocks of two devices disagree by minutes, now and then by hours.
const Tolerance = 24 * time.Hour

// Rules are what a fold checks events against.
type Rules struct {
	// Catalog is the question bank: an answer to a question it does not hold, or that does not fit
	// its question, is kept in the log but not used. Nil checks nothing (tests of the log alone).
	Catalog *Catalog
	// Now is the clock: an event dated more than Tolerance after it does not count before its
	// time. Zero lets everything count.
	Now time.Time
}

// Unusable is an event the fold keeps in the log but cannot use, and why.
type Unusable struct {
	ID     string
	Reason string
}

// Fold derives the state from a log sorted by id (see SortLog and Merge), by the rules of
// docs/PROGRESS.md:
//   - an event dated more than Tolerance after r.Now waits, uncounted, until its time;
//   - an event that reached some device early (an arrival note names it) is placed at the time it
//     arrived, not at its claimed time, so it cannot reorder what came after it;
//   - a reset clears the events its device had seen (a reset from before version 2: every event
//     placed before it), never settings;
//   - an event that does not fit the bank is kept but unused (State.Unusable).
//
// The result depends only on the set of events and r, never on the order they arrived in: two
// devices that hold the same events show the same state.
func Fold(log []Event, r Rules) *State {
	s := NewState()
	s.Events = len(log)
	s.Reviews = make([]Review, 0, len(log)) // nearly every event is an answer: grow once, not 20 times
	placed, _ := place(log, r.Now, s)
	for _, p := range placed {
		s.Apply(p.e, p.at, r)
	}
	return s
}

// placedEvent is an event with the time at which the fold applies it.
type placedEvent struct {
	e  Event
	at time.Time
}

// place returns the events that count now, in the order and at the times the fold applies them,
// counting in s those that wait, and when each event that an arrival note names arrived.
func place(log []Event, now time.Time, s *State) (out []placedEvent, arrived map[string]time.Time) {
	arrived = map[string]time.Time{}
	late := false // an arrival note moved an event before others
	for _, e := range log {
		if e.Type != EventsArrived {
			continue
		}
		at := IDTime(e.ID)
		for _, id := range e.Arrived.IDs {
			if t, ok := arrived[id]; !ok || at.Before(t) {
				arrived[id] = at
			}
		}
	}
	horizon := now.Add(Tolerance)
	out = make([]placedEvent, 0, len(log))
	for _, e := range log {
		claimed := IDTime(e.ID)
		if !now.IsZero() && claimed.After(horizon) {
			s.Pending++
			continue
		}
		at := claimed
		if t, ok := arrived[e.ID]; ok && t.Before(at) {
			at, late = t, true
		}
		out = append(out, placedEvent{e, at})
	}
	if late {
		sort.SliceStable(out, func(i, j int) bool {
			if !out[i].at.Equal(out[j].at) {
				return out[i].at.Before(out[j].at)
			}
			return out[i].e.ID < out[j].e.ID
		})
	}
	return erase(out), arrived
}

// erase drops the events that a reset clears. A reset of version 2 clears, for each device it
// names, that device's events up to the newest one the resetting device held; older resets clear
// every event placed before them. Settings, resets and arrival notes are never cleared.
func erase(events []placedEvent) []placedEvent {
	seen := map[string]string{}
	lastLegacy := -1
	for i, p := range events {
		if p.e.Type != ProgressReset {
			continue
		}
		if p.e.Reset == nil {
			lastLegacy = i
			continue
		}
		// A reset can have seen only events made before it: a bound dated later (a crafted or
		// broken file) is cut back to the reset's own time, with the clocks' tolerance, so that
		// it cannot clear what a device does afterwards.
		latest := encode32(uint64(p.at.Add(Tolerance).UnixMilli()), timeChars)
		for device, id := range p.e.Reset.Seen {
			if cap := latest + "-" + device + "-" + strings.Repeat("Z", seqChars); id > cap {
				id = cap
			}
			if id > seen[device] {
				seen[device] = id
			}
		}
	}
	if lastLegacy < 0 && len(seen) == 0 {
		return events
	}
	kept := events[:0:0]
	for i, p := range events {
		switch p.e.Type {
		case SettingSet, ProgressReset, EventsArrived:
			kept = append(kept, p)
			continue
		}
		if i < lastLegacy {
			continue
		}
		if last := seen[deviceOf(p.e.ID)]; last != "" && p.e.ID <= last {
			continue
		}
		kept = append(kept, p)
	}
	return kept
}

// deviceOf is the device part of a well-formed event id.
func deviceOf(id string) string {
	if len(id) != idLen {
		return ""
	}
	return id[timeChars+1 : timeChars+1+deviceChars]
}

// Seen returns, for each device, the newest of its events in the log: what a reset written now
// clears.
func Seen(log []Event) map[string]string {
	out := map[string]string{}
	for _, e := range log {
		if d := deviceOf(e.ID); d != "" && e.ID > out[d] {
			out[d] = e.ID
		}
	}
	return out
}

// Early returns the ids of the events dated more than Tolerance after now: what a device notes
// in an arrival event when they reach it.
func Early(events []Event, now time.Time) []string {
	var out []string
	horizon := now.Add(Tolerance)
	for _, e := range events {
		if IDTime(e.ID).After(horizon) && e.Type != EventsArrived {
			out = append(out, e.ID)
		}
	}
	return out
}

// AheadOfClock reports whether device's newest event is dated more than Tolerance after now: its
// clock ran ahead and has been put right. Its ids only increase, so everything it recorded from
// now on would wait for that date; it should go on under a new device id (docs/PROGRESS.md).
func AheadOfClock(events []Event, device string, now time.Time) bool {
	last := LastID(events, device)
	return last != "" && IDTime(last).After(now.Add(Tolerance))
}
