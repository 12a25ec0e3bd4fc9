"""Response forms as Wagtail pages: the index at /forms/ and one page per form.

``ResponseFormPage`` public API (used by services, views and the staff tools):

* ``circular`` (CircularPage, related_name ``response_forms``), ``intro``, ``questions``
  (StreamField of responses.blocks), ``respondents`` (``Respondents.PROVINCES`` or
  ``Respondents.LOCAL_ORGANISATIONS``), ``deadline`` (None: the circular's
  ``response_deadline``), ``late_policy`` (``LatePolicy.REFUSE`` / ``LatePolicy.ACCEPT_FLAGGED``).
* ``schema()`` → list[responses.schema.Question]
* ``effective_deadline`` → aware datetime at the end of the deadline day in Asia/Bangkok, or None
* ``is_open(now=None)`` → answers accepted now? Only while the circular is distributed (closing
  it closes its forms, reopening reopens them; nothing is stored) and, with LatePolicy.REFUSE,
  not after the deadline — unless the circular was reopened after that deadline.
* ``is_late(now=None)`` → past the deadline?
* ``addressed_organisations()`` → queryset of the Provinces the circular is addressed to (all 77
  when it lists none) or, for LOCAL_ORGANISATIONS, of every LocalOrganisation in them.
* ``serve()`` is the respondent's fill page (responses.views.fill_page).

Keys: an empty key is made from the label (responses.keys.readable_key) when the page is cleaned
or saved, table columns included, and kept from then on; ``clean()`` refuses to change or remove
a key that already has answers.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from responses import schema as S
from responses.admin_forms import ResponseFormPageForm
from responses.blocks import QuestionsBlock
from responses.keys import readable_key, slug_key

BANGKOK = ZoneInfo("Asia/Bangkok")


class ResponseFormIndexPage(Page):
    """/forms/: the forms a signed-in user may answer (or, for staff, every form)."""

    intro = RichTextField(gettext_lazy("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["responses.ResponseFormPage"]
    max_count = 1

    class Meta:
        verbose_name = gettext_lazy("response form index")

    def serve(self, request, *args, **kwargs):
        from responses.views import index_page

        return index_page(request, self)

    def get_sitemap_urls(self, request=None):
        return []  # for signed-in users only


class Respondents(models.TextChoices):
    PROVINCES = "provinces", gettext_lazy("Provinces")
    LOCAL_ORGANISATIONS = (
        "local_organisations",
        gettext_lazy("Local administrative organisations of the provinces"),
    )


class LatePolicy(models.TextChoices):
    REFUSE = "refuse", gettext_lazy("Refuse answers after the deadline")
    ACCEPT_FLAGGED = "accept_flagged", gettext_lazy("Accept late answers, flagged as late")


class ResponseFormPage(Page):
    """A form linked to a circular that each addressed organisation answers once."""

    circular = models.ForeignKey(
        "circulars.CircularPage",
        verbose_name=gettext_lazy("circular"),
        on_delete=models.PROTECT,
        related_name="response_forms",
    )
    intro = RichTextField(
        gettext_lazy("introduction"), blank=True, features=["bold", "italic", "ol", "ul", "link"]
    )
    questions = StreamField(QuestionsBlock(), verbose_name=gettext_lazy("questions"), blank=True)
    respondents = models.CharField(
        gettext_lazy("who answers"),
        max_length=32,
        choices=Respondents.choices,
        default=Respondents.PROVINCES,
    )
    deadline = models.DateField(gettext_lazy("deadline"), null=True, blank=True)
    late_policy = models.CharField(
        gettext_lazy("late answers"),
        max_length=16,
        choices=LatePolicy.choices,
        default=LatePolicy.REFUSE,
    )

    parent_page_types = ["responses.ResponseFormIndexPage"]
    subpage_types: list[str] = []
    base_form_class = ResponseFormPageForm

    content_panels = Page.content_panels + [
        FieldPanel("circular"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("respondents"),
                FieldRowPanel([FieldPanel("deadline"), FieldPanel("late_policy")]),
            ],
            heading=gettext_lazy("Who answers, and by when"),
        ),
        FieldPanel("questions"),
    ]

    class Meta:
        verbose_name = gettext_lazy("response form")
        verbose_name_plural = gettext_lazy("response forms")

    # -- schema and keys ------------------------------------------------------------------

    def schema(self) -> list[S.Question]:
        """The questions as plain data (keys filled even on a page not yet cleaned)."""
        questions, taken = [], set()
        for child in self.questions:
            key = _key_of(child.value, taken)
            question = S.question_from_block(child.block_type, child.value, child.id or "", key)
            if question.is_table:
                column_taken = set()
                for column in question.columns:
                    column.key = _key_of({"key": column.key, "label": column.label}, column_taken)
            questions.append(question)
        return questions

    def assign_keys(self) -> None:
        """Fill empty keys (questions and table columns) from labels; existing keys stay.

        A question (or column) that had a key in the stored page keeps it even if the editor
        emptied the field: keys are frozen once made.
        """
        previous = self._stored_keys()
        taken = {slug_key(c.value.get("key") or "") for c in self.questions} - {""}
        taken |= {previous[c.id] for c in self.questions if c.id in previous}
        for child in self.questions:
            value = child.value
            typed = slug_key(value.get("key") or "")
            if not typed:
                typed = previous.get(child.id or "") or readable_key(
                    value.get("label") or "", taken
                )
            value["key"] = typed
            taken.add(typed)
            if child.block_type == S.TABLE:
                columns = value.get("columns") or []
                column_taken = {slug_key(c.value.get("key") or "") for c in columns} - {""}
                for column in columns:
                    typed = slug_key(column.value.get("key") or "")
                    if not typed:
                        typed = previous.get(f"{child.id}/{column.id}") or readable_key(
                            column.value.get("label") or "", column_taken
                        )
                    column.value["key"] = typed
                    column_taken.add(typed)

    def _stored_keys(self) -> dict[str, str]:
        """block id (table column: "table id/column id") → key, as stored in the database."""
        if not self.pk:
            return {}
        stored = type(self).objects.filter(pk=self.pk).first()
        if stored is None:
            return {}
        keys = {}
        for child in stored.questions:
            key = child.value.get("key")
            if child.id and key:
                keys[child.id] = key
            if child.block_type == S.TABLE:
                for column in child.value.get("columns") or []:
                    if column.id and column.value.get("key"):
                        keys[f"{child.id}/{column.id}"] = column.value.get("key")
        return keys

    def full_clean(self, *args, **kwargs):
        self.assign_keys()
        super().full_clean(*args, **kwargs)

    def clean(self):
        super().clean()
        self.assign_keys()
        problems = self.key_problems()
        if problems:
            raise ValidationError({"questions": " ".join(problems)})

    def key_problems(self) -> list[str]:
        """Thai messages for duplicate keys and for answered keys that would change or vanish."""
        problems, seen = [], set()
        for child in self.questions:
            key = slug_key(child.value.get("key") or "")
            if key in seen:
                problems.append(
                    _("Two questions have the key “%(key)s”; keys must differ.") % {"key": key}
                )
            seen.add(key)
            column_keys = set()
            columns = (child.value.get("columns") or []) if child.block_type == S.TABLE else []
            for column in columns:
                column_key = slug_key(column.value.get("key") or "")
                if column_key in column_keys:
                    problems.append(
                        _("Two columns of “%(label)s” have the key “%(key)s”; keys must differ.")
                        % {"label": child.value.get("label"), "key": column_key}
                    )
                column_keys.add(column_key)
        schema = self.schema()
        if not self.pk:
            return problems
        from responses.models.responses import answered_keys

        answered, answered_columns = answered_keys(self)
        current = S.by_key(schema)
        for key in sorted(answered):
            if key not in current:
                problems.append(
                    _(
                        "The key “%(key)s” already has answers: it cannot be changed or removed "
                        "(the wording of the question can)."
                    )
                    % {"key": key}
                )
        for key, columns in sorted(answered_columns.items()):
            table = current.get(key)
            if table is None or not table.is_table:
                continue
            present = {column.key for column in table.columns}
            for column in sorted(columns - present):
                problems.append(
                    _(
                        "The column key “%(column)s” of “%(label)s” already has answers: it "
                        "cannot be changed or removed (the column's wording can)."
                    )
                    % {"column": column, "label": table.label}
                )
        return problems

    # -- deadline and who answers ---------------------------------------------------------

    @property
    def deadline_date(self) -> datetime.date | None:
        if self.deadline:
            return self.deadline
        return self.circular.response_deadline if self.circular_id else None

    @property
    def effective_deadline(self) -> datetime.datetime | None:
        day = self.deadline_date
        if day is None:
            return None
        return datetime.datetime.combine(day, datetime.time(23, 59, 59, 999999), tzinfo=BANGKOK)

    def is_late(self, now: datetime.datetime | None = None) -> bool:
        deadline = self.effective_deadline
        return deadline is not None and (now or timezone.now()) > deadline

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        from workflows.states import CircularState

        if not self.circular_id or self.circular.state != CircularState.DISTRIBUTED:
            return False
        if self.late_policy == LatePolicy.REFUSE and self.is_late(now):
            return self.reopened_after_deadline()
        return True

    def reopened_after_deadline(self) -> bool:
        """Did a registrar reopen the circular after this form's deadline? Then it takes answers
        again, as workflows.scheduled.overdue() leaves such a circular open."""
        deadline = self.effective_deadline
        if deadline is None or not self.circular_id:
            return False
        return self.circular.history.filter(transition="reopen", at__gt=deadline).exists()

    def closed_reason(self, now: datetime.datetime | None = None) -> str:
        """Why the form takes no answers now (Thai), or "" while it is open."""
        from workflows.states import CircularState

        if self.is_open(now):
            return ""
        if self.circular.state == CircularState.CLOSED:
            return _("The circular has been closed, so this form takes no more answers.")
        if self.circular.state != CircularState.DISTRIBUTED:
            return _("This form takes no answers: its circular is not in distribution.")
        return _("The deadline has passed; this form takes no more answers.")

    @property
    def for_local_organisations(self) -> bool:
        return self.respondents == Respondents.LOCAL_ORGANISATIONS

    def addressed_provinces(self):
        from cms.organisations.models import Province

        listed = list(self.circular.addressed_provinces.values_list("pk", flat=True))
        provinces = Province.objects.all()
        return provinces.filter(pk__in=listed) if listed else provinces

    def addressed_organisations(self):
        if self.for_local_organisations:
            from cms.organisations.models import LocalOrganisation

            listed = list(self.circular.addressed_provinces.values_list("pk", flat=True))
            organisations = LocalOrganisation.objects.select_related("province")
            return organisations.filter(province__in=listed) if listed else organisations
        return self.addressed_provinces()

    def is_addressed_to(self, organisation) -> bool:
        from cms.organisations.models import LocalOrganisation, Province

        if self.for_local_organisations:
            if not isinstance(organisation, LocalOrganisation):
                return False
            province_id = organisation.province_id
        else:
            if not isinstance(organisation, Province):
                return False
            province_id = organisation.pk
        return self.circular.is_addressed_to(province_id)

    # -- serving ----------------------------------------------------------------------------

    def serve(self, request, *args, **kwargs):
        from responses.views import fill_page

        return fill_page(request, self)

    def serve_preview(self, request, mode_name):
        """The editor's preview: the questions as respondents will see them, read-only."""
        from responses.views import preview_page

        return preview_page(request, self)

    def get_sitemap_urls(self, request=None):
        return []  # for signed-in users only


def _key_of(value, taken: set) -> str:
    key = slug_key(value.get("key") or "")
    if not key or key in taken:
        key = readable_key(value.get("label") or "", taken)
    taken.add(key)
    return key
