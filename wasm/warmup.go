//go:build js && wasm

package main

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/issmp-study/issmp/quiz"
	"github.com/issmp-study/issmp/store/memstore"
)

// warmUpEnv, set in the environment wasm_exec.js gives the program, makes it warm up instead of
// running a page (site/assets/js/compile.js sets it, and the bank's URL in warmUpBankEnv).
const (
	warmUpEnv     = "ISSMP_WARM_UP"
	warmUpBankEnv = "ISSMP_BANK"
)

// warmUp runs the engine's start-up once in the compile worker, with no page and a store in
// memory, then returns. V8 compiles WebAssembly functions lazily, on their first call and on the
// calling thread, and every thread holding the module shares the code: run here first, that
// compiling (about a third of the practice page's start-up) stays off the page's main thread.
func warmUp(bankURL string) error {
	ctx := context.Background()
	cat, err := loadCatalog(bankURL, func() {})
	if err != nil {
		return err
	}
	a := &App{cat: cat, rng: rand.New(rand.NewPCG(1, 2)), store: memstore.New()}
	if err := a.load(ctx); err != nil {
		return err
	}
	a.writeSummary()
	s := a.State()
	quiz.DueQueue(a.cat, s, now())
	all, err := quiz.ParseScope("all")
	if err != nil {
		return err
	}
	if _, err := quiz.PlanPractice(a.cat, s, all, 20, now(), a.rng); err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}
	return nil
}
