"""The words of the e-mails about citizens' proposals (pracha.notify decides who gets them)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from pracha.proposals.models import ProposalEvent
from pracha.web.proposal_names import decision_name, event_sentence


def proposal_message(event: ProposalEvent, address: str, language: str) -> EmailMessage:
    proposal = event.proposal
    link = f"{settings.PRACHA.base_url}/proposals/{proposal.ref}/"
    with translation.override(language):
        what = event_sentence(event)
        lines = [what, "", f"{proposal.ref}: {proposal.title}", ""]
        if event.kind == ProposalEvent.Kind.ANSWERED:
            lines += [_("Decision: %(decision)s") % {"decision": decision_name(event)}, ""]
        if event.note:
            lines += [event.note, ""]
        if event.kind == ProposalEvent.Kind.MERGED and event.data.get("into"):
            into = event.data["into"]
            link = f"{settings.PRACHA.base_url}/proposals/{into}/"
        lines += [_("Read it on Pracha: %(link)s") % {"link": link}]
        subject = _("Proposal %(ref)s: %(what)s") % {"ref": proposal.ref, "what": what}
    return EmailMessage(subject=" ".join(subject.split()), body="\n".join(lines), to=[address])
