//go:build js && wasm

package main

import (
	"context"
	"fmt"
	"os"

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
	a, err := boot(context.Background())
	if err != nil {
		fatal(err)
		select {}
	}
	yieldNow()
	a.startSync()
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
		fatal(err)
	} else {
		a.ready()
	}
	// The study pages' summary is not needed to start: it waits for a task of its own.
	yieldNow()
	a.writeSummary()
	select {} // keep the engine alive for the page's event listeners
}
