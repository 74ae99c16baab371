# Two commands: `make book` (HTML into _build/html) and `make test` (every test).
# Each creates .venv from requirements.lock on first use (and again when the lock changes).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BOOK_FLAGS := -W -n --keep-going

.PHONY: book test unit nbval-repeat outputs lock clean help

help:
	@echo "make book     build the HTML book into _build/html"
	@echo "make test     unit tests, notebook checks (nbval), sync check and the -W book build"
	@echo "make outputs  re-execute every chapter and store its outputs in the .ipynb"
	@echo "make lock     re-generate requirements.lock from the current .venv"

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . $(BOOK_FLAGS)
	@echo "Open _build/html/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest

unit: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

# Reproducibility: the stored outputs must match on repeated fresh executions (CI runs this twice after `make test`).
nbval-repeat: $(STAMP)
	$(BIN)/python -m pytest chapters -q -p no:cacheprovider

# Pair every chapter .md with its .ipynb and re-execute it, storing outputs (after editing a chapter).
outputs: $(STAMP)
	$(BIN)/python tools/execute_chapters.py

lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v -i '^lossacc' > requirements.lock

clean:
	rm -rf _build
