package quiz

import "math"

// Readiness predicts the score of a mock exam taken now, from mastery weighted by the exam's
// blueprint. See docs/SCORING.md for the method and its calibration.
type Readiness struct {
	Raw             float64 // expected fraction of items right
	Scaled          int     // expected scaled score
	Low, High       int     // 90% interval of the scaled score
	PassProbability float64
	// Enough is false while there is too little evidence for the figures to mean much; the app
	// says so instead of showing a confident number, and Short says what is missing.
	Enough bool
	Short  Shortfall
}

const z90 = 1.6448536269514722

// Predict estimates the exam result from mastery. Per domain d with n_d of the N items and
// estimated probability p_d: the expected raw score is sum(n_d p_d)/N; its variance adds the
// luck of which items are drawn and answered, sum(n_d p_d (1-p_d))/N^2, and the uncertainty of
// each p_d, (n_d/N)^2 p_d (1-p_d)/(E_d + ShrinkStrength + 1) for evidence E_d. The pass
// probability is that of reaching the pass mark's item count under a normal approximation.
func Predict(c *Catalog, m Mastery) Readiness {
	var n, mean, variance float64
	for _, dc := range c.Blueprint {
		n += float64(dc.Items)
	}
	if n == 0 {
		return Readiness{}
	}
	for _, dc := range c.Blueprint {
		e := m.Domains[dc.Domain]
		share := float64(dc.Items) / n
		mean += share * e.P
		q := e.P * (1 - e.P)
		variance += float64(dc.Items) * q / (n * n)
		variance += share * share * q / (e.Evidence + ShrinkStrength + 1)
	}
	sd := math.Sqrt(variance)
	short := shortfall(c, m)
	r := Readiness{Raw: mean, Scaled: Scaled(mean), Enough: short.Answers == 0, Short: short}
	r.Low, r.High = Scaled(mean-z90*sd), Scaled(mean+z90*sd)
	// Passing needs ceil(CutRaw*N) items; continuity-corrected, the threshold on the raw fraction
	// is that count minus half an item.
	need := (math.Ceil(CutRaw*n-1e-9) - 0.5) / n
	if sd == 0 {
		r.PassProbability = map[bool]float64{true: 1, false: 0}[mean >= need]
	} else {
		r.PassProbability = 0.5 * math.Erfc(-(mean-need)/(sd*math.Sqrt2))
	}
	return r
}
