# Pracha: `make demo` runs it, `make test` tests it. Each target installs what it needs first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# pytest-xdist workers for `make test`: tests wait on subprocesses, servers and the database,
# so one more worker than cores keeps both cores busy (PYTEST_WORKERS=0 runs in one process).
PYTEST_WORKERS ?= 3
# Hand out tests one at a time: xdist's default first hands each worker a quarter of its share
# at once, so the slow tests (collected first) would all queue on one worker.
PYTEST_XDIST := -n $(PYTEST_WORKERS) --maxschedchunk 1

.PHONY: install demo test test-fast lint format bench clean chromium screenshots train evaluate

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Pracha needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: install
	$(BIN)/pracha demo

test: install chromium
	$(BIN)/pytest $(PYTEST_XDIST)

test-fast: install
	$(BIN)/pytest $(PYTEST_XDIST) -m "not slow"

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src/pracha
	$(BIN)/pracha makemigrations --check --dry-run
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: install
	$(BIN)/python bench/import_traffy.py
	$(BIN)/python bench/triage_classifier.py
	$(BIN)/python bench/cat_simulation.py
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/photo_check.py

# The category classifier: built from data/traffy/ into var/models/ (`make demo` builds it
# when missing); `evaluate` prints its scores beside the baseline's on a time-ordered hold-out.
train: install
	$(BIN)/pracha train

evaluate: install
	$(BIN)/pracha evaluate

# The browser tests and screenshots drive Debian's chromium (never a downloaded browser) and
# need a Thai font; installed here when missing (CI runs as root).
chromium:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list :lang=th 2>/dev/null | grep -q .; then \
	  echo "installing chromium and Thai fonts (apt-get) for the browser tests"; \
	  apt-get install -y chromium fonts-thai-tlwg >/dev/null \
	  || (apt-get update >/dev/null && apt-get install -y chromium fonts-thai-tlwg >/dev/null) \
	  || echo "could not install chromium (not root?): the browser tests will be skipped"; \
	fi

screenshots: install chromium
	$(BIN)/python -m pracha.web.screenshots

clean:
	rm -rf $(VENV) var build *.egg-info src/*.egg-info
