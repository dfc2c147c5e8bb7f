# Set-up and checks for scaffold itself. `make example` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EXAMPLE_DIR ?= build/example/nightly-report

.PHONY: help install example test lint bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

install: $(VENV)/.installed ## Create .venv with scaffold and its test tools

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --python $(BIN)/python --quiet -e '.[test]'
	touch $@

example: install ## Generate a batch service into build/example/ and run its own tests
	$(BIN)/scaffold new batch-service nightly-report --defaults --force -o $(EXAMPLE_DIR)
	$(MAKE) -C $(EXAMPLE_DIR) install test

lint: install ## ruff and mypy over scaffold's own code
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/ruff format --check generator tests benchmarks
	$(BIN)/mypy

test: lint ## Lint, then the whole test suite (generated repositories included)
	$(BIN)/pytest

bench: install ## Benchmarks (print ratios; not timed tests)
	$(BIN)/python benchmarks/bench_new.py
