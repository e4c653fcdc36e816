# leptoportal: every target creates the virtual environment it needs.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: test reproduce lint bench fuzz docs clean venv pip-check

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e '.[test]'
	touch $(STAMP)

# cffconvert pins an older jsonschema than the test extras need: it lives in its own venv
CFF_VENV := .venv-cff
CFF      := $(CFF_VENV)/bin/cffconvert

$(CFF):
	$(PYTHON) -m venv $(CFF_VENV)
	$(CFF_VENV)/bin/python -m pip install -q 'cffconvert>=2,<3'

# lint, types, the citation file, then the test suite (it builds the docs site strictly into a
# scratch directory) beside the pip check of the README's install path (.ci/pip-check)
test: $(STAMP) $(CFF)
	$(BIN)/ruff check src tests benchmarks mkdocs_hooks.py docs_figures.py
	$(BIN)/mypy
	$(CFF) --validate -i CITATION.cff
	log=$$(mktemp); PYTHON=$(PYTHON) .ci/pip-check > $$log 2>&1 & pid=$$!; \
	$(BIN)/python -m pytest -q; status=$$?; \
	wait $$pid; pip_status=$$?; cat $$log; rm -f $$log; \
	test $$status -eq 0 && test $$pip_status -eq 0

pip-check:
	PYTHON=$(PYTHON) .ci/pip-check

# the documentation site into site/ (warnings are errors)
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
	$(BIN)/ruff check src tests benchmarks mkdocs_hooks.py docs_figures.py
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(CFF_VENV) build site *.egg-info src/*.egg-info .pytest_cache
