"""How often the routed agency really acted, on tickets the rules never saw.

Time-ordered: the rules are learnt (routing_evidence) from the files that record who acted
and end before the test file starts; the test file is the newest such file unless one is
given. Each test ticket is routed with its own categories (as a reporter chooses them at
intake) and the district of its point, then checked against who acted on it. The baseline
is the trivial rule "the district office of the point", scored on the same tickets.
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

    @property
    def routed_share(self) -> float:
        return self.routed_acted / self.tickets if self.tickets else 0.0

    @property
    def district_share(self) -> float:
        return self.district_acted / self.tickets if self.tickets else 0.0

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
        scores.district_acted += DISTRICT in ticket.acted
        scores.no_rule += decision.rule is None
        invited = {rule.agency_code for rule in decision.invites}
        scores.invitations += len(invited)
        scores.invited_acted += len(invited & ticket.acted)
        scores.specialist_acts += sum(
            group in SPECIALISTS and group != decision.agency_code for group in ticket.acted
        )
    return scores


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
    files = {path: read_evidence_file(path, index) for path in {*paths, *([test] if test else [])}}
    usable = {path: tickets for path, tickets in files.items() if tickets}
    if test is None:
        if not usable:
            raise RoutingDataError("no file records who acted on its tickets")
        test = max(usable, key=lambda path: min(t.created_at for t in usable[path]))
    if test not in usable:
        raise RoutingDataError(f"{test}: does not record who acted on its tickets")
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
    ]
    return "\n".join(lines)


def evaluation_paths(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "traffy").glob("*.csv*"))
