"""Top-level URLs: the JSON API, the admin, and uploaded media."""

from django.contrib import admin
from django.urls import include, path, re_path

from pracha.api.site import api
from pracha.media import serve_media

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("open311/", include("pracha.open311.urls")),
    path("", include("pracha.insights.urls")),
    path("", include("pracha.web.urls")),
    re_path(r"^media/(?P<path>.+)$", serve_media, name="media"),
]
