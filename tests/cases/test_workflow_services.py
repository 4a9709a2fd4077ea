"""The workflow and citizen services called directly: what each writes and what each refuses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.cases.errors import Conflict, IllegalTransition, InvalidInput, NotAllowed
from pracha.cases.models import Case, Event, Photo
from pracha.cases.services import citizen, workflow
from pracha.cases.signals import case_event_committed
from pracha.states import State
from pracha.tickets import citizen_token
from tests.factories import make_photo, set_state

Officers = Callable[..., tuple[Officer, str]]


@pytest.fixture
def case(file_case: Callable[..., dict[str, Any]]) -> Case:
    return Case.objects.get(ticket_id=file_case()["ticket_id"])


@pytest.fixture
def me(officer: tuple[Officer, str]) -> Officer:
    return officer[0]


@pytest.fixture
def district(make_agency: Callable[..., Agency]) -> Agency:
    return make_agency("district-bangrak", "สำนักงานเขตบางรัก")


def token(case: Case) -> str:
    return citizen_token(case.ticket_id)


# --- officer actions --------------------------------------------------------------------------


def test_accept_records_who_and_which_agency(case: Case, me: Officer, bma: Agency) -> None:
    me.user.first_name, me.user.last_name = "Somchai", "Jaidee"
    me.user.save()

    event = workflow.do_accept(case, me, "  รับเรื่อง   แล้ว ")

    case.refresh_from_db()
    assert case.state == State.ACCEPTED
    assert event.kind == Event.Kind.ACCEPTED
    assert event.actor == me.user
    assert event.agency == bma
    assert event.actor_label == "Somchai Jaidee (กรุงเทพมหานคร)"
    assert event.note == "รับเรื่อง แล้ว"  # whitespace folded
    assert case.updated_at == event.at


def test_staff_only_comment_is_kept_from_the_public(case: Case, me: Officer) -> None:
    public = workflow.do_comment(case, me, "จะเข้าตรวจสอบพรุ่งนี้")
    private = workflow.do_comment(case, me, "ผู้ร้องโทรมาหลายครั้ง", public=False)

    assert public.is_public and not private.is_public
    assert Case.objects.get(pk=case.pk).state == State.WAITING  # comments move nothing


@pytest.mark.parametrize("note", ["", "   ", "\n\t"])
def test_a_comment_needs_text(case: Case, me: Officer, note: str) -> None:
    with pytest.raises(InvalidInput, match="note must not be empty"):
        workflow.do_comment(case, me, note)


def test_a_note_over_the_limit_is_refused(case: Case, me: Officer) -> None:
    with pytest.raises(InvalidInput, match="the limit is 5000"):
        workflow.do_comment(case, me, "ก" * 5001)
    assert not case.events.filter(kind=Event.Kind.COMMENTED).exists()


def test_unknown_target_state_names_the_states(case: Case, me: Officer) -> None:
    set_state(case.ticket_id, State.ACCEPTED)
    with pytest.raises(InvalidInput, match=r"unknown state 'fixed'.*in_progress") as refused:
        workflow.do_change_state(case, me, "fixed")
    assert refused.value.field == "state"


def test_forward_hands_the_case_over(
    case: Case, me: Officer, bma: Agency, district: Agency
) -> None:
    event = workflow.do_forward(case, me, district, "ถนนในซอยเป็นของเขต")

    case.refresh_from_db()
    assert case.state == State.FORWARDED
    assert case.agency == district
    assert case.forward_count == 1
    assert (event.from_agency, event.to_agency) == (bma, district)
    assert event.note == "ถนนในซอยเป็นของเขต"


def test_forward_needs_a_reason(case: Case, me: Officer, district: Agency) -> None:
    with pytest.raises(InvalidInput, match="reason") as refused:
        workflow.do_forward(case, me, district, "  ")
    assert refused.value.field == "reason"
    assert Case.objects.get(pk=case.pk).agency.code == "bma"


def test_forward_to_the_same_agency_is_refused(case: Case, me: Officer, bma: Agency) -> None:
    with pytest.raises(InvalidInput, match="already with"):
        workflow.do_forward(case, me, bma, "ส่งต่อ")


def test_forward_to_an_inactive_agency_is_refused(
    case: Case, me: Officer, district: Agency
) -> None:
    district.is_active = False
    district.save()
    with pytest.raises(InvalidInput, match="no longer takes cases"):
        workflow.do_forward(case, me, district, "ส่งต่อ")


def test_forwarding_ends_the_old_agencys_access(
    case: Case, me: Officer, district: Agency, make_officer: Officers
) -> None:
    workflow.do_forward(case, me, district, "ของเขต")
    district_officer, _ = make_officer(district)

    with pytest.raises(NotAllowed, match="may act only on its own or shared cases"):
        workflow.do_comment(case, me, "ยังอยู่ไหม")
    workflow.do_accept(case, district_officer)
    assert Case.objects.get(pk=case.pk).state == State.ACCEPTED


def test_forward_to_an_invited_agency_makes_it_responsible(
    case: Case, me: Officer, district: Agency
) -> None:
    workflow.do_invite(case, me, district, "ช่วยตรวจท่อ")
    workflow.do_forward(case, me, district, "เขตรับไปทั้งหมด")

    case.refresh_from_db()
    assert case.agency == district
    assert list(case.co_agencies.all()) == []


def test_invite_shares_without_handing_over(
    case: Case, me: Officer, bma: Agency, district: Agency, make_officer: Officers
) -> None:
    event = workflow.do_invite(case, me, district, "ช่วยตรวจท่อระบายน้ำ")

    case.refresh_from_db()
    assert case.agency == bma
    assert list(case.co_agencies.all()) == [district]
    assert (event.kind, event.to_agency) == (Event.Kind.INVITED, district)
    # The invited agency's officer helps (comments) but does not take the case over.
    guest, _ = make_officer(district)
    workflow.do_comment(case, guest, "เขตจะลอกท่อให้")
    with pytest.raises(NotAllowed, match="invited to help"):
        workflow.do_accept(case, guest)
    assert Case.objects.get(pk=case.pk).state == State.WAITING


def test_invite_twice_or_to_the_owner_is_refused(
    case: Case, me: Officer, bma: Agency, district: Agency
) -> None:
    workflow.do_invite(case, me, district, "ช่วยด้วย")
    with pytest.raises(InvalidInput, match="already works on"):
        workflow.do_invite(case, me, district, "อีกครั้ง")
    with pytest.raises(InvalidInput, match="already works on"):
        workflow.do_invite(case, me, bma, "ตัวเอง")


def test_invite_to_an_inactive_agency_is_refused(case: Case, me: Officer, district: Agency) -> None:
    district.is_active = False
    district.save()
    with pytest.raises(InvalidInput, match="no longer takes cases"):
        workflow.do_invite(case, me, district, "ช่วยด้วย")
    assert not case.co_agencies.exists()


def test_invite_on_a_closed_case_is_refused(case: Case, me: Officer, district: Agency) -> None:
    set_state(case.ticket_id, State.DONE)
    with pytest.raises(IllegalTransition, match="closed"):
        workflow.do_invite(case, me, district, "ช่วยด้วย")


def test_close_done_with_an_after_photo(case: Case, me: Officer) -> None:
    set_state(case.ticket_id, State.IN_PROGRESS)
    photo = make_photo(case, Photo.Kind.AFTER, "https://example.org/a")

    event = workflow.do_close(case, me, State.DONE, "ซ่อมเสร็จแล้ว", photo)

    case.refresh_from_db()
    assert case.state == State.DONE
    assert case.closed_at == event.at
    assert event.photo == photo


def test_close_refuses_a_before_photo_or_anothers_photo(
    case: Case, me: Officer, file_case: Callable[..., dict[str, Any]]
) -> None:
    set_state(case.ticket_id, State.IN_PROGRESS)
    before = make_photo(case, Photo.Kind.BEFORE, "https://example.org/b")
    other = Case.objects.get(ticket_id=file_case()["ticket_id"])
    foreign = make_photo(other, Photo.Kind.AFTER, "https://example.org/c")

    for photo in (before, foreign):
        with pytest.raises(InvalidInput, match="after-photo") as refused:
            workflow.do_close(case, me, State.DONE, "", photo)
        assert refused.value.field == "photo_id"
    assert Case.objects.get(pk=case.pk).state == State.IN_PROGRESS


def test_close_as_irrelevant_needs_a_reason(case: Case, me: Officer) -> None:
    with pytest.raises(InvalidInput, match="reason is required") as refused:
        workflow.do_close(case, me, State.IRRELEVANT, " ")
    assert refused.value.field == "note"
    workflow.do_close(case, me, State.IRRELEVANT, "เป็นพื้นที่เอกชน")
    assert Case.objects.get(pk=case.pk).state == State.IRRELEVANT


@pytest.mark.parametrize("outcome", ["finished", "waiting", "accepted", ""])
def test_close_with_an_unknown_outcome(case: Case, me: Officer, outcome: str) -> None:
    with pytest.raises(InvalidInput, match="outcome must be 'done' or 'irrelevant'"):
        workflow.do_close(case, me, outcome, "x")


def test_events_are_announced_only_after_commit(
    case: Case, me: Officer, django_capture_on_commit_callbacks: Any
) -> None:
    heard: list[int] = []

    def listener(sender: object, case_id: int, event_id: int, **_: object) -> None:
        heard.append(event_id)

    case_event_committed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            event = workflow.do_accept(case, me)
        assert heard == []  # nothing yet: the transaction has not committed
        for callback in callbacks:
            callback()
        assert heard == [event.pk]
    finally:
        case_event_committed.disconnect(listener)


# --- citizen actions --------------------------------------------------------------------------


def test_rate_once_per_closing(case: Case, me: Officer) -> None:
    set_state(case.ticket_id, State.DONE)
    event = citizen.do_rate(case, 4, token(case), "เร็วมาก")
    assert (event.kind, event.stars, event.note) == (Event.Kind.RATED, 4, "เร็วมาก")
    with pytest.raises(Conflict, match="already been rated"):
        citizen.do_rate(case, 5, token(case))

    citizen.do_reopen(case, "กลับมาเป็นอีก", token(case))
    workflow.do_accept(case, me)
    workflow.do_close(case, me, State.DONE, "ซ่อมใหม่")
    citizen.do_rate(case, 2, token(case))

    case.refresh_from_db()
    assert case.stars == 2
    assert list(case.events.filter(kind=Event.Kind.RATED).values_list("stars", flat=True)) == [
        4,
        2,
    ]


@pytest.mark.parametrize("stars", [0, 6, -1, True, 3.0, "5", None])
def test_rate_accepts_only_whole_stars_one_to_five(case: Case, stars: Any) -> None:
    set_state(case.ticket_id, State.DONE)
    with pytest.raises(InvalidInput, match="from 1 to 5"):
        citizen.do_rate(case, stars, token(case))


def test_rate_needs_the_reporters_token(case: Case) -> None:
    set_state(case.ticket_id, State.DONE)
    for wrong in (None, "", "0" * 32, citizen_token("2026-OTHER1")):
        with pytest.raises(NotAllowed, match="citizen_token"):
            citizen.do_rate(case, 5, wrong)
    assert Case.objects.get(pk=case.pk).stars is None


def test_rate_an_open_case_is_refused(case: Case) -> None:
    with pytest.raises(IllegalTransition, match="once it is closed"):
        citizen.do_rate(case, 5, token(case))


def test_reopen_within_the_window(case: Case) -> None:
    set_state(case.ticket_id, State.DONE, closed_at=timezone.now() - timedelta(days=29))
    event = citizen.do_reopen(case, "ยังมีหลุมอยู่", token(case))

    case.refresh_from_db()
    assert (case.state, case.closed_at, case.reopen_count) == (State.WAITING, None, 1)
    assert (event.from_state, event.to_state, event.note) == ("done", "waiting", "ยังมีหลุมอยู่")


def test_reopen_after_the_window_is_refused(case: Case) -> None:
    set_state(case.ticket_id, State.DONE, closed_at=timezone.now() - timedelta(days=31))
    with pytest.raises(IllegalTransition, match="more than 30 days ago; file a new report"):
        citizen.do_reopen(case, "ยังมีหลุมอยู่", token(case))
    assert Case.objects.get(pk=case.pk).state == State.DONE


def test_reopen_window_follows_the_setting(case: Case, pracha: Callable[..., None]) -> None:
    pracha(reopen_days=3)
    set_state(case.ticket_id, State.IRRELEVANT, closed_at=timezone.now() - timedelta(days=4))
    with pytest.raises(IllegalTransition, match="more than 3 days"):
        citizen.do_reopen(case, "ไม่เห็นด้วย", token(case))


def test_reopen_needs_a_reason_and_the_token(case: Case) -> None:
    set_state(case.ticket_id, State.DONE)
    with pytest.raises(InvalidInput, match="reason must not be empty"):
        citizen.do_reopen(case, "   ", token(case))
    with pytest.raises(NotAllowed):
        citizen.do_reopen(case, "ยังไม่เสร็จ", "not-the-token")
    assert Case.objects.get(pk=case.pk).reopen_count == 0


def test_me_too_counts_and_is_refused_once_closed(case: Case) -> None:
    citizen.do_me_too(case, "device:a")
    result = citizen.do_me_too(case, "device:b")
    assert result.event is not None and result.event.kind == Event.Kind.ME_TOO
    assert not result.already and result.case.me_too_count == 2
    repeat = citizen.do_me_too(case, "device:b")
    assert repeat.already and repeat.event is None
    assert Case.objects.get(pk=case.pk).me_too_count == 2

    set_state(case.ticket_id, State.IRRELEVANT)
    with pytest.raises(IllegalTransition, match="closed"):
        citizen.do_me_too(case)
    assert Case.objects.get(pk=case.pk).me_too_count == 2
