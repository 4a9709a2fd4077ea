"""Stored early-warning alerts, for the dashboard and the API."""

from __future__ import annotations

from datetime import date
from typing import Any

from pracha.insights.alerts.early_warning import CITY
from pracha.insights.models import Alert
from pracha.insights.reports.labels import category_labels, district_label


def recent_alerts(
    first: date, last: date, category: str | None, district: str | None, limit: int = 100
) -> list[dict[str, Any]]:
    alerts = Alert.objects.filter(day__gte=first, day__lte=last)
    if category:
        alerts = alerts.filter(category=category)
    if district:
        alerts = alerts.filter(district=district)
    labels = category_labels()
    rows = []
    for alert in alerts.order_by("-day", "p_value")[:limit]:
        label = labels.get(alert.category)
        city = alert.district == CITY
        rows.append(
            {
                "day": alert.day.isoformat(),
                "category": alert.category,
                "category_th": label.name_th if label else alert.category,
                "category_en": label.name_en if label else alert.category,
                "district": None if city else alert.district,
                "district_en": "Whole city" if city else district_label(alert.district).name_en,
                "observed": alert.observed,
                "expected": alert.expected,
                "ratio": round(alert.observed / alert.expected, 1) if alert.expected else None,
                "p_value": alert.p_value,
            }
        )
    return rows
