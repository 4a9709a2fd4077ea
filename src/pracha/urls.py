"""Top-level URLs: the JSON API, the admin, and uploaded media."""

from functools import partial

from django.contrib import admin
from django.urls import URLPattern, include, path, re_path
from django.views.generic import RedirectView

from pracha.api.site import api
from pracha.media import serve_media


def moved(old: str, new: str) -> list[URLPattern]:
    """`old` and every address under it redirect to the same place under `new`."""
    to = partial(RedirectView.as_view, permanent=True, query_string=True)
    return [path(old, to(url=new)), path(f"{old}<path:rest>", to(url=f"{new}%(rest)s"))]


urlpatterns = [
    # Webhooks' admin pages moved with them from pracha.open311 to pracha.notify.
    *moved("admin/open311/webhooksubscription/", "/admin/notify/webhooksubscription/"),
    *moved("admin/open311/webhookdelivery/", "/admin/notify/webhookdelivery/"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("open311/", include("pracha.open311.urls")),
    path("line/", include("pracha.line.urls")),
    path("", include("pracha.insights.urls")),
    path("", include("pracha.web.urls")),
    re_path(r"^media/(?P<path>.+)$", serve_media, name="media"),
]
