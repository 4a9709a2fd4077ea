"""The dashboard page and the CSV download of each of its tables."""

from __future__ import annotations

import io

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pracha import csvsafe
from pracha.cases.errors import InvalidInput
from pracha.consultations.services.results import turnout_by_agency
from pracha.insights.reports import dashboard
from pracha.insights.store.catch_up import catch_up
from pracha.proposals.indicators import proposal_indicators


@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    try:
        req = dashboard.read(request.GET)
    except InvalidInput as exc:
        # A bad filter shows the page with the reason, on the default filters.
        req = dashboard.read(request.GET.__class__(""))
        error: str | None = exc.message
    else:
        error = None
    catch_up()
    hidden = dashboard.hidden_agencies()  # once per request: options and tables share it
    data = dashboard.panels(req, hidden)
    context = {
        "req": req,
        "raw": req.raw,
        "query": dashboard.query_string(req),
        "data_query": dashboard.query_string(req, ("from", "to", "category", "district", "agency")),
        "notes": dashboard.panel_notes(req),
        "error": error,
        "options": dashboard.options(hidden),
        "data": data,
        "english": dashboard.english(),
        "consultation_turnout": turnout_by_agency(),
        "by_label": str(dashboard.BY_LABELS[req.by]).lower(),
        "map": {"tiles": settings.PRACHA.map_tiles},
        # Citizens' proposals (pracha.proposals): a summary; the full table is /proposals/.
        "proposals": proposal_indicators(),
        "charts": {
            "trend": data["trend"],
            "rows": [
                {
                    "name": dashboard.name(r) or r["key"],
                    "reported": r["reported"],
                    "open": r["open"],
                }
                for r in data["indicators"]["rows"][:15]
            ],
        },
    }
    status = 400 if error else 200
    return render(request, "insights/dashboard.html", context, status=status)


@require_GET
def table_csv(request: HttpRequest, name: str) -> HttpResponse:
    if name not in dashboard.TABLES:
        raise Http404(f"no table {name!r}")
    try:
        req = dashboard.read(request.GET)
    except InvalidInput as exc:
        return HttpResponse(exc.message + "\n", status=400, content_type="text/plain")
    catch_up()
    columns = dashboard.TABLES[name]
    out = io.StringIO()
    out.write(csvsafe.BOM)  # downloads for people: Excel reads Thai as UTF-8 only after a BOM
    writer = csvsafe.writer(out, lineterminator="\n")  # formulas in cells neutralised
    writer.writerow(columns)
    for row in dashboard.table(name, req):
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = f"{req.period.first}_{req.period.last}"
    response["Content-Disposition"] = f'attachment; filename="pracha-{name}-{stamp}.csv"'
    return response


PANELS = {"scorecards", "forwarding"}


@require_GET
def panel(request: HttpRequest, name: str) -> HttpResponse:
    """A dashboard section loaded after the page (htmx), or alone without JavaScript."""
    if name not in PANELS:
        raise Http404(f"no panel {name!r}")
    try:
        req = dashboard.read(request.GET)
    except InvalidInput as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain")
    catch_up()
    query = dashboard.query_string(req)
    note = dashboard.panel_notes(req).get(name)
    hidden = dashboard.hidden_agencies()
    if name == "scorecards":
        cards = dashboard.page_scorecards(dashboard.scorecard_panel(req), hidden)
        context = {"scorecards": cards, "query": query, "note": note}
    else:
        report = dashboard.page_forwarding(dashboard.forwarding_panel(req), hidden)
        pairs = [
            {"name": f"{p['agency_a_label']} ⇄ {p['agency_b_label']}", "ab": p["forwards_a_to_b"],
             "ba": p["forwards_b_to_a"], "bounces": p["bounces"]}
            for p in report["pairs"][:10]
        ]  # fmt: skip
        context = {"forwarding": report, "query": query, "note": note,
                   "charts": {"hops": report["hops"], "pairs": pairs}}  # fmt: skip
    return render(request, f"insights/_{name}.html", context)


@require_GET
def methods_page(request: HttpRequest) -> HttpResponse:
    """How each figure on the dashboard is computed, for readers who want to check it."""
    context = {"min_cases": settings.PRACHA.scorecard_min_cases, "top": dashboard.TOP,
               "alert_days": dashboard.ALERT_DAYS}  # fmt: skip
    return render(request, "insights/methods.html", context)
