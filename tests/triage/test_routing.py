"""Routing rules: category x area -> agency, priority, the district office, the reasons."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from pracha.agencies.admin import RoutingRuleForm
from pracha.agencies.models import Agency, RoutingRule
from pracha.agencies.routing import (
    AGENCY,
    DISTRICT_OFFICE,
    Rule,
    RuleFileError,
    choose,
    read_rule_file,
    rules_from_database,
)
from pracha.triage.pipeline import Place, explain
from pracha.triage.routing_evidence import DISTRICT, Evidence, findings, handler_group

BKK = "กรุงเทพมหานคร"


def rule(
    category: str = "",
    district: str = "",
    *,
    priority: int = 0,
    to: str = "x",
    province: str = BKK,
    target: str = AGENCY,
    rule_id: int | None = None,
) -> Rule:
    return Rule(
        category, district, province, target, to, f"หน่วย {to}", priority, f"because {to}", rule_id
    )


FALLBACK = rule(target=DISTRICT_OFFICE, to="")


def test_a_category_rule_beats_the_district_office() -> None:
    rules = [FALLBACK, rule("drains", priority=50, to="bma-dds")]
    decision = choose(rules, ["drains"], "บางรัก", BKK)
    assert (decision.agency_code, decision.category) == ("bma-dds", "drains")


def test_without_a_matching_category_the_district_office_receives_it() -> None:
    rules = [FALLBACK, rule("drains", priority=50, to="bma-dds")]
    decision = choose(rules, ["road"], "เขต ราษฏร์บูรณะ", "กรุงเทพฯ")
    assert decision.by_district_office
    assert (decision.agency_code, decision.agency_name) == ("", "เขตราษฎร์บูรณะ")


def test_higher_priority_wins_then_the_more_specific_rule() -> None:
    rules = [
        rule("road", priority=10, to="works"),
        rule("road", "บางรัก", priority=10, to="bangrak-works"),
        rule("road", priority=20, to="top"),
    ]
    assert choose(rules, ["road"], "บางรัก", BKK).agency_code == "top"
    assert choose(rules[:2], ["road"], "บางรัก", BKK).agency_code == "bangrak-works"
    assert choose(rules[:2], ["road"], "ปทุมวัน", BKK).agency_code == "works"


def test_among_equal_rules_the_cases_first_category_wins() -> None:
    rules = [rule("road", priority=50, to="works"), rule("drains", priority=50, to="dds")]
    assert choose(rules, ["drains", "road"], "บางรัก", BKK).agency_code == "dds"
    assert choose(rules, ["road", "drains"], "บางรัก", BKK).agency_code == "works"


def test_a_district_rule_applies_only_there() -> None:
    rules = [FALLBACK, rule("", "บางรัก", priority=5, to="special")]
    assert choose(rules, [], "บางรัก", BKK).agency_code == "special"
    assert choose(rules, [], "ปทุมวัน", BKK).by_district_office


def test_outside_bangkok_no_rule_matches() -> None:
    rules = [FALLBACK, rule("drains", priority=50, to="bma-dds")]
    decision = choose(rules, ["drains"], "เมืองนนทบุรี", "นนทบุรี")
    assert decision.rule is None and decision.agency_code == ""


def test_no_district_means_no_district_office() -> None:
    assert choose([FALLBACK], ["road"], "", BKK).rule is None


def test_the_reason_names_the_rule_the_category_and_the_evidence() -> None:
    place = Place("บางรัก", "สี่พระยา", BKK)
    text = explain(
        choose([rule("drains", priority=50, to="bma-dds", rule_id=7)], ["drains"], "บางรัก", BKK),
        place,
        default_agency="",
    )
    assert text.startswith("rule #7: ท่อระบายน้ำ in กรุงเทพมหานคร -> หน่วย bma-dds. Why:")
    assert "because bma-dds" in text
    office = explain(choose([FALLBACK], ["road"], "บางรัก", BKK), place, default_agency="")
    assert "seed rule: any category" in office and "district, เขตบางรัก" in office
    none = explain(choose([], [], "เมืองนนทบุรี", "นนทบุรี"), place, default_agency="กทม")
    assert "no routing rule matches" in none and "กทม" in none


# --- the seed ---------------------------------------------------------------------------


def test_the_seed_file_routes_as_bangkok_does() -> None:
    rules = read_rule_file()
    route = {(r.category, r.target): r.agency_code for r in rules}
    assert route[("flooding", AGENCY)] == "bma-dds"
    assert route[("drains", AGENCY)] == "bma-dds"
    assert route[("traffic_signs", AGENCY)] == "bma-traffic"
    assert route[("wires", AGENCY)] == "mea"
    assert ("", DISTRICT_OFFICE) in route
    assert all(r.reason for r in rules)


@pytest.mark.django_db
def test_a_new_database_starts_with_the_seed_rules() -> None:
    seeded = rules_from_database()
    assert len(seeded) == len(read_rule_file())
    dds = Agency.objects.get(code="bma-dds")
    assert RoutingRule.objects.filter(category="drains", agency=dds, is_active=True).exists()


@pytest.mark.django_db
def test_seed_routing_is_a_dry_run_unless_commit() -> None:
    RoutingRule.objects.filter(category="wires").delete()
    out = StringIO()
    call_command("seed_routing", stdout=out)
    assert "1 rule(s) would add" in out.getvalue()
    assert not RoutingRule.objects.filter(category="wires").exists()
    call_command("seed_routing", "--commit", stdout=StringIO())
    assert RoutingRule.objects.get(category="wires").agency.code == "mea"
    out = StringIO()
    call_command("seed_routing", stdout=out)
    assert "0 rule(s) would add" in out.getvalue()


@pytest.mark.django_db
def test_switched_off_rules_and_closed_agencies_route_nothing() -> None:
    RoutingRule.objects.filter(category="drains").update(is_active=False)
    Agency.objects.filter(code="mea").update(is_active=False)
    categories = {r.category for r in rules_from_database()}
    assert "drains" not in categories and "wires" not in categories
    assert "flooding" in categories


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("category,target\n", "missing columns"),
        (
            "category,district,province,target,agency_code,agency_name,priority,reason\n"
            "road,,,somewhere,x,X,1,why\n",
            "target must be",
        ),
        (
            "category,district,province,target,agency_code,agency_name,priority,reason\n"
            "road,,,agency,,X,1,why\n",
            "needs agency_code",
        ),
        (
            "category,district,province,target,agency_code,agency_name,priority,reason\n"
            "road,,,agency,x,X,high,why\n",
            "priority must be a whole number",
        ),
    ],
)
def test_bad_rule_files_are_refused_with_the_line(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "rules.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RuleFileError, match=message):
        read_rule_file(path)


def test_a_missing_rule_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="cannot read"):
        read_rule_file(tmp_path / "none.csv")


@pytest.mark.django_db
def test_the_admin_form_checks_the_target_and_normalises_places() -> None:
    dds = Agency.objects.get(code="bma-dds")
    form = RoutingRuleForm(
        data={
            "category": "canal",
            "district": "เขต ราษฏร์บูรณะ",
            "province": "กทม",
            "target": "agency",
            "agency": "",
            "priority": 60,
            "is_active": True,
            "reason": "คลองในเขตนี้",
        }
    )
    assert not form.is_valid() and "agency" in form.errors
    form = RoutingRuleForm(
        data={
            "category": "canal",
            "district": "เขต ราษฏร์บูรณะ",
            "province": "กทม",
            "target": "agency",
            "agency": dds.pk,
            "priority": 60,
            "is_active": True,
            "reason": "คลองในเขตนี้",
        }
    )
    assert form.is_valid(), form.errors
    saved = form.save()
    assert (saved.district, saved.province) == ("ราษฎร์บูรณะ", BKK)
    form = RoutingRuleForm(
        data={"category": "ufo", "target": "district_office", "priority": 0, "reason": "x"}
    )
    assert not form.is_valid() and "category" in form.errors


# --- the evidence behind the seed ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "group"),
    [
        ("สำนักการระบายน้ำ กทม.", "bma-dds"),
        ("กองระบบท่อระบายน้ำ สำนักการระบายน้ำ", "bma-dds"),
        ("การไฟฟ้านครหลวง เขตมีนบุรี", "mea"),
        ("กลุ่มงานเครื่องหมายจราจร 1 สวจ.สจส.", "bma-traffic"),
        ("เขตบางพลัด", DISTRICT),
        ("ฝ่ายโยธา เขตประเวศ", DISTRICT),
        ("สน.บางซื่อ", None),  # police stations are invited, not routed to
        ("เพื่อนชัชชาติ", None),
    ],
)
def test_handler_groups(name: str, group: str | None) -> None:
    assert handler_group(name) == group


def test_a_specialist_needs_share_and_lift() -> None:
    from collections import Counter

    evidence = Evidence(
        tickets=1000,
        overall=Counter({DISTRICT: 990, "bma-dds": 20, "bma-works": 300}),
        per_category={
            "flooding": Counter({DISTRICT: 100, "bma-dds": 15, "bma-works": 30}),
            "road": Counter({DISTRICT: 400, "bma-works": 150}),
        },
        category_tickets=Counter({"flooding": 100, "road": 400}),
    )
    found = findings(evidence)
    # Flooding: DDS in 15% of tickets, 7.5x its usual share. Public works take part in many
    # road tickets, but no more than in tickets at large: no rule.
    assert [(f.category, f.agency_code) for f in found] == [("flooding", "bma-dds")]
