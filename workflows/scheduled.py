"""Scheduled transitions, fired by the system actor: timed distribution and deadline closing.

Run by cron (`manage.py run_scheduled`, `manage.py close_overdue`) or as a django-tasks task
(`workflows.tasks.run_scheduled_task`). Every function is idempotent: a circular that was
already moved is no longer selected, so running twice does nothing more.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows import services
from workflows.roles import SYSTEM_ACTOR
from workflows.states import CircularState

logger = logging.getLogger(__name__)


@dataclass
class Report:
    """What a run did: (circular id, printed number or subject) per transition, and failures."""

    distributed: list[tuple[int, str]] = field(default_factory=list)
    closed: list[tuple[int, str]] = field(default_factory=list)
    failed: list[tuple[int, str, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "distributed": [pk for pk, _name in self.distributed],
            "closed": [pk for pk, _name in self.closed],
            "failed": [
                {"id": pk, "transition": name, "reason": why} for pk, name, why in self.failed
            ],
        }

    def lines(self) -> list[str]:
        out = [
            _("Distributed %(id)s: %(name)s") % {"id": pk, "name": name}
            for pk, name in self.distributed
        ]
        out += [_("Closed %(id)s: %(name)s") % {"id": pk, "name": name} for pk, name in self.closed]
        out += [
            _("Could not %(transition)s %(id)s: %(reason)s")
            % {"transition": name, "id": pk, "reason": why}
            for pk, name, why in self.failed
        ]
        return out


def _name(circular) -> str:
    return f"{circular.doc_number} {circular.subject[:80]}".strip()


def due_for_distribution(now: datetime.datetime | None = None):
    """Signed circulars whose scheduled distribution time has come."""
    from cms.circulars.models import CircularPage

    now = now or timezone.now()
    return CircularPage.objects.filter(
        state=CircularState.SIGNED, distribute_at__isnull=False, distribute_at__lte=now
    ).order_by("distribute_at", "pk")


def overdue(today: datetime.date | None = None):
    """Distributed circulars whose response deadline has passed (the deadline day itself is
    still open). A circular a registrar reopened after its deadline stays open: they chose so.
    So does a circular with a response form that still accepts answers (late answers accepted,
    or the form's own deadline not yet passed): closing the circular would close that form."""
    from django.db.models import Q

    from cms.circulars.models import CircularPage
    from responses.models import LatePolicy, ResponseFormPage
    from workflows.models import TransitionRecord

    today = today or timezone.localdate()
    reopened_late = TransitionRecord.objects.filter(
        circular=OuterRef("pk"), transition="reopen", at__date__gt=OuterRef("response_deadline")
    )
    form_still_open = ResponseFormPage.objects.filter(
        Q(late_policy=LatePolicy.ACCEPT_FLAGGED) | Q(deadline__gte=today),
        circular=OuterRef("pk"),
        live=True,
    )
    return (
        CircularPage.objects.filter(
            state=CircularState.DISTRIBUTED,
            response_deadline__isnull=False,
            response_deadline__lt=today,
        )
        .exclude(Exists(reopened_late))
        .exclude(Exists(form_still_open))
        .order_by("response_deadline", "pk")
    )


def _fire_each(circulars, name: str, comment: str, done: list, report: Report) -> None:
    for circular in circulars:
        try:
            services.fire(circular, name, SYSTEM_ACTOR, comment)
        except services.WorkflowError as error:
            report.failed.append((circular.pk, name, error.message))
        except Exception as error:  # one broken circular must not stop the others
            logger.exception("scheduled %s of circular %s failed", name, circular.pk)
            report.failed.append((circular.pk, name, str(error)))
        else:
            done.append((circular.pk, _name(circular)))


def distribute_due(now: datetime.datetime | None = None, report: Report | None = None) -> Report:
    report = report or Report()
    _fire_each(
        list(due_for_distribution(now)),
        "distribute",
        _("Distributed at the scheduled time."),
        report.distributed,
        report,
    )
    return report


def close_overdue(today: datetime.date | None = None, report: Report | None = None) -> Report:
    report = report or Report()
    _fire_each(
        list(overdue(today)),
        "close",
        _("Closed automatically: the response deadline has passed."),
        report.closed,
        report,
    )
    return report


def run_scheduled(now: datetime.datetime | None = None) -> Report:
    """Distribute what is due, then close what is overdue."""
    now = now or timezone.now()
    report = distribute_due(now)
    return close_overdue(timezone.localdate(now), report)
