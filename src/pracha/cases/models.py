"""Cases (citizen reports), their categories, photos, private reporter contact and timeline."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from pracha.agencies.models import Agency
from pracha.cases.searchtext import public_search_text
from pracha.citizens.models import Citizen
from pracha.states import CLOSED_STATES, State

# Fields whose masked copy is kept in Case.search_text (see cases.searchtext).
SEARCHED_FIELDS = frozenset({"description", "address"})


class Category(models.Model):
    """One of Traffy Fondue's 24 problem categories (kept as data in taxonomy.csv)."""

    code = models.SlugField(max_length=40, unique=True)
    name_th = models.CharField(max_length=100, unique=True)
    name_en = models.CharField(max_length=100)
    group = models.CharField(max_length=40, blank=True)
    aliases = models.TextField(blank=True, help_text="Other names for it, separated by |")
    keywords = models.TextField(blank=True, help_text="Words that suggest it, separated by |")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return f"{self.name_th} ({self.code})"


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.exclude(state__in=CLOSED_STATES)

    def closed(self) -> CaseQuerySet:
        return self.filter(state__in=CLOSED_STATES)

    def visible_to_agency(self, agency: Agency) -> CaseQuerySet:
        """Cases an agency is responsible for or has been invited to."""
        return self.filter(models.Q(agency=agency) | models.Q(co_agencies=agency)).distinct()

    # django-stubs' plugin makes a QuerySet["Case"] subclass generic over a TypeVar bound to
    # Case, so list[Case] cannot match the list[_Model] of the overridden signature; `self`
    # annotated so super() is the concrete QuerySet[Case] (a runtime no-op).
    def bulk_create(  # type: ignore[override]
        self: CaseQuerySet, objs: Iterable[Case], *args: Any, **kwargs: Any
    ) -> list[Case]:
        objs = list(objs)
        for case in objs:  # bulk inserts skip save(): fill the masked copy here
            case.search_text = public_search_text(case.description, case.address)
        return super().bulk_create(objs, *args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        """Keeps search_text in step when description or address change in bulk."""
        if "search_text" in kwargs or not SEARCHED_FIELDS & kwargs.keys():
            return super().update(**kwargs)
        if all(isinstance(kwargs.get(name), str) for name in SEARCHED_FIELDS):
            kwargs["search_text"] = public_search_text(kwargs["description"], kwargs["address"])
            return super().update(**kwargs)
        pks = list(self.values_list("pk", flat=True))
        count = super().update(**kwargs)
        refresh_search_text(Case.objects.filter(pk__in=pks))
        return count


class CaseKind(models.TextChoices):
    """A public report, or a citizen's private request for a service (a life-event step):
    the request holds personal data and is never public (see PublicCaseManager)."""

    REPORT = "report", "Report"
    SERVICE_REQUEST = "service_request", "Service request"


class PublicCaseManager(models.Manager.from_queryset(CaseQuerySet)):  # type: ignore[misc]
    """`Case.objects`: reports only. Every public query (lists, map, search, ticket page, open
    data, indicators, Open311) starts here, so a service request stays out of all of them
    without each remembering to exclude it; the inbox reads `Case.all_kinds`."""

    def get_queryset(self) -> CaseQuerySet:
        return super().get_queryset().filter(kind=CaseKind.REPORT)


class Case(models.Model):
    class Source(models.TextChoices):
        API = "api", "JSON API"
        WEB = "web", "Web form"
        OPEN311 = "open311", "Open311"
        TRAFFY = "traffy", "Traffy Fondue import"
        JOURNEY = "journey", "Life-event journey"
        LINE = "line", "LINE chat"

    ticket_id = models.CharField(max_length=32, unique=True)
    description = models.TextField(blank=True)
    categories = models.ManyToManyField(Category, blank=True, related_name="cases")
    source_labels = models.CharField(
        max_length=500, blank=True, help_text="Category labels exactly as the source gave them"
    )
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    address = models.TextField(blank=True)
    subdistrict = models.CharField(max_length=100, blank=True)
    # Indexed by case_district_created_idx (district first); a second index cost every insert.
    district = models.CharField(max_length=100, blank=True)
    province = models.CharField(max_length=100, blank=True)

    state = models.CharField(max_length=20, choices=State.choices, default=State.WAITING)
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,  # case_agency_state_idx leads with it
    )
    co_agencies = models.ManyToManyField(Agency, blank=True, related_name="shared_cases")

    stars = models.PositiveSmallIntegerField(null=True, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveIntegerField(default=0)
    me_too_count = models.PositiveIntegerField(default=0)
    forward_count = models.PositiveIntegerField(default=0)

    source = models.CharField(max_length=10, choices=Source.choices, default=Source.API)
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    # SHA-256 of the request that used the key: a retry must be the same request.
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, default="")
    language = models.CharField(max_length=5, default="th")
    # The account of the reporter: filed while signed in, or claimed with the citizen_token.
    # Deleting the account keeps the case, anonymous, for statistics.
    citizen = models.ForeignKey(
        Citizen, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Description and address with personal data masked: what public search may match.
    search_text = models.TextField(blank=True, default="", editable=False)
    kind = models.CharField(max_length=20, choices=CaseKind.choices, default=CaseKind.REPORT)

    objects = PublicCaseManager()
    # Reports and service requests: for an agency's own inbox and the workflow only.
    all_kinds = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["-created_at"], name="case_created_idx"),
            models.Index(fields=["state", "-created_at"], name="case_state_created_idx"),
            models.Index(fields=["agency", "state", "-created_at"], name="case_agency_state_idx"),
            models.Index(fields=["district", "-created_at"], name="case_district_created_idx"),
            # Duplicate detection: recent cases in a small lat/lon box around a new report.
            models.Index(fields=["lat", "lon", "created_at"], name="case_lat_lon_created_idx"),
        ]

    def __str__(self) -> str:
        return self.ticket_id

    def save(self, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        if fields is None or SEARCHED_FIELDS & set(fields):
            self.search_text = public_search_text(self.description, self.address)
            if fields is not None:
                kwargs["update_fields"] = {*fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def is_closed(self) -> bool:
        return self.state in CLOSED_STATES

    @property
    def is_private(self) -> bool:
        return self.kind != CaseKind.REPORT


def refresh_search_text(cases: models.QuerySet[Any], chunk: int = 1000) -> int:
    """Recompute search_text (after the masking rules changed); returns rows changed.

    Each chunk commits on its own (under autocommit), so a long run holds no lock on the
    whole table and an interrupted run resumes where it stopped: fresh rows are not rewritten.
    Works on a migration's historical Case too (the backfill in migration 0005).
    """
    model = cases.model
    changed = 0
    rows = cases.order_by("pk").values_list("pk", "description", "address", "search_text")
    last = 0
    while batch := list(rows.filter(pk__gt=last)[:chunk]):
        last = batch[-1][0]
        stale = [
            model(pk=pk, search_text=fresh)
            for pk, description, address, stored in batch
            if (fresh := public_search_text(description, address)) != stored
        ]
        with transaction.atomic(using=cases.db):
            model._base_manager.using(cases.db).bulk_update(stale, ["search_text"])
        changed += len(stale)
    return changed


class ReporterContact(models.Model):
    """How to reach the person who filed a case. Never published; erasable on request."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="reporter")
    name = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"reporter of {self.case_id}"


class Photo(models.Model):
    class Kind(models.TextChoices):
        BEFORE = "before", "Before"
        AFTER = "after", "After"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BEFORE)
    image = models.ImageField(upload_to="photos/%Y/%m/", blank=True)
    url = models.URLField(max_length=500, blank=True, help_text="Where an imported photo lives")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} photo of {self.case_id}"

    @property
    def public_url(self) -> str:
        return self.image.url if self.image else self.url


class Event(models.Model):
    """One thing that happened to a case. The timeline is the source of truth."""

    class Kind(models.TextChoices):
        CREATED = "created", "Reported"
        ACCEPTED = "accepted", "Accepted"
        STATE_CHANGED = "state_changed", "State changed"
        FORWARDED = "forwarded", "Forwarded"
        INVITED = "invited", "Agency invited"
        COMMENTED = "commented", "Comment"
        CLOSED = "closed", "Closed"
        REOPENED = "reopened", "Reopened"
        RATED = "rated", "Rated"
        ME_TOO = "me_too", "Me too"
        PHOTO_ADDED = "photo_added", "Photo added"
        TRIAGED = "triaged", "Triaged"
        TRIAGE_CORRECTED = "triage_corrected", "Triage corrected"
        MERGED = "merged", "Duplicate merged in"

    # event_case_at_idx leads with it: a second index on it cost every new event.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", db_index=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True, help_text="Who, as shown publicly")
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Agency acting",
    )
    from_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    from_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    is_public = models.BooleanField(default=True)
    photo = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stars = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["case", "at"], name="event_case_at_idx"),
            models.Index(fields=["kind", "at"], name="event_kind_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} at {self.at:%Y-%m-%d %H:%M}"

    def loaded_case(self) -> Case | None:
        """The event's case if it is already in memory (created with it, or prefetched),
        else None: for receivers that may skip work without a query."""
        return self.case if "case" in self._state.fields_cache else None


class MeToo(models.Model):
    """One "me too" per person per case; the unique constraint keeps concurrent presses from
    counting twice. The reporter's own device is kept as well (`by_reporter`, not counted),
    so the reporter cannot add themselves to their own report."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="me_toos")
    # A keyed hash (HMAC with SECRET_KEY) of the device, citizen or, without either, the
    # address: it tells repeats apart without storing the identity itself.
    voter = models.CharField(max_length=64)
    by_reporter = models.BooleanField(default=False)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "voter"], name="metoo_one_per_voter"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} me too{' (reporter)' if self.by_reporter else ''}"
