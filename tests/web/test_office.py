"""The officer back office: sign-in, the inbox, the case page and its workflow actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case, Photo
from pracha.cases.services.workflow import do_accept, do_close, do_invite
from tests.factories import PASSWORD
from tests.helpers import english, page_text, photo

pytestmark = pytest.mark.django_db
SignIn = Callable[..., tuple[Client, Officer]]


def test_the_inbox_needs_a_sign_in() -> None:
    response = Client().get("/office/")
    assert response.status_code == 302
    assert response["Location"] == "/office/login/?next=/office/"


def test_the_sign_in_page_is_in_thai_and_signs_in(
    make_officer: Callable[..., tuple[Officer, str]], bma: Agency
) -> None:
    make_officer(bma, "somchai")
    client = Client()
    page = client.get("/office/login/")
    assert "เข้าสู่ระบบเจ้าหน้าที่" in page_text(page)
    wrong = client.post("/office/login/", {"username": "somchai", "password": "nope"})
    assert wrong.status_code == 200
    assert "somchai" in wrong.content.decode()  # the user name is kept
    response = client.post("/office/login/", {"username": "somchai", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/office/"


def test_a_user_without_an_agency_is_told_why(db: None) -> None:
    user = get_user_model().objects.create_user("admin-only", password=PASSWORD)
    client = english(Client())
    client.force_login(user)
    response = client.get("/office/")
    assert response.status_code == 403
    assert "not linked to an agency" in page_text(response)


def test_the_inbox_lists_only_the_agencys_cases_oldest_first(
    make_case: Callable[..., Case], make_agency: Callable[..., Agency], officer_client: SignIn
) -> None:
    first = make_case("เรื่องแรก ไฟดับ")
    second = make_case("เรื่องที่สอง ถนนพัง")
    elsewhere = make_case("เรื่องของหน่วยงานอื่น")
    other = make_agency("other-office")
    Case.objects.filter(pk=elsewhere.pk).update(agency=other)
    client, _officer = officer_client(first.agency)
    text = page_text(client.get("/office/"))
    assert first.ticket_id in text and second.ticket_id in text
    assert elsewhere.ticket_id not in text
    assert text.index(first.ticket_id) < text.index(second.ticket_id)
    newest = page_text(client.get("/office/?sort=newest"))
    assert newest.index(second.ticket_id) < newest.index(first.ticket_id)


def test_invited_cases_are_in_the_inbox_too(
    make_case: Callable[..., Case],
    make_agency: Callable[..., Agency],
    make_officer: Callable[..., tuple[Officer, str]],
    officer_client: SignIn,
) -> None:
    case = make_case()
    owner, _ = make_officer(case.agency)
    helper = make_agency("helper-office")
    do_invite(case, owner, helper, "ต้องตัดต้นไม้ก่อน")
    client, _ = officer_client(helper)
    assert case.ticket_id in page_text(client.get("/office/?shared=1"))


def test_inbox_pages_do_not_repeat_or_skip(
    make_case: Callable[..., Case], officer_client: SignIn
) -> None:
    cases = [make_case(f"เรื่องที่ {i}") for i in range(30)]
    client, _ = officer_client(cases[0].agency)
    first = client.get("/office/")
    html = first.content.decode()
    seen_first = [c.ticket_id for c in cases if c.ticket_id in html]
    assert len(seen_first) == 25
    next_link = first.context["page"].next_cursor
    second = client.get(f"/office/?after={next_link}").content.decode()
    seen_second = [c.ticket_id for c in cases if c.ticket_id in second]
    assert len(seen_second) == 5
    assert not set(seen_first) & set(seen_second)
    assert first.context["total"] == 30


def test_an_unknown_filter_is_explained_not_a_crash(
    make_case: Callable[..., Case], officer_client: SignIn
) -> None:
    client, _ = officer_client(make_case().agency)
    response = english(client).get("/office/?category=no-such-thing")
    assert response.status_code == 400
    assert "does not match anything we know" in page_text(response)


def test_accept_comment_and_change_state_from_the_case_page(
    make_case: Callable[..., Case], officer_client: SignIn
) -> None:
    case = make_case()
    client, _ = officer_client(case.agency)
    url = f"/office/case/{case.ticket_id}/"
    assert "รับเรื่อง" in page_text(client.get(url))
    client.post(url + "accept/", {"note": ""})
    client.post(url + "comment/", {"note": "นัดช่างแล้ว", "visibility": "staff"})
    client.post(url + "state/", {"state": "in_progress", "note": "เริ่มซ่อม"})
    case.refresh_from_db()
    assert case.state == "in_progress"
    office = page_text(client.get(url))
    assert "นัดช่างแล้ว" in office and "เฉพาะเจ้าหน้าที่" in office
    assert "นัดช่างแล้ว" not in page_text(Client().get(f"/t/{case.ticket_id}/"))


def test_forwarding_without_a_reason_keeps_the_choice_and_explains(
    make_case: Callable[..., Case], make_agency: Callable[..., Agency], officer_client: SignIn
) -> None:
    case = make_case()
    target = make_agency("works-dept", "สำนักการโยธา ทดสอบ")
    client, _ = officer_client(case.agency)
    url = f"/office/case/{case.ticket_id}/forward/"
    response = client.post(url, {"agency": target.code, "reason": " "})
    assert response.status_code == 400
    assert "reason" in page_text(response)
    assert f'value="{target.code}" selected' in response.content.decode()
    client.post(url, {"agency": target.code, "reason": "ถนนสายหลัก"})
    case.refresh_from_db()
    assert case.agency == target
    assert case.state == "forwarded"


def test_another_agency_may_read_but_not_act(
    make_case: Callable[..., Case], make_agency: Callable[..., Agency], officer_client: SignIn
) -> None:
    case = make_case()
    client, _ = officer_client(make_agency("stranger"))
    page = english(client).get(f"/office/case/{case.ticket_id}/")
    assert page.status_code == 200
    assert "You can read it, but only that agency" in page_text(page)
    refused = client.post(f"/office/case/{case.ticket_id}/accept/")
    assert refused.status_code == 403
    case.refresh_from_db()
    assert case.state == "waiting"


def test_closing_with_an_after_photo(
    make_case: Callable[..., Case], officer_client: SignIn
) -> None:
    case = make_case()
    client, _ = officer_client(case.agency)
    url = f"/office/case/{case.ticket_id}/"
    client.post(url + "accept/")
    response = client.post(
        url + "close/", {"outcome": "done", "note": "ซ่อมเสร็จแล้ว", "photo": photo("after.png")}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "done"
    after = case.photos.get(kind=Photo.Kind.AFTER)
    public = Client().get(f"/t/{case.ticket_id}/")
    assert after.public_url in public.content.decode()
    assert "หลังแก้ไข" in page_text(public)


def test_a_refused_close_stores_no_photo(
    make_case: Callable[..., Case], officer_client: SignIn
) -> None:
    case = make_case()
    client, _ = officer_client(case.agency)
    url = f"/office/case/{case.ticket_id}/close/"
    # Not relevant needs a reason; the photo must not be kept when the close is refused.
    response = client.post(url, {"outcome": "irrelevant", "note": "", "photo": photo()})
    assert response.status_code == 400
    assert not case.photos.exists()
    client.post(f"/office/case/{case.ticket_id}/accept/")
    not_image = client.post(
        url, {"outcome": "done", "photo": photo("x.txt", b"hello", "text/plain")}
    )
    assert not_image.status_code == 415
    case.refresh_from_db()
    assert case.state == "accepted"


def test_bulk_accept_and_close_many_similar_reports(
    make_case: Callable[..., Case], officer_client: SignIn
) -> None:
    cases = [make_case(f"ไฟดับซอยเดียวกัน {i}") for i in range(3)]
    client, _ = officer_client(cases[0].agency)
    tickets = [c.ticket_id for c in cases]
    response = client.post(
        "/office/bulk/",
        {"tickets": tickets, "action": "accept", "note": "", "next": "/office/?state=open"},
    )
    assert response["Location"] == "/office/?state=open"
    assert set(Case.objects.values_list("state", flat=True)) == {"accepted"}
    client.post(
        "/office/bulk/", {"tickets": tickets, "action": "close_done", "note": "เปลี่ยนหลอดแล้ว"}
    )
    assert set(Case.objects.values_list("state", flat=True)) == {"done"}
    assert all("เปลี่ยนหลอดแล้ว" in page_text(Client().get(f"/t/{t}/")) for t in tickets)


def test_bulk_reports_what_could_not_be_done(
    make_case: Callable[..., Case], make_agency: Callable[..., Agency], officer_client: SignIn
) -> None:
    mine = make_case()
    theirs = make_case()
    Case.objects.filter(pk=theirs.pk).update(agency=make_agency("someone-else"))
    client, _ = officer_client(mine.agency)
    response = english(client).post(
        "/office/bulk/",
        {"tickets": [mine.ticket_id, theirs.ticket_id, "2025-NOPE99"], "action": "accept"},
        follow=True,
    )
    text = page_text(response)
    assert f"Done for 1 cases: {mine.ticket_id}" in text
    assert "Not done for 2 cases" in text and "2025-NOPE99" in text


def test_bulk_acts_on_short_ids_and_names_unknown_and_ambiguous_ones(
    make_case: Callable[..., Case], officer_client: SignIn
) -> None:
    short, twice_a, twice_b = make_case(), make_case(), make_case()
    Case.objects.filter(pk=short.pk).update(ticket_id="2025-SHRT01")
    Case.objects.filter(pk=twice_a.pk).update(ticket_id="2024-TWICE1")
    Case.objects.filter(pk=twice_b.pk).update(ticket_id="2025-TWICE1")
    client, _ = officer_client(short.agency)
    response = english(client).post(
        "/office/bulk/",
        {"tickets": ["shrt01", "TWICE1", "NOPE99"], "action": "accept"},
        follow=True,
    )
    text = page_text(response)
    assert "Done for 1 cases: 2025-SHRT01" in text
    assert "Not done for 2 cases" in text
    assert "TWICE1: several cases have this number; use the full id" in text
    assert "NOPE99: no such case" in text
    states = dict(Case.objects.values_list("ticket_id", "state"))
    assert states == {"2025-SHRT01": "accepted", "2024-TWICE1": "waiting", "2025-TWICE1": "waiting"}


def test_bulk_forward_needs_an_agency_and_a_selection(
    make_case: Callable[..., Case], officer_client: SignIn
) -> None:
    case = make_case()
    client, _ = officer_client(case.agency)
    nothing = english(client).post("/office/bulk/", {"action": "accept"}, follow=True)
    assert "Tick the cases to act on first" in page_text(nothing)
    no_agency = client.post(
        "/office/bulk/", {"tickets": [case.ticket_id], "action": "forward"}, follow=True
    )
    assert "Choose the agency" in page_text(no_agency)
    case.refresh_from_db()
    assert case.state == "waiting"


def test_bulk_never_redirects_off_site(
    make_case: Callable[..., Case], officer_client: SignIn
) -> None:
    case = make_case()
    client, _ = officer_client(case.agency)
    response = client.post(
        "/office/bulk/",
        {"tickets": [case.ticket_id], "action": "accept", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/office/"


# --- inbox dead ends (issue 23.9) --------------------------------------------------------------


def _close(case: Case, officer: Officer) -> None:
    do_accept(Case.objects.get(pk=case.pk), officer)
    do_close(Case.objects.get(pk=case.pk), officer, "done", "ซ่อมแล้ว")


def test_a_search_hidden_by_the_open_filter_says_so_and_links_to_it(
    make_case: Callable[..., Case], officer_client: SignIn
) -> None:
    case = make_case("ท่อระบายน้ำอุดตันหน้าตลาดสด")
    client, officer = officer_client(case.agency)
    _close(case, officer)
    response = english(client).get("/office/?q=ตลาดสด")
    assert response.status_code == 200
    assert response.context["page"].items == []
    text = page_text(response)
    assert "1 closed case also matches your search, hidden by this filter." in text
    link = response.context["hidden"].href
    assert "state=all" in link and "q=" in link
    shown = client.get("/office/" + link)
    assert case.ticket_id in page_text(shown)
    assert shown.context["hidden"] is None  # nothing more is hidden once it is shown


def test_nothing_is_said_when_the_filter_hides_nothing(
    make_case: Callable[..., Case], officer_client: SignIn
) -> None:
    case = make_case("ท่อระบายน้ำอุดตันหน้าตลาดสด")
    client, _ = officer_client(case.agency)
    response = client.get("/office/?q=ตลาดสด")
    assert case.ticket_id in page_text(response)
    assert response.context["hidden"] is None
    assert 'data-testid="hidden-matches"' not in response.content.decode()
    assert client.get("/office/?q=ไม่มีคำนี้เลย").context["hidden"] is None


def test_a_ticket_id_finds_its_case_whatever_the_filter(
    make_case: Callable[..., Case], officer_client: SignIn
) -> None:
    case = make_case()
    client, officer = officer_client(case.agency)
    _close(case, officer)
    short = case.ticket_id.split("-", 1)[1]
    for typed in (case.ticket_id, short.lower(), f"  {short} "):
        response = english(client).get("/office/", {"q": typed, "state": "waiting"})
        assert response.status_code == 200
        assert [c.ticket_id for c in response.context["page"].items] == [case.ticket_id]
        assert "shown whatever the filters say" in page_text(response)


def test_another_agencys_ticket_id_is_named_not_a_dead_end(
    make_case: Callable[..., Case], make_agency: Callable[..., Agency], officer_client: SignIn
) -> None:
    case = make_case()
    client, _ = officer_client(make_agency("elsewhere-office", "สำนักงานอื่น"))
    response = english(client).get("/office/", {"q": case.ticket_id})
    assert response.context["page"].items == []
    text = page_text(response)
    assert f"Ticket {case.ticket_id} is not in this inbox" in text
    assert f'href="/office/case/{case.ticket_id}/"' in response.content.decode()
    # Words that merely look like an id (no such ticket) say nothing of the sort.
    assert english(client).get("/office/?q=ZZZ999").context["ticket_elsewhere"] is None


def test_the_invited_tab_counts_and_lists_only_cases_we_help_with(
    make_case: Callable[..., Case],
    make_agency: Callable[..., Agency],
    make_officer: Callable[..., tuple[Officer, str]],
    officer_client: SignIn,
) -> None:
    helper = make_agency("helper-office", "หน่วยช่วย")
    invited = make_case("ต้นไม้ล้มขวางถนน")
    owner, _ = make_officer(invited.agency)
    do_invite(invited, owner, helper, "ช่วยตัดต้นไม้")
    own = make_case("ไฟดับหน้าบ้าน")
    Case.objects.filter(pk=own.pk).update(agency=helper)
    # Invited and also responsible (forwarded to us later): ours, not "invited".
    both = make_case("ถนนทรุด")
    do_invite(both, owner, helper, "ช่วยดู")
    Case.objects.filter(pk=both.pk).update(agency=helper)
    client, _ = officer_client(helper)
    response = english(client).get("/office/")
    assert response.context["invited_count"] == 1
    assert "Invited (1)" in page_text(response)
    tab = english(client).get("/office/?shared=1")
    assert [c.ticket_id for c in tab.context["page"].items] == [invited.ticket_id]
    assert 'class="tag is-current" href="?shared=1"' in tab.content.decode()


def test_the_inbox_says_a_cases_age_in_the_readers_language(
    make_case: Callable[..., Case], officer_client: SignIn
) -> None:
    old = make_case("เรื่องเก่า ทางเท้าพัง")
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=1290))
    client, _officer = officer_client(old.agency)
    thai = page_text(client.get("/office/"))
    assert "3 ปี 6 เดือน" in thai
    assert "year" not in thai and "month" not in thai
    english_text = page_text(english(client).get("/office/"))
    assert "3 years 6 months" in english_text
