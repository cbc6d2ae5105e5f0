"""Eksempel Kommune's URLs: Danish at unprefixed URLs, English under /en/."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from frivillig_blocks import urls as frivillig_urls
from frivillig_blocks.media import media_urlpatterns
from frivillig_blocks.views import admin_texts, healthz, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("anymail/", include("frivillig_blocks.webhook_urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin-tekster/<str:language>.js", admin_texts, name="frivillig_admin_texts"),
    path("api/kalender/", include("kalender.api_urls")),
    *media_urlpatterns(),
]
urlpatterns += i18n_patterns(
    path("konto/", include("allauth.urls")),
    path("mine-sider/", include(frivillig_urls)),
    path("soeg/", include("frivillig_blocks.search.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
