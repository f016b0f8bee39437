# The task file: each target is exactly what CI runs (`make ci`, called by .ci/run).
# Everything it needs that a fresh machine may lack (cbindgen, valgrind, a venv with maturin and
# pytest) is installed by the targets themselves.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
ROOT := $(abspath .)
VENV := $(ROOT)/.venv
PY := $(VENV)/bin/python
CBINDGEN_VERSION := 0.29.4
CBINDGEN := $(HOME)/.cargo/bin/cbindgen
LIBDIR := $(ROOT)/target/release
PKG_CONFIG_DIR := $(LIBDIR)/pkgconfig
C_BUILD := $(ROOT)/target/c-tests
CFLAGS_STRICT := -std=c11 -Wall -Wextra -Wpedantic -Werror -g
PY_SYS ?= python3
# A forked child (the fork test) is silent: it reports through a pipe (see tests/c/test_bcm.c).
VALGRIND := valgrind --error-exitcode=1 --leak-check=full --child-silent-after-fork=yes \
	--show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
	--suppressions=$(ROOT)/tests/c/valgrind.supp
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
APT := $(shell [ "$$(id -u)" = 0 ] && echo apt-get || echo sudo apt-get)

.PHONY: ci fmt lint test py-test tools-report c-test c-lib header header-check tools-c venv bench bench-scaling bench-risk bench-report bench-sizes bench-frames fuzz-smoke

ci: fmt lint test py-test c-test header-check fuzz-smoke
	@echo "make ci: all suites passed"

# Every fuzz target (fuzz/: loaders on raw text, every analysis on models that load, tally
# reading and merging) for 20 s each; skipped with a message where the toolchain cannot build
# them. A long run: fuzz/run.sh SECONDS [TARGET...].
fuzz-smoke:
	fuzz/run.sh 20

fmt:
	$(CARGO) fmt --all -- --check

lint:
	$(CARGO) clippy --workspace --all-targets --all-features --locked -- -D warnings

test:
	$(CARGO) test --workspace --all-features --locked

venv: $(VENV)/.installed
$(VENV)/.installed: requirements-dev.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Chromium (the report in a real browser) and Graphviz (the DOT export) from Debian's packages when
# missing; the browser tests then refuse to skip (BCM_REQUIRE_TOOLS=1).
tools-report:
	@command -v chromium >/dev/null || { $(APT) update -qq && DEBIAN_FRONTEND=noninteractive $(APT) install -y -qq chromium; }
	@command -v dot >/dev/null || { $(APT) update -qq && DEBIAN_FRONTEND=noninteractive $(APT) install -y -qq graphviz; }

py-test: venv tools-report
	cd $(ROOT) && VIRTUAL_ENV=$(VENV) PATH=$(VENV)/bin:$$PATH maturin develop --release --quiet
	BCM_REQUIRE_TOOLS=1 $(PY) -m pytest -q
	$(PY) -m mypy.stubtest bcm._bcm
	$(PY) -m mypy --strict python/bcm tests/python

# valgrind and pkg-config from Debian's packages when missing.
tools-c:
	@command -v valgrind >/dev/null || { $(APT) update -qq && DEBIAN_FRONTEND=noninteractive $(APT) install -y -qq valgrind; }
	@command -v pkg-config >/dev/null || { $(APT) update -qq && DEBIAN_FRONTEND=noninteractive $(APT) install -y -qq pkg-config; }

# libbcm (cdylib + staticlib) and a bcm.pc pointing at this checkout.
c-lib:
	$(CARGO) build --release --locked -p bcm-ffi
	mkdir -p $(PKG_CONFIG_DIR)
	sed -e 's|@PREFIX@|$(ROOT)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(ROOT)/include|' \
		-e 's|@VERSION@|$(VERSION)|' crates/bcm-ffi/bcm.pc.in > $(PKG_CONFIG_DIR)/bcm.pc

