# Two commands for a newcomer: `make demo` and `make test`. Everything else is optional.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
HOST    ?= 127.0.0.1
PORT    ?= 8000
SEED    ?= 7

.PHONY: demo test test-unit test-integration test-e2e lint typecheck bench venv lock clean

$(STAMP): pyproject.toml benchmarks/pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check uv
	$(BIN)/uv pip install -q --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e . -e benchmarks
	@touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/tradewind demo --host $(HOST) --port $(PORT) --seed $(SEED)

test: $(STAMP)
	$(BIN)/python scripts/ensure_services.py
	bash scripts/ensure_chromium.sh
	$(BIN)/python -m pytest -q tests

test-unit: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit

test-integration: $(STAMP)
	$(BIN)/python -m pytest -q tests/integration

test-e2e: $(STAMP)
	bash scripts/ensure_chromium.sh
	$(BIN)/python -m pytest -q tests/e2e

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks/src
	$(BIN)/ruff format --check src tests benchmarks/src
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/tradewind bench checkout --seconds 10 --concurrency 8 --json

# Regenerate the pinned dependency set after editing pyproject.toml.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --group dev --extra broker --extra bench --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
