# The one entry point. `make run`: the portal with demo data on http://127.0.0.1:8000.
# `make test`: the whole suite (real PostgreSQL and Redis when they answer, see tests/services.py).
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
STAMP := $(VENV)/.installed

.PHONY: run test test-fast test-browser lint format messages check install db-stop worker beat clean bench-load

$(STAMP): pyproject.toml
	test -x $(PY) || python3.11 -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check uv
	$(UV) pip install -q --python $(PY) -r pyproject.toml --extra dev
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

# check and makemigrations pick their database the way the tests do (tests/services.py).
test: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings_test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=config.settings_test $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

test-fast: $(STAMP)
	$(PY) -m pytest -m "not browser" --reuse-db

test-browser: $(STAMP)
	$(PY) -m pytest -m browser

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# DEBUG is off unless set (config/settings.py): the developer's targets set it, as `run` does.
messages: $(STAMP)
	cd orgs && DEBUG=true ../$(PY) ../manage.py makemessages -l ru --no-obsolete
	for app in mentoring programs community matching monitoring reports portal public core; do \
	  if [ -d $$app/locale ]; then (cd $$app && DEBUG=true ../$(PY) ../manage.py makemessages -l ru --no-obsolete); fi; \
	done
	DEBUG=true $(PY) manage.py makemessages -l ru --no-obsolete --ignore=orgs --ignore=mentoring \
	  --ignore=programs --ignore=community --ignore=matching --ignore=monitoring --ignore=reports --ignore=portal --ignore=public --ignore=core --ignore=.venv --ignore=var --ignore=tests
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv

check: $(STAMP)
	DEBUG=false SECRET_KEY=check-only-$$(date +%s)-not-a-real-key-but-long-enough-for-the-check \
	  ALLOWED_HOSTS=nastavnik.example.ru $(PY) manage.py check --deploy --fail-level WARNING

# The heaviest pages under load (gunicorn + wrk, apt-get install wrk) on this database.
bench-load: $(STAMP)
	$(PY) manage.py bench_load

worker: $(STAMP)
	DEBUG=true $(VENV)/bin/celery -A config worker -l info

beat: $(STAMP)
	DEBUG=true $(VENV)/bin/celery -A config beat -l info

db-stop: $(STAMP)
	$(PY) -c "from pathlib import Path; from config.embedded_db import stop; stop(Path('var/pgdata'))"

clean:
	rm -rf $(VENV) var/staticfiles
