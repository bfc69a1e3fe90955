// Package bank reads the study content in content/ (the outline and the question bank) into quiz
// types, lints it, and compiles it to the JSON the browser loads.
package bank

import (
	"fmt"
	"os"

	"github.com/issmp-study/issmp/quiz"
)

// LoadOutline reads and validates the outline data file (content/outline.yaml).
func LoadOutline(path string) (*quiz.Outline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("outline: %w", err)
	}
	return ParseOutline(path, data)
}

// ParseOutline decodes an outline from YAML; name is used in error messages. Unknown fields are
// errors so that a typo cannot silently drop data.
func ParseOutline(name string, data []byte) (*quiz.Outline, error) {
	var o quiz.Outline
	if err := decodeStrict(data, &o); err != nil {
		return nil, fmt.Errorf("outline: %s: %w", name, err)
	}
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("outline: %s: %w", name, err)
	}
	return &o, nil
}
