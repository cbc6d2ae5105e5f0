# syntax=docker/dockerfile:1
# The production image: `docker build -t frivillig .` (see README, "Containers").
# Stage 1 builds wheels with the build tools; stage 2 is the runtime with none of them.
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md ./
COPY frivillig_blocks ./frivillig_blocks
COPY booking ./booking
COPY kalender ./kalender
COPY boers ./boers
COPY initiativpris ./initiativpris
COPY kurser ./kurser
COPY henvendelser ./henvendelser
RUN pip wheel --wheel-dir /wheels '.[postgres]'

FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=dragoer.settings.production \
    PYTHONPATH=/app/site:/app \
    STATIC_ROOT=/app/static \
    MEDIA_ROOT=/data/media \
    PRIVATE_MEDIA_ROOT=/data/private \
    PORT=8000
# Runtime libraries only: Pango for WeasyPrint's PDFs, fonts, and PostgreSQL's client
# tools for `manage.py backup`/`restore`.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 frivillig \
 && useradd --system --uid 10001 --gid frivillig --home-dir /app --shell /usr/sbin/nologin frivillig
COPY --from=build /wheels /wheels
RUN pip install --no-index --find-links /wheels 'frivillig-platform[postgres]' && rm -rf /wheels
WORKDIR /app
COPY site ./site
COPY templates ./templates
# Static files hashed and compressed at build time (WhiteNoise serves them). The key below
# only lets the settings load for collectstatic; it is not used at run time.
RUN SECRET_KEY=collectstatic-only-not-a-secret python site/manage.py collectstatic --noinput -v 0 \
 && mkdir -p /data/media /data/private && chown -R frivillig:frivillig /data
USER frivillig
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]
# The same image runs the worker (`python site/manage.py db_worker --queue-name '*'`) and the
# scheduler (`python site/manage.py run_scheduler`); see compose.yaml.
CMD ["gunicorn", "-c", "site/gunicorn.conf.py"]
