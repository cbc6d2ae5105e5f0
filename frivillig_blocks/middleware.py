"""Request ids for the logs, and the admin's own Content-Security-Policy."""

import contextvars
import logging
import re
import uuid

from csp.constants import SELF, UNSAFE_INLINE

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Takes X-Request-ID from the proxy when it is well-formed, makes one otherwise, and
    puts it on every log line of the request and on the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class AdminCSPMiddleware:
    """Wagtail's admin still needs inline script and style (wagtail/wagtail#1288): it gets a
    policy of its own, while the public site keeps the strict one from settings."""

    ADMIN_DIRECTIVES = {
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            response._csp_update = None
            response._csp_replace = self.ADMIN_DIRECTIVES
        return response
