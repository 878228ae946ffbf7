# disclose — see README.md. Every setup step lives here so that a fresh
# machine with only Go (plus Node/npm and apt for later parts) can run
# `make run` and `make test`; each step is idempotent and quick when done.

GO        ?= go
NPM       ?= npm
BIN       := bin/disclose
# The version build stamps into the binary: the nearest tag and commit.
VERSION   := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
CONTENT   ?= content
OUT       ?= public
FUZZTIME  ?= 60s
PKGS      := ./...
# apt needs root; CI runs as root, a developer's machine may have sudo.
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT       := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get

# ECharts is an npm dependency (package-lock.json pins it); the default
# theme embeds a copy so that the binary serves it with no CDN.
ECHARTS     := themes/default/assets/vendor/echarts/echarts.min.js

.PHONY: all deps node assets browser hugo build run check test test-units test-browser vet lint fmt-check bench fuzz schema clean

all: build

# Go modules: downloaded once into the module cache, verified against go.sum.
deps: .deps.stamp assets
.deps.stamp: go.mod go.sum
	$(GO) mod download
	$(GO) mod verify
	@touch $@

# npm packages from the lock file; install scripts are not needed (vnu-jar's
# only fetches a Java runtime, which apt provides).
node: node_modules/.stamp
node_modules/.stamp: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund --ignore-scripts
	@touch $@

assets: $(ECHARTS)
$(ECHARTS): node_modules/.stamp
	@mkdir -p $(dir $@)
	cp node_modules/echarts/dist/echarts.min.js $@
	cp node_modules/echarts/LICENSE $(dir $@)LICENSE

# What the browser tests and the HTML validator need: Debian's Chromium,
# CJK fonts (so that pages and screenshots show Chinese), and Java for vnu.
# The publish tests need a real OpenSSH server (internal/sshdtest starts
# one on 127.0.0.1 for each test; the package's own service may start
# too, harmlessly) and the client tools (ssh-keygen, ssh-agent, ssh-add).
browser:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	fc-list :lang=zh 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	test -x /usr/sbin/sshd || missing="$$missing openssh-server"; \
	command -v ssh-agent >/dev/null || missing="$$missing openssh-client"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(APT) update -qq && $(APT) install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	$(GO) build -trimpath -ldflags "-X disclose/internal/cli.Version=$(VERSION)" -o $(BIN) ./cmd/disclose

# Builds the default site from content/ into $(OUT) and serves it.
run: build
	./$(BIN) serve --content $(CONTENT) --out $(OUT)

check: build
	./$(BIN) check --content $(CONTENT)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet: deps
	$(GO) vet $(PKGS)

# staticcheck, pinned; not part of `make test` so that CI needs no extra
# download, but run it before committing.
lint: deps
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 $(PKGS)

# -timeout is a net for a hang, not a target: make test runs every package
# at once, under -race, on as few as two cores, and go test's default 10m
# per package was too little on a busy machine.
TESTTIMEOUT ?= 30m

# DISCLOSE_E2E=require turns a missing browser into a failure instead of a
# skip: under make the browser tests always run.
#
# Two runs go side by side (make -j2, each one's output shown whole when
# it ends):
#  - test-units: every package but internal/e2e under the race detector,
#    after those named TestHeavy* (end-to-end rendering and builds at
#    scale, where the race detector finds nothing the concurrent tests do
#    not) without it: they skip themselves under -race (and fail if
#    misnamed). Then internal/e2e's live-preview tests (TestLive*) under
#    -race, since they run the preview's watcher, rebuilds and server in
#    the test's own process.
#  - test-browser: the rest of internal/e2e without -race. Those tests
#    drive Chromium and the W3C validator; their Go side is a file server
#    and a DevTools client, and under -race it only multiplied the time
#    (make test took 14 minutes on 2 cores with it).
E2E       := ./internal/e2e
UNITPKGS   = $(shell $(GO) list ./... | grep -v '/internal/e2e$$')
# Only the packages that have heavy tests: each package of the run costs
# a test binary linked, whether or not a test of it is chosen.
HEAVYPKGS  = $(shell grep -rl --include='*_test.go' '^func TestHeavy' internal | xargs -n1 dirname | sort -u | sed 's|^|./|')

test: deps browser fmt-check vet
	@$(MAKE) --no-print-directory --output-sync=target -j2 test-units test-browser

