package quiz

import (
	"fmt"
	"sort"
	"time"
)

// Progress is a device's progress log in memory with the state folded from it: the bookkeeping
// every adapter shares when it records the candidate's own events and merges events from
// elsewhere, so that local writes, imports and sync follow one rule. It keeps the log sorted by
// id without duplicates (of two copies of one id, the one Merge picks), applies the device's own
// events in place and folds afresh otherwise. It does no I/O and no locking: the adapter stores
// events and serializes calls.
type Progress struct {
	cat   *Catalog
	ids   *IDs
	log   []Event
	state *State
	// last is where the last applied event was placed: an event placed after it can be applied
	// in place.
	lastAt time.Time
	lastID string
	// wakes is when the earliest waiting event starts to count; zero if none waits.
	wakes time.Time
	// arrived holds when the events that arrival notes in the log name arrived (place works it
	// out), and cleared, for each device, the newest of its ids that a reset in the log names: when
	// such an event comes, the fold moves or erases it, so it cannot be applied in place.
	arrived map[string]time.Time
	cleared map[string]string
}

// NewProgress returns the progress of a device from its stored events, in any order, checked
// against the catalog at now. Its ids continue after the newest one the device wrote.
func NewProgress(cat *Catalog, device string, events []Event, now time.Time) (*Progress, error) {
	ids, err := NewIDs(device, LastID(events, device))
	if err != nil {
		return nil, fmt.Errorf("progress: %w", err)
	}
	p := &Progress{cat: cat, ids: ids, log: SortLog(events)}
	p.refold(now)
	return p, nil
}

// LastID returns the newest id among the events that device wrote, or "" if it wrote none.
func LastID(events []Event, device string) string {
	last := ""
	for _, e := range events {
		if e.ID > last && deviceOf(e.ID) == device {
			last = e.ID
		}
	}
	return last
}

// refold folds the whole log at now.
func (p *Progress) refold(now time.Time) {
	r := Rules{Catalog: p.cat, Now: now}
	s := NewState()
	s.Events = len(p.log)
	placed, arrived := place(p.log, now, s)
	p.lastAt, p.lastID = time.Time{}, ""
	for _, e := range placed {
		s.Apply(e.e, e.at, r)
		p.lastAt, p.lastID = e.at, e.e.ID
	}
	p.state = s
	p.wakes = time.Time{}
	horizon := now.Add(Tolerance)
	for _, e := range p.log {
		if t := IDTime(e.ID); t.After(horizon) && (p.wakes.IsZero() || t.Before(p.wakes)) {
			p.wakes = t
		}
	}
	if !p.wakes.IsZero() {
		p.wakes = p.wakes.Add(-Tolerance)
	}
	p.arrived, p.cleared = arrived, map[string]string{}
	for _, e := range p.log {
		if e.Type == ProgressReset && e.Reset != nil {
			for device, id := range e.Reset.Seen {
				if id > p.cleared[device] {
					p.cleared[device] = id
				}
			}
		}
	}
}

// noted reports whether an arrival note in the log names the event with this id.
func (p *Progress) noted(id string) bool {
	_, ok := p.arrived[id]
	return ok
}

// Device is the id of the device whose progress this is.
func (p *Progress) Device() string { return p.ids.Device }

// NextID returns the id for a new event of this device at now. Ids only increase, so the order
// in which the candidate acted is the order of the log.
func (p *Progress) NextID(now time.Time) string { return p.ids.Next(now) }

// State is the state folded from the log. Add, Remove and Refresh change it, in place or by
// replacing it: callers read it again after any of them.
func (p *Progress) State() *State { return p.state }

// Refresh folds again if, at now, events that waited for their time start to count.
func (p *Progress) Refresh(now time.Time) {
	if !p.wakes.IsZero() && !now.Before(p.wakes) {
		p.refold(now)
	}
}

// Len is the number of events in the log.
func (p *Progress) Len() int { return len(p.log) }

// Log returns a copy of the log, sorted by id.
func (p *Progress) Log() []Event { return append([]Event(nil), p.log...) }

// Seen is, for each device, the newest of its events in the log: what a reset written now clears.
func (p *Progress) Seen() map[string]string { return Seen(p.log) }

// find returns the log's event with this id.
func (p *Progress) find(id string) (Event, bool) {
	i := sort.Search(len(p.log), func(i int) bool { return p.log[i].ID >= id })
	if i < len(p.log) && p.log[i].ID == id {
		return p.log[i], true
	}
	return Event{}, false
}

// Has reports whether the log holds an event with this id.
func (p *Progress) Has(id string) bool {
	_, ok := p.find(id)
	return ok
}

// Missing returns what adding events would change, sorted by id, each once: the events whose ids
// the log does not hold, and those that replace a held copy of their id (the copy Merge picks,
// the same on every device). That is what must be stored first.
func (p *Progress) Missing(events []Event) []Event {
	var out []Event
	for _, e := range SortLog(events) {
		held, ok := p.find(e.ID)
		if !ok || pick(held, e).checksum != held.checksum {
			out = append(out, e)
		}
	}
	return out
}

// Arrival returns the note to store with events from elsewhere when some of them are dated more
// than Tolerance after now (see Early), and whether one is needed.
func (p *Progress) Arrival(events []Event, now time.Time) (Event, bool) {
	var ids []string
	for _, id := range Early(events, now) {
		if !p.noted(id) { // noted once is enough: the earliest note places it
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return Event{}, false
	}
	return NewArrival(p.NextID(now), ids), true
}

// Add merges events into the log and returns how many were new or replaced a held copy. The
// candidate's own new events, placed after everything applied, are applied to the state in place;
// anything else (events from before, a reset, an arrival note, an event that a held arrival note
// or reset names, a waiting event whose time has come) folds the log afresh, which gives the same
// state as if the events had always been there.
func (p *Progress) Add(events []Event, now time.Time) int {
	fresh := p.Missing(events)
	if len(fresh) == 0 {
		p.Refresh(now)
		return 0
	}
	inPlace := p.wakes.IsZero() || now.Before(p.wakes)
	for _, e := range fresh {
		at := IDTime(e.ID)
		if p.Has(e.ID) || e.Type == ProgressReset || e.Type == EventsArrived || at.After(now.Add(Tolerance)) ||
			at.Before(p.lastAt) || (at.Equal(p.lastAt) && e.ID < p.lastID) ||
			p.noted(e.ID) || e.ID <= p.cleared[deviceOf(e.ID)] {
			inPlace = false
		}
	}
	p.log = Merge(p.log, fresh)
	if !inPlace {
		p.refold(now)
		return len(fresh)
	}
	r := Rules{Catalog: p.cat, Now: now}
	p.state.Events = len(p.log)
	for _, e := range fresh {
		at := IDTime(e.ID)
		p.state.Apply(e, at, r)
		p.lastAt, p.lastID = at, e.ID
	}
	return len(fresh)
}

// Remove takes the events with these ids out of the log (events that were shown but could not be
// stored) and folds again at now. It returns how many it removed.
func (p *Progress) Remove(ids []string, now time.Time) int {
	drop := make(map[string]bool, len(ids))
	for _, id := range ids {
		drop[id] = true
	}
	kept := p.log[:0:0]
	for _, e := range p.log {
		if !drop[e.ID] {
			kept = append(kept, e)
		}
	}
	n := len(p.log) - len(kept)
	if n > 0 {
		p.log = kept
		p.refold(now)
	}
	return n
}
