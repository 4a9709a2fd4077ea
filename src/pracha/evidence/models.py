"""Hashes and capture facts of stored photos, and the check of each closing's after-photo."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from pracha.agencies.models import Agency
from pracha.cases.models import Case, Event, Photo


class PhotoHash(models.Model):
    """One stored photo as the checks see it (pracha.evidence.hashing).

    `phash` is also cut into four 16-bit bands, each indexed: two hashes at most r bits apart
    agree exactly on one band when r < 4, and within floor(r / 4) bits on one band in general
    (pigeonhole), so a query for every hash within r bits is a few indexed equality lookups
    (pracha.evidence.index), the same on SQLite and PostgreSQL.

    EXIF facts come from the original upload, before the served copy was stripped. The place
    is kept only for after-photos, the ones checked against the case's pin; reporters' before
    photos keep their capture time and camera (to recognise the same shot), never where the
    reporter stood.
    """

    class Source(models.TextChoices):
        UPLOAD = "upload", "Upload (original, EXIF read)"
        STORED = "stored", "Stored copy (no EXIF)"

    photo = models.OneToOneField(
        Photo, on_delete=models.CASCADE, primary_key=True, related_name="evidence"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    phash = models.BigIntegerField(help_text="64-bit pHash, signed")
    dhash = models.BigIntegerField()
    phash_mirror = models.BigIntegerField()
    dhash_mirror = models.BigIntegerField()
    band0 = models.IntegerField()
    band1 = models.IntegerField()
    band2 = models.IntegerField()
    band3 = models.IntegerField()
    windows = models.BinaryField(help_text="pHashes of crops of the photo (8 bytes each)")
    turns = models.BinaryField(help_text="pHashes of the photo and its mirror, turned")
    detail = models.FloatField(help_text="Relative contrast (%) the hashes see; low is featureless")
    low_detail = models.BooleanField(default=False)
    trimmed = models.BooleanField(default=False, help_text="A border or strip was cut off")
    taken_at = models.DateTimeField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    camera = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.UPLOAD)
    hashed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # Covering indexes: a lookup reads index entries only, never the table's rows.
        indexes = [
            models.Index(
                fields=[band, "low_detail", "phash", "case", "photo"], name=f"evidence_{band}_idx"
            )
            for band in ("band0", "band1", "band2", "band3")
        ]

    def __str__(self) -> str:
        return f"hashes of photo {self.photo_id}"


class PhotoCheck(models.Model):
    """The check of one closing (a `closed` event) and of its after-photo."""

    class Status(models.TextChoices):
        OK = "ok", "Nothing found"
        SUSPECT = "suspect", "Suspect: a supervisor should look"
        NONE = "none", "Not checked (no after-photo, or it could not be read)"

    class Verdict(models.TextChoices):
        NONE = "", "Not reviewed"
        GENUINE = "genuine", "The photo shows the fix"
        NOT_GENUINE = "not_genuine", "The photo does not show the fix"

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="photo_check")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photo_checks")
    photo = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The agency responsible for the case when it was closed",
    )
    closed_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices)
    reasons = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)
    checked_at = models.DateTimeField(default=timezone.now)
    verdict = models.CharField(max_length=12, choices=Verdict.choices, blank=True, default="")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-closed_at", "-id"]
        indexes = [
            models.Index(fields=["case", "-closed_at"], name="evidence_check_case_idx"),
            # The supervisors' list and the agencies' share of suspect closings per period.
            models.Index(
                fields=["agency", "status", "closed_at"], name="evidence_check_agency_idx"
            ),
            models.Index(fields=["closed_at", "agency", "status"], name="evidence_check_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.status} closing of {self.case_id}"

    @property
    def under_review(self) -> bool:
        return self.status == self.Status.SUSPECT and not self.verdict
