"""URLs of the citizen pages and the officer back office (the paths are public contracts)."""

from django.urls import URLPattern, URLResolver, path
from django.views.i18n import set_language

from pracha.web.views import (
    citizen,
    notifications,
    office,
    office_actions,
    photo_checks,
    public,
    report,
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("", public.home, name="home"),
    path("report/", report.report, name="report"),
    path("report/suggest/", report.suggest, name="report-suggest"),
    path("t/<str:ticket_id>/", public.ticket, name="ticket"),
    path("t/<str:ticket_id>/me-too/", citizen.me_too, name="me-too"),
    path("t/<str:ticket_id>/rate/", citizen.rate, name="rate"),
    path("t/<str:ticket_id>/reopen/", citizen.reopen, name="reopen"),
    path("unsubscribe/<str:token>/", notifications.unsubscribe, name="unsubscribe"),
    path("office/", office.inbox, name="office-inbox"),
    path("office/login/", office.LoginView.as_view(), name="office-login"),
    path("office/logout/", office.LogoutView.as_view(), name="office-logout"),
    path("office/settings/", notifications.officer_settings, name="office-settings"),
    path("office/bulk/", office_actions.bulk, name="office-bulk"),
    path("office/photo-checks/", photo_checks.photo_checks, name="office-photo-checks"),
    path(
        "office/photo-checks/<int:check_id>/review/",
        photo_checks.review,
        name="office-photo-review",
    ),
    path("office/case/<str:ticket_id>/", office.case_page, name="office-case"),
    path(
        "office/case/<str:ticket_id>/contact/",
        office_actions.read_contact,
        name="office-contact",
    ),
    path(
        "office/case/<str:ticket_id>/<str:action>/",
        office_actions.case_action,
        name="office-action",
    ),
    path("i18n/setlang/", set_language, name="set_language"),
]
