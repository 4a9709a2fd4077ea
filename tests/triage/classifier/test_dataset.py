"""Reading labelled tickets, the newer taxonomy's detection, and the time-ordered splits."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings

from pracha.triage.classifier.dataset import (
    DataError,
    Example,
    deduplicated,
    normalised_text,
    read_relabelled,
    read_traffy,
)
from pracha.triage.classifier.evaluation import holdout
from pracha.triage.classifier.training import Params, split_by_time


def traffy(name: str) -> Path:
    return settings.PRACHA.data_dir / "traffy" / name


def test_a_2023_dump_reads_into_labelled_examples() -> None:
    source = read_traffy(traffy("teamchadchart_2023-06-10_2023-06-11.csv"))

    assert (source.rows, len(source.examples), source.unlabelled) == (977, 904, 73)
    assert source.current_taxonomy
    example = source.examples[0]
    assert example.codes and example.text and example.created_at is not None
    assert example.ticket_id.startswith("2023-")


def test_the_newer_taxonomy_is_recognised() -> None:
    assert not read_traffy(traffy("teamchadchart_2023-11-26_2023-11-28.csv")).current_taxonomy
    assert not read_traffy(traffy("pending_2024-11-29_2024-12-09.csv")).current_taxonomy


def test_the_limit_stops_early() -> None:
    source = read_traffy(traffy("bangkok_traffy_2022-05-29_2022-12-18.csv.gz"), limit=50)

    assert len(source.examples) == 50
    assert source.rows < 200


def test_unknown_file_is_a_data_error(tmp_path: Path) -> None:
    other = tmp_path / "x.csv"
    other.write_text("a,b\n1,2\n")

    with pytest.raises(DataError, match="not a known Traffy"):
        read_traffy(other)


def test_the_relabelled_set_reads_with_custom_tags() -> None:
    source = read_relabelled(settings.PRACHA.data_dir / "relabelled")

    assert source.rows == 674
    assert len(source.examples) + source.unlabelled == 674
    assert source.current_taxonomy
    by_id = {e.ticket_id: e for e in source.examples}
    # "ร้องเรียน, น้ำท่วม" by the volunteers
    assert by_id["relabelled-09617"].codes == ("complaint", "flooding")
    # "ร้องเรียน, ต้นไม้, อื่นๆ" and the custom tags ["ขยะ", "ภัยจากสัตว์"]: "อื่นๆ" (others)
    # is no category; the custom tag "ขยะ" (garbage) names cleanliness
    assert by_id["relabelled-09689"].codes == ("complaint", "trees", "cleanliness")


def test_a_relabelled_folder_without_its_files_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"tickets\.csv: not found"):
        read_relabelled(tmp_path)


def examples(count: int, start: datetime, step: timedelta) -> list[Example]:
    return [
        Example(f"2022-T{i:05d}", f"รายงานที่ {i}", ("road",), start + i * step, "synthetic")
        for i in range(count)
    ]


def test_split_by_time_puts_the_newest_window_last() -> None:
    old = examples(1000, datetime(2022, 6, 1, tzinfo=UTC), timedelta(hours=1))
    new = examples(700, datetime(2023, 5, 1, tzinfo=UTC), timedelta(hours=1))
    new = [dataclasses.replace(e, ticket_id=e.ticket_id.replace("2022", "2023")) for e in new]

    split = split_by_time(new + old, Params())

    assert split.recent == new  # the 2023 tickets: within 120 days of the newest
    assert split.base == old
    assert max(e.created_at for e in split.base) < min(e.created_at for e in split.recent)


def test_split_by_time_bounds_the_recent_part() -> None:
    steady = examples(2000, datetime(2022, 6, 1, tzinfo=UTC), timedelta(minutes=10))

    capped = split_by_time(steady, Params(min_recent=100, max_recent=300))
    small = split_by_time(steady[:100], Params())

    assert len(capped.recent) == 300
    assert capped.recent == steady[-300:]
    assert len(small.recent) == 50  # never more than half
    with pytest.raises(DataError, match="training needs"):
        split_by_time(steady[:5], Params())


def test_holdout_tests_on_the_newest_days_and_never_trains_on_their_text() -> None:
    old = examples(600, datetime(2022, 6, 1, tzinfo=UTC), timedelta(hours=2))
    recent = examples(100, datetime(2023, 6, 1, tzinfo=UTC), timedelta(hours=1))
    recent = [dataclasses.replace(e, ticket_id=f"2023-N{i}") for i, e in enumerate(recent)]
    repeat = dataclasses.replace(old[10], text=recent[-1].text)  # an older copy of a test text

    split, test = holdout([*old[:10], repeat, *old[11:], *recent], Params())

    assert test == recent  # within 14 days of the newest ticket
    trained_on = {normalised_text(e.text) for e in split.base + split.recent}
    assert not trained_on & {normalised_text(e.text) for e in test}


def test_deduplicated_drops_repeats_and_held_out_texts() -> None:
    a, b, c = examples(3, datetime(2022, 6, 1, tzinfo=UTC), timedelta(hours=1))
    again = dataclasses.replace(a, text="another text, same ticket")

    kept = deduplicated([a, b, again, c], exclude_texts={normalised_text(c.text)})

    assert kept == [a, b]