test-units:
	DISCLOSE_E2E=require $(GO) test -count=1 -timeout $(TESTTIMEOUT) -run '^TestHeavy' $(HEAVYPKGS)
	DISCLOSE_E2E=require $(GO) test -race -count=1 -timeout $(TESTTIMEOUT) $(UNITPKGS)
	DISCLOSE_E2E=require $(GO) test -race -count=1 -timeout $(TESTTIMEOUT) -run '^TestLive' $(E2E)

test-browser:
	DISCLOSE_E2E=require $(GO) test -count=1 -timeout $(TESTTIMEOUT) -skip '^TestLive' $(E2E)

# Hugo, for the side-by-side benchmark only: go install puts it in GOBIN,
# or in GOPATH/bin when GOBIN is unset; installed again when missing or of
# another version.
HUGO_VERSION := v0.160.0
HUGO ?= $(or $(shell $(GO) env GOBIN),$(firstword $(subst :, ,$(shell $(GO) env GOPATH)))/bin)/hugo

hugo:
	@$(HUGO) version 2>/dev/null | grep -q '^hugo $(HUGO_VERSION) ' || $(GO) install github.com/gohugoio/hugo@$(HUGO_VERSION)

# Go benchmarks, then end-to-end timings of the command over generated
# content (scripts/bench-build.sh: build over 1,000 and 10,000 reports,
# chart images over 1,000), of publish (scripts/bench-publish.sh), and
# disclose side by side with Hugo and the floor, then disclose from 1,000
# to 30,000 reports (scripts/bench-compare.sh); /usr/bin/time gives the
# CPU time and peak memory.
bench: build browser hugo
	@command -v bc >/dev/null && [ -x /usr/bin/time ] || { $(APT) update -qq && $(APT) install -y -qq --no-install-recommends time bc; }
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m $(PKGS)
	BIN=$(BIN) GO=$(GO) scripts/bench-build.sh
	BIN=$(BIN) scripts/bench-publish.sh
	BIN=$(BIN) HUGO=$(HUGO) GO=$(GO) scripts/bench-compare.sh

# Run each fuzz target for FUZZTIME; new interesting inputs are kept in the
# Go cache, failures in testdata/fuzz (commit those).
fuzz: deps
	$(GO) test -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME) ./internal/content
	$(GO) test -run '^$$' -fuzz '^FuzzLoadEncodings$$' -fuzztime $(FUZZTIME) ./internal/content
	$(GO) test -run '^$$' -fuzz '^FuzzParseDecimal$$' -fuzztime $(FUZZTIME) ./internal/model
	$(GO) test -run '^$$' -fuzz '^FuzzParseMoney$$' -fuzztime $(FUZZTIME) ./internal/model
	$(GO) test -run '^$$' -fuzz '^FuzzParseDelta$$' -fuzztime $(FUZZTIME) ./internal/model
	$(GO) test -run '^$$' -fuzz '^FuzzHTML$$' -fuzztime $(FUZZTIME) ./internal/markdown
	$(GO) test -run '^$$' -fuzz '^FuzzImport$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 2s ./internal/importer
	$(GO) test -run '^$$' -fuzz '^FuzzNesting$$' -fuzztime $(FUZZTIME) ./internal/markdown
	$(GO) test -run '^$$' -fuzz '^FuzzParsePath$$' -fuzztime $(FUZZTIME) ./internal/svgraster
	$(GO) test -run '^$$' -fuzz '^FuzzRender$$' -fuzztime $(FUZZTIME) ./internal/svgraster
	$(GO) test -run '^$$' -fuzz '^FuzzTidy$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 2s ./internal/charts
	$(GO) test -run '^$$' -fuzz '^FuzzParseManifest$$' -fuzztime $(FUZZTIME) ./internal/build
	$(GO) test -run '^$$' -fuzz '^FuzzParseTarget$$' -fuzztime $(FUZZTIME) ./internal/sftpstore
	$(GO) test -run '^$$' -fuzz '^FuzzParseManifest$$' -fuzztime $(FUZZTIME) ./internal/publish
	$(GO) test -run '^$$' -fuzz '^FuzzReadDocx$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 2s ./internal/sourcedoc
	$(GO) test -run '^$$' -fuzz '^FuzzReadXlsx$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 2s ./internal/sourcedoc

# Regenerate the JSON Schema files editors use from the Go model.
schema: build
	./$(BIN) schema --out $(CONTENT)/_schema

clean:
	rm -rf bin .deps.stamp node_modules $(dir $(ECHARTS))
