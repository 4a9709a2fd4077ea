"""Open311 GeoReport v2 under /open311/v2/; service discovery at /open311/discovery.{xml,json}.

The format is the suffix of each resource (`services.xml`, `requests/2024-ABC123.json`).
"""

from django.urls import URLPattern, re_path

from pracha.open311 import views

FMT = r"\.(?P<fmt>[A-Za-z0-9]{1,10})$"

urlpatterns: list[URLPattern] = [
    re_path(r"^discovery" + FMT, views.discovery, name="open311-discovery"),
    re_path(r"^v2/discovery" + FMT, views.discovery),
    re_path(r"^v2/services" + FMT, views.services, name="open311-services"),
    re_path(
        r"^v2/services/(?P<service_code>[^/]+?)" + FMT,
        views.service_definition,
        name="open311-service-definition",
    ),
    re_path(r"^v2/requests" + FMT, views.requests, name="open311-requests"),
    re_path(
        r"^v2/requests/(?P<request_id>[^/]+?)" + FMT,
        views.request_detail,
        name="open311-request",
    ),
    re_path(r"^v2/tokens/(?P<token>[^/]+?)" + FMT, views.token_detail, name="open311-token"),
    re_path(r"^(?P<rest>.*)$", views.not_found),
]
