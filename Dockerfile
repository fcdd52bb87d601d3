# The portal's image: web (gunicorn), worker and beat (celery) all run it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

# WeasyPrint needs Pango and HarfBuzz; DejaVu has the Cyrillic glyphs the PDFs use.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml ./
RUN pip install uv==0.13.9 \
    && uv pip install --system --no-cache -r pyproject.toml

COPY . .

# Static files are collected into the image (whitenoise serves them). The settings refuse to
# start without SECRET_KEY when DEBUG is off, and start an embedded PostgreSQL without
# DATABASE_URL: give both dummies; collectstatic connects to neither.
# (Translations ship compiled: the .mo files are committed next to the .po files.)
RUN DEBUG=false \
    SECRET_KEY=$(python -c "import secrets; print(secrets.token_urlsafe(60))") \
    DATABASE_URL=postgres://build@127.0.0.1:1/build \
    python manage.py collectstatic --noinput

RUN useradd --system --create-home --uid 10001 nastavnik \
    && mkdir -p /app/var/media \
    && chown -R nastavnik:nastavnik /app/var
USER nastavnik

ENV MEDIA_ROOT=/app/var/media
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
