"""The only way to move a circular: check, fire, record, notify. Used by every channel."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed, can_proceed

from workflows import permissions
from workflows.machine import TRANSITIONS
from workflows.roles import SYSTEM_ACTOR, SystemActor


class WorkflowError(Exception):
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TransitionForbidden(WorkflowError):
    """The user's role does not allow it (HTTP 403)."""

    status = 403


class TransitionInvalid(WorkflowError):
    """Not possible from the circular's current state (HTTP 409)."""

    status = 409


class CommentRequired(WorkflowError):
    status = 400


@dataclass
class Outcome:
    circular: object
    transition: str
    source: str
    target: str
    result: object = None


def _label(circular) -> str:
    return permissions.position(circular)


def fire(circular, name: str, user, comment: str = "", **kwargs) -> Outcome:
    """Fire transition `name` on `circular` as `user`, or raise a WorkflowError saying why not."""
    from cms.circulars.models import CircularPage

    if name not in TRANSITIONS:
        raise TransitionInvalid(_("There is no transition “%(name)s”.") % {"name": name})
    comment = (comment or "").strip()
    with transaction.atomic():
        # Lock the row: two registrars distributing at once must not both succeed.
        circular = CircularPage.objects.select_for_update().get(pk=circular.pk)
        method = getattr(circular, name)
        if not can_proceed(method):
            raise TransitionInvalid(
                _("“%(transition)s” is not possible while the circular is %(state)s.")
                % {"transition": TRANSITIONS[name][0], "state": _describe(circular)}
            )
        reason = permissions.refusal(user, circular, name)
        if reason:
            raise TransitionForbidden(reason)
        if name in permissions.COMMENT_REQUIRED and not comment:
            raise CommentRequired(
                _("A %(what)s is required for “%(transition)s”.")
                % {"what": permissions.COMMENT_REQUIRED[name], "transition": TRANSITIONS[name][0]}
            )
        source = _label(circular)
        try:
            result = method(user if not isinstance(user, SystemActor) else None, comment, **kwargs)
        except TransitionNotAllowed as error:
            raise TransitionInvalid(str(error)) from error
        circular._workflow_save = True
        circular.save()
        target = _label(circular)
        if name == "distribute":
            _publish(circular, user)
            _create_recipients(circular)
        record(circular, name, source, target, user, comment)
        outcome = Outcome(circular, name, source, target, result)
        from workflows.notify import notify_transition

        transaction.on_commit(lambda: notify_transition(outcome, user))
    return outcome


def _describe(circular) -> str:
    if circular.state == "draft":
        return f"{circular.get_state_display()} ({circular.get_review_status_display()})"
    return str(circular.get_state_display())


def record(circular, name: str, source: str, target: str, user, comment: str = "") -> None:
    """Append to the circular's hash-chained history and to Wagtail's audit log."""
    from wagtail.log_actions import log

    from workflows.models import TransitionRecord

    last = circular.history.order_by("-sequence").first()
    actor = None if isinstance(user, SystemActor) or user is None else user
    TransitionRecord.objects.create(
        circular=circular,
        sequence=(last.sequence + 1) if last else 1,
        actor=actor,
        actor_name=_actor_name(user),
        at=timezone.now(),
        transition=name,
        source=source,
        target=target,
        comment=comment,
        public=name in PUBLIC_TRANSITIONS,
        previous_hash=last.hash if last else "",
    )
    log(
        instance=circular,
        action=f"wian.{name}",
        user=actor,
        data={"from": source, "to": target, "comment": comment},
    )


# Transitions the public subset of the history shows on the circular's page.
PUBLIC_TRANSITIONS = {"distribute", "close", "reopen", "withdraw", "imported", "amend"}


def record_imported(circulars) -> None:
    """First history record of circulars created in bulk by an import."""
    from workflows.models import TransitionRecord

    now = timezone.now()
    records = []
    for circular in circulars:
        entry = TransitionRecord(
            circular=circular,
            sequence=1,
            actor_name=str(SYSTEM_ACTOR),
            at=now,
            transition="imported",
            source="",
            target=_label(circular),
            comment="imported",
            public=True,
            previous_hash="",
        )
        entry.hash = entry.compute_hash()
        records.append(entry)
    TransitionRecord.objects.bulk_create(records)


def _actor_name(user) -> str:
    if user is None or isinstance(user, SystemActor):
        return str(SYSTEM_ACTOR)
    return user.get_full_name() or user.get_username()


def enter_state(circular, state: str, *, user=None, comment: str = "imported") -> None:
    """Place a circular directly in a state (imports only), recorded as 'imported'."""
    source = _label(circular) if circular.pk else ""
    circular.state = state
    circular._workflow_save = True
    if circular.pk:
        circular.save()
    record(circular, "imported", source, _label(circular), user, comment)


def _publish(circular, user) -> None:
    """Make the page live through Wagtail, so live_revision and the audit log stay right."""
    actor = None if isinstance(user, SystemActor) else user
    revision = circular.save_revision(user=actor, log_action=False, clean=False)
    revision.publish(user=actor, log_action=False, skip_permission_checks=True)
    circular.refresh_from_db()


def _create_recipients(circular) -> None:
    from cms.organisations.models import Province
    from workflows.models import Recipient

    provinces = circular.addressed_province_list() or list(Province.objects.all())
    now = timezone.now()
    Recipient.objects.bulk_create(
        [Recipient(circular=circular, province=p, notified_at=now) for p in provinces],
        ignore_conflicts=True,
    )


def attach_scan(circular, user, uploaded_file, title: str = ""):
    """The registrar files the scanned signed copy; the signed content itself stays frozen."""
    from wagtail.documents import get_document_model

    from cms.circulars.models import CircularPage

    if not permissions.can_attach_scan(user, circular):
        raise TransitionForbidden(
            _("Only the registrar may attach the scanned signed copy, once the circular is signed.")
        )
    with transaction.atomic():
        circular = CircularPage.objects.select_for_update().get(pk=circular.pk)
        document = get_document_model().objects.create(
            title=title or f"{circular.doc_number} (ฉบับลงนาม)",
            file=uploaded_file,
            uploaded_by_user=user,
        )
        CircularPage.objects.filter(pk=circular.pk).update(signed_scan=document)
        circular.signed_scan = document
        position = _label(circular)
        record(circular, "attach_scan", position, position, user, document.title)
    return document
