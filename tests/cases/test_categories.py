"""Reading many cases' category codes at once (cases.categories.codes_by_case)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pracha.cases.categories import codes_by_case
from pracha.cases.models import Case

pytestmark = pytest.mark.django_db


def test_each_case_gets_its_own_codes_sorted_in_one_query(make_case: Callable[..., Case]) -> None:
    both = make_case("น้ำท่วมขังและท่อตัน", categories=["flooding", "drains"])
    one = make_case("ไฟดับทั้งซอย", categories=["lighting"])
    with CaptureQueriesContext(connection) as queries:
        codes = codes_by_case([both.pk, one.pk])
    assert codes == {both.pk: ["drains", "flooding"], one.pk: ["lighting"]}
    assert len(queries) == 1


def test_cases_without_categories_and_unknown_ids_are_absent(
    make_case: Callable[..., Case],
) -> None:
    bare = make_case("เรื่องทั่วไป", categories=[])
    bare.categories.clear()
    assert codes_by_case([bare.pk, 10**9]) == {}
    assert codes_by_case([]) == {}


def test_any_iterable_of_ids_is_read(make_case: Callable[..., Case]) -> None:
    case = make_case("ทางเท้าชำรุด", categories=["sidewalk"])
    assert codes_by_case(pk for pk in [case.pk]) == {case.pk: ["sidewalk"]}
