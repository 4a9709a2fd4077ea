"""GET Service Requests: /open311/v2/requests.{xml,json} with the specification's filters and
its default volume (a span of 90 days or the first 1,000 requests, whichever is smaller)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case
from pracha.cases.services.workflow import do_accept, do_close
from tests.open311.conftest import V2, assert_errors, children, json_of, xml_root

FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$")
File = Callable[..., str]


def aged(ticket: str, days: float) -> None:
    Case.objects.filter(ticket_id=ticket).update(created_at=timezone.now() - timedelta(days=days))


def ids(response: Any) -> list[str]:
    return [r["service_request_id"] for r in json_of(response)]


def test_json_fields_in_the_specification_order(api: Client, file_request: File) -> None:
    address = "ถนนพระราม 4 แขวงลุมพินี เขตปทุมวัน กรุงเทพมหานคร 10330"
    ticket = file_request(address_string=address, media_url="https://img.example.org/a.jpg")
    [item] = json_of(api.get(f"{V2}/requests.json"))
    assert list(item) == FIELDS
    assert item["service_request_id"] == ticket
    assert item["status"] == "open"
    assert item["status_notes"] == "รอรับเรื่อง"
    assert (item["service_code"], item["service_name"]) == ("road", "ถนน")
    assert item["agency_responsible"] == "กรุงเทพมหานคร"
    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert W3C.match(item[name]), item[name]
    assert item["address"] == address and item["zipcode"] == "10330"
    assert (item["lat"], item["long"]) == (13.7563, 100.5018)
    assert item["media_url"] == "https://img.example.org/a.jpg"
    assert item["address_id"] is None


def test_xml_service_requests_request_elements(api: Client, file_request: File) -> None:
    file_request()
    root = xml_root(api.get(f"{V2}/requests.xml"), "service_requests")
    [request] = root.findall("request")
    assert children(request) == FIELDS
    assert request.findtext("status") == "open"
    assert float(request.findtext("lat") or 0) == 13.7563
    assert request.findtext("media_url") == ""  # none: an empty element


def test_english_on_request(api: Client, file_request: File) -> None:
    file_request()
    [item] = json_of(api.get(f"{V2}/requests.json", {"locale": "en"}))
    assert (item["service_name"], item["status_notes"]) == ("Road", "Waiting")
    assert item["service_notice"].startswith("Target: resolved within 168 hours")


def test_default_window_is_the_most_recent_90_days(api: Client, file_request: File) -> None:
    recent, edge, old = file_request(), file_request(), file_request()
    aged(edge, 89)
    aged(old, 100)
    assert set(ids(api.get(f"{V2}/requests.json"))) == {recent, edge}
    # With a start only, the window is the 90 days after it.
    start = (timezone.now() - timedelta(days=101)).isoformat()
    assert ids(api.get(f"{V2}/requests.json", {"start_date": start})) == [edge, old]
    start = (timezone.now() - timedelta(days=200)).isoformat()
    assert ids(api.get(f"{V2}/requests.json", {"start_date": start})) == []
    # With an end only, the 90 days before it.
    end = (timezone.now() - timedelta(days=95)).isoformat()
    assert ids(api.get(f"{V2}/requests.json", {"end_date": end})) == [old]


def test_start_and_end_date(api: Client, file_request: File) -> None:
    inside, outside = file_request(), file_request()
    aged(inside, 10)
    aged(outside, 30)
    params = {
        "start_date": (timezone.now() - timedelta(days=20)).isoformat(),
        "end_date": (timezone.now() - timedelta(days=5)).isoformat(),
    }
    assert ids(api.get(f"{V2}/requests.json", params)) == [inside]
    # The spec's own example form, UTC with Z, and a date alone.
    today = timezone.now().date()
    assert ids(
        api.get(
            f"{V2}/requests.json",
            {"start_date": f"{today - timedelta(days=40)}", "end_date": f"{today}T23:59:59Z"},
        )
    ) == [inside, outside]


def test_unencoded_plus_in_the_offset_still_reads(api: Client, file_request: File) -> None:
    ticket = file_request()
    start = (timezone.localtime() - timedelta(hours=1)).replace(microsecond=0).isoformat()
    response = api.get(f"{V2}/requests.json?start_date={start}")  # '+07:00' arrives as ' 07:00'
    assert ids(response) == [ticket]


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ({"start_date": "2024-01-01T00:00:00Z", "end_date": "2024-06-01T00:00:00Z"}, "90 days"),
        ({"start_date": "2024-06-01T00:00:00Z", "end_date": "2024-05-01T00:00:00Z"}, "before"),
        ({"start_date": "last tuesday"}, "W3C"),
        ({"end_date": "2024-02-30"}, "W3C"),
        ({"end_date": "0001-01-01"}, "1970-01-01 and 2100-12-31"),
        ({"start_date": "9999-12-31T23:59:59Z"}, "1970-01-01 and 2100-12-31"),
        ({"start_date": "1969-12-31T23:59:59+07:00"}, "start_date must be between"),
        ({"status": "pending"}, "open or closed"),
        ({"service_code": "unicorns"}, "unicorns"),
        ({"page_size": "1001"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"service_code": "road\x00"}, "NUL"),
    ],
)
def test_bad_filters_are_400(api: Client, db: None, params: dict[str, str], word: str) -> None:
    for fmt in ("json", "xml"):
        [text] = assert_errors(api.get(f"{V2}/requests.{fmt}", params), 400, fmt)
        assert word in text


def test_status_filter(api: Client, file_request: File, officer: tuple[Officer, str]) -> None:
    still_open, done = file_request(), file_request()
    do_accept(Case.objects.get(ticket_id=done), officer[0])
    do_close(Case.objects.get(ticket_id=done), officer[0], "done", "ซ่อมแล้ว")
    assert ids(api.get(f"{V2}/requests.json", {"status": "open"})) == [still_open]
    assert ids(api.get(f"{V2}/requests.json", {"status": "closed"})) == [done]
    both = ids(api.get(f"{V2}/requests.json", {"status": "open,closed"}))
    assert set(both) == {still_open, done}
    assert set(ids(api.get(f"{V2}/requests.json?status=open&status=closed"))) == {still_open, done}


def test_service_code_filter_takes_a_list(api: Client, file_request: File) -> None:
    road = file_request(service_code="road")
    lamp = file_request(service_code="lighting")
    file_request(service_code="trees", **{"attribute[TREE_PROBLEM]": "fallen"})
    assert ids(api.get(f"{V2}/requests.json", {"service_code": "road"})) == [road]
    assert set(ids(api.get(f"{V2}/requests.json", {"service_code": "road,lighting"}))) == {
        road,
        lamp,
    }


def test_service_request_id_list_overrides_the_other_filters(
    api: Client, file_request: File
) -> None:
    old, new, other = file_request(), file_request(service_code="lighting"), file_request()
    aged(old, 400)
    params = {
        "service_request_id": f"{old},{new.lower()}",
        "status": "closed",  # ignored: the ids override every other argument
        "service_code": "trees",
    }
    assert set(ids(api.get(f"{V2}/requests.json", params))) == {old, new}
    assert other not in ids(api.get(f"{V2}/requests.json", params))
    assert ids(api.get(f"{V2}/requests.json", {"service_request_id": "2024-NOPE00"})) == []


def test_at_most_1000_requests_newest_first(api: Client, bma: Agency) -> None:
    now = timezone.now()
    Case.objects.bulk_create(
        Case(
            ticket_id=f"2024-B{i:05d}",
            description="bulk",
            lat=13.75,
            lon=100.5,
            agency=bma,
            created_at=now - timedelta(minutes=i),
            updated_at=now - timedelta(minutes=i),
        )
        for i in range(1001)
    )
    everything = ids(api.get(f"{V2}/requests.json"))
    assert len(everything) == 1000
    assert everything[0] == "2024-B00000" and everything[-1] == "2024-B00999"
    assert ids(api.get(f"{V2}/requests.json", {"page": "2"})) == ["2024-B01000"]
    assert ids(api.get(f"{V2}/requests.json", {"page_size": "3", "page": "2"})) == [
        "2024-B00003",
        "2024-B00004",
        "2024-B00005",
    ]


def test_status_notes_and_dates_follow_the_workflow(
    api: Client, file_request: File, officer: tuple[Officer, str]
) -> None:
    ticket = file_request()
    case = Case.objects.get(ticket_id=ticket)
    do_accept(case, officer[0], "ส่งทีมช่างไปดูแล้ว")
    [item] = json_of(api.get(f"{V2}/requests.json"))
    assert item["status_notes"] == "รับเรื่อง: ส่งทีมช่างไปดูแล้ว"
    do_close(case, officer[0], "done", "ซ่อมเสร็จแล้ว โทร 081-234-5678 ถ้ายังไม่เรียบร้อย")
    [item] = json_of(api.get(f"{V2}/requests.json", {"locale": "en"}))
    case.refresh_from_db()
    assert item["status"] == "closed"
    assert item["status_notes"].startswith("Done: ซ่อมเสร็จแล้ว")
    assert "081-234-5678" not in item["status_notes"]  # masked like every citizen-facing text
    assert (
        item["updated_datetime"]
        == timezone.localtime(case.closed_at).replace(microsecond=0).isoformat()
    )
    assert item["service_notice"] is None


def test_extensions_add_the_detailed_state_agency_and_timeline(
    api: Client, file_request: File, officer: tuple[Officer, str]
) -> None:
    ticket = file_request(service_code="flooding", **{"attribute[WATER_DEPTH]": "knee"})
    do_accept(Case.objects.get(ticket_id=ticket), officer[0], "กำลังสูบน้ำ")
    [plain] = json_of(api.get(f"{V2}/requests.json"))
    assert "extended_attributes" not in plain
    [item] = json_of(api.get(f"{V2}/requests.json", {"extensions": "true"}))
    extended = item["extended_attributes"]
    assert extended["detailed_status"] == "accepted"
    assert extended["detailed_status_name_en"] == "Accepted"
    assert extended["agency"]["code"] == "bma"
    assert extended["interface_used"] == "open311"
    assert extended["url"] == f"http://testserver/t/{ticket}/"
    assert extended["answers"][0]["code"] == "WATER_DEPTH"
    assert extended["answers"][0]["values"] == [{"key": "knee", "name": "หัวเข่า (30-50 ซม.)"}]
    assert [u["kind"] for u in extended["updates"]] == ["created", "accepted"]
    assert extended["updates"][1]["description"] == "กำลังสูบน้ำ"
    assert extended["updates"][1]["status"] == "open"
    root = xml_root(api.get(f"{V2}/requests.xml", {"extensions": "1"}), "service_requests")
    request = root.find("request")
    assert request is not None
    assert children(request) == [*FIELDS, "extended_attributes"]
    updates = request.findall("extended_attributes/updates/update")
    assert [u.findtext("kind") for u in updates] == ["created", "accepted"]
    codes = request.findall("extended_attributes/service_codes/service_code")
    assert [c.text for c in codes] == ["flooding"]


def test_unknown_jurisdiction_is_404(api: Client, db: None) -> None:
    assert_errors(api.get(f"{V2}/requests.json", {"jurisdiction_id": "city.gov"}), 404)


def test_the_number_of_queries_does_not_grow_with_the_requests(
    api: Client,
    file_request: File,
    officer: tuple[Officer, str],
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(12):
        do_accept(Case.objects.get(ticket_id=file_request()), officer[0], "รับแล้ว")
    with django_assert_max_num_queries(6):  # the cases, then one query per relation
        body = json_of(api.get(f"{V2}/requests.json", {"extensions": "true"}))
    assert len(body) == 12


def test_empty_optional_arguments_are_as_if_not_sent(api: Client, file_request: File) -> None:
    """The specification: a parameter passed empty is treated as one not passed at all."""
    file_request()
    empty = dict.fromkeys(
        [
            "service_request_id",
            "service_code",
            "status",
            "start_date",
            "end_date",
            "page",
            "page_size",
            "jurisdiction_id",
            "extensions",
            "locale",
        ],
        "",
    )
    assert api.get(f"{V2}/requests.json", empty).content == api.get(f"{V2}/requests.json").content
