# ISSMP Study. The two commands a newcomer needs: `make serve` and `make test`.
# Building and serving need Go alone; the tests also use Node, Java and Debian's apt.

PORT ?= 8080
GO ?= go
PUBLIC := $(CURDIR)/public
# Hugo is pinned in go.mod (tool directive); the standard edition builds without cgo.
HUGO := CGO_ENABLED=0 $(GO) tool hugo

.PHONY: build serve test test-go lint notes-check clean

## build: build the site into public/
build:
	$(HUGO) --source site --destination $(PUBLIC) --cleanDestinationDir --panicOnWarning --quiet
	@echo "built $(PUBLIC)"

## serve: build, then serve the site on http://127.0.0.1:$(PORT)/
serve: build
	$(GO) run ./cmd/serve -dir $(PUBLIC) -addr 127.0.0.1:$(PORT)

## test: everything that proves the product works
test: lint test-go

test-go:
	$(GO) test ./...

## lint: formatting and vet
lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

## notes-check: check the study notes (add ARGS=-complete for what is missing)
notes-check:
	$(GO) run ./cmd/notescheck $(ARGS)

## clean: remove everything the build made
clean:
	rm -rf $(PUBLIC) site/resources site/.hugo_build.lock

help:
	@grep -E '^## ' Makefile | sed 's/^## //'
