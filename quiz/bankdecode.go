package quiz

import (
	"encoding/json"
	"fmt"
	"io"
)

// DecodeBank reads the compiled bank (bank/compile.go writes it) one question at a time and calls
// pause after each, so that a caller on a browser's main thread can let the page breathe between
// questions instead of blocking it for the whole file. pause may be nil.
func DecodeBank(r io.Reader, pause func()) (*Bank, error) {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	b := &Bank{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("bank: %w", err)
		}
		key, _ := tok.(string)
		switch key {
		case "version":
			err = dec.Decode(&b.Version)
		case "outline":
			err = dec.Decode(&b.Outline)
		case "questions":
			err = decodeArray(dec, func() error {
				var q Question
				if err := dec.Decode(&q); err != nil {
					return err
				}
				b.Questions = append(b.Questions, q)
				if pause != nil {
					pause()
				}
				return nil
			})
		case "scenarios":
			err = dec.Decode(&b.Scenarios)
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip) // a field of a newer compiler: ignored, as json.Unmarshal would
		}
		if err != nil {
			return nil, fmt.Errorf("bank: %s: %w", key, err)
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, err
	}
	return b, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("bank: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("bank: expected %q, found %v", want, tok)
	}
	return nil
}

func decodeArray(dec *json.Decoder, each func() error) error {
	if err := expectDelim(dec, '['); err != nil {
		return err
	}
	for dec.More() {
		if err := each(); err != nil {
			return err
		}
	}
	return expectDelim(dec, ']')
}
