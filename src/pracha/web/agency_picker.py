"""The agencies an officer may forward a case to or invite: each real agency once, grouped.

An imported city holds a few hundred agencies, most of them spellings of the same office from
Traffy's organisation lists ("เขตจตุจักร", "สำนักงานเขตจตุจักร") or units that handled one
ticket years ago. The picker offers an active agency only when it is real
(pracha.agencies.real.is_real_agency, the positive rule; the dashboard hides fewer):

- it is one the installation knows by name (known_agencies.csv: the city, its departments,
  the utilities and the police), or
- someone works there in Pracha (it has officers), or
- it is the district office of one of Bangkok's 50 districts (one per district), or
- it was made responsible for a case reported in the last RECENT_DAYS days.

Near-duplicate district offices collapse to one per district: the one with officers, else the
one the seed names, else the shortest name. The services still accept any active agency (an
API client may name one the picker leaves out); the picker only keeps the list usable.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pracha.agencies.models import Agency, Officer
from pracha.agencies.real import is_real_agency, known_codes
from pracha.cases.models import Case
from pracha.web.names import localised

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class _Staffed(TypedDict):
        has_officers: bool

    # An agency of picker_agencies' query: annotated with whether anyone works there.
    StaffedAgency = WithAnnotations[Agency, _Staffed]

RECENT_DAYS = 180
RECENT_CACHE_SECONDS = 300
GROUPS = (
    ("district", _("District offices")),
    ("city", _("City departments")),
    ("other", _("Utilities, police and other agencies")),
)
_GROUP_OF_KIND: dict[str, str] = {
    Agency.Kind.DISTRICT_OFFICE: "district",
    Agency.Kind.CITY: "city",
    Agency.Kind.DEPARTMENT: "city",
}


@dataclass(frozen=True)
class Choice:
    code: str
    label: str  # in the reader's language
    other: str  # the other language's name, so a filter finds it by either


@dataclass(frozen=True)
class AgencyGroup:
    key: str
    label: str
    choices: list[Choice]


def recently_responsible() -> frozenset[int]:
    """Agencies responsible for a case reported in the last RECENT_DAYS days (on the
    created_at index; kept five minutes, as it changes slowly)."""
    key = "pracha.web.picker-recent"
    ids = cache.get(key)
    if not isinstance(ids, frozenset):
        since = timezone.now() - timedelta(days=RECENT_DAYS)
        rows = (
            Case.objects.filter(created_at__gte=since, agency__isnull=False)
            .order_by()
            .values_list("agency_id", flat=True)
            .distinct()
        )
        ids = frozenset(rows)
        cache.set(key, ids, RECENT_CACHE_SECONDS)
    return ids


def _one_per_district(agencies: list[StaffedAgency], recent: frozenset[int]) -> list[Agency]:
    """Each district's office once: staffed first, then a seeded or recently busy one, then
    the shortest name ("เขตจตุจักร" over "สำนักงานเขตจตุจักร ...")."""
    best: dict[str, tuple[tuple[bool, bool, int, int], Agency]] = {}
    others: list[Agency] = []
    for agency in agencies:
        if agency.kind != Agency.Kind.DISTRICT_OFFICE or not agency.district:
            others.append(agency)
            continue
        rank = (
            not agency.has_officers,
            agency.code not in known_codes() and agency.pk not in recent,
            len(agency.name_th),
            agency.pk,
        )
        current = best.get(agency.district)
        if current is None or rank < current[0]:
            best[agency.district] = (rank, agency)
    return others + [agency for _rank, agency in best.values()]


def picker_agencies(exclude: Agency | None = None, keep: Collection[str] = ()) -> list[Agency]:
    """The real active agencies (see the module's rule), each once, and those in `keep` (an
    officer's choice the form sends back with a mistake stays chosen)."""
    staffed = Officer.objects.filter(agency=OuterRef("pk"))
    agencies = (
        Agency.objects.filter(is_active=True)
        .only("pk", "code", "name_th", "name_en", "kind", "district")
        .annotate(has_officers=Exists(staffed))
    )
    if exclude is not None:
        agencies = agencies.exclude(pk=exclude.pk)
    recent = recently_responsible()
    kept: list[Agency] = [a for a in agencies if a.code in keep]
    real = [
        a
        for a in agencies
        if a.code not in keep and is_real_agency(a, staffed=a.has_officers, recent=recent)
    ]
    return kept + _one_per_district(real, recent)


def agency_groups(exclude: Agency | None = None, keep: Collection[str] = ()) -> list[AgencyGroup]:
    """The picker's agencies in groups (district offices, city departments, the rest),
    sorted by the name the reader reads."""
    by_group: dict[str, list[Choice]] = {key: [] for key, _label in GROUPS}
    for agency in picker_agencies(exclude, keep):
        label = localised(agency)
        other = agency.name_en if label == agency.name_th else agency.name_th
        by_group[_GROUP_OF_KIND.get(agency.kind, "other")].append(
            Choice(agency.code, label, other or "")
        )
    return [
        AgencyGroup(key, str(label), sorted(by_group[key], key=lambda c: c.label.casefold()))
        for key, label in GROUPS
        if by_group[key]
    ]
