//go:build js && wasm

package main

import (
	"context"
	"fmt"
	"os"
	"syscall/js"

	"github.com/issmp-study/issmp/wasm/dom"
)

func main() {
	if os.Getenv(warmUpEnv) != "" {
		if err := warmUp(os.Getenv(warmUpBankEnv)); err != nil {
			println("warm-up:", err.Error()) // the page compiles what is missing itself
		}
		return
	}
	yieldNow() // the runtime's start-up in a task of its own
	// A listener or goroutine that panicked was recovered (dom.Recover): the page goes on, and
	// the candidate learns what to do.
	dom.El{Value: dom.Window()}.On(dom.Fault, func(ev js.Value) {
		showMessage("Something went wrong in the app ("+ev.Get("detail").String()+"). What was saved is safe: reload the page, and export your progress from Settings if this happens again.", "error")
	})
	a, err := start()
	if err != nil {
		fatal(err)
		select {}
	}
	// The study pages' summary is not needed to start: it waits for a task of its own.
	yieldNow()
	a.writeSummary()
	select {} // keep the engine alive for the page's event listeners
}

// start boots the engine and starts the page's app. A panic on the way is an error the page
// shows, not a page that never leaves "Loading".
func start() (a *App, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the app could not start (%v): reload the page; what was saved is safe", r)
		}
	}()
	a, err = boot(context.Background())
	if err != nil {
		return nil, err
	}
	yieldNow()
	a.startSync()
	a.startReports()
	yieldNow()
	page := dom.Document().Get("body").Get("dataset").Get("page").String()
	switch page {
	case "practice":
		err = startPractice(a)
	case "mock-exam":
		err = startExam(a)
	case "dashboard":
		err = startDashboard(a)
	case "settings":
		err = startSettings(a)
	default:
		err = fmt.Errorf("this page (%q) has no app", page)
	}
	if err != nil {
		return nil, err
	}
	a.ready()
	return a, nil
}
