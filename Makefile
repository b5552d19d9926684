# fluxdeck — make targets. `make test` is what CI runs (.ci/run).

CRD_SETS ?= v2.8.0 v2.2.3
LAB_CRDS ?= v2.8.0
CARGO ?= cargo

.PHONY: build test unit-test cluster-test lab lab-binary fmt clippy screenshots bench bench-peers man

BENCH_SCALE ?= 10000
BENCH_EVENTS ?= 20000

# The product (fluxdeck) and the lab's tooling (testenv/fluxlab: fluxlab, screenshots).
build:
	$(CARGO) build --workspace --bins

# Unit tests, then the cluster tests against fresh labs for each Flux CRD set
# (--fleet: a second lab too, joined with the first as beta and production).
test: build unit-test cluster-test

unit-test:
	$(CARGO) test --workspace

cluster-test: build lab-binary
	$(CARGO) test --workspace --no-run
	@for set in $(CRD_SETS); do \
		echo "== cluster tests on the lab with Flux $$set CRDs"; \
		testenv/with-lab.sh --crds $$set --fleet -- $(CARGO) test --workspace -- --ignored || exit 1; \
	done

# Builds (or finds in the cache) the lab's kube-apiserver binary.
lab-binary:
	@testenv/build.sh >/dev/null

# The lab in the foreground, seeded, with the simulated controller.
# LAB_CRDS=v2.2.3|v2.8.0 selects the CRD set, LAB_SCALE=N adds N objects.
lab: build lab-binary
	testenv/with-lab.sh --crds $(LAB_CRDS)

# Criterion benches, then the end-to-end run on a quiet lab with
# BENCH_SCALE objects and BENCH_EVENTS events; writes docs/benchmarks.md.
# Seeding the lab takes several minutes; nothing here is part of `make test`.
bench: lab-binary
	$(CARGO) build --release --workspace --bins
	rm -rf target/criterion/model
	$(CARGO) bench --bench model
	$(CARGO) bench --bench memory -- $(BENCH_SCALE) $(BENCH_EVENTS) > target/memory.md
	LAB_SCALE=$(BENCH_SCALE) LAB_SCALE_EVENTS=$(BENCH_EVENTS) FLUXLAB=target/release/fluxlab \
		testenv/with-lab.sh --no-controller -- target/release/fluxlab bench --scale $(BENCH_SCALE) \
		--fluxdeck target/release/fluxdeck --out docs/benchmarks.md --criterion target/criterion \
		--memory target/memory.md

# Man pages from the clap definitions: target/man/fluxdeck.1 and one per
# subcommand (view one with `man -l target/man/fluxdeck-get.1`).
MAN_DIR ?= target/man
man:
	$(CARGO) run --quiet -p fluxlab --bin man -- $(MAN_DIR)

# fluxdeck beside flux9s (a pinned version from crates.io, built once into
# the cache) on the same lab, both measured from outside through a pty and
# a terminal emulator; rewrites the Peers section of docs/benchmarks.md.
FLUX9S_VERSION ?= 1.5.1
PEERS_CACHE ?= $(HOME)/.cache/fluxdeck/peers
FLUX9S := $(PEERS_CACHE)/flux9s-$(FLUX9S_VERSION)/bin/flux9s
bench-peers: lab-binary
	@test -x $(FLUX9S) || $(CARGO) install --locked flux9s --version $(FLUX9S_VERSION) \
		--root $(PEERS_CACHE)/flux9s-$(FLUX9S_VERSION) || { \
		echo "bench-peers: flux9s's lockfile names a crate this registry lacks; resolving afresh"; \
		$(CARGO) install flux9s --version $(FLUX9S_VERSION) \
		--root $(PEERS_CACHE)/flux9s-$(FLUX9S_VERSION); }
	$(CARGO) build --release --workspace --bins
	LAB_SCALE=$(BENCH_SCALE) LAB_SCALE_EVENTS=$(BENCH_EVENTS) FLUXLAB=target/release/fluxlab \
		testenv/with-lab.sh --no-controller -- target/release/fluxlab bench-peers \
		--scale $(BENCH_SCALE) --fluxdeck target/release/fluxdeck --flux9s $(FLUX9S) \
		--flux9s-version $(FLUX9S_VERSION) --out docs/benchmarks.md

fmt:
	$(CARGO) fmt --all

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

# PNGs of the main views, rendered from the demo fleet (needs DejaVu Sans Mono).
screenshots:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf || [ -n "$$FLUXDECK_FONT_DIR" ] || \
		(apt-get install -y fonts-dejavu-core >/dev/null 2>&1 || { echo "install fonts-dejavu-core (or set FLUXDECK_FONT_DIR)"; exit 1; })
	$(CARGO) run --quiet -p fluxlab --bin screenshots
