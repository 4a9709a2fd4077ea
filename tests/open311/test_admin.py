"""Administrators see Open311 submissions in /admin/, without the private device and account
ids (pytest-django's `admin_client`: a signed-in superuser). Webhooks' admin pages are
pracha.notify's (tests/notify/webhooks/test_admin.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from pracha.open311.models import Submission
from tests.open311.conftest import REPORTER

ADMIN = "/admin/open311"


def test_submission_admin_hides_device_and_account(
    admin_client: Client, file_request: Callable[..., Any]
) -> None:
    file_request(**REPORTER)
    submission = Submission.objects.get()
    for url in (
        f"{ADMIN}/submission/",
        f"{ADMIN}/submission/{submission.pk}/change/",
    ):
        page = admin_client.get(url)
        assert page.status_code == 200
        assert REPORTER["device_id"].encode() not in page.content
        assert REPORTER["account_id"].encode() not in page.content
