"""Triage as the API shows it: with each case, and the duplicates shown to a reporter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse

from pracha.agencies.models import Agency, RoutingRule
from pracha.cases.categories import categories_of
from pracha.cases.models import Case, Event
from pracha.triage.models import CaseTriage

# Classifier score of the chosen category -> the confidence a citizen is told.
CONFIDENCE = ((0.7, "สูง", "high"), (0.4, "ปานกลาง", "medium"), (0.0, "ต่ำ", "low"))
BANGKOK = "กรุงเทพมหานคร"
Explanation = tuple[str, str]  # (Thai, English)


def case_url(ticket_id: str) -> str:
    try:
        return reverse("api-v1:get_case", kwargs={"ticket_id": ticket_id})
    except Exception:  # URLs not loaded (a command); the path is stable anyway
        return f"/api/v1/cases/{ticket_id}"


def triage_dict(case: Case) -> dict[str, Any] | None:
    """The case's triage (None for cases filed before triage, or imported)."""
    try:
        triage: CaseTriage = case.triage
    except ObjectDoesNotExist:
        return None
    return {
        "categories": list(triage.categories),
        "category_source": triage.category_source,
        "suggested": list(triage.suggested),
        "scores": dict(triage.scores),
        "needs_review": triage.needs_review,
        "model_version": triage.model_version,
        "routed_by": triage.routed_by,
        "district": triage.district,
        "subdistrict": triage.subdistrict,
        "province": triage.province,
        "near_boundary": triage.near_boundary,
        "corrected": triage.corrected_at is not None,
    }


def duplicate_dicts(case: Case) -> list[dict[str, Any]]:
    """Earlier cases that may be the same problem ("is it one of these? say me too")."""
    primed = getattr(case, "_prefetched_objects_cache", {}).get("duplicate_links")
    links = primed if primed is not None else case.duplicate_links.select_related("candidate")
    return [
        {
            "ticket_id": link.candidate.ticket_id,
            "distance_m": link.distance_m,
            "similarity": link.similarity,
            "state": link.candidate.state,
            "url": case_url(link.candidate.ticket_id),
            "same_category": link.same_category,
        }
        for link in links
    ]


def event_explanation(
    event: Event, district_en: Callable[[str], str] | None = None
) -> Explanation | None:
    """How Pracha sorted a case, in plain Thai and English for citizens; None for events
    that need no explanation. The event's note keeps the technical detail for officers.

    `district_en` names a district in English (the pages know the names; the API does not).
    """
    if event.kind == Event.Kind.TRIAGED:
        triage = _triage_in_hand(event) or (
            CaseTriage.objects.filter(case_id=event.case_id).select_related("rule").first()
        )
        if triage is None:
            return None
        return _joined(
            _routing(triage, event.to_agency, district_en or (lambda name: name)),
            _categories(triage),
            _review(triage),
        )
    if event.kind == Event.Kind.TRIAGE_CORRECTED:
        return _correction(event)
    return None


def _triage_in_hand(event: Event) -> CaseTriage | None:
    """The case's triage when the event's case already holds it (a case read with its
    triage, or just filed), so a timeline does not read it once more."""
    case = event.loaded_case()
    if case is None:
        return None
    relation = Case._meta.get_field("triage")
    if not relation.is_cached(case):
        return None
    triage = cast("CaseTriage | None", relation.get_cached_value(case))
    if triage is not None and CaseTriage._meta.get_field("rule").is_cached(triage):
        return triage
    return None if triage is None or triage.rule_id is not None else triage


def _joined(*parts: Explanation | None) -> Explanation:
    present = [p for p in parts if p]
    return " ".join(p[0] for p in present), " ".join(p[1] for p in present)


def _agency_names(agency: Agency | None) -> Explanation:
    if agency is None:
        return "หน่วยงานกลาง", "the central office"
    return agency.name_th or agency.name_en, agency.name_en or agency.name_th


def _area(district: str, province: str, district_en: Callable[[str], str]) -> Explanation:
    if district:
        th = f"เขต{district}" if province in ("", BANGKOK) else f"อำเภอ{district}"
        return th, district_en(district)
    if province:
        return province, "Bangkok" if province == BANGKOK else province
    return "", ""


def _category_names(codes: list[str]) -> Explanation:
    found = {c.code: c for c in categories_of(codes)}
    th = [found[c].name_th if c in found else c for c in codes]
    en = [(found[c].name_en or found[c].name_th) if c in found else c for c in codes]
    return ", ".join(th), ", ".join(en)


def _routing(
    triage: CaseTriage, agency: Agency | None, district_en: Callable[[str], str]
) -> Explanation:
    to_th, to_en = _agency_names(agency or triage.agency)
    rule: RoutingRule | None = triage.rule
    if rule is None:
        if triage.routed_by.startswith("no routing rule"):
            return (
                f"ส่งไปที่{to_th} เพราะยังไม่มีหน่วยงานที่กำหนดไว้สำหรับเรื่องแบบนี้ในพื้นที่นี้ "
                "เจ้าหน้าที่จะส่งต่อไปยังหน่วยงานที่รับผิดชอบ",
                f"Sent to {to_en}: no agency is set yet for this kind of report in this area, "
                "so an officer will pass it to the one responsible.",
            )
        return f"ส่งไปที่{to_th}", f"Sent to {to_en}."
    office = rule.target == RoutingRule.Target.DISTRICT_OFFICE
    # A district-office rule names the case's own district, however wide the rule is.
    district = triage.district if office else rule.district
    area_th, area_en = _area(district, rule.province or triage.province, district_en)
    what_th, what_en = _category_names([rule.category]) if rule.category else ("", "")
    about_th = f"เรื่อง{what_th}" if what_th else "เรื่อง"
    about_en = f"reports about {what_en}" if what_en else "reports"
    where_th = f"ใน{area_th}" if area_th else ""
    where_en = f" in {area_en}" if area_en else ""
    by_th = "สำนักงานเขต" if office else to_th
    by_en = "the district office" if office else to_en
    return (
        f"ส่งไปที่{to_th} เพราะ{about_th}{where_th}อยู่ในความรับผิดชอบของ{by_th}",
        f"Sent to {to_en} because {about_en}{where_en} are handled by {by_en}.",
    )


def _confidence(triage: CaseTriage) -> Explanation:
    scores = [float(triage.scores.get(c, 0.0)) for c in triage.categories]
    best = max(scores, default=0.0)
    for floor, th, en in CONFIDENCE:
        if best >= floor:
            return th, en
    return CONFIDENCE[-1][1], CONFIDENCE[-1][2]


def _categories(triage: CaseTriage) -> Explanation:
    if not triage.categories:
        return (
            "ยังไม่ได้ระบุหมวดหมู่ เจ้าหน้าที่จะเลือกให้",
            "No category yet: an officer will choose one.",
        )
    th, en = _category_names(list(triage.categories))
    if triage.category_source == CaseTriage.Source.REPORTER:
        return f"หมวดหมู่ ({th}) เลือกโดยผู้แจ้ง", f"Category ({en}) chosen by the reporter."
    level_th, level_en = _confidence(triage)
    return (
        f"หมวดหมู่ ({th}) ระบบเสนอให้อัตโนมัติจากคำบรรยาย (ความมั่นใจ{level_th})",
        f"Category ({en}) suggested automatically from the description (confidence {level_en}).",
    )


def _review(triage: CaseTriage) -> Explanation | None:
    if triage.near_boundary:
        return (
            "จุดที่แจ้งอยู่ใกล้รอยต่อระหว่างเขต เจ้าหน้าที่จะตรวจสอบอีกครั้ง",
            "The place is near a district border, so an officer will check it.",
        )
    if triage.needs_review:
        return "เจ้าหน้าที่จะตรวจสอบอีกครั้ง", "An officer will check it."
    return None


def _correction(event: Event) -> Explanation:
    th, en = "เจ้าหน้าที่ตรวจสอบและแก้ไขหมวดหมู่", "An officer checked and corrected the category"
    if event.to_agency is not None:
        to_th, to_en = _agency_names(event.to_agency)
        th, en = f"{th} และส่งเรื่องไปที่{to_th}", f"{en} and sent the report to {to_en}"
    # The officer's own words follow the first (technical) line of the note.
    said = event.note.partition("\n")[2].strip()
    return (f"{th}: {said}", f"{en}: {said}") if said else (th, f"{en}.")
