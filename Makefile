# leptoportal: every target creates the virtual environment it needs, with the exact versions
# of the lock files in requirements/ (make lock refreshes them from pyproject.toml's ranges).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCK   := requirements/dev.lock

.PHONY: test reproduce lint bench fuzz docs clean venv readme-check lock

venv: $(STAMP)

# the locked dependencies (hash-checked), then the package itself without resolving anything
$(STAMP): pyproject.toml $(LOCK)
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $(STAMP)

# cffconvert pins an older jsonschema than the test extras need: it lives in its own venv
CFF_VENV := .venv-cff
CFF      := $(CFF_VENV)/bin/cffconvert

$(CFF): requirements/cffconvert.lock
	rm -rf $(CFF_VENV)
	$(PYTHON) -m venv $(CFF_VENV)
	$(CFF_VENV)/bin/python -m pip install -q --require-hashes -r requirements/cffconvert.lock

# the lock files: uv (pinned here) resolves pyproject.toml's ranges for Python >= 3.11 on every
# platform, with the hashes of every file
UV_VERSION := 0.13.8
TOOLS := .venv-tools
UV_COMPILE := $(TOOLS)/bin/uv pip compile --quiet --upgrade --generate-hashes --universal \
	--python-version 3.11 --custom-compile-command "make lock"

$(TOOLS)/bin/uv:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install -q uv==$(UV_VERSION)

lock: $(TOOLS)/bin/uv
	$(UV_COMPILE) pyproject.toml requirements/build.in --extra test -o $(LOCK)
	$(UV_COMPILE) requirements/cffconvert.in -o requirements/cffconvert.lock

# lint, types, the citation file, then the test suite (it builds the docs site exactly as
# make docs does, into a scratch directory) beside the README run as written by a new user
# (tools/readme_check.py: a wheel built from the checkout, installed with pip alone)
test: $(STAMP) $(CFF)
	$(BIN)/ruff check src tests benchmarks tools mkdocs_hooks.py docs_figures.py
	$(BIN)/mypy
	$(CFF) --validate -i CITATION.cff
	log=$$(mktemp); PYTHON=$(PYTHON) $(BIN)/python tools/readme_check.py > $$log 2>&1 & pid=$$!; \
	$(BIN)/python -m pytest -q; status=$$?; \
	wait $$pid; readme_status=$$?; cat $$log; rm -f $$log; \
	test $$status -eq 0 && test $$readme_status -eq 0

readme-check: $(STAMP)
	PYTHON=$(PYTHON) $(BIN)/python tools/readme_check.py

# the documentation site into site/ (warnings are errors; tests/test_docs.py builds it with
# this recipe's command)
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

reproduce: $(STAMP)
	$(BIN)/leptoportal reproduce --out results

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

# long property-based run of the CLI: ~6200 generated invocations, outcomes per command
fuzz: $(STAMP)
	LEPTOPORTAL_FUZZ_EXAMPLES=1000 LEPTOPORTAL_FUZZ_REPORT=fuzz-outcomes.json $(BIN)/python -m pytest -q tests/test_cli_fuzz.py

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks tools mkdocs_hooks.py docs_figures.py
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(CFF_VENV) $(TOOLS) build dist site *.egg-info src/*.egg-info .pytest_cache
