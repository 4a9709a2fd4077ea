"""URLs of the web app."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
