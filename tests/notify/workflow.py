"""A case's whole life through the services, for the webhook tests: every kind of event."""

from __future__ import annotations

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case
from pracha.cases.services.citizen import do_me_too, do_rate, do_reopen
from pracha.cases.services.workflow import (
    do_accept,
    do_change_state,
    do_close,
    do_comment,
    do_forward,
)
from pracha.intake.services import NewCase, Reporter, do_create_case
from pracha.tickets import citizen_token

REPORTER = Reporter(name="Malee Wongsawat", phone="0812223344", email="malee.w@example.net")

# Event types the life below produces, in order.
LIFE_EVENTS = [
    "case.created",
    "case.state_changed",  # accepted
    "case.commented",  # the staff-only comment is not sent
    "case.forwarded",
    "case.state_changed",  # accepted by the second agency
    "case.state_changed",  # in progress
    "case.closed",
    "case.reopened",
    "case.state_changed",  # accepted again
    "case.closed",
]


def new_case(description: str = "ท่อระบายน้ำอุดตัน น้ำเอ่อล้นถนน") -> Case:
    case, _ = do_create_case(
        NewCase(
            description=description,
            lat=13.7563,
            lon=100.5018,
            categories=["drains"],
            reporter=REPORTER,
        )
    )
    return case


def live(case: Case, city: Officer, drainage: Officer) -> Case:
    """Accept, me-too, comment, forward, work, close, get rated, reopen, close again."""
    do_accept(case, city, "รับเรื่องแล้ว")
    do_me_too(case)
    do_comment(case, city, "ส่งทีมสำรวจ", public=True)
    do_comment(case, city, "เบอร์ผู้แจ้ง 0812223344 โทรกลับด้วย", public=False)
    do_forward(case, city, drainage.agency, "เป็นงานท่อระบายน้ำ")
    do_accept(case, drainage)
    do_change_state(case, drainage, "in_progress", "ลอกท่อ")
    do_close(case, drainage, "done", "ลอกท่อเสร็จ")
    do_rate(case, 2, citizen_token(case.ticket_id), "ยังท่วมอยู่")
    do_reopen(case, "ฝนตกแล้วน้ำยังท่วม", citizen_token(case.ticket_id))
    do_accept(case, drainage, "จะลอกท่อใหม่")
    do_close(case, drainage, "done", "ลอกท่อรอบสอง")
    case.refresh_from_db()
    return case


def drainage_agency(make_agency: object) -> Agency:
    return make_agency("bma-dds-test", "สำนักการระบายน้ำ (ทดสอบ)", name_en="Drainage test")  # type: ignore[operator]
