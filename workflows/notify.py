"""Tell the next actors: an in-app inbox entry and an e-mail through Django's mail framework."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils.translation import gettext as _

from workflows import roles as R


def _users_in(groups: set[str], units: set[int] | None = None, provinces: set[int] | None = None):
    User = get_user_model()
    names = [R.GROUPS[g] for g in groups]
    users = User.objects.filter(is_active=True, groups__name__in=names)
    if units is not None:
        users = users.filter(membership__unit_id__in=units)
    if provinces is not None:
        users = users.filter(membership__province_id__in=provinces)
    return list(users.distinct())


def next_actors(circular, transition: str) -> list:
    """Who has something to do now that `transition` happened."""
    owner = circular.owner_unit
    unit_ids = R.unit_lineage(owner) if owner else set()
    if transition in ("submit", "endorse"):
        step = circular.current_endorsement_step()
        if step is not None:
            if step.endorser_id:
                return [step.endorser]
            wanted = (step.endorser_unit or step.unit).pk
            return _users_in({R.ENDORSER, R.SIGNATORY}, units={wanted})
        return _users_in({R.SIGNATORY}, units=unit_ids) + [
            d.delegate for d in circular.current_delegations()
        ]
    if transition in ("request_changes", "close", "reopen", "cancel", "withdraw"):
        return [circular.owner] if circular.owner_id else []
    if transition == "sign":
        return _users_in({R.REGISTRAR}, units=unit_ids)
    if transition == "distribute":
        provinces = {p.pk for p in circular.addressed_province_list()} or None
        return _users_in({R.PROVINCE_OFFICER}, provinces=provinces)
    return []


def notify_transition(outcome, actor) -> int:
    from workflows.machine import TRANSITIONS

    circular = outcome.circular
    recipients = [u for u in next_actors(circular, outcome.transition) if u != actor]
    if not recipients:
        return 0
    label = str(TRANSITIONS[outcome.transition][0])
    message = _("%(transition)s: %(subject)s (%(number)s)") % {
        "transition": label,
        "subject": circular.subject[:200],
        "number": circular.doc_number or _("no number yet"),
    }
    link = f"{settings.WAGTAILADMIN_BASE_URL}/admin/wian/circulars/{circular.pk}/"
    return send_notifications(
        recipients, circular=circular, verb=outcome.transition, message=message, link=link
    )


def send_notifications(
    recipients, *, circular, verb: str, message: str, link: str, mail_on_commit: bool = False
) -> int:
    """Tell `recipients` (users) something about `circular`: one inbox entry each and an e-mail
    to those with an address, with `link` (an absolute URL) in its body. Returns how many.
    With `mail_on_commit` the mail leaves only once the caller's transaction commits (a rolled
    back reminder must not have been mailed)."""
    from workflows.models import Notification

    recipients = list(recipients)
    if not recipients:
        return 0
    Notification.objects.bulk_create(
        (Notification(user=u, circular=circular, verb=verb, message=message) for u in recipients),
        batch_size=500,
    )
    mails = [
        (
            f"[Wian] {message}"[:200],
            f"{message}\n\n{link}\n",
            settings.DEFAULT_FROM_EMAIL,
            [u.email],
        )
        for u in recipients
        if u.email
    ]
    if mail_on_commit:
        if mails:
            transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
    else:
        send_mass_mail(mails, fail_silently=True)
    return len(recipients)
