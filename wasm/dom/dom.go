//go:build js && wasm

// Package dom is a thin layer over syscall/js for the app's pages: finding elements, cloning
// <template>s that Hugo rendered, setting text and attributes, and listening to events.
package dom

import (
	"fmt"
	"runtime/debug"
	"syscall/js"
)

// El is a DOM element (or any JS value standing for one).
type El struct{ js.Value }

var (
	document = js.Global().Get("document")
	window   = js.Global()
)

// Document returns the document element wrapper.
func Document() El { return El{document} }

// Window returns the global object.
func Window() js.Value { return window }

// ByID returns the element with the given id; Ok reports whether it exists.
func ByID(id string) El { return El{document.Call("getElementById", id)} }

// Ok reports whether the element exists.
func (e El) Ok() bool { return e.Value.Truthy() }

// Q returns the first descendant matching a CSS selector.
func (e El) Q(sel string) El { return El{e.Call("querySelector", sel)} }

// All returns the descendants matching a CSS selector.
func (e El) All(sel string) []El {
	list := e.Call("querySelectorAll", sel)
	out := make([]El, list.Length())
	for i := range out {
		out[i] = El{list.Index(i)}
	}
	return out
}

// Q returns the first element of the document matching a CSS selector.
func Q(sel string) El { return El{document.Call("querySelector", sel)} }

// Clone returns a deep copy of the first element inside the <template> with the given id.
func Clone(templateID string) El {
	t := ByID(templateID)
	if !t.Ok() {
		panic("dom: no template #" + templateID)
	}
	return El{t.Get("content").Get("firstElementChild").Call("cloneNode", true)}
}

// New creates an element with attributes given as name, value pairs.
func New(tag string, attrs ...string) El {
	e := El{document.Call("createElement", tag)}
	for i := 0; i+1 < len(attrs); i += 2 {
		e.Call("setAttribute", attrs[i], attrs[i+1])
	}
	return e
}

// Text sets the element's text content and returns it.
func (e El) Text(s string) El { e.Set("textContent", s); return e }

// Attr sets an attribute and returns the element.
func (e El) Attr(name, value string) El { e.Call("setAttribute", name, value); return e }

// Unattr removes an attribute.
func (e El) Unattr(name string) El { e.Call("removeAttribute", name); return e }

// Get returns an attribute's value, or "".
func (e El) GetAttr(name string) string {
	v := e.Call("getAttribute", name)
	if v.IsNull() {
		return ""
	}
	return v.String()
}

// Data returns a data-* attribute.
func (e El) Data(name string) string {
	v := e.Get("dataset").Get(name)
	if v.IsUndefined() {
		return ""
	}
	return v.String()
}

// SetData sets a data-* attribute.
func (e El) SetData(name, value string) El { e.Get("dataset").Set(name, value); return e }

// Show and Hide toggle the hidden attribute.
func (e El) Show() El { e.Set("hidden", false); return e }
func (e El) Hide() El { e.Set("hidden", true); return e }

// Visible sets whether the element is shown.
func (e El) Visible(v bool) El { e.Set("hidden", !v); return e }

// Class adds or removes a class.
func (e El) Class(name string, on bool) El {
	e.Get("classList").Call("toggle", name, on)
	return e
}

// Append adds children and returns the element.
func (e El) Append(children ...El) El {
	for _, c := range children {
		e.Call("appendChild", c.Value)
	}
	return e
}

// Clear removes all children.
func (e El) Clear() El { e.Set("textContent", ""); return e }

// Focus moves keyboard focus to the element.
func (e El) Focus() { e.Call("focus") }

// Disabled sets the disabled property.
func (e El) Disabled(v bool) El { e.Set("disabled", v); return e }

// Value returns the value property as a string.
func (e El) Val() string { return e.Get("value").String() }

// Checked returns the checked property.
func (e El) Checked() bool { return e.Get("checked").Bool() }

// Handler is an event listener that can be removed.
type Handler struct {
	el      js.Value
	event   string
	fn      js.Func
	capture bool
}

// On listens for an event. The listener runs on the JS thread and must not block: anything that
// waits (IndexedDB, fetch) goes into a goroutine.
func (e El) On(event string, fn func(ev js.Value)) *Handler {
	f := js.FuncOf(func(this js.Value, args []js.Value) any {
		defer Recover()
		var ev js.Value
		if len(args) > 0 {
			ev = args[0]
		}
		fn(ev)
		return nil
	})
	e.Call("addEventListener", event, f)
	return &Handler{el: e.Value, event: event, fn: f}
}

