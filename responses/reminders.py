"""Reminders to the organisations that have not submitted a form, through the workflow's
notifications (an inbox entry and an e-mail: workflows.notify.send_notifications).

``send_reminders(form, actor, force=False)`` → ``ReminderOutcome``
    Reminds every addressed organisation whose status (services.statuses) is not started or
    draft. Who is told: active users whose Membership is that organisation and who answer for
    it (services.respondent_for's rule: province officers of a province; any member of an
    อปท.). Every sending is recorded in Wagtail's audit log on the form page (action
    ``wian.responses.remind``, with the numbers in ``data``); the last one is
    ``last_reminder(form)``. Within ``INTERVAL`` of the last sending it refuses (a Thai
    message) unless ``force``. A closed form (services' rule: ResponseFormPage.is_open) is
    never reminded. Two staff clicking at once send once: the form's page row is locked while
    deciding. The inbox entries are written in that transaction; the e-mails leave only when it
    commits (transaction.on_commit), so a rollback sends nothing that a retry would send again.

``reminder_message(form, now=None)`` is always in the site's language (settings.LANGUAGE_CODE,
Thai), whatever the sender's admin language; after the deadline of a form that accepts late
answers it says the deadline has passed instead of asking for an answer "by" a past date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page, PageLogEntry

from responses import services
from responses.validation import number_text
from workflows import roles as R
from workflows.notify import send_notifications

ACTION = "wian.responses.remind"
INTERVAL = datetime.timedelta(hours=1)
VERB = "response_reminder"


@dataclass
class ReminderOutcome:
    sent: bool
    message: str
    organisations: int = 0
    users: int = 0
    last: PageLogEntry | None = None


def last_reminder(form) -> PageLogEntry | None:
    return (
        PageLogEntry.objects.filter(page_id=form.pk, action=ACTION)
        .select_related("user")
        .order_by("-timestamp", "-pk")
        .first()
    )


def reminders(form, limit: int = 10) -> list[PageLogEntry]:
    """The latest sendings, newest first."""
    entries = PageLogEntry.objects.filter(page_id=form.pk, action=ACTION).select_related("user")
    return list(entries.order_by("-timestamp", "-pk")[:limit])


def not_submitted(form) -> list:
    """The addressed organisations that have not submitted (not started, or a draft)."""
    waiting = (services.NOT_STARTED, services.DRAFT)
    return [org for org, status in services.statuses(form).items() if status in waiting]


def recipients(form, organisations) -> list:
    """Active users who answer for one of `organisations`."""
    ids = [org.pk for org in organisations]
    if not ids:
        return []
    users = get_user_model().objects.filter(is_active=True)
    if form.for_local_organisations:
        users = users.filter(membership__local_organisation_id__in=ids)
    else:
        users = users.filter(
            membership__province_id__in=ids, groups__name=R.GROUPS[R.PROVINCE_OFFICER]
        )
    return list(users.distinct().order_by("pk"))


def can_send_at(form, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """When reminders may be sent again without forcing (None: now)."""
    last = last_reminder(form)
    if last is None:
        return None
    allowed = last.timestamp + INTERVAL
    return allowed if allowed > (now or timezone.now()) else None


def reminder_message(form, now: datetime.datetime | None = None) -> str:
    """The reminder's text, in the site's language (Thai) whoever sends it."""
    with translation.override(settings.LANGUAGE_CODE):
        return _reminder_text(form, now)


def _reminder_text(form, now) -> str:
    from cms.thai.dates import format_thai_date

    circular = form.circular
    deadline = form.deadline_date
    values = {
        "form": form.title,
        "number": circular.doc_number or circular.subject[:120],
        "deadline": format_thai_date(deadline) if deadline else "",
    }
    if deadline and form.is_late(now):
        return (
            _(
                "Reminder: the deadline of the form “%(form)s” of circular %(number)s "
                "(%(deadline)s) has passed and it has not been submitted yet. Late answers are "
                "still accepted, marked as late: please send it as soon as possible."
            )
            % values
        )
    if deadline:
        return (
            _(
                "Reminder: please send the form “%(form)s” of circular %(number)s by "
                "%(deadline)s; it has not been submitted yet."
            )
            % values
        )
    return (
        _(
            "Reminder: please send the form “%(form)s” of circular %(number)s; it has not been submitted yet."
        )
        % values
    )


def _link(form) -> str:
    url = form.full_url
    if url:
        return url
    return f"{settings.WAGTAILADMIN_BASE_URL}{form.url or ''}"


def send_reminders(form, actor, *, force: bool = False, now=None) -> ReminderOutcome:
    from cms.circulars.templatetags.thai_text import thai_datetime

    now = now or timezone.now()
    with transaction.atomic():
        # One sender at a time per form: the rate limit is decided under this lock.
        list(Page.objects.select_for_update().filter(pk=form.pk).values_list("pk", flat=True))
        form.circular.refresh_from_db(fields=["state"])  # closed since the page was read?
        if not form.is_open(now):
            return ReminderOutcome(False, form.closed_reason(now) or _("This form is closed."))
        last = last_reminder(form)
        if last is not None and not force and now - last.timestamp < INTERVAL:
            return ReminderOutcome(
                False,
                _(
                    "Reminders were already sent on %(when)s. To avoid flooding the "
                    "organisations, wait until %(next)s, or tick “send again anyway”."
                )
                % {
                    "when": thai_datetime(last.timestamp),
                    "next": thai_datetime(last.timestamp + INTERVAL),
                },
                last=last,
            )
        organisations = not_submitted(form)
        if not organisations:
            return ReminderOutcome(
                False, _("Every addressed organisation has submitted: nobody to remind.")
            )
        users = recipients(form, organisations)
        if not users:
            return ReminderOutcome(
                False,
                _(
                    "%(count)s organisations have not submitted, but none of them has an active "
                    "user account to remind."
                )
                % {"count": number_text(len(organisations))},
                organisations=len(organisations),
            )
        told = send_notifications(
            users,
            circular=form.circular,
            verb=VERB,
            message=reminder_message(form, now),
            link=_link(form),
            mail_on_commit=True,
        )
        entry = log(
            form,
            ACTION,
            user=actor if getattr(actor, "pk", None) else None,
            timestamp=now,
            data={
                "organisations": len(organisations),
                "users": told,
                "forced": bool(force and last is not None),
            },
        )
    return ReminderOutcome(
        True,
        _("Reminders sent to %(users)s users of %(organisations)s organisations.")
        % {"users": number_text(told), "organisations": number_text(len(organisations))},
        organisations=len(organisations),
        users=told,
        last=entry,
    )
