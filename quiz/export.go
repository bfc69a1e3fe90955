package quiz

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ExportFormat names the file a candidate exports their progress to.
const ExportFormat = "issmp-progress"

// MaxExportSize bounds an import file, so a wrong file cannot exhaust the browser's memory.
const MaxExportSize = 64 << 20

// Export is the progress file: the whole log, which imports into any device by merging.
type Export struct {
	Format   string          `json:"format"`
	Version  int             `json:"version"`
	Exported time.Time       `json:"exported"`
	Device   string          `json:"device,omitempty"`
	Events   []Event         `json:"-"`
	Raw      json.RawMessage `json:"events"`
}

// MarshalExport writes the progress file for a log.
func MarshalExport(log []Event, device string, now time.Time) ([]byte, error) {
	events, err := json.Marshal(log)
	if err != nil {
		return nil, err
	}
	if log == nil {
		events = []byte("[]")
	}
	return json.MarshalIndent(Export{Format: ExportFormat, Version: EventVersion, Exported: now.UTC(), Device: device, Raw: events}, "", " ")
}

// ErrNotAnExport is wrapped when a file is not a progress file at all.
var ErrNotAnExport = errors.New("this is not a progress file exported from ISSMP Study")

// ParseExport reads a progress file. A file that is not one, or one from a newer version of the
// app, is an error; single events that cannot be read are skipped and counted, so that one
// damaged line does not cost the rest.
func ParseExport(data []byte) (events []Event, skipped int, err error) {
	if len(data) > MaxExportSize {
		return nil, 0, fmt.Errorf("%w: the file is larger than %d MB", ErrNotAnExport, MaxExportSize>>20)
	}
	var x Export
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&x); err != nil || x.Format != ExportFormat {
		return nil, 0, ErrNotAnExport
	}
	if x.Version > EventVersion {
		return nil, 0, fmt.Errorf("the file was %w", ErrNewerVersion)
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(x.Raw, &raw); err != nil {
		return nil, 0, fmt.Errorf("%w: its list of events is damaged", ErrNotAnExport)
	}
	for _, r := range raw {
		e, err := DecodeEvent(r)
		if err != nil {
			if errors.Is(err, ErrNewerVersion) {
				return nil, 0, fmt.Errorf("the file was %w", ErrNewerVersion)
			}
			skipped++
			continue
		}
		events = append(events, e)
	}
	return SortLog(events), skipped, nil
}