// OnCapture is On in the capture phase: fn sees the event before the listeners of the element's
// descendants, and may stop it from reaching them.
func (e El) OnCapture(event string, fn func(ev js.Value)) *Handler {
	f := js.FuncOf(func(this js.Value, args []js.Value) any {
		defer Recover()
		if len(args) > 0 {
			fn(args[0])
		}
		return nil
	})
	e.Call("addEventListener", event, f, true)
	return &Handler{el: e.Value, event: event, fn: f, capture: true}
}

// ScrollIntoView brings the element's top into view if it is not, with the browser's
// scroll-margin (a fixed bar) respected; an element in view stays where it is.
func (e El) ScrollIntoView() {
	top := e.Call("getBoundingClientRect").Get("top").Float()
	if top < -1 || top > window.Get("innerHeight").Float()*0.6 { // -1: sub-pixel scrolling
		e.Call("scrollIntoView", map[string]any{"block": "start", "behavior": "instant"}) // a touch would stop a smooth scroll halfway
	}
}

// Off removes the listener and releases it.
func (h *Handler) Off() {
	if h == nil {
		return
	}
	h.el.Call("removeEventListener", h.event, h.fn, h.capture)
	h.fn.Release()
}

// Handlers collects listeners so a screen can remove all of its own when it is replaced.
type Handlers []*Handler

// Add keeps a listener.
func (hs *Handlers) Add(h *Handler) { *hs = append(*hs, h) }

// Off removes every listener.
func (hs *Handlers) Off() {
	for _, h := range *hs {
		h.Off()
	}
	*hs = nil
}

// Escape escapes text for use in HTML built as a string.
func Escape(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		case '&':
			b = append(b, "&amp;"...)
		case '"':
			b = append(b, "&quot;"...)
		case '\'':
			b = append(b, "&#39;"...)
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// Await waits for a JS promise and returns its value or its rejection as an error.
func Await(promise js.Value) (js.Value, error) {
	done := make(chan struct{})
	var value js.Value
	var err error
	then := js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) > 0 {
			value = args[0]
		}
		close(done)
		return nil
	})
	catch := js.FuncOf(func(this js.Value, args []js.Value) any {
		msg := "rejected"
		if len(args) > 0 {
			if m := args[0].Get("message"); m.Truthy() {
				msg = m.String()
			} else {
				msg = args[0].Call("toString").String()
			}
		}
		err = jsError(msg)
		close(done)
		return nil
	})
	promise.Call("then", then).Call("catch", catch)
	<-done
	then.Release()
	catch.Release()
	return value, err
}

type jsError string

func (e jsError) Error() string { return string(e) }

// Yield ends the current browser task so that input and painting can run, and returns when the
// engine's turn comes again. A timer would do the same but browsers clamp nested timers to 4 ms,
// which over a start-up of a hundred slices adds up; scheduler.yield() (or, where missing, a
// MessageChannel message) is a task boundary without that wait.
func Yield() {
	if s := window.Get("scheduler"); s.Truthy() && s.Get("yield").Type() == js.TypeFunction {
		if _, err := Await(s.Call("yield")); err == nil {
			return
		}
	}
	done := make(chan struct{})
	ch := js.Global().Get("MessageChannel").New()
	port := ch.Get("port1")
	fn := js.FuncOf(func(js.Value, []js.Value) any { close(done); return nil })
	port.Set("onmessage", fn)
	ch.Get("port2").Call("postMessage", nil)
	<-done
	port.Call("close")
	fn.Release()
}

// Fault is the window event that Recover dispatches; its detail is what went wrong.
const Fault = "issmp-fault"

// Recover, deferred at the top of a listener or a goroutine, turns a panic into a Fault event on
// the window. An unrecovered panic would stop the engine for good, and with it every button on
// the page; recovered, the rest of the page goes on working and the app says what to do.
func Recover() {
	r := recover()
	if r == nil {
		return
	}
	println("panic:", fmt.Sprint(r), string(debug.Stack())) // for a bug report from the console
	ev := js.Global().Get("CustomEvent").New(Fault, map[string]any{"detail": fmt.Sprint(r)})
	window.Call("dispatchEvent", ev)
}
