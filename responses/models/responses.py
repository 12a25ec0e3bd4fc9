"""What organisations send back: one Response per (form, organisation), its versions and files.

* ``Response``: the working copy (``answers``, plus ``invalid_input``: what was typed into fields
  that failed a format check, kept so nothing is lost), ``status`` (draft until the first
  submission, then submitted), ``version`` (number of submissions), ``submitted_at``,
  ``submitted_by``, ``is_late`` (of the first submission), ``reference`` (receipt number of the
  last submission, "WF-<form id>-<organisation code>-<version>"), ``has_unsent_changes``
  (edited after the last submission), ``edit_token`` (bumped by every change; optimistic
  concurrency). One per (form, province) for province forms and one per (form, local
  organisation) for อปท. forms, enforced by unique constraints.
* ``ResponseVersion``: a snapshot of answers and files: one per submission (kind
  ``submission``; what was sent, shown on the receipt) and one whenever a stale browser tab
  overwrote newer input (kind ``overwritten``). Never changed or deleted.
* ``ResponseFile``: an uploaded file (private storage, random name), found by ``uuid``.
* ``PendingInput``: a form post that arrived after the session expired, kept for 24 hours until
  its author logs in again (responses.views.restore).

Write only through responses.services.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from responses.storage import get_private_storage, response_file_name

PENDING_TTL = datetime.timedelta(hours=24)


class Response(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    form = models.ForeignKey(
        "responses.ResponseFormPage",
        verbose_name=_("form"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    province = models.ForeignKey(
        "organisations.Province",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    local_organisation = models.ForeignKey(
        "organisations.LocalOrganisation",
        verbose_name=_("local administrative organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    invalid_input = models.JSONField(default=dict, blank=True, editable=False)
    has_unsent_changes = models.BooleanField(default=False, editable=False)
    version = models.PositiveIntegerField(_("version"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_late = models.BooleanField(_("late"), default=False)
    reference = models.CharField(_("reference"), max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edit_token = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["form", "province"],
                condition=models.Q(local_organisation__isnull=True),
                name="response_one_per_province",
            ),
            models.UniqueConstraint(
                fields=["form", "local_organisation"],
                name="response_one_per_local_organisation",
            ),
            models.CheckConstraint(
                condition=models.Q(province__isnull=False)
                | models.Q(local_organisation__isnull=False),
                name="response_has_an_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form_id} / {self.organisation}"

    @property
    def organisation(self):
        return self.local_organisation if self.local_organisation_id else self.province

    @property
    def organisation_code(self) -> str:
        return organisation_code(self.organisation)

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def latest_submission(self) -> ResponseVersion | None:
        return (
            self.versions.filter(kind=ResponseVersion.Kind.SUBMISSION).order_by("-version").first()
        )

    def submission(self, version: int) -> ResponseVersion | None:
        return self.versions.filter(kind=ResponseVersion.Kind.SUBMISSION, version=version).first()


def organisation_code(organisation) -> str:
    """A province's two-digit code or a local organisation's seven-digit code."""
    from cms.organisations.models import Province

    if isinstance(organisation, Province):
        return f"{organisation.code:02d}"
    return str(organisation.code)


class ResponseVersion(models.Model):
    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("Submission")
        OVERWRITTEN = "overwritten", _("Overwritten by another window")

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="versions")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SUBMISSION)
    version = models.PositiveIntegerField(_("version"))
    answers = models.JSONField(default=dict)
    invalid_input = models.JSONField(default=dict, blank=True)
    files = models.JSONField(default=list, blank=True)
    reference = models.CharField(max_length=64, blank=True)
    is_late = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["response", "created_at", "pk"]
        verbose_name = _("response version")
        verbose_name_plural = _("response versions")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "version"],
                condition=models.Q(kind="submission"),
                name="response_version_one_per_submission",
            )
        ]

    def __str__(self) -> str:
        return f"{self.response_id} v{self.version} ({self.kind})"

    def files_by_id(self) -> dict[str, dict]:
        return {item["uuid"]: item for item in self.files}


class ResponseFile(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="files")
    question_key = models.CharField(max_length=100)
    row = models.PositiveIntegerField(null=True, blank=True)
    column_key = models.CharField(max_length=100, blank=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(
        storage=get_private_storage, upload_to=response_file_name, max_length=255
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("response file")
        verbose_name_plural = _("response files")

    def __str__(self) -> str:
        return self.original_name

    def describe(self) -> dict:
        """What a version keeps of the file (JSON-safe)."""
        return {
            "uuid": str(self.uuid),
            "question_key": self.question_key,
            "row": self.row,
            "column_key": self.column_key,
            "original_name": self.original_name,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
        }


class PendingInput(models.Model):
    """A post that came in after its author's session expired, waiting for them to log in."""

    token = models.CharField(max_length=64, unique=True)
    form = models.ForeignKey(
        "responses.ResponseFormPage", on_delete=models.CASCADE, related_name="+"
    )
    data = models.JSONField(default=dict)
    files = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("input kept across a login")

    def __str__(self) -> str:
        return self.token[:8]

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) - self.created > PENDING_TTL


def answered_keys(form) -> tuple[set[str], dict[str, set[str]]]:
    """Keys of `form` that have collected answers: (question keys, table key → column keys).

    Looks at every working copy, every version and every file, so a key is frozen from the
    first draft that used it.
    """
    keys: set[str] = set()
    columns: dict[str, set[str]] = {}

    def collect(answers) -> None:
        for key, value in (answers or {}).items():
            if _blank(value):
                continue
            keys.add(key)
            if isinstance(value, list):
                for row in value:
                    if isinstance(row, dict):
                        for column, cell in row.items():
                            if not _blank(cell):
                                columns.setdefault(key, set()).add(column)

    responses = Response.objects.filter(form=form)
    for answers, invalid in responses.values_list("answers", "invalid_input").iterator():
        collect(answers)
        collect(invalid)
    versions = ResponseVersion.objects.filter(response__form=form)
    for answers, invalid in versions.values_list("answers", "invalid_input").iterator():
        collect(answers)
        collect(invalid)
    files = ResponseFile.objects.filter(response__form=form)
    for key, column in files.values_list("question_key", "column_key").distinct():
        keys.add(key)
        if column:
            columns.setdefault(key, set()).add(column)
    return keys, columns


def _blank(value) -> bool:
    if value is None or value == "" or value == [] or value == {}:
        return True
    if isinstance(value, list):
        return all(_blank(item) for item in value)
    if isinstance(value, dict):
        return all(_blank(item) for item in value.values())
    return False
