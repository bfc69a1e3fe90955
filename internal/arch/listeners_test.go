package arch

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The browser side's rule against freezes (wasm/app.go, App): a listener runs on the JavaScript
// thread, so it must never wait, and no lock is held across a wait, because a listener that takes
// such a lock waits for the event loop it blocks. This test reads the source of wasm/ and finds,
// by name and conservatively, every path from a listener to a wait, and every wait under a lock.
// A wait is a channel receive or send (outside a select with a default), a select without a
// default, storage I/O (x.store.M), or a call that awaits (Await, Wait, Sleep, a sync round).
// Code in a go statement is not followed: a goroutine may wait.

// browserDirs are the packages whose source is checked, as the import names they are known by.
var browserDirs = map[string]string{"main": "wasm", "dom": "wasm/dom", "webcrypto": "wasm/webcrypto"}

// Calls into other packages that wait.
var waitingCalls = map[string]bool{"time.Sleep": true, "syncclient.Open": true, "syncclient.Enable": true, "syncclient.Disable": true, "idbstore.Open": true, "reportq.Open": true}

// Methods of other packages' types that wait: go-indexeddb's and js promises' Await, WaitGroup
// and Cmd Wait, syncclient.Client.Sync, reportq.Outbox.Flush.
var waitingMethods = map[string]bool{"Await": true, "Wait": true, "Sync": true, "Flush": true}

type source struct {
	fset  *token.FileSet
	files map[string][]*ast.File     // by package name
	funcs map[string][]*ast.FuncDecl // "pkg.F" for functions, "M.F" for methods of any type
	memo  map[string][]string        // key -> the path to a wait, or empty when it never waits
	busy  map[string]bool            // keys being followed (recursion)
	pkgOf map[*ast.File]string
	imps  map[*ast.File]map[string]string // file -> local import name -> package name
}

func parseSource(t testing.TB, files map[string]map[string]string) *source {
	t.Helper()
	s := &source{fset: token.NewFileSet(), files: map[string][]*ast.File{}, funcs: map[string][]*ast.FuncDecl{},
		memo: map[string][]string{}, busy: map[string]bool{}, pkgOf: map[*ast.File]string{}, imps: map[*ast.File]map[string]string{}}
	for pkg, byName := range files {
		names := make([]string, 0, len(byName))
		for n := range byName {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, name := range names {
			f, err := parser.ParseFile(s.fset, name, byName[name], 0)
			if err != nil {
				t.Fatal(err)
			}
			s.files[pkg] = append(s.files[pkg], f)
			s.pkgOf[f] = pkg
			s.imps[f] = map[string]string{}
			for _, im := range f.Imports {
				path := strings.Trim(im.Path.Value, `"`)
				local := path[strings.LastIndex(path, "/")+1:]
				if im.Name != nil {
					local = im.Name.Name
				}
				s.imps[f][local] = path[strings.LastIndex(path, "/")+1:]
			}
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				key := pkg + "." + fd.Name.Name
				if fd.Recv != nil {
					key = "M." + fd.Name.Name
				}
				s.funcs[key] = append(s.funcs[key], fd)
			}
		}
	}
	return s
}

func readBrowserSource(t testing.TB) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	for pkg, dir := range browserDirs {
		paths, err := filepath.Glob(filepath.Join("../..", dir, "*.go"))
		if err != nil || len(paths) == 0 {
			t.Fatalf("no Go files in %s: %v", dir, err)
		}
		out[pkg] = map[string]string{}
		for _, p := range paths {
			if strings.HasSuffix(p, "_test.go") {
				continue
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			out[pkg][filepath.ToSlash(strings.TrimPrefix(p, "../../"))] = string(b)
		}
	}
	return out
}

// callee names what a call calls: "pkg.F" for this source's functions, "ext:pkg.F" for other
// packages', "M.F" for a method.
func (s *source) callee(f *ast.File, call *ast.CallExpr) string {
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		return s.pkgOf[f] + "." + fn.Name
	case *ast.SelectorExpr:
		if x, ok := fn.X.(*ast.Ident); ok {
			if pkg, imported := s.imps[f][x.Name]; imported {
				if _, ours := browserDirs[pkg]; ours {
					return pkg + "." + fn.Sel.Name
				}
				return "ext:" + pkg + "." + fn.Sel.Name
			}
		}
		return "M." + fn.Sel.Name
	}
	return ""
}

