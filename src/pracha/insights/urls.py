"""The dashboard (included by pracha.urls)."""

from django.urls import path

from pracha.insights import views

app_name = "insights"
urlpatterns = [
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("dashboard/methods/", views.methods_page, name="methods"),
    path("dashboard/<slug:name>.csv", views.table_csv, name="csv"),
    path("dashboard/panel/<slug:name>/", views.panel, name="panel"),
]
