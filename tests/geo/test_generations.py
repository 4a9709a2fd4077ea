"""Boundary generations: load (dry run unless --commit), check, switch on; lookups follow."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pracha.geo.lookup import locate
from pracha.geo.models import Area, Generation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_lookup")]


def feature(props: dict[str, str], west: float, south: float, size: float) -> dict[str, object]:
    ring = [
        [west, south],
        [west + size, south],
        [west + size, south + size],
        [west, south + size],
        [west, south],
    ]
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


@pytest.fixture
def boundary_files(tmp_path: Path) -> dict[str, Path]:
    """A one-district 'Bangkok' over the city centre and one 'Nonthaburi' district north."""
    bangkok = tmp_path / "bkk.geojson"
    bangkok.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    feature(
                        {"dcode": "1099", "dname": "เขตทดสอบ", "dname_e": "Test"}, 100.4, 13.6, 0.3
                    )
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    thailand = tmp_path / "th.geojson"
    thailand.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    feature(
                        {
                            "amp_code": "1201",
                            "amp_th": "เมืองนนทบุรี",
                            "amp_en": "Mueang",
                            "pro_th": "นนทบุรี",
                            "pro_code": "12",
                        },
                        100.4,
                        13.9,
                        0.2,
                    ),
                    # The national file's own Bangkok district is replaced by the city's file.
                    feature(
                        {
                            "amp_code": "1001",
                            "amp_th": "พระนคร",
                            "amp_en": "Phra Nakhon",
                            "pro_th": "กรุงเทพมหานคร",
                            "pro_code": "10",
                        },
                        100.4,
                        13.6,
                        0.3,
                    ),
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return {"bangkok": bangkok, "thailand": thailand}


def run(**options: object) -> str:
    out = StringIO()
    call_command("load_areas", stdout=out, **options)
    return out.getvalue()


def test_a_dry_run_checks_and_stores_nothing(boundary_files: dict[str, Path]) -> None:
    out = run(**boundary_files)
    assert "2 districts in 2 provinces (1 in Bangkok)" in out
    assert "dry run" in out
    assert not Generation.objects.exists()


def test_commit_stores_an_inactive_generation_that_lookups_ignore(
    boundary_files: dict[str, Path],
) -> None:
    out = run(**boundary_files, commit=True)
    generation = Generation.objects.get()
    assert f"pracha activate-areas {generation.pk}" in out
    assert not generation.is_active
    assert sorted(generation.areas.values_list("name_th", flat=True)) == ["ทดสอบ", "เมืองนนทบุรี"]
    assert locate(100.5018, 13.7563).district == "พระนคร"  # still the shipped files


def test_switching_a_generation_on_changes_lookups(boundary_files: dict[str, Path]) -> None:
    run(**boundary_files, commit=True)
    generation = Generation.objects.get()
    out = StringIO()
    call_command("activate_areas", str(generation.pk), stdout=out)
    assert "lookups now use" in out.getvalue()
    assert locate(100.5018, 13.7563).district == "ทดสอบ"
    area = Area.objects.by_location(100.5018, 13.7563).get()
    assert (area.code, area.generation_id) == ("1099", generation.pk)
    assert not Area.objects.by_location(99.0, 18.0).exists()
    # A second generation switched on replaces the first.
    run(**boundary_files, commit=True, activate=True)
    assert Generation.objects.filter(is_active=True).count() == 1
    assert Generation.objects.active().pk != generation.pk


def test_points_outside_the_active_boundaries_are_refused(boundary_files: dict[str, Path]) -> None:
    run(**boundary_files, commit=True, activate=True)
    with pytest.raises(ValueError, match="not in Thailand"):
        locate(98.9853, 18.7883)  # Chiang Mai is not in this boundary set


def test_the_shipped_files_load(fresh_lookup: None) -> None:
    out = run()
    assert "928 districts in 77 provinces (50 in Bangkok)" in out


def test_refusals(boundary_files: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="needs --commit"):
        run(**boundary_files, activate=True)
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="cannot read GeoJSON"):
        run(bangkok=broken, thailand=boundary_files["thailand"])
    with pytest.raises(CommandError, match="no generation 999"):
        call_command("activate_areas", "999")
    assert not Generation.objects.exists()
