# The two set-up commands of the README: `make demo` and `make test`. Each creates the
# environment from nothing (only python3 and make are needed) and then runs its job.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
AS_OF ?= 2026-05-11

.PHONY: demo test bench env clean catalog docs

$(BIN)/govrules: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,service,docs,analysis]'
	touch $@

env: $(BIN)/govrules

demo: env
	$(BIN)/govrules evaluate --as-of $(AS_OF) examples/ledger.json

test: env
	$(BIN)/python -m pytest -q
	$(BIN)/python -m mypy

bench: env
	$(BIN)/python -m bench $(BENCH_ARGS)

# regenerate the rule catalog pages after changing rules/
catalog: env
	$(BIN)/python -m govrules.catalog docs/catalog
	$(BIN)/govrules packs --coverage --format markdown > docs/coverage.md

# the documentation site, into build/site
docs: env
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .hypothesis
