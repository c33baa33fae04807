# 两条命令完成全部准备 / Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1

.PHONY: run test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/smecmm catalog
	$(BIN)/smecmm rate knowledge/examples/three-star-candidate.yaml

lint: $(STAMP)
	$(BIN)/ruff check assistant api tests
	$(BIN)/ruff format --check assistant api tests

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest --cov --cov-report=term

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/pytest tests/benchmarks --benchmark-enable --benchmark-columns=min,median,mean,max,rounds

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage
