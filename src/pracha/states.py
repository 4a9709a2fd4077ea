"""Case states (Traffy Fondue's public vocabulary) and the one table of allowed transitions."""

from __future__ import annotations

from django.db import models


class State(models.TextChoices):
    WAITING = "waiting", "รอรับเรื่อง"
    ACCEPTED = "accepted", "รับเรื่อง"
    IN_PROGRESS = "in_progress", "กำลังดำเนินการ"
    FORWARDED = "forwarded", "ส่งต่อ"
    STUDYING = "studying", "ศึกษาปัญหา"
    BUDGET_REQUEST = "budget_request", "ของบประมาณ"
    PROCUREMENT = "procurement", "จัดซื้อจัดจ้าง"
    FOLLOWING_UP = "following_up", "ติดตามเรื่อง"
    POLICY = "policy", "จัดทำนโยบาย"
    DONE = "done", "เสร็จสิ้น"
    IRRELEVANT = "irrelevant", "ไม่เกี่ยวข้อง"


STATE_NAMES_EN = {
    State.WAITING: "Waiting",
    State.ACCEPTED: "Accepted",
    State.IN_PROGRESS: "In progress",
    State.FORWARDED: "Forwarded",
    State.STUDYING: "Studying the problem",
    State.BUDGET_REQUEST: "Budget requested",
    State.PROCUREMENT: "Procurement",
    State.FOLLOWING_UP: "Following up",
    State.POLICY: "Policy making",
    State.DONE: "Done",
    State.IRRELEVANT: "Not relevant",
}

CLOSED_STATES = frozenset({State.DONE, State.IRRELEVANT})
OPEN_STATES = frozenset(State) - CLOSED_STATES

# States an officer moves a case through while working on it.
WORK_STATES = frozenset(
    {
        State.IN_PROGRESS,
        State.STUDYING,
        State.BUDGET_REQUEST,
        State.PROCUREMENT,
        State.FOLLOWING_UP,
        State.POLICY,
    }
)

_FROM_WORK = WORK_STATES | {State.FORWARDED, State.DONE, State.IRRELEVANT}

# from-state -> states it may move to. Reopening (closed -> waiting) is the citizen's move.
TRANSITIONS: dict[State, frozenset[State]] = {
    State.WAITING: frozenset({State.ACCEPTED, State.FORWARDED, State.IRRELEVANT}),
    State.FORWARDED: frozenset({State.ACCEPTED, State.FORWARDED, State.IRRELEVANT}),
    State.ACCEPTED: _FROM_WORK,
    **{state: _FROM_WORK - {state} for state in WORK_STATES},
    State.DONE: frozenset({State.WAITING}),
    State.IRRELEVANT: frozenset({State.WAITING}),
}


def is_open(state: str) -> bool:
    return state not in CLOSED_STATES


def can_move(from_state: str, to_state: str) -> bool:
    return State(to_state) in TRANSITIONS[State(from_state)]


def open311_status(state: str) -> str:
    return "closed" if state in CLOSED_STATES else "open"


# Traffy's labels (Thai, and the machine words of the newer export) -> Pracha states.
TRAFFY_STATES: dict[str, State] = {
    "รอรับเรื่อง": State.WAITING,
    "เปิดเรื่องใหม่": State.WAITING,
    "start": State.WAITING,
    "รับเรื่อง": State.ACCEPTED,
    "กำลังดำเนินการ": State.IN_PROGRESS,
    "inprogress": State.IN_PROGRESS,
    "ส่งต่อ": State.FORWARDED,
    "ส่งต่อ(ใหม่)": State.FORWARDED,
    "ส่งเรื่องแล้ว": State.FORWARDED,
    "forward": State.FORWARDED,
    "ศึกษาปัญหา": State.STUDYING,
    "ของบประมาณ": State.BUDGET_REQUEST,
    "จัดซื้อจัดจ้าง": State.PROCUREMENT,
    "ติดตามเรื่อง": State.FOLLOWING_UP,
    "follow": State.FOLLOWING_UP,
    "ขั้นตอนทางกฎหมาย": State.FOLLOWING_UP,
    "จัดทำนโยบาย": State.POLICY,
    "เสร็จสิ้น": State.DONE,
    "finish": State.DONE,
    "ไม่เกี่ยวข้อง": State.IRRELEVANT,
    "irrelevant": State.IRRELEVANT,
}


def state_from_traffy(label: str) -> State | None:
    """Map a Traffy state label; the 2024 scrape appends "2 วันที่แล้ว" and the like."""
    label = (label or "").strip()
    if label in TRAFFY_STATES:
        return TRAFFY_STATES[label]
    for known in sorted(TRAFFY_STATES, key=len, reverse=True):
        if label.startswith(known):
            return TRAFFY_STATES[known]
    return None
