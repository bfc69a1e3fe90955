package quiz

import (
	"math"
	"time"
)

// Summary is the small digest of progress that study pages show without loading the engine: the
// app writes it to the browser's storage after every change.
type Summary struct {
	// Version 2 added TaskSummary.Sure; pages ignore a version they do not know.
	Version int                    `json:"v"`
	Updated time.Time              `json:"updated"`
	Answers int                    `json:"answers"`
	Due     int                    `json:"due"`
	Tasks   map[string]TaskSummary `json:"tasks"`
}

// TaskSummary is one task's mastery (percent), how many answers it rests on, and whether that is
// enough to show the figure (Estimate.Sure): the pages need not know the threshold.
type TaskSummary struct {
	Mastery int  `json:"m"`
	Answers int  `json:"n"`
	Sure    bool `json:"s"`
}

// Summarize makes the summary at now.
func Summarize(c *Catalog, s *State, now time.Time) Summary {
	m := ComputeMastery(c, s, now)
	sum := Summary{Version: 2, Updated: now.UTC(), Answers: len(s.Reviews), Due: len(DueQueue(c, s, now)), Tasks: map[string]TaskSummary{}}
	for id, e := range m.Tasks {
		sum.Tasks[id] = TaskSummary{Mastery: int(math.Round(100 * e.P)), Answers: e.Answers, Sure: e.Sure}
	}
	return sum
}
