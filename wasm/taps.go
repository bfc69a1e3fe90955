//go:build js && wasm

package main

import (
	"math"
	"syscall/js"

	"github.com/issmp-study/issmp/wasm/dom"
)

// A double tap is two taps at one spot within about 300 ms (phones' own double-tap timeout).
// After a tap that moves (Next, Check, a navigator number), the second tap of a double tap lands
// on whatever the move drew under the finger: an option of the next item, Flag, a link. So a tap
// within tapGuardMs and tapGuardPx of a move is not taken. A tap elsewhere, or a mouse's quick
// clicks (skimming with Next), or a key (detail 0) is never held back.
const (
	tapGuardMs = 400
	tapGuardPx = 40
)

// tapGuard remembers the last tap that moved.
type tapGuard struct{ at, x, y float64 }

// arm remembers ev, the tap that moved, if it was a tap.
func (g *tapGuard) arm(ev js.Value) {
	if ev.Get("detail").Int() > 0 && touched(ev) {
		g.at, g.x, g.y = ev.Get("timeStamp").Float(), ev.Get("clientX").Float(), ev.Get("clientY").Float()
	}
}

// early reports whether ev is the second tap of a double tap whose first tap moved.
func (g *tapGuard) early(ev js.Value) bool {
	if g.at == 0 || ev.Get("detail").Int() == 0 || !touched(ev) {
		return false
	}
	dt := ev.Get("timeStamp").Float() - g.at
	d := math.Hypot(ev.Get("clientX").Float()-g.x, ev.Get("clientY").Float()-g.y)
	return dt >= 0 && dt < tapGuardMs && d < tapGuardPx
}

// touched reports whether a click came from a touch screen: the click's pointerType where the
// browser gives one, else whether the main pointer is coarse.
func touched(ev js.Value) bool {
	if t := ev.Get("pointerType"); t.Type() == js.TypeString && t.String() != "" {
		return t.String() == "touch" || t.String() == "pen"
	}
	return dom.Window().Call("matchMedia", "(pointer: coarse)").Get("matches").Bool()
}

// guardClicks stops, on el and everything in it, the second tap of a double tap whose first tap
// moved: a checkbox is not ticked, a button or a link does nothing.
func guardClicks(el dom.El, g *tapGuard) *dom.Handler {
	return el.OnCapture("click", func(ev js.Value) {
		if g.early(ev) {
			ev.Call("preventDefault")
			ev.Call("stopPropagation")
		}
	})
}
