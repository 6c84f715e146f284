# The Moray Peer Support Directory under gunicorn. Build: `docker compose build`.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --system --uid 10001 --home-dir /app app

# Dependencies first, from pyproject.toml alone, so a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY manage.py gunicorn.conf.py ./
COPY moray_peer ./moray_peer
COPY accounts ./accounts
COPY directory ./directory
COPY evidence ./evidence
COPY opendata ./opendata
COPY templates ./templates
COPY static ./static

# Static files are collected into the image with hashed names; whitenoise serves them
# compressed and with far-future cache headers. No database is touched here.
# collectstatic signs nothing: a throwaway key lets the settings load.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend \
    python manage.py collectstatic --noinput --verbosity 0

# Production defaults; docker-compose.yml and the README list the rest.
ENV DEBUG=false \
    WHITENOISE_USE_FINDERS=false \
    LOG_FORMAT=json \
    PORT=8000

USER app
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=3)"]
# Exec form: gunicorn is PID 1 and gets SIGTERM itself, which it takes as a graceful stop.
STOPSIGNAL SIGTERM
CMD ["gunicorn", "--config", "gunicorn.conf.py", "moray_peer.wsgi"]