// waitIn returns what in node waits, directly or through the calls it makes, as a path; nil if
// nothing does. Function literals that are not called on the spot and go statements are not
// followed.
func (s *source) waitIn(f *ast.File, node ast.Node) []string {
	var found []string
	var walk func(n ast.Node, inSelectWithDefault bool)
	walk = func(n ast.Node, inSelectWithDefault bool) {
		ast.Inspect(n, func(c ast.Node) bool {
			if found != nil || c == nil {
				return false
			}
			pos := s.fset.Position(c.Pos())
			at := fmt.Sprintf("%s:%d", pos.Filename, pos.Line)
			switch c := c.(type) {
			case *ast.GoStmt:
				return false
			case *ast.FuncLit:
				return false // runs later, if ever: checked as a listener of its own where it is one
			case *ast.CallExpr:
				if lit, ok := c.Fun.(*ast.FuncLit); ok {
					walk(lit.Body, false)
					for _, a := range c.Args {
						walk(a, false)
					}
					return false
				}
				if sel, ok := c.Fun.(*ast.SelectorExpr); ok {
					if inner, ok := sel.X.(*ast.SelectorExpr); ok && inner.Sel.Name == "store" {
						found = []string{at + ": storage I/O (" + inner.Sel.Name + "." + sel.Sel.Name + ")"}
						return false
					}
				}
				name := s.callee(f, c)
				switch {
				case strings.HasPrefix(name, "ext:"):
					if waitingCalls[strings.TrimPrefix(name, "ext:")] {
						found = []string{at + ": " + strings.TrimPrefix(name, "ext:")}
						return false
					}
				case strings.HasPrefix(name, "M.") && waitingMethods[strings.TrimPrefix(name, "M.")] && len(s.funcs[name]) == 0:
					found = []string{at + ": ." + strings.TrimPrefix(name, "M.") + "()"}
					return false
				case name != "":
					if path := s.waits(name); path != nil {
						found = append([]string{at + ": " + name}, path...)
						return false
					}
				}
			case *ast.UnaryExpr:
				if c.Op == token.ARROW {
					found = []string{at + ": a channel receive"}
					return false
				}
			case *ast.SendStmt:
				if !inSelectWithDefault {
					found = []string{at + ": a channel send"}
					return false
				}
			case *ast.SelectStmt:
				hasDefault := false
				for _, cc := range c.Body.List {
					if cc.(*ast.CommClause).Comm == nil {
						hasDefault = true
					}
				}
				if !hasDefault {
					found = []string{at + ": a select with no default"}
					return false
				}
				for _, cc := range c.Body.List {
					clause := cc.(*ast.CommClause)
					if clause.Comm != nil {
						walk(clause.Comm, true)
					}
					for _, st := range clause.Body {
						walk(st, false)
					}
				}
				return false
			}
			return true
		})
	}
	walk(node, false)
	return found
}

// waits reports whether the function (or any method) of that name can wait, and how.
func (s *source) waits(key string) []string {
	if path, ok := s.memo[key]; ok {
		if len(path) == 0 {
			return nil
		}
		return path
	}
	if s.busy[key] {
		return nil // recursion: the first visit decides
	}
	s.busy[key] = true
	var found []string
	for _, fd := range s.funcs[key] {
		if found = s.waitIn(s.fileOf(fd), fd.Body); found != nil {
			break
		}
	}
	delete(s.busy, key)
	s.memo[key] = found
	return found
}

func (s *source) fileOf(fd *ast.FuncDecl) *ast.File {
	for _, fs := range s.files {
		for _, f := range fs {
			if f.Pos() <= fd.Pos() && fd.End() <= f.End() {
				return f
			}
		}
	}
	return nil
}

// listenerProblems finds listeners that can wait: functions handed to js.FuncOf or to this
// source's own functions and methods (El.On, an item view's onChange, OnChange, ...), outside go
// statements. A function handed to another package (sort.Slice, syncclient.Open) is not one.
func (s *source) listenerProblems() []string {
	var out []string
	for _, fs := range s.files {
		for _, f := range fs {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
					out = append(out, s.listenersIn(f, fd.Body)...)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

func (s *source) listenersIn(f *ast.File, body ast.Node) []string {
	var out []string
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			ast.Inspect(n.Call.Fun, func(m ast.Node) bool {
				if lit, ok := m.(*ast.FuncLit); ok {
					out = append(out, s.listenersIn(f, lit.Body)...)
					return false
				}
				return true
			})
			return false
		case *ast.CallExpr:
			if _, ok := n.Fun.(*ast.FuncLit); ok {
				return true // called on the spot, not handed over
			}
			to := s.callee(f, n)
			if strings.HasPrefix(to, "ext:") && to != "ext:js.FuncOf" {
				return true // another package's function (sort.Slice, syncclient.Open): it calls back in its own time
			}
			for _, a := range n.Args {
				pos := s.fset.Position(a.Pos())
				switch a := a.(type) {
				case *ast.FuncLit:
					if path := s.waitIn(f, a.Body); path != nil {
						out = append(out, fmt.Sprintf("%s:%d: the function handed to %s waits: %s", pos.Filename, pos.Line, to, strings.Join(path, " → ")))
					}
				case *ast.SelectorExpr, *ast.Ident:
					name := ""
					if sel, ok := a.(*ast.SelectorExpr); ok {
						name = s.callee(f, &ast.CallExpr{Fun: sel})
					} else {
						name = s.pkgOf[f] + "." + a.(*ast.Ident).Name
					}
					if len(s.funcs[name]) > 0 {
						if path := s.waits(name); path != nil {
							out = append(out, fmt.Sprintf("%s:%d: %s, handed to %s, waits: %s", pos.Filename, pos.Line, name, to, strings.Join(path, " → ")))
						}
					}
				}
			}
		}
		return true
	})
	return out
}

