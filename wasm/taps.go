//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/issmp-study/issmp/wasm/dom"
)

// A double tap's second tap comes within about 300 ms of the first (phones' own double-tap
// timeout): it lands on whatever the first one drew under the finger. So a tap within moveGuardMs
// of a move (Next, Check, a navigator number) is taken for the second tap of a double tap, and so
// is a tap on an item within itemGuardMs of its drawing: nobody reads an item in half a second.
const (
	moveGuardMs = 350
	itemGuardMs = 500
)

// tapGuard tells a deliberate tap from the second tap of a double tap.
type tapGuard struct{ since, window float64 }

// arm starts a window of ms milliseconds now.
func (g *tapGuard) arm(ms float64) { g.since, g.window = dom.Now(), ms }

// early reports whether a click came from a finger or a pen within the window. A mouse's quick
// clicks are deliberate (skimming with Next), and keys and scripts (detail 0) are never held back.
func (g *tapGuard) early(ev js.Value) bool {
	return ev.Get("detail").Int() > 0 && touched(ev) && ev.Get("timeStamp").Float()-g.since < g.window
}

// touched reports whether a click came from a touch screen: the click's pointerType where the
// browser gives one, else whether the main pointer is coarse.
func touched(ev js.Value) bool {
	if t := ev.Get("pointerType"); t.Type() == js.TypeString && t.String() != "" {
		return t.String() == "touch" || t.String() == "pen"
	}
	return dom.Window().Call("matchMedia", "(pointer: coarse)").Get("matches").Bool()
}

// guardClicks stops, on el and everything in it, the clicks that g takes for a double tap's
// second tap: a checkbox is not ticked, a button does nothing.
func guardClicks(el dom.El, g *tapGuard) *dom.Handler {
	return el.OnCapture("click", func(ev js.Value) {
		if g.early(ev) {
			ev.Call("preventDefault")
			ev.Call("stopPropagation")
		}
	})
}
