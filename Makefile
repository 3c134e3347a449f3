# Tilik — two commands do all set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
PORT ?= 8000

.PHONY: run test lint format bench messages install clean  # make bench BENCH_ARGS=--quick for small sizes

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

run: install
	$(BIN)/tilik demo --port $(PORT)

test: install
	$(BIN)/pytest
	@if [ -n "$$TILIK_TEST_POSTGRES_URL" ]; then \
		echo "== PostgreSQL: $$TILIK_TEST_POSTGRES_URL (tests marked postgres)"; \
		DATABASE_URL="$$TILIK_TEST_POSTGRES_URL" $(BIN)/pytest -m postgres -q; \
	elif [ "$$CI" = "true" ]; then \
		echo "CI=true but TILIK_TEST_POSTGRES_URL is not set: the PostgreSQL tests cannot run" >&2; \
		exit 1; \
	else \
		echo "PostgreSQL tests not run here: set TILIK_TEST_POSTGRES_URL (see README) to run them."; \
	fi

lint: install
	$(BIN)/ruff check src tests benchmarks examples tools
	$(BIN)/ruff format --check src tests benchmarks examples tools
	$(BIN)/mypy

format: install
	$(BIN)/ruff format src tests benchmarks examples tools
	$(BIN)/ruff check --fix src tests benchmarks examples tools

bench: install
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

messages: install
	cd src/tilik && ../../$(BIN)/django-admin makemessages -l en --no-location --no-obsolete \
		--settings=tilik.web.settings --ignore 'report/*' && cd ../..
	$(BIN)/python tools/normalise_po.py || echo "translate the messages above in src/tilik/locale/en/LC_MESSAGES/django.po"
	$(BIN)/pybabel compile -D django -d src/tilik/locale -l en

clean:
	rm -rf $(VENV) tilik-output
