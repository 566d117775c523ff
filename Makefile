# The two quick-start commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup demo test bench lint clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

demo: setup
	$(BIN)/khotin demo

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python benchmarks/extract_speed.py
	$(BIN)/python benchmarks/parsing_speed.py
	$(BIN)/python benchmarks/nightly.py
	$(BIN)/python benchmarks/generic_accuracy.py

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) data .pytest_cache
