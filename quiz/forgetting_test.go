package quiz

import "testing"

func TestForgettingCurveMatchesGoFSRS(t *testing.T) {
	srs := NewScheduler()
	curve := newForgetting(srs)
	for _, stability := range []float64{0, 0.0005, 0.1, 1, 3.7, 40, 365, 36500, 90000} {
		for _, days := range []float64{0, 0.5, 1, 7, 30, 400, 5000} {
			want := srs.ForgettingCurve(days, stability)
			if got := curve.at(days, stability); got != want {
				t.Errorf("%v days at stability %v: recall %v, go-fsrs says %v", days, stability, got, want)
			}
		}
	}
}
