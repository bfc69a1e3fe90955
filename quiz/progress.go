package quiz

import (
	"fmt"
	"sort"
	"time"
)

// Progress is a device's progress log in memory with the state folded from it: the bookkeeping
// every adapter shares when it records the candidate's own events and merges events from
// elsewhere. It keeps the log sorted by id without duplicates, applies events that come after
// everything it holds in place, and folds afresh otherwise. It does no I/O and no locking: the
// adapter stores events and serializes calls.
type Progress struct {
	ids   *IDs
	log   []Event
	state *State
}

// NewProgress returns the progress of a device from its stored events, in any order. Its ids
// continue after the newest one the device wrote.
func NewProgress(device string, events []Event) (*Progress, error) {
	log := SortLog(events)
	ids, err := NewIDs(device, LastID(log, device))
	if err != nil {
		return nil, fmt.Errorf("progress: %w", err)
	}
	return &Progress{ids: ids, log: log, state: Fold(log)}, nil
}

// LastID returns the newest id among the events that device wrote, or "" if it wrote none.
func LastID(events []Event, device string) string {
	last := ""
	for _, e := range events {
		if e.ID > last && len(e.ID) == idLen && e.ID[timeChars+1:timeChars+1+deviceChars] == device {
			last = e.ID
		}
	}
	return last
}

// Device is the id of the device whose progress this is.
func (p *Progress) Device() string { return p.ids.Device }

// NextID returns the id for a new event of this device at now. Ids only increase, so the order
// in which the candidate acted is the order of the log.
func (p *Progress) NextID(now time.Time) string { return p.ids.Next(now) }

// State is the state folded from the log. Add and Remove change it, in place or by replacing it:
// callers read it again after either.
func (p *Progress) State() *State { return p.state }

// Len is the number of events in the log.
func (p *Progress) Len() int { return len(p.log) }

// Log returns a copy of the log, sorted by id.
func (p *Progress) Log() []Event { return append([]Event(nil), p.log...) }

// Has reports whether the log holds an event with this id.
func (p *Progress) Has(id string) bool {
	i := sort.Search(len(p.log), func(i int) bool { return p.log[i].ID >= id })
	return i < len(p.log) && p.log[i].ID == id
}

// Missing returns the events whose ids the log does not hold, sorted by id, each once: what a
// merge would add, and so what must be stored first.
func (p *Progress) Missing(events []Event) []Event {
	var out []Event
	for _, e := range events {
		if !p.Has(e.ID) {
			out = append(out, e)
		}
	}
	return SortLog(out)
}

// Add merges events into the log and returns how many were new. An event whose id the log holds
// already changes nothing. When every new event sorts after the whole log (the candidate's own
// events, as a rule) they are applied to the state in place; otherwise the log is folded again,
// which gives the same state as if the events had always been there.
func (p *Progress) Add(events []Event) int {
	fresh := p.Missing(events)
	if len(fresh) == 0 {
		return 0
	}
	inOrder := len(p.log) == 0 || fresh[0].ID > p.log[len(p.log)-1].ID
	p.log = Merge(p.log, fresh)
	if inOrder {
		for _, e := range fresh {
			p.state.Apply(e)
		}
	} else {
		p.state = Fold(p.log)
	}
	return len(fresh)
}

// Remove takes the events with these ids out of the log (events that were shown but could not be
// stored) and folds again. It returns how many it removed.
func (p *Progress) Remove(ids []string) int {
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
		p.state = Fold(kept)
	}
	return n
}
