"""Loading a boundary set as a new generation, checking it, and switching it on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import shapely
from django.db import transaction
from django.utils import timezone

from pracha.geo.boundaries import AreaShape
from pracha.geo.index import AreaIndex
from pracha.geo.lookup import forget_generation
from pracha.geo.models import Area, Generation


class GenerationError(ValueError):
    """A generation that cannot be switched on (unknown, or empty)."""


@dataclass
class LoadReport:
    areas: int = 0
    provinces: int = 0
    bangkok: int = 0
    duplicate_codes: list[str] = field(default_factory=list)
    misplaced: list[str] = field(default_factory=list)  # interior point lands elsewhere
    added: list[str] = field(default_factory=list)  # compared with the active generation
    removed: list[str] = field(default_factory=list)
    generation: Generation | None = None

    @property
    def ok(self) -> bool:
        return self.areas > 0 and not self.duplicate_codes

    def lines(self) -> list[str]:
        out = [
            f"{self.areas} districts in {self.provinces} provinces ({self.bangkok} in Bangkok)",
        ]
        if self.duplicate_codes:
            out.append(f"duplicate codes (refused): {', '.join(self.duplicate_codes[:20])}")
        if self.misplaced:
            out.append(
                f"{len(self.misplaced)} districts whose interior point lands in another "
                f"(overlapping polygons): {', '.join(self.misplaced[:10])}"
            )
        if self.added or self.removed:
            out.append(
                f"compared with the active generation: +{len(self.added)} names "
                f"{', '.join(self.added[:10])}; -{len(self.removed)} names "
                f"{', '.join(self.removed[:10])}"
            )
        return out


def check_areas(areas: Sequence[AreaShape]) -> LoadReport:
    report = LoadReport(
        areas=len(areas),
        provinces=len({a.province_code for a in areas}),
        bangkok=sum(1 for a in areas if a.province_code == "10"),
    )
    seen: set[str] = set()
    for area in areas:
        if area.code in seen:
            report.duplicate_codes.append(area.code)
        seen.add(area.code)
    if areas:
        index = AreaIndex(areas)
        for i, area in enumerate(areas):
            inside = shapely.get_coordinates(area.geometry.representative_point())[0]
            found = index.containing(float(inside[0]), float(inside[1]))
            if found is not None and found != i:
                report.misplaced.append(f"{area.name_th} ({area.code})")
    active = Generation.objects.active()
    if active is not None:
        before = set(Area.objects.filter(generation=active).values_list("name_th", flat=True))
        after = {a.name_th for a in areas}
        report.added = sorted(after - before)
        report.removed = sorted(before - after)
    return report


def do_load_generation(
    areas: Sequence[AreaShape], description: str, source: str, report: LoadReport
) -> Generation:
    """Store the areas as a new, inactive generation (all or nothing)."""
    if not report.ok:
        raise GenerationError("the boundary set did not pass its checks; nothing was loaded")
    with transaction.atomic():
        generation = Generation.objects.create(description=description[:200], source=source)
        rows = []
        for area in areas:
            west, south, east, north = area.geometry.bounds
            rows.append(
                Area(
                    generation=generation,
                    kind=area.kind,
                    code=area.code,
                    name_th=area.name_th,
                    name_en=area.name_en[:100],
                    province=area.province,
                    province_code=area.province_code,
                    geometry=shapely.to_wkb(area.geometry),
                    min_lon=west,
                    min_lat=south,
                    max_lon=east,
                    max_lat=north,
                )
            )
        Area.objects.bulk_create(rows, batch_size=200)
    report.generation = generation
    return generation


def activate_generation(generation_id: int) -> Generation:
    """Switch lookups to this generation (and off every other)."""
    with transaction.atomic():
        generation = Generation.objects.select_for_update().filter(pk=generation_id).first()
        if generation is None:
            raise GenerationError(f"there is no generation {generation_id}")
        if not generation.areas.exists():
            raise GenerationError(f"generation {generation_id} has no areas")
        Generation.objects.filter(is_active=True).exclude(pk=generation.pk).update(is_active=False)
        generation.is_active = True
        generation.activated_at = timezone.now()
        generation.save(update_fields=["is_active", "activated_at"])
    forget_generation()
    return generation
