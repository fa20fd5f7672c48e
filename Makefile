# hexie — the two commands of a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
HEXIE := $(VENV)/bin/hexie
HOST ?= 127.0.0.1
PORT ?= 8000
BENCH_ARGS ?=

.PHONY: setup run test test-sqlite postgres bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed

## make run: set up, record the Annex 1 targets and Annex 2 measures, serve the API on SQLite.
run: setup
	$(HEXIE) init
	$(HEXIE) serve --host $(HOST) --port $(PORT)

## make test: the whole suite, on SQLite and on PostgreSQL (started if it is installed but stopped).
test: setup postgres
	$(PY) -m pytest

## Only the SQLite half, for a machine without PostgreSQL.
test-sqlite: setup
	HEXIE_TEST_POSTGRES=off $(PY) -m pytest

postgres:
	@if command -v pg_ctlcluster >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then \
		echo "starting PostgreSQL"; \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
		for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; \
	fi

## make bench: hexie beside the raw ceilings and the library's baselines, on PostgreSQL, in one run
## (python -m hexie.scripts.bench, scripts/bench/; ~15 min the first time, which generates the 1M-event data set it then reuses).
## BENCH_ARGS="--quick" is the CI size (<1 min); "--json FILE" keeps the figures; "--regen" remakes the data.
bench: setup postgres
	$(PY) -m hexie.scripts.bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var *.egg-info .pytest_cache
