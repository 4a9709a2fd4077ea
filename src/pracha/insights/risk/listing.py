"""Open cases by their chance of missing the target, as last scored."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef

from pracha.cases.models import Case
from pracha.insights.models import CaseRisk
from pracha.insights.reports.labels import category_labels
from pracha.insights.store.query import Filters


def risk_list(filters: Filters, *, overdue: bool = False, limit: int = 50) -> dict[str, Any]:
    risks = CaseRisk.objects.filter(overdue=overdue)
    if filters.agency is not None:
        risks = risks.filter(agency_key=filters.agency)
    if filters.district is not None:
        risks = risks.filter(district=filters.district)
    if filters.category is not None:
        tagged = Case.categories.through.objects.filter(
            case_id=OuterRef("case_id"), category__code=filters.category
        )
        risks = risks.filter(Exists(tagged))
    order = ("due_at",) if overdue else ("-probability", "due_at")
    top = list(risks.order_by(*order)[:limit])
    cases = Case.objects.select_related("agency").in_bulk([r.case_id for r in top])
    labels = category_labels()
    rows = []
    for risk in top:
        case = cases.get(risk.case_id)
        if case is None:
            continue
        label = labels.get(risk.category)
        rows.append(
            {
                "ticket_id": case.ticket_id,
                "probability": risk.probability,
                "overdue": risk.overdue,
                "due_at": risk.due_at.isoformat(),
                "state": case.state,
                "category": risk.category,
                "category_th": label.name_th if label else "",
                "district": risk.district,
                "agency": case.agency.code if case.agency else None,
                "agency_name": case.agency.name_th if case.agency else None,
                "reported_at": case.created_at.isoformat(),
            }
        )
    last = CaseRisk.objects.order_by("-scored_at").values_list("scored_at", flat=True).first()
    return {
        "scored_at": last.isoformat() if last else None,
        "note": None if last else "no scores yet: run `pracha sla-risk train` then `score`",
        "rows": rows,
    }
