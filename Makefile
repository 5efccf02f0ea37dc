# Two commands on a fresh Debian machine, as root: `make demo` and `make test`.
# Each target installs only what is missing, so second runs are quick.

VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
DSTAMP := $(VENV)/.installed-demo
SYSDEPS := libcdd-dev libgmp-dev g++
# torch for the tests of the PyTorch import and of models exported with torch.onnx.export. It is
# not in the `test` extra: this exact version is the CPU build on the machines the project runs CI
# on; elsewhere pass the CPU build's index, e.g.
# make test TORCH="torch --index-url https://download.pytorch.org/whl/cpu" (see README.md).
TORCH ?= torch==2.13.0
# The native kernel's sources: the extension is rebuilt when one changes.
NATIVE := $(wildcard polyregions/enumeration/native/*.cpp polyregions/enumeration/native/*.hpp) setup.py

.PHONY: demo test test-reference sysdeps browser venv install install-test bench clean docs sanitize

# The tour of README.md draws figures: the demo brings the plot extra.
demo: sysdeps $(DSTAMP)
	$(VENV)/bin/polyregions demo

# The suite, then the checks that keep the architecture: style (ruff), types (mypy, strict on
# geometry/ and enumeration/, see setup.cfg) and imports down the data flow (import-linter).
test: install-test
	$(VENV)/bin/ruff check polyregions tests
	$(VENV)/bin/mypy polyregions
	$(VENV)/bin/lint-imports
	POLYREGIONS_REQUIRE_NATIVE=1 POLYREGIONS_REQUIRE_TORCH=1 POLYREGIONS_REQUIRE_BROWSER=1 $(PY) -m pytest -q

# The same suite with the Python reference backend as the default kernel (the tests that
# compare the two backends still run both).
test-reference: install-test
	POLYREGIONS_KERNEL=python $(PY) -m pytest -q

# The benchmarks of docs/performance.md, run by hand (not timed tests): quick settings by default,
# `make bench FULL=1` for the full tables, KERNEL=name for the kernel backend; with FULL=1,
# VNN=dir (the VNN-COMP files) adds ACAS Xu and NNENUM=checkout runs nnenum beside it, and the
# 3-D to 5-D rows run against the 2026-11-29 commit too (from a git checkout). The float tools
# run in their own environments, benchmarks/.peers-venv/, made on first use.
KERNEL ?=
VNN ?=
NNENUM ?=
BENCH_ARGS := $(if $(KERNEL),--kernel $(KERNEL)) $(if $(FULL),,--quick)
PEER_ARGS := $(if $(VNN),--vnn $(VNN)) $(if $(NNENUM),--nnenum $(NNENUM))

bench: install
	$(PY) benchmarks/bench_engine.py $(BENCH_ARGS)
	$(PY) benchmarks/compare_peers.py $(BENCH_ARGS) $(PEER_ARGS)
	$(if $(FULL),$(PY) benchmarks/bench_baseline.py $(if $(KERNEL),--kernel $(KERNEL)))

# System libraries that pycddlib builds against (cddlib with GMP), a C compiler,
# Python's headers and venv module when the machine lacks them.
sysdeps:
	@missing=""; for p in $(SYSDEPS); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v cc >/dev/null 2>&1 || missing="$$missing gcc"; \
	python3 -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(sysconfig.get_paths()["include"] + "/Python.h"))' \
	  || missing="$$missing python3-dev"; \
	python3 -c 'import ensurepip' >/dev/null 2>&1 || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  if [ "$$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# Headless Chromium, for the tests that render the interactive page of `plot --html`.
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "installing system packages: chromium"; \
	  if [ "$$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; \
	fi

$(PY):
	python3 -m venv $(VENV)

venv: $(PY)

$(STAMP): setup.cfg pyproject.toml $(NATIVE) | sysdeps $(PY)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e .
	touch $@

$(DSTAMP): $(STAMP) setup.cfg
	$(PIP) install -q -e '.[plot]'
	touch $@

$(TSTAMP): $(STAMP) setup.cfg
	$(PIP) install -q $(TORCH)
	$(PIP) install -q -e '.[test]'
	touch $@

install: sysdeps $(STAMP)

install-test: sysdeps browser $(TSTAMP)

clean:
	rm -rf $(VENV) build *.egg-info polyregions/enumeration/_native*.so

# The native battery under AddressSanitizer and UBSan: the extension is built with them into a
# scratch folder (the venv's own build is left alone) and the tests run against that copy.
# Python's own allocations are not leak-checked; any UBSan report fails the run.
SANITIZE_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SANITIZE_TESTS := tests/enumeration/test_native.py tests/enumeration/test_native_adversarial.py \
  tests/enumeration/test_native_geometry.py tests/enumeration/test_native_numbers.py \
  tests/enumeration/test_native_adjacency.py tests/enumeration/test_native_relu_filter.py \
  tests/enumeration/test_native_next_map.py tests/enumeration/test_region_order.py \
  tests/enumeration/test_engine.py tests/enumeration/test_tally.py \
  tests/enumeration/test_native_polygon_signs.py tests/enumeration/test_layer_plans.py \
  tests/enumeration/test_native_split_cuts.py tests/enumeration/test_native_split.py \
  tests/enumeration/test_native_2d_walk.py tests/enumeration/test_native_line_faces.py \
  tests/analysis/test_native_analysis.py

sanitize: install-test
	@set -e; dir=$$(mktemp -d); trap 'rm -rf "$$dir"' EXIT; \
	POLYREGIONS_NATIVE_FLAGS="$(SANITIZE_FLAGS)" $(PY) setup.py -q build_ext --build-lib "$$dir/lib" \
	  --build-temp "$$dir/tmp" --force; \
	cp -r polyregions "$$dir/src"; rm -f "$$dir"/src/enumeration/_native*.so; \
	cp "$$dir"/lib/polyregions/enumeration/_native*.so "$$dir/src/enumeration/"; \
	mkdir "$$dir/run"; mv "$$dir/src" "$$dir/run/polyregions"; cp -r tests "$$dir/run/tests"; \
	cp setup.cfg "$$dir/run/"; \
	cd "$$dir/run" && LD_PRELOAD="$$($(CXX) -print-file-name=libasan.so) $$($(CXX) -print-file-name=libubsan.so)" \
	  ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  POLYREGIONS_REQUIRE_NATIVE=1 PYTHONPATH="$$dir/run" $(abspath $(PY)) -m pytest -q -p no:cacheprovider \
	  $(SANITIZE_TESTS)

# The documentation as HTML (API reference from the docstrings) in docs/_build/html.
docs: install-test
	$(PY) -m sphinx -b html -W --keep-going docs docs/_build/html
