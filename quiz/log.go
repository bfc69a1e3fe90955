package quiz

import "sort"

// Merge returns the union of two logs, each sorted by id without duplicates (as Merge and
// SortLog return them), sorted by id. It is commutative, associative and idempotent: two devices
// that have seen the same events hold the same log, whatever order the events arrived in. Two
// different events that claim one id (a corrupt copy) resolve to the same one on every device.
func Merge(a, b []Event) []Event {
	out := make([]Event, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].ID < b[j].ID:
			out = append(out, a[i])
			i++
		case a[i].ID > b[j].ID:
			out = append(out, b[j])
			j++
		default:
			out = append(out, pick(a[i], b[j]))
			i++
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// pick chooses between two events with the same id, the same way on every device.
func pick(x, y Event) Event {
	if y.checksum < x.checksum {
		return y
	}
	return x
}

// SortLog sorts events by id and drops duplicates, as Merge expects.
func SortLog(events []Event) []Event {
	out := append([]Event(nil), events...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].ID != out[j].ID {
			return out[i].ID < out[j].ID
		}
		return out[i].checksum < out[j].checksum
	})
	w := 0
	for i := range out {
		if w > 0 && out[w-1].ID == out[i].ID {
			continue // the first of equal ids has the lowest checksum, as pick chooses
		}
		out[w] = out[i]
		w++
	}
	return out[:w]
}
