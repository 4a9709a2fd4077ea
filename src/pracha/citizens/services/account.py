"""The account itself: its channels (ways in), language, notification settings, deletion."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from pracha.audit.log import audit
from pracha.citizens.addresses import address_key, mask, normalise_email
from pracha.citizens.errors import ChannelTaken, CitizenError
from pracha.citizens.models import (
    Channel,
    ChannelKind,
    Citizen,
    Language,
    NotificationSetting,
    SignInCode,
    SignInFailure,
)
from pracha.citizens.signals import citizen_deleting, my_pracha_items

CHANNELS = [ChannelKind.EMAIL, ChannelKind.LINE]


def label(citizen: Citizen) -> str:
    """How audit entries name a citizen: never by their address."""
    return f"citizen #{citizen.pk}"


def citizen_by_channel(kind: str, address: str) -> Citizen | None:
    """The account a verified channel leads to (address already normalised)."""
    channel = Channel.objects.select_related("citizen").filter(kind=kind, address=address).first()
    return None if channel is None else channel.citizen


def do_link_channel(citizen: Citizen, kind: str, address: str) -> Channel:
    """Add a verified way into the account (LINE, a second e-mail). The caller has verified
    it. A channel that already leads into another account is refused: one person, one
    account (joining two accounts is a decision for the person, not a side effect)."""
    if kind not in ChannelKind.values:
        raise CitizenError(f"unknown channel {kind!r}", field="kind")
    if kind == ChannelKind.EMAIL:
        address = normalise_email(address)
    address = address.strip()
    if not address:
        raise CitizenError("the channel needs an address", field="address")
    existing = Channel.objects.filter(kind=kind, address=address).first()
    if existing is not None:
        if existing.citizen_id == citizen.pk:
            return existing
        raise ChannelTaken(f"this {kind} already signs into another account", field="address")
    try:
        with transaction.atomic():
            channel = Channel.objects.create(citizen=citizen, kind=kind, address=address)
    except IntegrityError as exc:
        raise ChannelTaken(f"this {kind} already signs into another account") from exc
    audit(
        "citizen.channel_added",
        obj=citizen,
        actor_label=label(citizen),
        detail={"channel": kind, "address": mask(kind, address)},
    )
    return channel


def do_set_language(citizen: Citizen, language: str) -> None:
    if language not in Language.values:
        raise CitizenError("language must be th or en", field="language")
    if citizen.language != language:
        Citizen.objects.filter(pk=citizen.pk).update(language=language)
        citizen.language = language
        audit(
            "citizen.settings_changed",
            obj=citizen,
            actor_label=label(citizen),
            detail={"language": language},
        )


def notification_settings(citizen: Citizen) -> dict[str, bool]:
    """Per channel whether the citizen hears about their reports there (on by default)."""
    chosen = dict(citizen.notification_settings.values_list("channel", "enabled"))
    return {kind.value: chosen.get(kind.value, True) for kind in CHANNELS}


def do_set_notifications(citizen: Citizen, wanted: dict[str, bool]) -> dict[str, bool]:
    unknown = sorted(set(wanted) - set(ChannelKind.values))
    if unknown:
        raise CitizenError(
            f"unknown channels: {', '.join(unknown)} (email, line)", field="notifications"
        )
    if any(not isinstance(value, bool) for value in wanted.values()):
        raise CitizenError("each channel is true or false", field="notifications")
    before = notification_settings(citizen)
    now = timezone.now()
    for channel, enabled in wanted.items():
        NotificationSetting.objects.update_or_create(
            citizen=citizen, channel=channel, defaults={"enabled": enabled, "updated_at": now}
        )
    after = notification_settings(citizen)
    if after != before:
        audit(
            "citizen.settings_changed",
            obj=citizen,
            actor_label=label(citizen),
            detail={"notifications": after},
        )
    return after


def channels(citizen: Citizen) -> list[dict[str, Any]]:
    return [
        {"kind": c.kind, "address": c.address, "verified_at": c.verified_at}
        for c in citizen.channels.all()
    ]


def email_recipient(citizen: Citizen) -> str:
    """The address to e-mail the citizen about their reports, "" when e-mail is off."""
    if not notification_settings(citizen)[ChannelKind.EMAIL]:
        return ""
    return citizen.email


def email_muted(address: str) -> bool:
    """Whether the address belongs to an account that switched e-mail about reports off (so
    a contact given on a report form with that address is not e-mailed either)."""
    try:
        address = normalise_email(address)
    except CitizenError:
        return False
    citizen = citizen_by_channel(ChannelKind.EMAIL, address)
    return citizen is not None and not notification_settings(citizen)[ChannelKind.EMAIL]


def items(citizen: Citizen) -> dict[str, list[Any]]:
    """What other apps keep for the citizen (supports, journeys...), by name."""
    found: dict[str, list[Any]] = {}
    for _receiver, answer in my_pracha_items.send(sender=Citizen, citizen=citizen):
        if isinstance(answer, dict):
            found.update(answer)
    return found


def do_delete_account(citizen: Citizen) -> None:
    """Delete the account: its channels, tokens, settings, consents, the codes and failed
    tries kept for its addresses, and what other apps keep for it (citizen_deleting).

    The cases it filed are not touched here: pracha.privacy.accounts erases their contact
    first and keeps them, anonymous, for statistics (Case.citizen is SET_NULL)."""
    with transaction.atomic():
        keys = [address_key(c.kind, c.address) for c in citizen.channels.all()]
        citizen_deleting.send(sender=Citizen, citizen=citizen)
        SignInCode.objects.filter(address_key__in=keys).delete()
        SignInFailure.objects.filter(address_key__in=keys).delete()
        Citizen.objects.filter(pk=citizen.pk).delete()
