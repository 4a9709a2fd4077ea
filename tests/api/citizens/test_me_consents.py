"""GET/POST /api/v1/me/consents and POST /api/v1/me/consents/{id}/revoke."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pracha.agencies.models import Agency
from pracha.audit.models import AuditEntry
from pracha.citizens.models import Citizen
from pracha.citizens.services.consents import has_consent
from tests.citizens.support import bearer
from tests.helpers import post_json

URL = "/api/v1/me/consents"
GIVEN = {"agency": "bma", "data": ["address", "household"], "purpose": "ลงทะเบียนเด็กแรกเกิด"}


def test_a_consent_is_given_listed_and_revoked(
    api: Client, sign_in: Callable[..., str], bma: Agency, citizen_of: Callable[..., Citizen]
) -> None:
    token = sign_in()

    given = post_json(api, URL, GIVEN, **bearer(token))

    assert given.status_code == 201
    body = given.json()
    assert body["agency"] == {"code": "bma", "name_th": bma.name_th, "name_en": bma.name_en}
    assert (body["data"], body["purpose"], body["active"]) == (
        GIVEN["data"],
        GIVEN["purpose"],
        True,
    )
    assert body["revoked_at"] is None and body["given_at"]
    assert api.get(URL, **bearer(token)).json() == [body]
    assert api.get("/api/v1/me", **bearer(token)).json()["consents"] == [body]
    citizen = citizen_of()
    assert has_consent(citizen, bma, "address") and not has_consent(citizen, bma, "phone")

    revoked = api.post(f"{URL}/{body['id']}/revoke", **bearer(token))

    assert revoked.status_code == 200
    assert revoked.json()["active"] is False and revoked.json()["revoked_at"]
    assert not has_consent(citizen, bma, "address")
    # Still listed, with when it was revoked; revoking again changes nothing.
    assert api.get(URL, **bearer(token)).json()[0]["revoked_at"] == revoked.json()["revoked_at"]
    assert api.post(f"{URL}/{body['id']}/revoke", **bearer(token)).json() == revoked.json()
    actions = list(
        AuditEntry.objects.filter(action__startswith="citizen.consent").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["citizen.consent_given", "citizen.consent_revoked"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"agency": "no-such-agency"}, "agency"),
        ({"data": []}, "data"),
        ({"data": ["blood type"]}, "data"),
        ({"purpose": "   "}, "purpose"),
        ({"purpose": "x" * 501}, "purpose"),
    ],
)
def test_bad_consents_are_400(
    api: Client, sign_in: Callable[..., str], bma: Agency, change: dict[str, Any], field: str
) -> None:
    response = post_json(api, URL, {**GIVEN, **change}, **bearer(sign_in()))
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_anothers_consent_cannot_be_revoked(
    api: Client, sign_in: Callable[..., str], bma: Agency
) -> None:
    mine = post_json(api, URL, GIVEN, **bearer(sign_in("a@example.org"))).json()
    response = api.post(f"{URL}/{mine['id']}/revoke", **bearer(sign_in("b@example.org")))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert api.post(f"{URL}/999999/revoke", **bearer(sign_in("b@example.org"))).status_code == 404


def test_consents_need_a_signed_in_citizen(api: Client, bma: Agency) -> None:
    assert api.get(URL).status_code == 401
    assert post_json(api, URL, GIVEN).status_code == 401
