# Two commands: `make book` (HTML into _build/html) and `make test` (every test).
# Each creates .venv from requirements.lock on first use (and again when the lock changes).
# Use another interpreter with PYTHON=python3.12 make test (supported: see README, "First time").

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BOOK_FLAGS := -W -n --keep-going
PYTEST := $(BIN)/python -m pytest
# nbval on the stored chapter notebooks; two notebooks at a time (one per core), each whole on one worker.
# NOTEBOOKS=chapters/NAME.ipynb checks one chapter (tools/check_chapter.sh does, with `make nbval perturb`).
NOTEBOOKS ?= chapters
NBVAL  := $(PYTEST) $(NOTEBOOKS) --nbval --nbval-current-env --nbval-cell-timeout=300 \
          --nbval-sanitize-with=tests/nbval_sanitize.cfg -p no:cacheprovider -o addopts=-ra -n 2 --dist loadfile

.PHONY: book test lint unit nbval perturb slow outputs lock clean help

help:
	@echo "make book     build the HTML book into _build/html"
	@echo "make test     everything below, in this order: lint, unit, slow, nbval, perturb"
	@echo "make lint     ruff on the package, tests, tools and benchmarks"
	@echo "make unit     fast tests and docstring examples (no notebook, no book build; < 1 min)"
	@echo "make slow     the -W book build, browser and link checks, the lock on every supported Python"
	@echo "make nbval    re-execute every chapter and compare with its stored outputs"
	@echo "make perturb  nbval again under each perturbation of float arithmetic in tools/perturbations.env"
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

# Cheap checks first: a lint or unit failure stops before the minutes of notebooks.
test: lint unit slow nbval perturb

lint: $(STAMP)
	$(BIN)/ruff check lossacc tests tools benchmarks

unit: $(STAMP)
	$(PYTEST) -m "not slow" -n 2

slow: $(STAMP)
	$(PYTEST) -m slow -n 2 --dist loadgroup

nbval: $(STAMP)
	$(NBVAL)

# The stand-in for another reader's CPU: the stored outputs must survive each perturbation unchanged.
perturb: $(STAMP)
	@grep -v '^#' tools/perturbations.env | grep . | while IFS='|' read -r label vars; do \
	    echo "== nbval under $$label: $$vars"; \
	    env $$vars $(NBVAL) || exit 1; \
	done

# Pair every chapter .md with its .ipynb and re-execute it, storing outputs (after editing a chapter).
outputs: $(STAMP)
	$(BIN)/python tools/execute_chapters.py

lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v -i '^lossacc' > requirements.lock

clean:
	rm -rf _build
