"""Views of the shared base that are not pages: liveness, readiness and Mine sider (see
accounts.views)."""

import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .conf import app_settings

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 otherwise (for the load balancer)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    key = "frivillig:readyz"
    cache.set(key, "1", 30)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not keep a value")
    return "ok"


def _check_migrations() -> str:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migrations not applied")
    return "ok"


def _check_worker() -> str:
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if not backend.startswith("django_tasks_db"):
        return "not used"  # tasks run in the process that enqueues them
    from django_tasks_db.models import DBTaskResult

    minutes = int(app_settings.READYZ_WORKER_MINUTES)
    cutoff = timezone.now() - datetime.timedelta(minutes=minutes)
    if not DBTaskResult.objects.filter(finished_at__gte=cutoff).exists():
        raise RuntimeError(f"no task finished in the last {minutes} minutes")
    return "ok"


@never_cache
@require_GET
def readyz(request):
    """Ready to take traffic: the database answers, the cache (Redis) keeps a value, every
    migration is applied and a task worker finished something lately (the scheduler's
    heartbeat runs every minute). 200 with each check's state, 503 when one fails."""
    checks = {
        "database": _check_database,
        "cache": _check_cache,
        "migrations": _check_migrations,
        "worker": _check_worker,
    }
    result, healthy = {}, True
    for name, check in checks.items():
        try:
            result[name] = check()
        except Exception as exc:
            logger.warning("readiness check %s failed: %s", name, exc)
            result[name] = f"error: {exc}"
            healthy = False
            if name == "database":
                break
    result["status"] = "ok" if healthy else "error"
    return JsonResponse(result, status=200 if healthy else 503)


@require_GET
def colours_stylesheet(request):
    """The municipality's colours (Settings → Municipality) as CSS custom properties, served
    by the site: the public pages allow no inline style. The layout links it with the
    layout's version, so a browser may keep it a day."""
    from django.http import HttpResponse
    from wagtail.models import Site

    from .models import MunicipalitySettings

    site = Site.find_for_request(request)
    css = MunicipalitySettings.for_site(site).stylesheet() if site else ""
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def admin_texts(request, language):
    """Our Danish for the Wagtail admin's JavaScript texts ("Flyt op" where Wagtail's own
    catalogue says "Bevæg op", and the texts it leaves in English: "Duplicate", "Insert a
    block" …), as a Django JavaScript catalogue of frivillig_blocks' ``djangojs`` domain.

    Wagtail's own catalogue (``/admin/jsi18n/``) reads only ``wagtail.admin``'s files; the
    admin loads this one after it (the ``insert_global_admin_js`` hook), and Django's catalogue
    script merges its entries into ``django.catalog``, so ours win. It is served outside
    ``/admin/`` because the admin's login page loads it too, before anyone is signed in; it
    holds only the texts of the admin's buttons. The language is in the address and the
    platform's version in its query, so a browser may keep it a day."""
    from django.http import Http404
    from django.utils import translation
    from django.views.i18n import JavaScriptCatalog

    if language not in dict(settings.LANGUAGES):
        raise Http404
    with translation.override(language):
        response = JavaScriptCatalog.as_view(packages=["frivillig_blocks"])(request)
    response["Cache-Control"] = "public, max-age=86400"
    return response
