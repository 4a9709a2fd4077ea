"""How often the routed agency really acted, on tickets the rules never saw.

Time-ordered: the rules are learnt (routing_evidence) from the files that record who acted
and end before the test file starts; the test file is the newest such file unless one is
given. Each test ticket is routed with its own categories (as a reporter chooses them at
intake) and the district of its point, then checked against who acted on it. The baseline
is the trivial rule "the district office of the point", scored on the same tickets.

Also measured, not applied: routing by the district the address names instead of the
point's, when the point lies within NAMED_WITHIN_M of it (GPS error, pins on a boundary
road). On the shipped files it moves as many tickets away from the office that acted as
to it (see the README's Routing section), so intake keeps the point's district (with
geo's 15 m rule for points on the line).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pracha.agencies.routing import Decision, Rule, choose, parse_rules
from pracha.geo.index import AreaIndex
from pracha.triage.routing_evidence import (
    DISTRICT,
    INVITE_SHARE,
    SPECIALISTS,
    Ticket,
    gather,
    read_evidence_file,
    seed_csv,
)

NAMED_WITHIN_M = 300.0


class RoutingDataError(ValueError):
    """No file to learn from or to test on; the message says which."""


@dataclass
class Scores:
    tickets: int = 0
    routed_acted: int = 0
    district_acted: int = 0
    no_rule: int = 0
    invitations: int = 0
    invited_acted: int = 0
    specialist_acts: int = 0  # (ticket, specialist) pairs beside the routed agency
    left_out_no_actor: int = 0
    left_out_no_district: int = 0
    # Routing by the address's district within NAMED_WITHIN_M of the point instead:
    named_moved: int = 0  # tickets it would send to another district office
    named_fixed: int = 0  # ... where that office acted and the point's did not
    named_broken: int = 0  # ... where the point's office acted and that one did not

    @property
    def routed_share(self) -> float:
        return self.routed_acted / self.tickets if self.tickets else 0.0

    @property
    def district_share(self) -> float:
        return self.district_acted / self.tickets if self.tickets else 0.0

    @property
    def named_share(self) -> float:
        acted = self.routed_acted + self.named_fixed - self.named_broken
        return acted / self.tickets if self.tickets else 0.0

    @property
    def precision(self) -> float:
        return self.invited_acted / self.invitations if self.invitations else 0.0

    @property
    def recall(self) -> float:
        return self.invited_acted / self.specialist_acts if self.specialist_acts else 0.0


@dataclass
class RoutingEvaluation:
    train_files: list[Path]
    train_tickets: int
    test_file: Path
    rules: list[Rule]
    invite_share: float
    scores: Scores = field(default_factory=Scores)


def routed_acted(decision: Decision, ticket: Ticket) -> bool:
    if decision.rule is None:
        return False
    if decision.by_district_office:
        return DISTRICT in ticket.acted
    return decision.agency_code in ticket.acted


def score(rules: Sequence[Rule], tickets: Sequence[Ticket]) -> Scores:
    scores = Scores()
    for ticket in tickets:
        if not ticket.actors:
            scores.left_out_no_actor += 1
            continue
        if not ticket.district:
            scores.left_out_no_district += 1
            continue
        decision = choose(rules, ticket.categories, ticket.district, ticket.province)
        scores.tickets += 1
        scores.routed_acted += routed_acted(decision, ticket)
        scores.district_acted += (ticket.point_district or ticket.district) in ticket.offices
        scores.no_rule += decision.rule is None
        invited = {rule.agency_code for rule in decision.invites}
        scores.invitations += len(invited)
        scores.invited_acted += len(invited & ticket.acted)
        scores.specialist_acts += sum(
            group in SPECIALISTS and group != decision.agency_code for group in ticket.acted
        )
        _score_named_district(scores, rules, ticket, decision)
    return scores


def _score_named_district(
    scores: Scores, rules: Sequence[Rule], ticket: Ticket, decision: Decision
) -> None:
    """What routing by the address's district (near the point) would change."""
    distance = ticket.named_distance_m
    if distance is None or distance > NAMED_WITHIN_M:
        return
    named = choose(rules, ticket.categories, ticket.named_district, ticket.province)
    if not (named.by_district_office and decision.by_district_office):
        return  # a named agency: the district does not change who receives it
    scores.named_moved += 1
    here, there = ticket.district in ticket.offices, ticket.named_district in ticket.offices
    scores.named_fixed += there and not here
    scores.named_broken += here and not there


def learnt_rules(tickets: Sequence[Ticket], invite_share: float, source: str) -> list[Rule]:
    return parse_rules(io.StringIO(seed_csv(gather(tickets), source, invite_share)))


