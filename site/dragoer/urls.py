"""URLs of the Dragør reference site. Danish at unprefixed URLs, English under /en/."""

from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from frivillig_blocks import urls as frivillig_urls
from frivillig_blocks.media import media_urlpatterns
from frivillig_blocks.views import admin_texts, colours_stylesheet, healthz, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("anymail/", include("frivillig_blocks.webhook_urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    # The municipality's colours from Settings → Municipality (see includes/site_head.html).
    path("farver.css", colours_stylesheet, name="frivillig_colours"),
    # Our Danish for the Wagtail admin's JavaScript texts (loaded by the admin after its own).
    path("admin-tekster/<str:language>.js", admin_texts, name="frivillig_admin_texts"),
    # Public images and renditions (never private files, which live outside MEDIA_ROOT).
    *media_urlpatterns(),
]
# The apps' URLs outside their pages, for the apps this site installs.
if apps.is_installed("kalender"):
    urlpatterns.append(path("api/kalender/", include("kalender.api_urls")))

urlpatterns += i18n_patterns(
    path("konto/", include("allauth.urls")),
    *(
        # The follow-up's feedback form and consent, beside Mine sider.
        [path("mine-sider/", include("opfoelgning.urls"))]
        if apps.is_installed("opfoelgning")
        else []
    ),
    path("mine-sider/", include(frivillig_urls)),
    path("soeg/", include("frivillig_blocks.search.urls")),
    *(
        [path("henvendelser/", include("henvendelser.urls"))]
        if apps.is_installed("henvendelser")
        else []
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    # Media as in production (above): never the whole MEDIA_ROOT.
    urlpatterns = staticfiles_urlpatterns() + urlpatterns
