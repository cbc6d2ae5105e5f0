"""Uploaded files: public media with random names, served safely, and private files apart.

Public (``STORAGES["default"]``): Wagtail's images, their renditions and documents.
:class:`PublicFileSystemStorage` (or :class:`PublicS3Storage`) gives every upload a random
name in its folder, keeping the extension, so the uploader's file name never reaches a
public URL. Documents are served by Wagtail's own ``/documents/`` view
(``WAGTAILDOCS_SERVE_METHOD = "serve_view"``), which checks collection privacy.

Images on disk are served by :func:`serve_public`, mounted at ``MEDIA_URL`` by
:func:`media_urlpatterns` when ``FRIVILLIG_MEDIA_SERVING`` is ``"app"`` (the default): only
``original_images/`` and ``images/``, no path traversal, images by their own type and
anything else as a sandboxed download. With ``"proxy"`` a proxy in front serves the same two
folders (README); with S3 the bucket serves them.

Private (``STORAGES["private"]``, see :func:`private_storage`): inbox attachments and any
other file that is not for everyone, on disk in ``PRIVATE_MEDIA_ROOT`` (outside
``MEDIA_ROOT``) or in a private bucket. Private files have no URL: a permission-checked view
streams them.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import re
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, InvalidStorageError, storages
from django.http import FileResponse, Http404
from django.urls import re_path
from django.utils.cache import get_conditional_response
from django.utils.functional import cached_property
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from .conf import app_settings

#: The folders of MEDIA_URL anyone may read: Wagtail's original images and renditions.
PUBLIC_PREFIXES = ("original_images/", "images/")

#: Served inline with their own type; anything else is a download.
IMAGE_TYPES = {
    ".gif": "image/gif",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".avif": "image/avif",
}

#: Public media may be cached this long by browsers and proxies (a changed image gets a
#: new random name, so a cached copy is never stale for long).
CACHE_SECONDS = 24 * 60 * 60

_EXTENSION = re.compile(r"\.[a-z0-9]{1,10}")


def random_name(name: str) -> str:
    """``folder/Hanne Jensen pas.JPG`` -> ``folder/<32 random hex>.jpg``."""
    directory, base = posixpath.split(str(name).replace("\\", "/"))
    extension = os.path.splitext(base)[1].lower()
    if not _EXTENSION.fullmatch(extension):
        extension = ""
    return posixpath.join(directory, secrets.token_hex(16) + extension)


class RandomNameMixin:
    """Every upload gets a random name; its folder and extension are kept."""

    def generate_filename(self, filename):
        return super().generate_filename(random_name(filename))


class PublicFileSystemStorage(RandomNameMixin, FileSystemStorage):
    """Public media on disk in MEDIA_ROOT, under random names."""


try:
    from storages.backends.s3 import S3Storage
except ImportError:  # pragma: no cover - django-storages is optional
    S3Storage = None
else:

    class PublicS3Storage(RandomNameMixin, S3Storage):
        """Public media in an S3-compatible bucket, under random names."""


def private_root() -> Path:
    """``PRIVATE_MEDIA_ROOT``; a site that sets none gets ``private`` next to MEDIA_ROOT."""
    configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    if configured:
        return Path(configured)
    return Path(settings.MEDIA_ROOT).resolve().parent / "private"


class PrivateFileSystemStorage(FileSystemStorage):
    """Private files on disk in PRIVATE_MEDIA_ROOT. They have no URL."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, str(private_root()))

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting in ("PRIVATE_MEDIA_ROOT", "MEDIA_ROOT"):
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise NotImplementedError(
            "Private files have no URL: serve them through a view that checks permissions."
        )


_fallback_private = None


def private_storage():
    """The storage of private files: ``STORAGES["private"]``, or private files on disk in
    PRIVATE_MEDIA_ROOT when a site configures none. A field names this function
    (``storage=private_storage``), so its migration does not depend on the settings."""
    global _fallback_private
    try:
        return storages["private"]
    except InvalidStorageError:
        if _fallback_private is None:
            _fallback_private = PrivateFileSystemStorage()
        return _fallback_private


def public_name(path: str) -> str:
    """The storage name of a public media path, or Http404: only the public folders, no
    empty, ``.`` or ``..`` segment, no backslash, no NUL."""
    if not path or "\\" in path or "\x00" in path or path.startswith("/"):
        raise Http404
    if any(part in ("", ".", "..") for part in path.split("/")):
        raise Http404
    if not path.startswith(PUBLIC_PREFIXES):
        raise Http404
    return path


@require_safe
def serve_public(request, path: str):
    """Serve a public image (or rendition) from the default storage."""
    name = public_name(path)
    storage = storages["default"]
    modified = None
    with contextlib.suppress(NotImplementedError, OSError, SuspiciousFileOperation):
        modified = int(storage.get_modified_time(name).timestamp())
    # A 304 before the file is opened (a response replaced later would leak the handle).
    not_modified = modified and get_conditional_response(request, last_modified=modified)
    if not_modified:
        not_modified["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
        return not_modified
    try:
        handle = storage.open(name, "rb")
    except (OSError, SuspiciousFileOperation, ValueError):
        raise Http404 from None
    content_type = IMAGE_TYPES.get(os.path.splitext(name)[1].lower())
    response = FileResponse(
        handle,
        content_type=content_type or "application/octet-stream",
        as_attachment=content_type is None,
        filename=posixpath.basename(name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    if modified:
        response["Last-Modified"] = http_date(modified)
    return response


def media_serving() -> str:
    """``FRIVILLIG_MEDIA_SERVING``: ``"app"`` (this site serves its images, the default),
    ``"proxy"`` (a proxy in front does) or ``"off"``."""
    return app_settings.MEDIA_SERVING


def media_urlpatterns() -> list:
    """The URL of public media for a site's urls.py (nothing unless serving is ``"app"``
    and MEDIA_URL is a path on this site)."""
    prefix = settings.MEDIA_URL or ""
    if media_serving() != "app" or not prefix.startswith("/") or prefix == "/":
        return []
    return [
        re_path(
            rf"^{re.escape(prefix.lstrip('/'))}(?P<path>.*)$",
            serve_public,
            name="frivillig_media",
        )
    ]
