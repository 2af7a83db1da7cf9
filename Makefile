# The two commands of the README's quick start: `make demo` and `make test`.
# Each creates or updates its own virtual environment first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test lint typecheck pytest venv ralph browser docs clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[adapter,dev]'
	@rm -f $(VENV)/.installed-*; touch $@

# Ralph (the real LRS used by the demo and the integration tests) lives in its own
# virtual environment: it pins FastAPI/uvicorn versions of its own.
ralph: $(STAMP)
	$(BIN)/python -m yrkesresan_adapter.demo.ralph install

demo: $(STAMP) ralph
	$(BIN)/yrkesresan demo

lint: $(STAMP)
	$(BIN)/ruff check src adapter tests bench examples
	$(BIN)/ruff format --check src adapter tests bench examples

typecheck: $(STAMP)
	$(BIN)/mypy

# The documentation site with the API reference, into site/ (offline; tests/docs builds it
# with warnings as errors in `make test`).
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# Debian's chromium (only if missing; needs root) and axe-core for tests/browser/.
browser:
	scripts/install-browser.sh

pytest: $(STAMP) ralph browser
	$(BIN)/pytest

test: lint typecheck pytest

clean:
	rm -rf $(VENV) .venv-ralph .pytest_cache .mypy_cache .ruff_cache site
