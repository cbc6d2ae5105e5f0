#!/usr/bin/env bash
# `make prod`: the production processes on this machine, with the production settings,
# against PostgreSQL and Redis from the environment (defaults: the local servers).
#   web        gunicorn (site/gunicorn.conf.py; WEB_CONCURRENCY workers)
#   worker     the django-tasks database worker (mail, reminders, digests, retention)
#   scheduler  enqueues each app's periodic tasks when due (one place: frivillig_blocks/scheduling.py)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

# PROD_SETTINGS: another settings module built on production (the load test's).
export DJANGO_SETTINGS_MODULE="${PROD_SETTINGS:-dragoer.settings.production}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/frivillig_prod}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/1}"
export PORT="${PORT:-8000}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-localhost,127.0.0.1}"
export BASE_URL="${BASE_URL:-http://127.0.0.1:${PORT}}"
# On the loopback there is no TLS in front; behind a proxy that terminates TLS, leave it on.
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-false}"
export STATIC_ROOT="${STATIC_ROOT:-$PWD/var/static}"
export MEDIA_ROOT="${MEDIA_ROOT:-$PWD/var/media}"
# Private files (inbox attachments): outside MEDIA_ROOT, never under a URL.
export PRIVATE_MEDIA_ROOT="${PRIVATE_MEDIA_ROOT:-$PWD/var/private}"
# gunicorn serves the public images itself (frivillig_blocks.media); "proxy" when a proxy does.
export MEDIA_SERVING="${MEDIA_SERVING:-app}"
if [ -z "${SECRET_KEY:-}" ]; then
    mkdir -p var
    [ -s var/secret_key ] || $BIN/python -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
    SECRET_KEY="$(cat var/secret_key)"
    export SECRET_KEY
    echo "SECRET_KEY not set: using the one kept in var/secret_key"
fi

$BIN/python deploy/ensure_database.py "$DATABASE_URL"
$BIN/python site/manage.py check --deploy --fail-level ERROR
$BIN/python site/manage.py migrate --noinput
$BIN/python site/manage.py collectstatic --noinput -v 0
if [ "${SEED_DEMO:-1}" = 1 ]; then
    $BIN/python site/manage.py seed_demo
fi

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM
$BIN/gunicorn -c site/gunicorn.conf.py --bind "${GUNICORN_BIND:-127.0.0.1:$PORT}" & pids+=($!)
$BIN/python site/manage.py db_worker --queue-name '*' & pids+=($!)
$BIN/python site/manage.py run_scheduler & pids+=($!)
echo "Serving http://127.0.0.1:$PORT/ (web, worker and scheduler); Ctrl-C stops all three."
# When one process dies, stop the others: a half-running site must not look healthy.
wait -n