def evaluate(
    paths: Sequence[Path],
    index: AreaIndex | None,
    *,
    test: Path | None = None,
    invite_share: float = INVITE_SHARE,
) -> RoutingEvaluation:
    """Learn from the files older than the test file, score on it."""
    usable = _usable(paths, index, test)
    if test is None:
        if not usable:
            raise RoutingDataError("no file records who acted on its tickets")
        test = max(usable, key=lambda path: min(t.created_at for t in usable[path]))
    if test not in usable:
        raise RoutingDataError(f"{test}: does not record who acted on its tickets")
    return _evaluate_on(usable, test, invite_share)


def evaluate_each(
    paths: Sequence[Path], index: AreaIndex | None, *, invite_share: float = INVITE_SHARE
) -> list[RoutingEvaluation]:
    """Every file recording who acted that has an older one to learn from, oldest first."""
    usable = _usable(paths, index, None)
    out = []
    for test in sorted(usable, key=lambda path: min(t.created_at for t in usable[path])):
        try:
            out.append(_evaluate_on(usable, test, invite_share))
        except RoutingDataError:
            continue  # nothing older to learn from
    return out


def _usable(
    paths: Sequence[Path], index: AreaIndex | None, test: Path | None
) -> dict[Path, list[Ticket]]:
    files = {path: read_evidence_file(path, index) for path in {*paths, *([test] if test else [])}}
    return {path: tickets for path, tickets in files.items() if tickets}


def _evaluate_on(
    usable: dict[Path, list[Ticket]], test: Path, invite_share: float
) -> RoutingEvaluation:
    starts = min(t.created_at for t in usable[test])
    train = sorted(
        path
        for path, tickets in usable.items()
        if path != test and max(t.created_at for t in tickets) < starts
    )
    if not train:
        raise RoutingDataError(f"no file recording who acted ends before {test.name} starts")
    learning = [ticket for path in train for ticket in usable[path]]
    rules = learnt_rules(learning, invite_share, ", ".join(p.name for p in train))
    return RoutingEvaluation(
        train_files=train,
        train_tickets=len(learning),
        test_file=test,
        rules=rules,
        invite_share=invite_share,
        scores=score(rules, usable[test]),
    )


def report(evaluation: RoutingEvaluation) -> str:
    s = evaluation.scores
    responsible = sum(r.target == "agency" for r in evaluation.rules)
    invites = sum(r.target == "co_agency" for r in evaluation.rules)
    lines = [
        "routing: learnt from "
        + ", ".join(p.name for p in evaluation.train_files)
        + f" ({evaluation.train_tickets:,} tickets); tested on {evaluation.test_file.name} "
        f"({s.tickets:,} tickets with a Bangkok district and an acting agency; left out "
        f"{s.left_out_no_actor:,} naming only umbrella bodies, "
        f"{s.left_out_no_district:,} outside Bangkok's districts)",
        f"  rules learnt: {responsible} specialist responsible, {invites} co-agency "
        f"(invite share >= {evaluation.invite_share:.2f}), then the district office",
        f"  routed agency acted:  Pracha {s.routed_share:.1%} ({s.routed_acted:,} of "
        f"{s.tickets:,}; {s.no_rule:,} without a rule)   district office of the point "
        f"{s.district_share:.1%} ({s.district_acted:,} of {s.tickets:,})",
        f"  co-agencies invited:  precision {s.precision:.2f} ({s.invited_acted:,} of "
        f"{s.invitations:,} invitations acted)   recall {s.recall:.2f} "
        f"({s.invited_acted:,} of {s.specialist_acts:,} specialist actions beside the "
        "routed agency)",
        f"  not applied: the address's district within {NAMED_WITHIN_M:.0f} m of the point "
        f"instead of the point's: {s.named_share:.1%} (moves {s.named_moved:,} tickets: "
        f"{s.named_fixed:,} to the office that acted, {s.named_broken:,} away from it)",
    ]
    return "\n".join(lines)


def report_earlier(evaluation: RoutingEvaluation) -> str:
    """One line for an older test file, beside the main report on the newest."""
    s = evaluation.scores
    return (
        f"  also on {evaluation.test_file.name} (learnt from "
        f"{', '.join(p.name for p in evaluation.train_files)}): routed agency acted "
        f"{s.routed_share:.1%} ({s.routed_acted:,} of {s.tickets:,}), district office of the "
        f"point {s.district_share:.1%}; co-agency precision {s.precision:.2f} "
        f"({s.invited_acted:,} of {s.invitations:,}); the address's district instead "
        f"{s.named_share:.1%} ({s.named_fixed:,} to, {s.named_broken:,} away from the office "
        "that acted)"
    )


def evaluation_paths(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "traffy").glob("*.csv*"))
