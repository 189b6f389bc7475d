# Two commands do everything on a fresh machine with Python 3.11+ and make:
#   make demo   set up, load the Vietnamese demo and serve http://127.0.0.1:8000
#   make test   run the whole test suite (SQLite, or PostgreSQL/Redis from the environment)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(if $(shell command -v uv 2>/dev/null),uv,$(BIN)/uv)
export UV_PROJECT_ENVIRONMENT := $(VENV)
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo's links and QR codes follow the address it serves (SITE_URL, unless set).
export HOST PORT

.PHONY: install translations vendor demo serve test lint messages bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	@command -v uv >/dev/null 2>&1 || [ -x $(BIN)/uv ] || $(BIN)/pip install --quiet uv
	$(UV) sync --frozen

translations: install
	$(BIN)/python scripts/compile_translations.py

demo: translations
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Browser JavaScript from npm (package-lock.json): axe-core for the accessibility
# checks, jsQR for the trainer's scanner. The scanner's copy is committed under
# frontend/static so the demo needs no npm; `make vendor` refreshes it from the
# lock file and tests/test_vendor.py fails when the two differ.
JSQR := frontend/static/frontend/vendor/jsQR.js
vendor:
	@[ -f node_modules/axe-core/axe.min.js ] && [ -f node_modules/jsqr/dist/jsQR.js ] \
	  || ! command -v npm >/dev/null || npm ci --no-audit --no-fund --silent
	@[ ! -f node_modules/jsqr/dist/jsQR.js ] || cmp -s node_modules/jsqr/dist/jsQR.js $(JSQR) \
	  || { mkdir -p $(dir $(JSQR)) && cp node_modules/jsqr/dist/jsQR.js $(JSQR) && echo "vendored $(JSQR)"; }

test: translations vendor
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Refresh the catalogs after changing strings (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages -l vi -l en --no-obsolete --ignore=.venv --ignore=bench --ignore=tests --ignore=staticfiles --ignore=node_modules
	$(BIN)/python scripts/fill_vi_catalog.py
	$(BIN)/python scripts/translate_en.py scripts/en_*.py
	$(BIN)/python scripts/compile_translations.py

# The exam-wave benchmark (issue 7): N=2000 learners by default; options in bench/README.md.
bench: translations
	bench/run.sh

# One PNG per main page at phone and desktop size into docs/screenshots/ (demo data, Chromium).
screenshots: translations
	$(BIN)/python tests/browser/screenshots.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
