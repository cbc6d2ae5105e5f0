"""gunicorn for the web processes: `gunicorn -c site/gunicorn.conf.py dragoer.wsgi`.
Everything comes from the environment, with defaults for one machine."""

import multiprocessing
import os

chdir = os.path.dirname(os.path.abspath(__file__))
wsgi_app = "dragoer.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, so a slow leak never grows for weeks. The workers share the
# load evenly, so with a small jitter they all reach their limit in the same few seconds; and a
# new worker that imports Django itself spends seconds of CPU doing it, taken from the workers
# still serving, while the requests queue: the load test's p99 spikes of 2-3 s (README,
# "Load test"). So the jitter is half the limit, spreading the restarts over the run, and the
# application is loaded once in the master (preload_app), so a new worker is a fork, ready in
# milliseconds. GUNICORN_MAX_REQUESTS=0 turns recycling off.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 2
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"


def when_ready(server):
    """What a process builds on its first requests, built in the master before the first
    worker is forked (dragoer.warm): the URLconf with Wagtail's admin, the translations, the
    apps' modules and the compiled templates. No worker, the first or a recycled one, builds
    them under load: a new worker's first request took about 2 s on the loaded machine
    (the load test's p99 of its fastest pages). Then what the master holds is collected once
    and frozen (gc.freeze, as Python's documentation advises before a fork), so that the
    workers' collections never walk it and their memory stays shared with the master's."""
    if preload_app:
        import gc

        from dragoer import warm

        built = warm.warm_up()
        gc.collect()
        gc.freeze()
        server.log.info(
            "Built before forking: %s", ", ".join(f"{n} {what}" for what, n in built.items())
        )


def pre_fork(server, worker):
    """No database connection may cross a fork: the master loaded the application
    (preload_app) and must not hand a connection it might hold to a worker."""
    if preload_app:
        from django.db import connections

        connections.close_all()


# The load balancer or reverse proxy in front terminates TLS and sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "1") == "1" else None
errorlog = "-"
# GUNICORN_LOG_LEVEL=info shows each worker's restart (the load test counts them).
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", os.environ.get("LOG_LEVEL", "info")).lower()


def worker_exit(server, worker):
    """A worker that leaves (recycled after max_requests, or stopped) ends here, at once,
    with the exit status it was leaving with. Python's own teardown of a Django process
    (every module and object freed) took 1 to 12 seconds on the loaded 2-core machine, and
    the master starts the replacement only once the old worker is gone. The worker's
    database connections are closed and its output flushed first; nothing else is left."""
    import sys

    error = sys.exc_info()[1]
    if isinstance(error, SystemExit):
        code = error.code if isinstance(error.code, int) else (0 if error.code is None else 1)
    else:
        code = 0 if error is None else 1
    try:
        from django.db import connections

        connections.close_all()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
