# The two quick-start commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

PORT ?= 8001

.PHONY: setup browser redis demo test bench lint clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

# Debian's chromium for the browser test (skipped where it cannot be installed).
browser:
	@scripts/install-browser

# Debian's redis-server for the distributed-crawl test (skipped where it cannot be installed).
redis:
	@scripts/install-redis

demo: setup
	@echo "make demo: Datasette on port $(PORT); another port: make demo PORT=8002"
	$(BIN)/khotin demo --port $(PORT)

test: setup browser redis
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python benchmarks/extract_speed.py
	$(BIN)/python benchmarks/parsing_speed.py
	$(BIN)/python benchmarks/nightly.py
	$(BIN)/python benchmarks/generic_accuracy.py
	$(BIN)/python benchmarks/reading_room.py
	$(BIN)/python benchmarks/crawl_memory.py
	$(BIN)/python benchmarks/scale.py --articles 100000
	$(BIN)/python benchmarks/crawl_cpu.py

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) data .pytest_cache test-output
