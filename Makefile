# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8501
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install data run test check bench browser-deps db-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# build the layers if they are missing (they are committed, so normally nothing happens)
data: install
	@[ -f geodata/layers/manifest.json ] || $(PY) -m dashboard build

run: data
	$(PY) -m streamlit run streamlit_app.py --server.port $(PORT) --server.headless true

# Debian's Chromium for the browser tests and a CJK font for them and for the slide exports (dashboard/slides.py)
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi 'noto sans cjk'; then \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk; \
	fi

# Debian's PostgreSQL and PostGIS for the database tests (the fixture starts its own server on a free port)
db-deps:
	@if [ ! -x /usr/lib/postgresql/15/bin/initdb ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql postgresql-15-postgis-3; \
	fi

check: data
	$(PY) -m dashboard check

test: install browser-deps db-deps
	$(PY) -m dashboard check
	$(PY) -m pytest

bench: data browser-deps
	$(PY) -m dashboard.bench

clean:
	rm -rf $(VENV) .pytest_cache
