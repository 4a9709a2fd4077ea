"""Routing rules: category x area -> agency, priority, the district office, the reasons."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from pracha.agencies.admin import RoutingRuleForm
from pracha.agencies.models import Agency, RoutingRule
from pracha.agencies.routing import (
    AGENCY,
    CO_AGENCY,
    DISTRICT_OFFICE,
    Rule,
    RuleFileError,
    choose,
    read_rule_file,
    rules_from_database,
)
from pracha.geo.lookup import shipped_index
from pracha.traffy.formats import Record
from pracha.triage.pipeline import Place, explain
from pracha.triage.routing_evaluation import score
from pracha.triage.routing_evidence import (
    DISTRICT,
    INVITE_SHARE,
    Ticket,
    acting_groups,
    findings,
    gather,
    handler_group,
    lower_bound,
    seed_csv,
    ticket_of,
)

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


def test_the_seed_file_routes_most_reports_to_the_district_office() -> None:
    rules = read_rule_file()
    assert [r.target for r in rules if not r.category] == [DISTRICT_OFFICE]
    # Learnt from who acted (issue 14): no province-wide specialist receives a category.
    assert not [r for r in rules if r.target == AGENCY and not r.district]
    assert {r.target for r in rules} <= {AGENCY, DISTRICT_OFFICE, CO_AGENCY}
    assert all(r.reason for r in rules)
    assert choose(rules, ["drains"], "บางรัก", BKK).by_district_office


@pytest.mark.django_db
def test_a_new_database_starts_with_the_seed_rules() -> None:
    seeded = rules_from_database()
    assert len(seeded) == len(read_rule_file())
    assert RoutingRule.objects.filter(target=CO_AGENCY, agency__code="mea").exists()


@pytest.mark.django_db
def test_seed_routing_is_a_dry_run_unless_commit() -> None:
    RoutingRule.objects.filter(target=CO_AGENCY, agency__code="mea").delete()
    out = StringIO()
    call_command("seed_routing", stdout=out)
    assert "1 rule(s) would add" in out.getvalue()
    assert "lighting + invite การไฟฟ้านครหลวง MEA" in out.getvalue()
    assert not RoutingRule.objects.filter(target=CO_AGENCY, agency__code="mea").exists()
    call_command("seed_routing", "--commit", stdout=StringIO())
    assert RoutingRule.objects.get(target=CO_AGENCY, agency__code="mea").category == "lighting"
    out = StringIO()
    call_command("seed_routing", stdout=out)
    assert "0 rule(s) would add" in out.getvalue()


@pytest.mark.django_db
def test_switched_off_rules_and_closed_agencies_route_nothing() -> None:
    RoutingRule.objects.filter(category="pm25").update(is_active=False)
    Agency.objects.filter(code="mea").update(is_active=False)
    targets = {(r.category, r.agency_code) for r in rules_from_database()}
    assert ("pm25", "bma-env") not in targets and ("lighting", "mea") not in targets
    assert ("stray_animals", "bma-health") in targets


def test_co_agency_rules_invite_beside_the_responsible_agency() -> None:
    invite = rule("drains", priority=50, to="bma-dds", target=CO_AGENCY)
    local = rule("drains", "บางรัก", priority=50, to="bma-dds", target=CO_AGENCY)
    rules = [FALLBACK, invite, local, rule("", priority=1, to="mwa", target=CO_AGENCY)]
    decision = choose(rules, ["drains"], "บางรัก", BKK)
    assert decision.by_district_office  # an invitation never makes an agency responsible
    assert [r.agency_code for r in decision.invites] == ["bma-dds", "mwa"]
    assert decision.invites[0] is local  # the more specific rule speaks for the agency
    assert [r.agency_code for r in choose(rules, ["road"], "บางรัก", BKK).invites] == ["mwa"]
    # The responsible agency is not invited to its own case.
    owner = [*rules, rule("drains", priority=60, to="bma-dds")]
    assert [r.agency_code for r in choose(owner, ["drains"], "บางรัก", BKK).invites] == ["mwa"]
    text = explain(decision, Place("บางรัก", "", BKK), default_agency="")
    assert "Also invited, seed rule: ท่อระบายน้ำ in บางรัก -> หน่วย bma-dds" in text


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


def ticket(code: str, district: str, *acted: str) -> Ticket:
    # One organisation beside the umbrella bodies acted at least (a police station, say).
    return Ticket((code,), district, BKK, frozenset(acted), 1, datetime(2023, 5, 1))


def learnt(tickets: list[Ticket], invite_share: float = INVITE_SHARE) -> list[tuple[str, ...]]:
    return [
        (f.target, f.category, f.district, f.agency_code, f"{f.share:.2f}")
        for f in findings(gather(tickets), invite_share)
    ]


def test_the_learner_follows_who_acted_not_who_took_part_more_than_their_share() -> None:
    # Flooding in บางรัก: the district office acted on all 20, drainage on 6 (30%).
    flooding = [
        ticket("flooding", "บางรัก", DISTRICT, *(["bma-dds"] if i < 6 else [])) for i in range(20)
    ]
    # Stray animals in สาทร: health acted on 16 of 20, the district office on 10.
    animals = [
        ticket(
            "stray_animals",
            "สาทร",
            *([DISTRICT] if i < 10 else []),
            *(["bma-health"] if i < 16 else []),
        )
        for i in range(20)
    ]
    roads = [ticket("road", "บางรัก", DISTRICT) for _ in range(20)]
    tickets = flooding + animals + roads
    # 30% is far from responsible, and below the 0.7 precision an invitation needs...
    assert learnt(tickets) == [
        ("agency", "stray_animals", "", "bma-health", "0.80"),
    ]
    # ...but invited when the threshold is 0.3: it then acts on 30% of those invitations.
    assert ("co_agency", "flooding", "", "bma-dds", "0.30") in learnt(tickets, 0.3)
    assert ("co_agency", "flooding", "", "bma-dds", "0.30") not in learnt(tickets, 0.31)
    text = seed_csv(gather(tickets))
    assert text.splitlines()[-1].startswith(",,กรุงเทพมหานคร,district_office,,,0,")
    assert "acted on 16 of 20 สัตว์จรจัด tickets (80%; the district office 50%)" in text
    assert "acted on 83.3% of 60 tickets" in text.splitlines()[-1]  # 50 of 60


def test_a_specialist_is_responsible_only_when_it_surely_acts_more_than_the_office() -> None:
    # 5 of 6 against the district office's 4 of 6: too few tickets to take the case away
    # from the office (the lower bound of 5/6 is 0.44); invited beside it instead.
    lighting = [
        ticket("lighting", "ราชเทวี", *([DISTRICT] if i < 4 else []), "bma-works") for i in range(5)
    ] + [ticket("lighting", "ราชเทวี")]
    others = [ticket("lighting", "บางรัก", DISTRICT) for _ in range(20)]
    assert learnt(lighting + others) == [("co_agency", "lighting", "ราชเทวี", "bma-works", "0.83")]
    # Eight times the evidence (40 of 48 against 32 of 48): responsible.
    assert learnt(lighting * 8 + others) == [("agency", "lighting", "ราชเทวี", "bma-works", "0.83")]


def test_the_lower_bound_of_a_share() -> None:
    assert lower_bound(0, 0) == 0.0
    assert lower_bound(5, 5) == pytest.approx(0.566, abs=0.001)
    assert lower_bound(5, 6) == pytest.approx(0.436, abs=0.001)
    assert lower_bound(80, 100) == pytest.approx(0.711, abs=0.001)
    assert lower_bound(80, 100) < 0.8 < lower_bound(800, 900)


def test_a_district_cell_needs_enough_tickets() -> None:
    here = [ticket("lighting", "จอมทอง", DISTRICT, "mea") for _ in range(5)]
    elsewhere = [ticket("lighting", "บางรัก", DISTRICT) for _ in range(20)]
    assert learnt(here + elsewhere) == [("co_agency", "lighting", "จอมทอง", "mea", "1.00")]
    assert learnt(here[:4] + elsewhere) == []


def test_acting_groups_take_the_office_of_the_tickets_district_only() -> None:
    names = ["กรุงเทพมหานคร", "เพื่อนชัชชาติ", "ฝ่ายโยธา เขตบางรัก", "การไฟฟ้านครหลวง เขตสาทร"]
    assert acting_groups(names, "บางรัก") == {DISTRICT, "mea"}
    assert acting_groups(names, "สาทร") == {"mea"}  # MEA's สาทร branch is not the office


def test_the_evaluation_measures_routing_by_the_address_district_without_applying_it() -> None:
    def near(district: str, offices: set[str], named: str, metres: float) -> Ticket:
        acted = frozenset({DISTRICT} if district in offices else ())
        return Ticket(
            ("road",),
            district,
            BKK,
            acted,
            1,
            datetime(2023, 11, 1),
            offices=frozenset(offices),
            named_district=named,
            named_distance_m=metres,
        )

    tickets = [
        near("ราชเทวี", {"ปทุมวัน"}, "ปทุมวัน", 3.0),  # the address's office acted
        near("สาทร", {"สาทร"}, "บางรัก", 40.0),  # the point's office acted
        near("บางแค", {"บางบอน"}, "บางบอน", 2_000.0),  # too far to move
    ]
    s = score([FALLBACK], tickets)
    assert (s.tickets, s.routed_acted) == (3, 1)  # the rule routes by the point
    assert (s.named_moved, s.named_fixed, s.named_broken) == (2, 1, 1)
    assert s.named_share == pytest.approx(1 / 3)


def traffy_record(lon: float, lat: float, district: str, acted: tuple[str, ...]) -> Record:
    when = datetime(2023, 11, 26, 9, 0)
    return Record(
        line=2,
        ticket_id="2023-TEST01",
        description="ถนนเป็นหลุม",
        labels=("ถนน",),
        agency_names=acted,
        note="",
        lat=lat,
        lon=lon,
        address="",
        subdistrict="",
        district=district,
        province=BKK,
        state="เสร็จสิ้น",
        stars=None,
        reopen_count=0,
        created_at=when,
        updated_at=when,
        closed_at=None,
        photos=(),
    )


def test_routing_takes_the_files_district_near_the_point_and_scores_the_point_beside_it() -> None:
    index = shipped_index()
    # 40 m inside Bang Rak from its border with Pathum Wan; Traffy placed it in Pathum Wan,
    # and Pathum Wan's office acted.
    inside = traffy_record(100.535754, 13.729705, "ปทุมวัน", ("สำนักงานเขตปทุมวัน",))
    ticket = ticket_of(inside, index)
    assert (ticket.district, ticket.point_district) == ("ปทุมวัน", "บางรัก")
    assert DISTRICT in ticket.acted
    # Far from the file's district the point decides, and the two agree.
    far = traffy_record(100.5414, 13.7314, "หนองจอก", ("สำนักงานเขตปทุมวัน",))
    assert (ticket_of(far, index).district, ticket_of(far, index).point_district) == (
        "ปทุมวัน",
        "",
    )
    s = score([FALLBACK], [ticket, ticket_of(far, index)])
    assert (s.tickets, s.routed_acted, s.district_acted) == (2, 2, 1)


def test_the_distance_from_a_point_to_a_named_district() -> None:
    index = shipped_index()
    lumphini = (100.5414, 13.7314)  # Lumphini Park, in ปทุมวัน
    assert index.distance_to("ปทุมวัน", *lumphini) == 0.0
    assert 0 < index.distance_to("เขตบางรัก", *lumphini, province=BKK) < 2_000
    assert index.distance_to("หนองจอก", *lumphini) > 20_000
    assert index.distance_to("ไม่มีเขตนี้", *lumphini) is None


@pytest.mark.django_db
def test_migration_0006_retires_the_seed_rule_learnt_from_six_tickets() -> None:
    from importlib import import_module

    from django.apps import apps

    works = Agency.objects.get(code="bma-works")
    reason = "สำนักการโยธา กทม. acted on 5 of 6 แสงสว่าง tickets in เขตราชเทวี (83%; ...)"
    seed = RoutingRule.objects.create(
        category="lighting", district="ราชเทวี", province=BKK, target=AGENCY, agency=works,
        priority=50, reason=reason,
    )  # fmt: skip
    rewritten = RoutingRule.objects.create(
        category="lighting", district="ราชเทวี", province=BKK, target=AGENCY, agency=works,
        priority=60, reason="our officers handle it",
    )  # fmt: skip
    import_module("pracha.agencies.migrations.0006_retire_small_cell_specialist_rule").retire(
        apps, None
    )
    seed.refresh_from_db()
    rewritten.refresh_from_db()
    assert not seed.is_active and rewritten.is_active
