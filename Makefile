# Two commands on a fresh machine:  make oversight   and   make test
# Both create .venv and install treatykg into it on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

.PHONY: install oversight test build bench
install: $(STAMP)

oversight: $(STAMP)  ## the flagship question on the shipped graph
	$(BIN)/treatykg oversight RUS

test: $(STAMP)  ## the whole test suite
	$(BIN)/pytest -q

build: $(STAMP)  ## derive, validate and write the dumps into build/
	$(BIN)/treatykg build -o build

bench: $(STAMP)  ## benchmarks (by hand, never in CI)
	$(BIN)/python bench/run.py
