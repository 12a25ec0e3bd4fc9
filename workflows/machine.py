"""The circular's state machine, declared once on django-fsm-2.

    draft ──sign──▶ signed ──distribute──▶ distributed ──close──▶ closed
      │ submit/endorse/          │ cancel             │ withdraw        │ reopen
      │ request_changes/retract  ▼                    ▼                 ▼
      └───────(inside draft)   cancelled          withdrawn        distributed

Transitions are fired only through `workflows.services.fire`, which checks the permission
table, requires comments where stated, records history and notifies. The state belongs to the
page, not to its revisions: Wagtail's publish, revert and copy cannot move it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from workflows.permissions import EDITING as EDITING_STATUS
from workflows.permissions import ENDORSED, IN_REVIEW
from workflows.states import CircularState as S

REVIEW_STATUSES = [
    (EDITING_STATUS, _("Being drafted")),
    (IN_REVIEW, _("In review")),
    (ENDORSED, _("Endorsed, awaiting signature")),
]

# Fields that belong to the circular as a whole, never to a revision of its content.
WORKFLOW_FIELDS = (
    "state",
    "review_status",
    "review_round",
    "signed_by",
    "signed_at",
    "signed_as_delegate",
    "content_sha256",
    "distribute_at",
    "distributed_at",
    "closed_at",
    "withdrawn_at",
    "withdrawal_reason",
    "cancelled_at",
    "cancellation_reason",
    "supersedes",
    "signed_scan",
)
# Set by signing; editable only while the circular is a draft.
NUMBER_FIELDS = (
    "doc_number",
    "doc_ministry",
    "doc_unit_code",
    "doc_is_circular",
    "doc_running",
    "doc_number_key",
    "issued_on",
    "issued_on_month_only",
    "signatory_name",
    "signatory_position",
    "signatory_acting_for",
)

# name → (label, from, to); the same facts as the decorators below, for diagrams and menus.
TRANSITIONS: dict[str, tuple] = {
    "submit": (_("Submit for endorsement"), S.DRAFT, S.DRAFT),
    "retract": (_("Retract submission"), S.DRAFT, S.DRAFT),
    "endorse": (_("Endorse (initial)"), S.DRAFT, S.DRAFT),
    "request_changes": (_("Request changes"), S.DRAFT, S.DRAFT),
    "sign": (_("Sign"), S.DRAFT, S.SIGNED),
    "schedule_distribution": (_("Schedule distribution"), S.SIGNED, S.SIGNED),
    "distribute": (_("Distribute"), S.SIGNED, S.DISTRIBUTED),
    "cancel": (_("Cancel"), S.SIGNED, S.CANCELLED),
    "close": (_("Close"), S.DISTRIBUTED, S.CLOSED),
    "reopen": (_("Reopen"), S.CLOSED, S.DISTRIBUTED),
    "withdraw": (_("Withdraw"), S.DISTRIBUTED, S.WITHDRAWN),
    "amend": (_("Amend (new draft)"), (S.DISTRIBUTED, S.CLOSED), None),
    "acknowledge": (_("Acknowledge receipt"), (S.DISTRIBUTED, S.CLOSED), None),
}


def _is_editing(instance) -> bool:
    return instance.review_status == EDITING_STATUS


def _is_in_review(instance) -> bool:
    return instance.review_status in (IN_REVIEW, ENDORSED)


def _is_under_review(instance) -> bool:
    return instance.review_status == IN_REVIEW


def _is_endorsed(instance) -> bool:
    return instance.review_status == ENDORSED


class CircularWorkflowMixin(ConcurrentTransitionMixin, models.Model):
    """Workflow fields and transitions of a circular page."""

    state = FSMField(
        _("state"),
        max_length=16,
        choices=S.choices,
        default=S.DRAFT,
        editable=False,
        db_index=True,
    )
    review_status = models.CharField(
        _("review"), max_length=16, choices=REVIEW_STATUSES, default=EDITING_STATUS, editable=False
    )
    review_round = models.PositiveSmallIntegerField(default=0, editable=False)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True, editable=False)
    signed_as_delegate = models.BooleanField(default=False, editable=False)
    content_sha256 = models.CharField(
        _("verification code"), max_length=64, blank=True, editable=False
    )
    distribute_at = models.DateTimeField(_("distribute at"), null=True, blank=True, editable=False)
    distributed_at = models.DateTimeField(
        _("distributed at"), null=True, blank=True, editable=False
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    cancellation_reason = models.TextField(_("reason for cancellation"), blank=True, editable=False)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("amends"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="amendments",
        editable=False,
    )
    signed_scan = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("scanned signed copy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True

    # -- transitions: what changes on the circular itself ----------------------------------
    # (services.fire supplies actor and comment and does history, audit log and notices)

    @transition(field=state, source=S.DRAFT, target=S.DRAFT, conditions=[_is_editing])
    def submit(self, actor, comment: str = "") -> None:
        self.review_round += 1
        self.review_status = IN_REVIEW
        if self.current_endorsement_step() is None:
            self.review_status = ENDORSED  # the unit has no chain configured

    @transition(field=state, source=S.DRAFT, target=S.DRAFT, conditions=[_is_in_review])
    def retract(self, actor, comment: str = "") -> None:
        self.review_status = EDITING_STATUS

    @transition(field=state, source=S.DRAFT, target=S.DRAFT, conditions=[_is_under_review])
    def endorse(self, actor, comment: str = "", initials: str = "") -> None:
        from workflows.models import Endorsement

        step = self.current_endorsement_step()
        Endorsement.objects.create(
            circular=self,
            round=self.review_round,
            step_order=step.order,
            step_title=step.title,
            user=actor,
            initials=initials or _initials_of(actor),
            comment=comment,
        )
        if self.current_endorsement_step() is None:
            self.review_status = ENDORSED

    @transition(field=state, source=S.DRAFT, target=S.DRAFT, conditions=[_is_in_review])
    def request_changes(self, actor, comment: str = "") -> None:
        self.review_status = EDITING_STATUS

    @transition(field=state, source=S.DRAFT, target=S.SIGNED, conditions=[_is_endorsed])
    def sign(self, actor, comment: str = "") -> None:
        from workflows.hashing import content_fingerprint
        from workflows.register import issue_number

        self.materialize_latest_revision()
        today = timezone.localdate()
        delegation = self.current_delegation(actor)
        number = issue_number(self.owner_unit, today.year + 543, circular=self)
        self.doc_number = number
        self.issued_on = today
        self.issued_on_month_only = False
        self.signed_by = actor
        self.signed_at = timezone.now()
        self.signed_as_delegate = delegation is not None
        self.signatory_name = actor.get_full_name() or actor.get_username()
        if delegation is not None:
            self.signatory_position = delegation.position
            self.signatory_acting_for = delegation.acting_for
        self.sync_derived_fields()
        self.content_sha256 = content_fingerprint(self)

    @transition(field=state, source=S.SIGNED, target=S.SIGNED)
    def schedule_distribution(self, actor, comment: str = "", at: datetime.datetime | None = None):
        if at is None:
            raise ValueError("a time is required")
        self.distribute_at = at

    @transition(field=state, source=S.SIGNED, target=S.DISTRIBUTED)
    def distribute(self, actor, comment: str = "") -> None:
        self.distributed_at = timezone.now()
        self.distribute_at = None

    @transition(field=state, source=S.SIGNED, target=S.CANCELLED)
    def cancel(self, actor, comment: str = "") -> None:
        self.cancelled_at = timezone.now()
        self.cancellation_reason = comment
        self.register_entries.update(cancelled=True)

    @transition(field=state, source=S.DISTRIBUTED, target=S.CLOSED)
    def close(self, actor, comment: str = "") -> None:
        self.closed_at = timezone.now()

    @transition(field=state, source=S.CLOSED, target=S.DISTRIBUTED)
    def reopen(self, actor, comment: str = "") -> None:
        self.closed_at = None

    @transition(field=state, source=S.DISTRIBUTED, target=S.WITHDRAWN)
    def withdraw(self, actor, comment: str = "") -> None:
        self.withdrawn_at = timezone.now()
        self.withdrawal_reason = comment

    @transition(field=state, source=[S.DISTRIBUTED, S.CLOSED], target=None)
    def amend(self, actor, comment: str = ""):
        """Start a new draft that will supersede this circular once it is distributed."""
        return self.start_amendment(actor)

    @transition(field=state, source=[S.DISTRIBUTED, S.CLOSED], target=None)
    def acknowledge(self, actor, comment: str = "", receive_number: str = "", receive_date=None):
        recipient = self.recipient_for(actor)
        recipient.acknowledged_at = timezone.now()
        recipient.acknowledged_by = actor
        recipient.receive_number = receive_number
        recipient.receive_date = receive_date or timezone.localdate()
        recipient.opened_at = recipient.opened_at or recipient.acknowledged_at
        recipient.save()
        return recipient


def _initials_of(user) -> str:
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if first:
        return f"{first[:1]}.{last[:1]}." if last else first
    return user.get_username()
