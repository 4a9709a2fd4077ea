"""`pracha evidence rehash|recheck`: fill in photo hashes and closing checks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pracha.cases.models import Event, Photo
from pracha.evidence.checks import check_closing
from pracha.evidence.models import PhotoCheck, PhotoHash
from pracha.evidence.store import record_stored_copy


class Command(BaseCommand):
    help = (
        "Photo evidence: rehash | recheck. "
        "rehash: hash every stored photo that has no hashes yet (photos from before this "
        "feature; --all hashes every photo again, keeping what its upload's EXIF said). "
        "recheck: check every closing that has no photo check yet (--all: every closing "
        "again; supervisors' verdicts are kept). Safe to run again and to interrupt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rehash", "recheck"])
        parser.add_argument("--all", dest="redo", action="store_true", help="redo what is there")

    def handle(self, *args: Any, action: str, redo: bool = False, **opts: Any) -> None:
        if action == "rehash":
            self.rehash(redo=redo)
        else:
            self.recheck(redo=redo)

    def rehash(self, *, redo: bool) -> None:
        photos = Photo.objects.exclude(image="").order_by("pk")
        if not redo:
            photos = photos.filter(evidence__isnull=True)
        done = failed = 0
        for photo in photos.iterator(chunk_size=500):
            try:
                record_stored_copy(photo)
                done += 1
            except (OSError, ValueError, SyntaxError) as exc:  # a missing or unreadable file
                failed += 1
                self.stderr.write(f"photo {photo.pk} ({photo.image.name}): {exc}")
        total = PhotoHash.objects.count()
        self.stdout.write(f"{done:,} photo(s) hashed, {failed:,} unreadable; {total:,} in all")

    def recheck(self, *, redo: bool) -> None:
        closings = Event.objects.filter(kind=Event.Kind.CLOSED).order_by("at", "pk")
        if not redo:
            closings = closings.filter(photo_check__isnull=True)
        done = 0
        for event in closings.select_related("photo").iterator(chunk_size=500):
            check_closing(event)
            done += 1
        suspect = PhotoCheck.objects.filter(status=PhotoCheck.Status.SUSPECT).count()
        self.stdout.write(f"{done:,} closing(s) checked; {suspect:,} suspect in all")