c-test: tools-c c-lib
	mkdir -p $(C_BUILD)
	export PKG_CONFIG_PATH=$(PKG_CONFIG_DIR); \
	cc $(CFLAGS_STRICT) $$(pkg-config --cflags bcm) tests/c/test_bcm.c -o $(C_BUILD)/test_bcm $$(pkg-config --libs bcm); \
	cc $(CFLAGS_STRICT) -fsanitize=address,undefined -fno-omit-frame-pointer $$(pkg-config --cflags bcm) \
		tests/c/test_bcm.c -o $(C_BUILD)/test_bcm_asan $$(pkg-config --libs bcm)
	$(VALGRIND) $(C_BUILD)/test_bcm $(ROOT)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 $(C_BUILD)/test_bcm_asan $(ROOT)
	# The README's C program, as written: compiled, run under valgrind, its output checked.
	$(PY_SYS) tests/c/readme_snippet.py README.md > $(C_BUILD)/readme.c
	export PKG_CONFIG_PATH=$(PKG_CONFIG_DIR); \
	cc $(CFLAGS_STRICT) $(C_BUILD)/readme.c $$(pkg-config --cflags --libs bcm) -o $(C_BUILD)/readme
	LD_LIBRARY_PATH=$(LIBDIR) $(VALGRIND) $(C_BUILD)/readme | grep -q '"id":"pay","up_at":7200'

$(CBINDGEN):
	$(CARGO) install cbindgen --version $(CBINDGEN_VERSION) --locked

cbindgen-version: $(CBINDGEN)
	@$(CBINDGEN) --version | grep -q " $(CBINDGEN_VERSION)$$" || $(CARGO) install cbindgen --version $(CBINDGEN_VERSION) --locked --force

header: cbindgen-version
	$(CBINDGEN) --config crates/bcm-ffi/cbindgen.toml --crate bcm-ffi --output include/bcm.h crates/bcm-ffi

header-check: cbindgen-version
	$(CBINDGEN) --config crates/bcm-ffi/cbindgen.toml --crate bcm-ffi --output $(ROOT)/target/bcm.h.generated crates/bcm-ffi
	diff -u include/bcm.h $(ROOT)/target/bcm.h.generated || { echo "include/bcm.h is stale: run make header and commit it"; exit 1; }

.PHONY: cbindgen-version

# The performance bars of DESIGN §7 (benchmarks, not tests: not part of ci). Criterion for Rust,
# benches/compare.py for the ratios against Python on the same input.
# Risk: 100 risks x 100,000 years, bcm against pyfair and a numpy compound-Poisson model, in
# one run (benches/risk.py prints the times and the ratios).
# The report of `large` in under 3x the analyses it runs, HTML under 5 MB (benches/report.rs).
# The scaling table of DESIGN §7: each analysis on small, large and xlarge (benches/sizes.rs).
bench-sizes:
	$(CARGO) bench --locked -p bcm-core --features generate --bench sizes

bench-report:
	$(CARGO) bench --locked -p bcm-core --features generate --bench report

bench-risk: venv
	$(PY) -m pip install --quiet --disable-pip-version-check -r benches/requirements.txt
	cd $(ROOT) && $(PY) -m maturin develop --release --quiet
	$(PY) benches/risk.py

# Every table of every result of `large` as a pandas DataFrame against its analysis
# (benches/frames.py; bar: each conversion under the analysis).
bench-frames: venv
	mkdir -p benches/data
	$(CARGO) run --release --locked -p bcm-cli -- generate large --seed 1 -o benches/data/large.json
	cd $(ROOT) && VIRTUAL_ENV=$(VENV) PATH=$(VENV)/bin:$$PATH maturin develop --release --quiet
	$(PY) benches/frames.py benches/data/large.json

bench: venv
	$(CARGO) bench --locked -p bcm-core --features generate --bench analyses
	mkdir -p benches/data
	$(CARGO) run --release --locked -p bcm-cli -- generate large --seed 1 -o benches/data/large.json
	$(CARGO) run --release --locked -p bcm-cli -- generate small --seed 1 -o benches/data/small.json
	cd $(ROOT) && VIRTUAL_ENV=$(VENV) PATH=$(VENV)/bin:$$PATH maturin develop --release --quiet
	$(PY) -m pip install --quiet --disable-pip-version-check -r benches/requirements.txt
	$(PY) benches/compare.py benches/data/large.json benches/data/small.json

# Every analysis on degenerate shapes (chains, fan-in/out, big and nested groups, one team) at
# n and 4n (DESIGN §6): prints the ratios, exits 1 when one is over the 8x bar. N=25000 default.
bench-scaling:
	$(CARGO) bench --locked -p bcm-core --features generate --bench scaling -- $(N)
