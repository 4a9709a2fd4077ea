"""`pracha evaluate --routing` on the shipped files: rules learnt from the May-June 2023
tickets, tested on the 2023-11 export that records who acted (organization_action)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from pracha.geo.lookup import shipped_index
from pracha.triage.routing_evaluation import evaluate, evaluate_each, evaluation_paths

pytestmark = pytest.mark.slow
NOVEMBER = "teamchadchart_2023-11-26_2023-11-28.csv"


def test_the_routed_agency_acts_on_unseen_tickets_and_invitations_are_precise() -> None:
    paths = evaluation_paths(Path(settings.PRACHA.data_dir))
    result = evaluate(paths, shipped_index())
    s = result.scores
    assert result.test_file.name == NOVEMBER
    assert [p.name for p in result.train_files] == [
        "teamchadchart_2023-05-11_2023-05-13.csv",
        "teamchadchart_2023-06-10_2023-06-11.csv",
    ]
    assert s.tickets > 1900
    # Issue 14's goal is 0.99. The district office of the point alone acted on 0.988: most
    # misses lie within metres of a border that Traffy draws elsewhere, and the file's own
    # district near the point (SOURCE_DISTRICT_M) names the office that acted.
    assert s.routed_share >= 0.99 > s.district_share >= 0.985
    assert s.invitations > 0 and s.precision >= 0.7
    assert 0 < s.recall < 1
    # Routing by the address's district near the point moves more tickets away from the
    # office that acted than to it: measured, not applied.
    assert s.named_moved > 0 and s.named_broken > s.named_fixed
    assert s.named_share < s.routed_share


def test_every_file_with_an_older_one_is_tested_and_small_cells_keep_the_office() -> None:
    paths = evaluation_paths(Path(settings.PRACHA.data_dir))
    june, november = evaluate_each(paths, shipped_index())
    assert june.test_file.name == "teamchadchart_2023-06-10_2023-06-11.csv"
    assert november.test_file.name == NOVEMBER
    # Learnt from May alone, MEA acted on 5 of 5 lighting tickets in สายไหม: not enough to
    # take them from the district office (which acted on all of them in June).
    assert june.scores.routed_share >= june.scores.district_share


def test_the_command_prints_both_rules_side_by_side() -> None:
    out = StringIO()
    call_command("evaluate", "--routing", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert f"tested on {NOVEMBER}" in text
    assert "routed agency acted:  Pracha" in text and "district office of the point" in text
    assert "co-agencies invited:  precision" in text and "recall" in text
    assert "not applied: the address's district within 300 m" in text
    assert "also on teamchadchart_2023-06-10_2023-06-11.csv" in text