// lockProblems finds waits while a mutex is held: between x.Lock() and x.Unlock() in one list of
// statements, or to the end of the function after defer x.Unlock().
func (s *source) lockProblems() []string {
	var out []string
	for _, fs := range s.files {
		for _, f := range fs {
			ast.Inspect(f, func(n ast.Node) bool {
				if b, ok := n.(*ast.BlockStmt); ok {
					out = append(out, s.locksIn(f, b.List)...)
				}
				return true
			})
		}
	}
	sort.Strings(out)
	return out
}

func lockCall(st ast.Stmt) (x, op string) {
	var call *ast.CallExpr
	switch st := st.(type) {
	case *ast.ExprStmt:
		call, _ = st.X.(*ast.CallExpr)
	case *ast.DeferStmt:
		call = st.Call
	}
	if call == nil {
		return "", ""
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return "", ""
	}
	switch sel.Sel.Name {
	case "Lock", "RLock", "Unlock", "RUnlock":
		return exprString(sel.X), sel.Sel.Name
	}
	return "", ""
}

func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return exprString(e.X) + "." + e.Sel.Name
	}
	return "?"
}

func (s *source) locksIn(f *ast.File, list []ast.Stmt) []string {
	var out []string
	held := map[string]bool{}
	for _, st := range list {
		x, op := lockCall(st)
		switch {
		case op == "Lock" || op == "RLock":
			if _, isDefer := st.(*ast.DeferStmt); !isDefer {
				held[x] = true
			}
			continue
		case op == "Unlock" || op == "RUnlock":
			if _, isDefer := st.(*ast.DeferStmt); !isDefer {
				delete(held, x)
			}
			continue // a deferred unlock keeps it held to the end
		}
		if len(held) == 0 {
			continue
		}
		if path := s.waitIn(f, st); path != nil {
			var locks []string
			for l := range held {
				locks = append(locks, l)
			}
			sort.Strings(locks)
			pos := s.fset.Position(st.Pos())
			out = append(out, fmt.Sprintf("%s:%d: waits while holding %s: %s", pos.Filename, pos.Line, strings.Join(locks, ", "), strings.Join(path, " → ")))
		}
	}
	return out
}

func TestNoListenerInTheBrowserWaitsAndNoLockIsHeldAcrossAWait(t *testing.T) {
	s := parseSource(t, readBrowserSource(t))
	if len(s.funcs) < 100 {
		t.Fatalf("found only %d functions in wasm/: is the check reading the source?", len(s.funcs))
	}
	for _, p := range s.listenerProblems() {
		t.Errorf("a listener can block the page: %s", p)
	}
	for _, p := range s.lockProblems() {
		t.Errorf("a lock is held across a wait: %s", p)
	}
}

// The shape of the freeze reported in issue 17: Record held the app's lock across the IndexedDB
// write, and a key listener took the same lock through NextID. The check must see both halves.
func TestTheListenerCheckFindsTheFreezeOfAnswersGivenQuickly(t *testing.T) {
	s := parseSource(t, map[string]map[string]string{"main": {"app.go": `package main

import "sync"

type App struct {
	mu    sync.Mutex
	store Store
}

func (a *App) NextID() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return "id"
}

func (a *App) Record(e string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.store.Append(e)
}

func (u *examUI) save() {
	e := u.a.NextID()
	go func() { _ = u.a.Record(e) }()
}

func (u *examUI) open(el El) {
	el.On("change", func(v Value) { u.save() })
	el.On("click", func(v Value) { <-u.done })
	el.On("keydown", u.wait)
}

func (u *examUI) wait(v Value) { u.wg.Wait() }
`}})
	locks := s.lockProblems()
	if len(locks) != 1 || !strings.Contains(locks[0], "a.mu") || !strings.Contains(locks[0], "storage I/O") {
		t.Errorf("lock problems = %q; want Record's write under a.mu", locks)
	}
	listeners := s.listenerProblems()
	if len(listeners) != 2 || !strings.Contains(strings.Join(listeners, "\n"), "channel receive") || !strings.Contains(strings.Join(listeners, "\n"), ".Wait()") {
		t.Errorf("listener problems = %q; want the receive and the Wait", listeners)
	}
}
