"""GET /api/v1/me/cases: all of the citizen's reports, paged."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.citizens.support import bearer
from tests.factories import BANGKOK
from tests.helpers import post_json


def test_pages_through_my_reports(api: Client, sign_in: Callable[..., str]) -> None:
    token = sign_in()
    tickets = [
        post_json(
            api, "/api/v1/cases", {"description": f"เรื่อง {i}", **BANGKOK}, **bearer(token)
        ).json()["ticket_id"]
        for i in range(3)
    ]
    first = api.get("/api/v1/me/cases", {"limit": 2}, **bearer(token)).json()
    assert (first["count"], first["limit"], first["offset"]) == (3, 2, 0)
    rest = api.get("/api/v1/me/cases", {"limit": 2, "offset": 2}, **bearer(token)).json()
    assert [c["ticket_id"] for c in first["items"] + rest["items"]] == tickets[::-1]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 201}, {"offset": -1}])
def test_bad_paging_is_400(
    api: Client, sign_in: Callable[..., str], params: dict[str, int]
) -> None:
    assert api.get("/api/v1/me/cases", params, **bearer(sign_in())).status_code == 400
