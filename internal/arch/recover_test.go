package arch

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"testing"
)

// In the browser an unrecovered panic stops the Go program for good: every button of the page
// goes dead and nothing says why. So every goroutine the app starts and every callback it hands
// to JavaScript begins with `defer dom.Recover()`, which turns the panic into a message
// (wasm/dom, Recover). This test finds those that do not.
func TestEveryGoroutineAndCallbackOfTheAppRecoversFromPanics(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join("..", "..", "wasm", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	funcs := map[string]*ast.FuncDecl{}
	var parsed []*ast.File
	for _, name := range files {
		if filepath.Ext(name) != ".go" || len(name) > 8 && name[len(name)-8:] == "_test.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, f)
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				funcs[fd.Name.Name] = fd
			}
		}
	}
	recovers := func(body *ast.BlockStmt) bool {
		if body == nil || len(body.List) == 0 {
			return false
		}
		d, ok := body.List[0].(*ast.DeferStmt)
		if !ok {
			return false
		}
		sel, ok := d.Call.Fun.(*ast.SelectorExpr)
		return ok && sel.Sel.Name == "Recover"
	}
	checked := 0
	for _, f := range parsed {
		ast.Inspect(f, func(n ast.Node) bool {
			var body *ast.BlockStmt
			var what string
			switch n := n.(type) {
			case *ast.GoStmt:
				what = "goroutine"
				switch fn := n.Call.Fun.(type) {
				case *ast.FuncLit:
					body = fn.Body
				case *ast.SelectorExpr:
					if fd := funcs[fn.Sel.Name]; fd != nil {
						body = fd.Body
					}
				case *ast.Ident:
					if fd := funcs[fn.Name]; fd != nil {
						body = fd.Body
					}
				}
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "FuncOf" || len(n.Args) != 1 {
					return true
				}
				lit, ok := n.Args[0].(*ast.FuncLit)
				if !ok {
					return true
				}
				what, body = "js.FuncOf callback", lit.Body
			default:
				return true
			}
			checked++
			if !recovers(body) {
				t.Errorf("%s: a %s that does not begin with defer dom.Recover()", fset.Position(n.Pos()), what)
			}
			return true
		})
	}
	if checked < 10 {
		t.Fatalf("found only %d goroutines and callbacks in wasm/: the test no longer sees the app", checked)
	}
}
