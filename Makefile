# ISSMP Study. The two commands a newcomer needs: `make serve` and `make test`.
# Building and serving need Go alone; the tests also use Node, Java and Debian's apt.

PORT ?= 8080
GO ?= go
CHROMIUM ?= /usr/bin/chromium
# The other engines' suites: Firefox ESR (driven over WebDriver BiDi) and WebKitGTK's WebDriver.
FIREFOX ?= /usr/bin/firefox-esr
WEBKITDRIVER ?= /usr/bin/WebKitWebDriver
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PUBLIC := $(CURDIR)/public
# Hugo is pinned in go.mod (tool directive); the standard edition builds without cgo.
HUGO := CGO_ENABLED=0 $(GO) tool hugo
# The CDK CLI from the lockfile; Node 20 works, with a banner this silences.
CDK := cd infra && JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 ../node_modules/.bin/cdk
# SYNC=false deploys the static site without the sync service.
SYNC ?= true

.PHONY: build bank wasm lambda serve reports deploy test test-go test-wasm test-e2e test-infra audit bench deps lint notes-check bank-lint bank-stats bank-ledger clean

## build: build the site into public/ (the compiled bank and the engine included)
build: bank wasm
	$(HUGO) --source site --destination $(PUBLIC) --cleanDestinationDir --panicOnWarning --quiet
	$(GO) run ./cmd/postbuild $(PUBLIC)
	@echo "built $(PUBLIC)"

# The quiz engine compiled to WebAssembly, with Go's matching wasm_exec.js. Without inlining
# (-gcflags=all=-l) the module compresses about 9% smaller (docs/PERFORMANCE.md).
wasm:
	@mkdir -p build/wasm
	GOOS=js GOARCH=wasm $(GO) build -trimpath -gcflags=all=-l -ldflags='-s -w' -o build/wasm/quiz.wasm ./wasm
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" build/wasm/wasm_exec.js

# The compiled question bank, which the site publishes fingerprinted.
bank:
	$(GO) run ./cmd/bank compile -out build/bank

## lambda: the sync service for AWS Lambda (provided.al2023, arm64): build/lambda/bootstrap, and the sweeper in build/sweeper/bootstrap
lambda:
	@mkdir -p build/lambda build/sweeper
	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -tags lambda.norpc -trimpath -ldflags='-s -w' -o build/lambda/bootstrap ./lambda/bootstrap
	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -tags lambda.norpc -trimpath -ldflags='-s -w' -o build/sweeper/bootstrap ./lambda/sweeper

## serve: build, then serve the site and the sync API on http://127.0.0.1:$(PORT)/
serve: build
	$(GO) run ./cmd/serve -dir $(PUBLIC) -addr 127.0.0.1:$(PORT) -sync-db $(CURDIR)/build/sync.db

## reports: list the candidates' reports of problems with questions in the local store (stop make serve first; ARGS="handle ID" marks one handled)
reports:
	$(GO) run ./cmd/reports -db $(CURDIR)/build/sync.db $(ARGS)

## deploy: build everything and deploy it to AWS with the CDK (needs AWS credentials; SYNC=false for the site alone)
# --all: outside us-east-1 the web ACL is a second stack there (infra/main.go), deployed first.
deploy: build lambda node_modules/.installed
	$(CDK) deploy --all -c sync=$(SYNC)

## test: everything that proves the product works (installs what it needs: Chromium, npm packages)
test: lint test-go test-wasm test-e2e test-infra audit

# The DynamoDB store's suite runs against DynamoDB Local (from npm, on Java): required here.
test-go: node_modules/.installed
	ISSMP_REQUIRE_DYNAMODB=1 $(GO) test ./...

# In headless Chromium: the IndexedDB store's conformance suite, and Web Crypto against Go's.
test-wasm: deps
	GOOS=js GOARCH=wasm $(GO) test -exec $(CURDIR)/build/bin/wasmbrowsertest ./store/idbstore ./wasm/webcrypto

# Browser tests (Playwright) against the built site, served by the local server.
test-e2e: build deps build/bin/serve
	node --test --test-concurrency=1 e2e/

