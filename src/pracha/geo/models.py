"""Boundary sets (generations) and their areas, MapIt style.

A new set of boundaries is loaded as a new, inactive generation (`pracha load-areas FILE...
--commit`), checked, then switched on (`pracha activate-areas N`); lookups use the active
generation, or the files shipped in data/geo/ while none has been loaded.
"""

from __future__ import annotations

import shapely
from django.db import models
from django.utils import timezone


class GenerationQuerySet(models.QuerySet["Generation"]):
    def active(self) -> Generation | None:
        return self.filter(is_active=True).order_by("-activated_at", "-id").first()


class Generation(models.Model):
    description = models.CharField(max_length=200)
    source = models.TextField(blank=True, help_text="Files the areas were loaded from")
    created_at = models.DateTimeField(default=timezone.now)
    activated_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=False)

    objects = GenerationQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        constraints = [
            # At most one generation answers lookups.
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(is_active=True),
                name="geo_one_active_generation",
            )
        ]

    def __str__(self) -> str:
        state = "active" if self.is_active else "inactive"
        return f"generation {self.pk}: {self.description} ({state})"


class AreaQuerySet(models.QuerySet["Area"]):
    def current(self) -> AreaQuerySet:
        return self.filter(generation__is_active=True)

    def by_location(self, lon: float, lat: float) -> AreaQuerySet:
        """Areas of the active boundary set whose polygon holds the point (may be none)."""
        # The in-memory index is built from these rows (pracha.geo.lookup imports this
        # module), so it is looked up when called.
        from pracha.geo.lookup import current_index, generation_in_use

        index = current_index()
        found = index.containing(lon, lat)
        generation = generation_in_use()
        if found is None or generation is None:
            return self.none()
        return self.filter(generation_id=generation, code=index.areas[found].code)


class Area(models.Model):
    class Kind(models.TextChoices):
        DISTRICT = "district", "District (khet / amphoe)"
        SUBDISTRICT = "subdistrict", "Sub-district (khwaeng / tambon)"

    generation = models.ForeignKey(Generation, on_delete=models.CASCADE, related_name="areas")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DISTRICT)
    code = models.CharField(max_length=20)
    name_th = models.CharField(max_length=100, db_index=True)
    name_en = models.CharField(max_length=100, blank=True)
    province = models.CharField(max_length=100, blank=True)
    province_code = models.CharField(max_length=10, blank=True)
    # The outline as WKB in longitude/latitude: portable across SQLite and PostgreSQL (no
    # PostGIS needed); lookups run on the in-memory index built from it.
    geometry = models.BinaryField()
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["generation", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["generation", "kind", "code"], name="geo_area_code_per_generation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name_th} ({self.code}, generation {self.generation_id})"

    @property
    def shape(self) -> shapely.Geometry:
        return shapely.from_wkb(bytes(self.geometry))
