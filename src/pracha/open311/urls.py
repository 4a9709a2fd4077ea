"""URLs of the open311 app."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
