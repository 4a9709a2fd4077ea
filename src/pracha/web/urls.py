"""URLs of the citizen pages and the officer back office (the paths are public contracts)."""

from django.urls import URLPattern, URLResolver, path
from django.views.i18n import set_language

from pracha.web.views import (
    account,
    assessments,
    citizen,
    consultations,
    notifications,
    office,
    office_actions,
    office_consultations,
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
    path("signin/", account.signin, name="signin"),
    path("signin/code/", account.signin_code, name="signin-code"),
    path("signout/", account.signout, name="signout"),
    path("me/", account.me, name="me"),
    path("me/cases/", account.me_claim, name="me-claim"),
    path("me/language/", account.me_language, name="me-language"),
    path("me/notifications/", account.me_notifications, name="me-notifications"),
    path(
        "me/consents/<int:consent_id>/revoke/",
        account.me_revoke_consent,
        name="me-consent-revoke",
    ),
    path("me/export/", account.me_export, name="me-export"),
    path("me/delete/", account.me_delete, name="me-delete"),
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
    path("office/tests/", assessments.home, name="office-tests"),
    path("office/tests/agency/", assessments.agency, name="office-tests-agency"),
    path("office/tests/session/<str:session_id>/", assessments.session_page, name="office-test"),
    path(
        "office/tests/session/<str:session_id>/finish/",
        assessments.finish,
        name="office-test-finish",
    ),
    path("office/tests/<slug:code>/start/", assessments.start, name="office-test-start"),
    path("tests/live/", assessments.live, name="tests-live"),
    path("consultations/", consultations.consultation_list, name="consultations"),
    path("consultations/<slug:ref>/", consultations.consultation_page, name="consultation"),
    path("office/consultations/", office_consultations.office_list, name="office-consultations"),
    path(
        "office/consultations/<slug:ref>/",
        office_consultations.office_page,
        name="office-consultation",
    ),
    path(
        "office/consultations/<slug:ref>/<slug:action>/",
        office_consultations.office_action,
        name="office-consultation-action",
    ),
    path("i18n/setlang/", set_language, name="set_language"),
]
