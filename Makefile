# tipor: two commands for users (make demo, make test) and one for developers (make check).
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
DEMO_DB := var/demo.sqlite3

.PHONY: demo demo-reset test check security install chromium java clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## make demo: install, migrate the SQLite demo database (kept between runs), seed it once, serve on :8000
demo: install
	mkdir -p var
	@if [ -f $(DEMO_DB) ]; then fresh=0; else fresh=1; fi; \
	TIPOR_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/tipor db upgrade && \
	if [ $$fresh = 1 ]; then \
	  TIPOR_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/tipor demo seed --cases 12 --seed 7; \
	else \
	  echo "Keeping the demo data of an earlier run ($(DEMO_DB)); make demo-reset starts afresh."; \
	  echo "Demo accounts: admin investigator prosecutor clinician caseworker helpline analyst trainer;"; \
	  echo "password tipor-demo-2026! (admin: second factor from '$(BIN)/tipor demo totp admin')."; \
	fi
	@echo "Serving tipor on http://127.0.0.1:8000 (Ctrl-C to stop; make demo again keeps the data)"
	TIPOR_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/tipor serve --host 127.0.0.1 --port 8000

## make demo-reset: delete the demo database and its evidence files, then make demo
demo-reset:
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	rm -rf var/evidence
	$(MAKE) demo

## make chromium: Debian's Chromium for the browser tests (never a downloaded browser)
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "installing Debian's chromium for browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

## make java: Debian's Java runtime for the Spark engine of tipor xref (tests run it in local mode)
java:
	@if ! command -v java >/dev/null; then \
	  echo "installing Debian's openjdk-17-jre-headless for the Spark engine"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	fi

## make test: every test on SQLite and on a throwaway PostgreSQL 15 cluster, browser tests included
test: install chromium java
	TIPOR_TEST_REQUIRE_PG=1 $(BIN)/python -m pytest -p no:cacheprovider -n 2

## make security: the attack campaign of docs/security.md against throwaway servers (loopback only)
security: install chromium
	$(BIN)/pip install --quiet -e '.[dev,security]'
	$(BIN)/python security/campaign.py

## make check: lint and type-check
check: install
	$(BIN)/ruff check src tests bench security
	$(BIN)/mypy
	PYTHONPATH=src $(BIN)/lint-imports

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
