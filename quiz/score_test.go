package quiz_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/issmp-study/issmp/quiz"
)

var (
	single = &quiz.Question{ID: "s", Type: quiz.Single, Choices: make([]quiz.Choice, 4), Key: []int{2}}
	multi  = &quiz.Question{ID: "m", Type: quiz.Multi, Choices: make([]quiz.Choice, 5), Key: []int{0, 3}}
	order  = &quiz.Question{ID: "o", Type: quiz.Order, Choices: make([]quiz.Choice, 4)}
	match  = &quiz.Question{ID: "x", Type: quiz.Match, Pairs: make([]quiz.Pair, 3), Extra: make([]quiz.Choice, 1)}
	grid   = &quiz.Question{ID: "g", Type: quiz.Hotspot, Grid: &quiz.Grid{Rows: make([]quiz.Choice, 3), Cols: make([]quiz.Choice, 4)}, Key: []int{1, 2}}
	region = &quiz.Question{ID: "r", Type: quiz.Hotspot, Choices: make([]quiz.Choice, 5), Key: []int{4}}
)

func TestScoreEveryItemTypeAllOrNothing(t *testing.T) {
	tests := []struct {
		name    string
		q       *quiz.Question
		r       quiz.Response
		correct bool
		parts   []bool
	}{
		{"single right", single, quiz.Response{2}, true, []bool{true}},
		{"single wrong", single, quiz.Response{0}, false, []bool{false}},
		{"multi right in any order", multi, quiz.Response{3, 0}, true, []bool{true, true, true, true, true}},
		{"multi one missed", multi, quiz.Response{0}, false, []bool{true, true, true, false, true}},
		{"multi one too many", multi, quiz.Response{0, 3, 4}, false, []bool{true, true, true, true, false}},
		{"order right", order, quiz.Response{0, 1, 2, 3}, true, []bool{true, true, true, true}},
		{"order two swapped", order, quiz.Response{0, 2, 1, 3}, false, []bool{true, false, false, true}},
		{"match right", match, quiz.Response{0, 1, 2}, true, []bool{true, true, true}},
		{"match with the extra", match, quiz.Response{0, 3, 2}, false, []bool{true, false, true}},
		{"match partly unanswered", match, quiz.Response{0, -1, -1}, false, []bool{true, false, false}},
		{"grid right cell", grid, quiz.Response{1, 2}, true, []bool{true, true}},
		{"grid right row wrong column", grid, quiz.Response{1, 3}, false, []bool{true, false}},
		{"grid wrong row right column", grid, quiz.Response{0, 2}, false, []bool{false, true}},
		{"region right", region, quiz.Response{4}, true, []bool{true}},
		{"region wrong", region, quiz.Response{1}, false, []bool{false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := quiz.Score(tt.q, tt.r)
			if err != nil {
				t.Fatal(err)
			}
			if got.Correct != tt.correct || !got.Answered || !reflect.DeepEqual(got.Parts, tt.parts) {
				t.Errorf("got %+v, want correct=%v parts=%v", got, tt.correct, tt.parts)
			}
		})
	}
}

func TestKeyResponseScoresRightForEveryItemType(t *testing.T) {
	for _, q := range []*quiz.Question{single, multi, order, match, grid, region} {
		got, err := quiz.Score(q, quiz.KeyResponse(q))
		if err != nil || !got.Correct {
			t.Errorf("%s: KeyResponse %v scores %+v, %v", q.Type, quiz.KeyResponse(q), got, err)
		}
	}
}

func TestScoreNoAnswerIsWrongAndUnanswered(t *testing.T) {
	for _, q := range []*quiz.Question{single, multi, order, match, grid, region} {
		got, err := quiz.Score(q, nil)
		if err != nil || got.Correct || got.Answered {
			t.Errorf("%s: got %+v %v, want unanswered and wrong", q.ID, got, err)
		}
	}
}

func TestScoreRefusesResponsesThatDoNotFit(t *testing.T) {
	tests := []struct {
		name string
		q    *quiz.Question
		r    quiz.Response
	}{
		{"single out of range", single, quiz.Response{4}},
		{"single two choices", single, quiz.Response{1, 2}},
		{"multi repeated", multi, quiz.Response{0, 0}},
		{"multi negative", multi, quiz.Response{-1}},
		{"order not a permutation", order, quiz.Response{0, 0, 1, 2}},
		{"order too short", order, quiz.Response{0, 1, 2}},
		{"match used twice", match, quiz.Response{1, 1, 2}},
		{"match wrong length", match, quiz.Response{0, 1}},
		{"match out of range", match, quiz.Response{0, 1, 4}},
		{"grid outside", grid, quiz.Response{3, 0}},
		{"grid one coordinate", grid, quiz.Response{1}},
		{"region outside", region, quiz.Response{5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := quiz.Score(tt.q, tt.r); !errors.Is(err, quiz.ErrBadResponse) {
				t.Errorf("got %v, want ErrBadResponse", err)
			}
		})
	}
}
