"""The item bank, tests, sessions and calibrations in /admin/ (superusers)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from pracha.competency.models import Assessment, Item


@pytest.mark.usefixtures("shipped")
def test_the_admin_lists_and_opens_the_bank(db: None) -> None:
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw-long-enough")
    client = Client()
    client.force_login(admin)
    item = Item.objects.get(code="pd-001", language="th")
    for url in (
        "/admin/competency/item/?domain=pdpa&language=th",
        f"/admin/competency/item/{item.pk}/change/",
        "/admin/competency/itemparameters/",
        f"/admin/competency/assessment/{Assessment.objects.get(code='practice').pk}/change/",
        "/admin/competency/session/",
        "/admin/competency/calibration/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(f"/admin/competency/item/{item.pk}/change/").content.decode()
    assert "provisional" in page and item.stem in page
