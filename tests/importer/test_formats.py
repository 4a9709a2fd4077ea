"""One test per shipped export format, each importing a slice of real rows (see fixtures/)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from pracha.agencies.models import Agency
from pracha.cases.models import Case, Event, Photo
from pracha.traffy.dates import BANGKOK
from tests.importer.conftest import Output

pytestmark = pytest.mark.django_db

Run = Callable[..., Output]


def case(ticket_id: str) -> Case:
    return Case.objects.select_related("agency").get(ticket_id=ticket_id)


def codes(c: Case) -> set[str]:
    return set(c.categories.values_list("code", flat=True))


def co_names(c: Case) -> set[str]:
    return set(c.co_agencies.values_list("name_th", flat=True))


def kinds(c: Case) -> list[str]:
    return list(c.events.order_by("at", "id").values_list("kind", flat=True))


def test_dump_2022(run_import: Run) -> None:
    out = run_import("dump_2022.csv")
    assert "20 rows read, 20 imported, 0 already present, 0 bad" in out.out
    assert Case.objects.filter(source=Case.Source.TRAFFY).count() == 20

    first = case("2022-6DXD4Q")
    assert (first.lat, first.lon) == (13.74036, 100.56471)  # coords are "lon,lat"
    assert first.created_at == datetime(2022, 5, 29, 10, 9, 47, 307077, tzinfo=UTC)
    assert timezone.is_aware(first.created_at)
    assert first.state == "done"
    assert first.closed_at == first.created_at  # the 2022 dump has no last_activity
    assert codes(first) == {"obstruction", "cleanliness"}
    assert first.source_labels == "กีดขวาง,ความสะอาด"
    assert (first.district, first.subdistrict, first.province) == (
        "วัฒนา",
        "คลองเตยเหนือ",
        "กรุงเทพมหานคร",
    )
    assert first.agency is not None and first.agency.code == "bma"
    assert first.reopen_count == 1
    assert sorted(first.photos.values_list("kind", flat=True)) == ["after", "before"]
    assert first.photos.get(kind="before").url.startswith("https://storage.googleapis.com/")
    assert kinds(first) == ["created", "closed"]

    assert case("2022-C4ZY6F").state == "waiting"  # empty state
    assert case("2022-HBKGHQ").state == "irrelevant"
    forwarded = case("2022-GE6MMZ")
    assert forwarded.state == "forwarded"
    assert forwarded.agency is not None and forwarded.agency.name_th == "สำนักการโยธา กทม."
    assert forwarded.stars == 1 and forwarded.rated_at is not None
    assert kinds(forwarded) == ["created", "state_changed", "rated"]
    assert forwarded.events.get(kind="rated").stars == 1

    rated = case("2022-6XH9DR")
    assert rated.stars == 5 and codes(rated) == set() and rated.source_labels == ""
    # Only a channel named (เพื่อนชัชชาติ): the city's default desk holds it.
    channel = case("2022-DQ2ATN")
    assert channel.agency is not None and channel.agency.code == "bma"
    assert channel.province == "นนทบุรี"
    abroad = case("2022-77WXEE")  # a point in Germany, kept as sent
    assert (abroad.lat, abroad.lon) == (50.58907, 8.65468)


def test_dump_2023_05_agencies_from_organisation_list(run_import: Run) -> None:
    run_import("dump_2023_05.csv")
    assert Case.objects.count() == 20

    short = case("2023-FPZ828")  # "FPZ828" in the file: the year of its timestamp prefixed
    assert short.created_at.year == 2023
    assert not Case.objects.filter(ticket_id="FPZ828").exists()

    flood = case("2023-9GNPH2")
    assert flood.state == "in_progress"
    assert flood.updated_at == datetime(2023, 5, 13, 6, 47, 1, 232230, tzinfo=UTC)
    # The unit of the district is more specific than the district office.
    assert flood.agency is not None and flood.agency.name_th == "พนักงานกวาด เขตบางพลัด"
    assert flood.agency.kind == Agency.Kind.UNIT and flood.agency.district == "บางพลัด"
    assert co_names(flood) == {"เขตบางพลัด"}
    assert kinds(flood) == ["created", "state_changed"]
    assert flood.events.get(kind="state_changed").to_state == "in_progress"

    police = case("2023-TDY74X")
    assert police.agency is not None and police.agency.name_th == "เขตบางรัก"
    assert "สน.ยานนาวา" in co_names(police)
    assert police.closed_at == datetime(2023, 5, 13, 1, 43, 58, 734747, tzinfo=UTC)
    assert kinds(police) == ["created", "closed", "rated"]

    assert case("2023-CNAV63").state == "following_up"
    assert Agency.objects.get(name_th="เขตวังทองหลาง").kind == Agency.Kind.DISTRICT_OFFICE


def test_api_csv_forwarding_notes(run_import: Run) -> None:
    out = run_import("api_2023_05.csv")
    assert "21 rows read, 21 imported" in out.out
    assert re.search(r"agencies created: [1-9]", out.out)  # the forward targets

    first = case("2023-BARNRK")
    assert (first.lat, first.lon) == (13.71297, 100.46882)  # "['lon', 'lat']"
    assert (first.district, first.subdistrict) == ("ธนบุรี", "ตลาดพลู")  # from the address
    assert first.province == "กรุงเทพมหานคร"
    assert first.source_labels == "" and codes(first) == set()
    assert kinds(first) == ["created"]

    forwarded = case("2023-L2TJLL")
    assert forwarded.state == "forwarded"
    assert forwarded.forward_count == 1
    target = "การไฟฟ้านครหลวง เขตมีนบุรี"
    assert forwarded.agency is not None and forwarded.agency.name_th == target
    assert forwarded.agency.kind == Agency.Kind.EXTERNAL  # created from the note
    event = forwarded.events.get(kind=Event.Kind.FORWARDED)
    assert event.from_agency is not None and event.from_agency.name_th == "เขตหนองจอก"
    assert event.to_agency == forwarded.agency
    assert event.note == "เขตหนองจอก ส่งต่อไปยัง การไฟฟ้านครหลวง เขตมีนบุรี"
    created = forwarded.events.get(kind=Event.Kind.CREATED)
    assert created.actor_label == "Traffy Fondue" and created.to_agency == event.from_agency
    assert kinds(forwarded) == ["created", "forwarded", "state_changed"]

    chained = case("2023-CHAIN2")  # hand-made: two forwards in one note
    assert chained.forward_count == 2
    hops = chained.events.filter(kind=Event.Kind.FORWARDED).order_by("at", "id")
    assert [(e.from_agency.name_th, e.to_agency.name_th) for e in hops] == [
        ("เขตบางซื่อ", "สำนักการโยธา กทม."),
        ("สำนักการโยธา กทม.", "การไฟฟ้านครหลวง MEA"),
    ]
    assert chained.agency is not None and chained.agency.code == "mea"

    # "ส่งต่อผิดเรื่อง" (forwarded by mistake) is prose, not a forward.
    assert case("2023-KAGUQN").forward_count == 0
    assert Event.objects.filter(kind=Event.Kind.FORWARDED).count() == 7 + 2
    assert sum(Case.objects.values_list("forward_count", flat=True)) == 7 + 2

    done = case("2023-EDMHWX")
    assert done.state == "done" and done.stars == 5
    assert done.closed_at == datetime(2023, 5, 16, 7, 10, 31, 687078, tzinfo=UTC)
    assert case("2023-HUHM7N").source_labels == "ทางเท้า,สายไฟ"
    assert codes(case("2023-HUHM7N")) == {"sidewalk", "wires"}


def test_dump_lonlat_2023_06_month_first_local_times(run_import: Run) -> None:
    run_import("dump_lonlat_2023_06.csv")
    assert Case.objects.count() == 20

    noise = case("2023-2A7YNR")  # "2A7YNR" in the file
    assert noise.created_at == datetime(2023, 6, 11, 20, 1, tzinfo=BANGKOK)  # "6/11/2023 20:01"
    assert (noise.lat, noise.lon) == (13.74947, 100.54485)
    assert "\n" in noise.description  # a multi-line field, intact
    assert codes(noise) == {"noise", "road"}

    done = case("2023-6929F4")
    assert done.created_at == datetime(2023, 6, 11, 9, 28, tzinfo=BANGKOK)  # "6/11/2023 9:28"
    assert done.closed_at == datetime(2023, 6, 11, 13, 20, tzinfo=BANGKOK)
    assert done.state == "done" and done.stars == 5
    assert done.agency is not None and done.agency.name_th == "ฝ่ายเทศกิจ เขตบางขุนเทียน"


def test_export_2023_11_swapped_columns_and_machine_states(run_import: Run) -> None:
    run_import("export_2023_11.csv")
    assert Case.objects.count() == 20
    for lat, lon in Case.objects.values_list("lat", "lon"):
        assert 13.5 < lat < 14.0 and 100.3 < lon < 100.9  # Latitute holds the longitude

    first = case("2023-G7DEV8")
    assert (first.lat, first.lon) == (13.75458, 100.49385)
    assert first.created_at == datetime(2023, 11, 28, 21, 1, tzinfo=BANGKOK)  # day/month/year
    assert first.state == "waiting"  # "start"
    assert first.agency is not None and first.agency.name_th == "เขตพระนคร"
    assert co_names(first) == set()  # the city and the channel are not co-agencies

    states = set(Case.objects.values_list("state", flat=True))
    assert states == {"waiting", "forwarded", "done", "irrelevant", "following_up"}

    rated = case("2023-8UTVKW")
    assert rated.closed_at == datetime(2023, 11, 28, 15, 35, tzinfo=BANGKOK)  # finished
    assert rated.updated_at == datetime(2023, 11, 28, 16, 42, tzinfo=BANGKOK)  # last activity
    assert rated.agency is not None and rated.agency.name_th == "ฝ่ายโยธา เขตบางนา"
    assert kinds(rated) == ["created", "closed", "rated"]
    closed = rated.events.get(kind=Event.Kind.CLOSED)
    assert closed.to_state == "done" and closed.at == rated.closed_at

    # Agencies named only in organization_action are created too.
    assert Agency.objects.filter(name_th="การเคหะแห่งชาติ").exists()
    via_1555 = case("2023-YT4MTT").agency  # the 1555 hotline is named, the district acted
    assert via_1555 is not None and via_1555.name_th == "เขตจตุจักร"
    assert case("2023-JMGZE6").state == "irrelevant"


def test_pending_2024_buddhist_era_dates(run_import: Run) -> None:
    run_import("pending_2024.csv")
    assert Case.objects.count() == 19
    assert set(Case.objects.values_list("state", flat=True)) == {"waiting"}

    first = case("2024-8AWA2A")
    assert first.created_at == datetime(2024, 12, 6, 13, 13, tzinfo=BANGKOK)  # 6 ธ.ค. 67
    assert (first.lat, first.lon) == (None, None)
    assert (first.district, first.subdistrict) == ("ยานนาวา", "ช่องนนทรี")
    assert first.agency is not None and first.agency.name_th == "เขตยานนาวา"
    assert kinds(first) == ["created"]

    dashed = case("2024-83HN9G")
    assert dashed.created_at == datetime(2024, 12, 3, 9, 0, tzinfo=BANGKOK)  # 3-ธ.ค.-67

    reopened = case("2024-LU9YDN")  # "LU9YDN" in the file
    assert reopened.created_at == datetime(2024, 12, 2, 15, 56, tzinfo=BANGKOK)
    assert reopened.updated_at == datetime(2024, 12, 6, 11, 27, tzinfo=BANGKOK)

    assert codes(case("2024-6PFZ7Q")) == {"traffic"}  # ผิดกฎจราจร, a 2024 name
    other = case("2024-FWQ82C")
    assert other.source_labels == "อื่นๆ" and codes(other) == set()  # kept, not mapped
    # The address names only the khwaeng; the district office gives the district.
    assert case("2024-DNQ6Z2").district == "ประเวศ"
    assert not Photo.objects.exists()
