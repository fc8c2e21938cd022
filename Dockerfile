# The Council Plan tracker's one image: the web nodes (gunicorn, the default command), the
# workers and the scheduler all run it with different commands (see compose.yaml and
# docs/DEPLOYMENT.md). Built from the locked versions; runs as an unprivileged user.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media

# WeasyPrint (the committee PDF) needs Pango; the PDF's text is set in DejaVu Sans.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# The runtime dependencies only (not the test tools), at the versions requirements.lock pins.
COPY pyproject.toml requirements.lock ./
RUN python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' > runtime.txt \
    && python -m pip install -r runtime.txt -c requirements.lock \
    && rm runtime.txt

COPY . .

# Static files are collected into the image at build time, hashed for far-future caching.
RUN SECRET_KEY=collectstatic-at-build-only python manage.py collectstatic --noinput -v0

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin council \
    && mkdir -p /app/media /app/var \
    && chown -R council:council /app/media /app/var
USER council

EXPOSE 8000
# The probe names the first of ALLOWED_HOSTS, as a request through the proxy would (Django
# refuses any other host); /healthz is never redirected to HTTPS (SECURE_REDIRECT_EXEMPT).
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s \
    CMD python -c 'import os, sys, urllib.request; host = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip(); sys.exit(0 if urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:8000/healthz", headers={"Host": host}), timeout=5).status == 200 else 1)'

CMD ["gunicorn", "stockport_plan.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--timeout", "120", "--access-logfile", "-", "--no-control-socket"]