BENCH_PORT ?= 8097
## bench: run the benchmarks and measurements, and write docs/PERFORMANCE.md from them
bench: build lambda deps build/bin/serve /usr/bin/wrk
	@mkdir -p build/bench
	$(GO) test ./quiz -run '^$$' -bench . -benchmem -count 5 | tee build/bench/quiz.txt
	node e2e/measure.mjs > build/bench/measure.json
	node --test --test-concurrency=1 audit/budget.test.mjs audit/lighthouse.test.mjs
	@rm -f build/bench/sync.db; \
	build/bin/serve -dir $(PUBLIC) -addr 127.0.0.1:$(BENCH_PORT) -sync-db build/bench/sync.db -new-sync-logs 20000 > build/bench/serve.log 2>&1 & pid=$$!; \
	trap "kill $$pid" EXIT; \
	for i in $$(seq 100); do curl -sf http://127.0.0.1:$(BENCH_PORT)/api/health >/dev/null && break; sleep 0.1; done; \
	set -e; \
	$(GO) run ./cmd/syncbench -url http://127.0.0.1:$(BENCH_PORT) roundtrip -events 10000 > build/bench/syncbench.json; \
	$(GO) run ./cmd/syncbench -url http://127.0.0.1:$(BENCH_PORT) seed -logs 10000 -lua build/bench/pull.lua; \
	wrk -t2 -c50 -d10s --latency -s build/bench/pull.lua http://127.0.0.1:$(BENCH_PORT)/api/sync/pull | tee build/bench/wrk-pull.txt; \
	wrk -t2 -c50 -d10s --latency http://127.0.0.1:$(BENCH_PORT)/api/health | tee build/bench/wrk-health.txt
	$(GO) run ./cmd/perfdoc -out docs/PERFORMANCE.md

/usr/bin/wrk:
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk

## audit: accessibility (axe-core), HTML validity (Nu), Lighthouse and size budgets on the built site
audit: build deps build/bin/serve
	node --test --test-concurrency=1 audit/

# The infrastructure: CDK assertions, then the CLI's synth of both variants, checked by cfn-lint;
# and the layout of a deployment outside us-east-1 (the web ACL in a stack of its own there).
test-infra: build lambda node_modules/.installed
	cd infra && JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 $(GO) test ./...
	$(CDK) synth --quiet -c sync=true -o ../build/cdk.out/sync
	$(CDK) synth --quiet -c sync=false -o ../build/cdk.out/static
	export AWS_REGION=eu-west-1 CDK_DEFAULT_REGION=eu-west-1 CDK_DEFAULT_ACCOUNT=111111111111; $(CDK) synth --quiet -c sync=true -o ../build/cdk.out/split
	cfn-lint build/cdk.out/sync/IssmpStudy.template.json build/cdk.out/static/IssmpStudy.template.json \
		build/cdk.out/split/IssmpStudy.template.json build/cdk.out/split/IssmpStudyEdge.template.json

## deps: what the tests need besides Go: Debian's Chromium, npm packages from the lockfile
deps: $(CHROMIUM) $(FIREFOX) $(WEBKITDRIVER) node_modules/.installed build/bin/wasmbrowsertest

$(CHROMIUM):
	@echo "Installing Debian's chromium for the browser tests"
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# WebKitGTK's MiniBrowser has no headless mode: its driver runs under Xvfb.
$(FIREFOX) $(WEBKITDRIVER) &:
	@echo "Installing Firefox ESR, WebKitGTK's WebDriver and Xvfb for the other engines' tests"
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr webkit2gtk-driver xvfb

# aws-cdk ships Go templates; a go.mod in node_modules keeps them out of ./... patterns.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@printf 'module node_modules\n' > node_modules/go.mod
	@touch $@

build/bin/wasmbrowsertest: go.mod go.sum
	$(GO) build -o $@ github.com/agnivade/wasmbrowsertest

build/bin/serve: go.mod $(shell find cmd/serve static lambda syncproto -name '*.go' -not -name '*_test.go')
	$(GO) build -o $@ ./cmd/serve

## lint: formatting and vet
lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	cd infra && $(GO) vet ./...

## notes-check: check the study notes (add ARGS=-complete for what is missing)
notes-check:
	$(GO) run ./cmd/notescheck $(ARGS)

## bank-lint: check the question bank (file:line: message) and its targets
bank-lint:
	$(GO) run ./cmd/bank lint -targets

## bank-stats: the question bank's statistics as JSON
bank-stats:
	@$(GO) run ./cmd/bank stats

## bank-ledger: record new question ids in content/bank/ledger.txt
bank-ledger:
	$(GO) run ./cmd/bank ledger

## clean: remove everything the build made
clean:
	rm -rf $(PUBLIC) build site/resources site/.hugo_build.lock

help:
	@grep -E '^## ' Makefile | sed 's/^## //'
