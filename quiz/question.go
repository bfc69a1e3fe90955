package quiz

// ItemType is the kind of exam item.
type ItemType string

// The item types of the exam: classic multiple choice and the advanced types.
const (
	Single  ItemType = "single"  // four options, one correct
	Multi   ItemType = "multi"   // choose N of five or six
	Order   ItemType = "order"   // put four to six steps in order
	Match   ItemType = "match"   // pair each item with one match
	Hotspot ItemType = "hotspot" // pick one cell of a grid or one region of a figure
)

// ItemTypes lists every item type in a fixed order.
var ItemTypes = []ItemType{Single, Multi, Order, Match, Hotspot}

// Choice is something the candidate can pick or place: an option (single, multi), a region of a
// figure (hotspot), a step (order) or a row or column of a grid (hotspot).
type Choice struct {
	Text string `json:"text"`
	// Why explains a wrong option (why it is not the answer), a step (why it sits where it does),
	// or an extra match (why it matches nothing). Empty for a key option.
	Why string `json:"why,omitempty"`
}

// Pair is one item of a match question with its correct match.
type Pair struct {
	Item  string `json:"item"`
	Match string `json:"match"`
	Why   string `json:"why"`
}

// Grid is the figure of a hotspot question on a grid, such as a risk heat map. Rows are listed top
// to bottom, columns left to right. Each row's and column's Why explains why it is not the key's.
type Grid struct {
	RowsLabel string   `json:"rows_label"`
	ColsLabel string   `json:"cols_label"`
	Rows      []Choice `json:"rows"`
	Cols      []Choice `json:"cols"`
	Cells     []Cell   `json:"cells,omitempty"`
}

// Cell is text shown in one cell of a grid (for example a plotted risk).
type Cell struct {
	Row  int    `json:"row"`
	Col  int    `json:"col"`
	Text string `json:"text"`
}

// Question is one item of the bank. Its ID is stable and never reused: progress refers to it.
//
// The key is stored as indices into the question's own lists, in the order written:
//   - single, multi, hotspot with regions: indices into Choices (multi ascending);
//   - hotspot on a grid: [row, col];
//   - order: nil, because Choices are written in the correct order;
//   - match: nil, because each Pair holds its match.
//
// Shuffling for display is the engine's job; stored order is never the order shown.
type Question struct {
	ID          string   `json:"id"`
	Task        string   `json:"task"`
	Type        ItemType `json:"type"`
	Difficulty  int      `json:"difficulty"`
	AI          bool     `json:"ai,omitempty"`
	Retired     bool     `json:"retired,omitempty"`
	Scenario    string   `json:"scenario,omitempty"` // id of the scenario set it belongs to
	Stem        string   `json:"stem"`
	Figure      string   `json:"figure,omitempty"` // hotspot with regions: the figure described
	Choices     []Choice `json:"choices,omitempty"`
	Key         []int    `json:"key,omitempty"`
	Pairs       []Pair   `json:"pairs,omitempty"`
	Extra       []Choice `json:"extra,omitempty"` // match: matches that belong to no item
	Grid        *Grid    `json:"grid,omitempty"`
	Explanation string   `json:"explanation"`
	References  []string `json:"references,omitempty"`
	// Corrections are the published corrections of the question (content/corrections.yaml),
	// newest first. Absent for the many questions never corrected, so they cost no bytes.
	Corrections []Correction `json:"corrections,omitempty"`
}

// Correction is one entry of the public corrections log as the feedback shows it: when the
// question was corrected (an ISO date, 2026-12-07) and what changed, in a sentence.
type Correction struct {
	Date string `json:"date"`
	What string `json:"what"`
}

// Scenario is a short case shared by two to four questions, which stay together in an exam.
type Scenario struct {
	ID        string   `json:"id"`
	Case      string   `json:"case"`
	Questions []string `json:"questions"` // ids, in the order written
}

// Bank is the compiled question bank the browser loads, with the outline it refers to.
type Bank struct {
	// Version is a hash of the content, so a client can tell one bank from another.
	Version   string     `json:"version"`
	Outline   Outline    `json:"outline"`
	Questions []Question `json:"questions"`
	Scenarios []Scenario `json:"scenarios"`
}
