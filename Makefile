# disclose — see README.md. Every setup step lives here so that a fresh
# machine with only Go (plus Node/npm and apt for later parts) can run
# `make run` and `make test`; each step is idempotent and quick when done.

GO        ?= go
BIN       := bin/disclose
CONTENT   ?= content
FUZZTIME  ?= 60s
PKGS      := ./...

.PHONY: all deps build run check test vet fmt-check bench fuzz schema clean

all: build

# Go modules: downloaded once into the module cache, verified against go.sum.
deps: .deps.stamp
.deps.stamp: go.mod go.sum
	$(GO) mod download
	$(GO) mod verify
	@touch $@

build: deps
	$(GO) build -trimpath -o $(BIN) ./cmd/disclose

# Until the site generator lands, `run` builds the tool and checks the
# default content; it exits non-zero only on errors, not on the warnings
# that the seed documents really contain.
run: build
	./$(BIN) check --content $(CONTENT)

check: build
	./$(BIN) check --content $(CONTENT)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet: deps
	$(GO) vet $(PKGS)

test: deps fmt-check vet
	$(GO) test -race -count=1 $(PKGS)

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

# Run each fuzz target for FUZZTIME; new interesting inputs are kept in the
# Go cache, failures in testdata/fuzz (commit those).
fuzz: deps
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) ./internal/content
	$(GO) test -run '^$$' -fuzz '^FuzzParseDecimal$$' -fuzztime $(FUZZTIME) ./internal/model
	$(GO) test -run '^$$' -fuzz '^FuzzParseMoney$$' -fuzztime $(FUZZTIME) ./internal/model

# Regenerate the JSON Schema files editors use from the Go model.
schema: build
	./$(BIN) schema --out $(CONTENT)/_schema

clean:
	rm -rf bin .deps.stamp
