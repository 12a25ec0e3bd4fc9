"""The archive and the circular: an official external letter (หนังสือภายนอก) as a Wagtail page."""

from __future__ import annotations

import datetime
import hashlib

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cms.circulars.admin_forms import CircularPageForm
from cms.circulars.models.choices import (
    ACTING_FOR,
    DEFAULT_ADDRESSEE,
    DEFAULT_CLOSING,
    DEFAULT_SALUTATION,
    Secrecy,
    Urgency,
)
from cms.circulars.validators import validate_doc_number, validate_gregorian_date
from cms.thai.dates import BE_OFFSET, PartialDate
from cms.thai.docnumbers import DocNumberError, normalize_doc_number, parse_doc_number
from workflows.machine import NUMBER_FIELDS, WORKFLOW_FIELDS, CircularWorkflowMixin
from workflows.states import CircularState

ARCHIVE_PAGE_SIZE = 20


class WorkflowBypassError(Exception):
    """A save tried to change a circular's state outside the workflow's transitions."""


class CircularTopic(TaggedItemBase):
    content_object = ParentalKey(
        "circulars.CircularPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class CircularIndexPage(RoutablePageMixin, Page):
    """The public archive: every circular the visitor may see, newest first."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["circulars.CircularPage"]
    max_count = 1

    class Meta:
        verbose_name = _("circular archive")

    def visible_circulars(self, request=None) -> models.QuerySet[CircularPage]:
        """Published circulars the visitor may see (the public, or an addressee for secrets)."""
        from workflows.permissions import visible_q

        user = getattr(request, "user", None)
        visible = CircularPage.objects.filter(visible_q(user)).values("pk")
        return (
            CircularPage.objects.child_of(self)
            .live()
            .filter(pk__in=visible)
            .select_related("owner_unit")
            .order_by("-issued_on", "-doc_running", "-pk")
        )

    def filtered_circulars(self, request, year: int | None = None):
        circulars = self.visible_circulars(request)
        filters = {"year": year, "unit": "", "urgency": None}
        if year is None and request.GET.get("year", "").isdigit():
            year = filters["year"] = int(request.GET["year"])
        if year is not None:
            circulars = circulars.filter(issued_on__year=year - BE_OFFSET)
        unit = request.GET.get("unit", "").strip()
        if unit:
            circulars = circulars.filter(owner_unit__code=unit)
            filters["unit"] = unit
        urgency = request.GET.get("urgency")
        # An empty value is the form's "any urgency", not ปกติ (whose stored value is also "").
        if urgency and urgency in Urgency.values:
            circulars = circulars.filter(urgency=urgency)
            filters["urgency"] = urgency
        return circulars, filters

    def archive_context(self, request, year: int | None = None) -> dict:
        circulars, filters = self.filtered_circulars(request, year)
        page = Paginator(circulars, ARCHIVE_PAGE_SIZE).get_page(request.GET.get("page"))
        visible = self.visible_circulars(request)
        years = sorted(
            {d.year + BE_OFFSET for d in visible.dates("issued_on", "year")}, reverse=True
        )
        from cms.organisations.models import Unit

        units = Unit.objects.filter(
            pk__in=visible.exclude(owner_unit=None).values("owner_unit")
        ).order_by("code")
        query = request.GET.copy()
        query.pop("page", None)
        return {
            "query": query.urlencode(),
            "circulars": page,
            "filters": filters,
            "years": years,
            "units": units,
            "urgencies": [choice for choice in Urgency.choices if choice[0]],
        }

    @path("")
    def archive(self, request):
        return self.render(request, context_overrides=self.archive_context(request))

    @path("<int:year>/")
    def archive_year(self, request, year: int):
        if year < 2400:
            # Archive URLs speak the Buddhist era, as the letters do.
            raise Http404
        return self.render(request, context_overrides=self.archive_context(request, year))


class CircularPage(CircularWorkflowMixin, Page):
    """One circular with every part of an official letter (ระเบียบงานสารบรรณ)."""

    # Where it came from, for idempotent imports and open-data users.
    source_id = models.CharField(_("source ID"), max_length=255, unique=True, null=True, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)

    # ที่ — stored structured and as printed.
    doc_number = models.CharField(
        _("document number"),
        max_length=100,
        blank=True,
        validators=[validate_doc_number],
        help_text=_("As printed after ที่, e.g. มท ๐๘๑๒/ว ๒๗๑; left unfinished on drafts."),
    )
    doc_ministry = models.CharField(_("ministry code"), max_length=8, blank=True, editable=False)
    doc_unit_code = models.CharField(_("unit code"), max_length=16, blank=True, editable=False)
    doc_is_circular = models.BooleanField(_("circular (ว)"), default=True, editable=False)
    doc_running = models.PositiveIntegerField(_("running number"), null=True, editable=False)
    doc_number_key = models.CharField(max_length=100, blank=True, db_index=True, editable=False)

    issued_on = models.DateField(
        _("date"), null=True, blank=True, validators=[validate_gregorian_date]
    )
    issued_on_month_only = models.BooleanField(_("month only"), default=False)
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, blank=True, default=""
    )
    secrecy = models.CharField(
        _("secrecy"), max_length=16, choices=Secrecy.choices, blank=True, default=""
    )

    subject = models.TextField(_("subject"))
    addressee = models.CharField(
        _("addressee"), max_length=255, default=DEFAULT_ADDRESSEE, blank=True
    )
    addressed_provinces = ParentalManyToManyField(
        "organisations.Province",
        verbose_name=_("addressed provinces"),
        blank=True,
        help_text=_("Leave empty for every province (ผู้ว่าราชการจังหวัด ทุกจังหวัด)."),
    )
    body = RichTextField(
        _("body"), blank=True, features=["bold", "italic", "ol", "ul", "link", "document-link"]
    )
    closing = models.CharField(_("closing"), max_length=255, default=DEFAULT_CLOSING, blank=True)
    salutation = models.CharField(
        _("salutation"), max_length=100, default=DEFAULT_SALUTATION, blank=True
    )

    signatory_name = models.CharField(_("signatory name"), max_length=255, blank=True)
    signatory_position = models.CharField(_("signatory position"), max_length=255, blank=True)
    signatory_acting_for = models.CharField(
        _("acting for (ปฏิบัติราชการแทน)"),
        max_length=255,
        blank=True,
        help_text=_("Filled when the signatory signs on behalf of someone else."),
    )

    owner_unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("owner unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="circulars",
    )
    owner_unit_text = models.CharField(
        _("owner unit as printed"),
        max_length=500,
        blank=True,
        help_text=_("Lines of ส่วนราชการเจ้าของเรื่อง joined with “ / ”."),
    )
    contact_phone = models.CharField(_("phone"), max_length=100, blank=True)
    contact_fax = models.CharField(_("fax"), max_length=100, blank=True)
    contact_email = models.CharField(_("e-mail"), max_length=254, blank=True)
    coordinators = models.TextField(_("coordinators"), blank=True, help_text=_("One per line."))

    response_deadline = models.DateField(
        _("response deadline"), null=True, blank=True, validators=[validate_gregorian_date]
    )
    topics = ClusterTaggableManager(through=CircularTopic, blank=True, verbose_name=_("topics"))

    paper_endorsements = models.JSONField(_("endorsements on paper"), default=list, blank=True)
    annex = models.TextField(_("annex"), blank=True)
    extra = models.JSONField(_("other imported fields"), default=dict, blank=True, editable=False)
    source_hash = models.CharField(max_length=64, blank=True, editable=False)

    parent_page_types = ["circulars.CircularIndexPage"]
    subpage_types: list[str] = []
    base_form_class = CircularPageForm

    content_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("urgency"), FieldPanel("secrecy")]),
                FieldRowPanel([FieldPanel("doc_number"), FieldPanel("issued_on")]),
            ],
            heading=_("Number and date"),
        ),
        FieldPanel("subject"),
        FieldPanel("addressee"),
        FieldPanel("addressed_provinces", widget=forms.CheckboxSelectMultiple),
        InlinePanel("references", heading=_("References (อ้างถึง)"), label=_("reference")),
        InlinePanel("enclosures", heading=_("Enclosures (สิ่งที่ส่งมาด้วย)"), label=_("enclosure")),
        FieldPanel("body"),
        FieldRowPanel([FieldPanel("closing"), FieldPanel("salutation")]),
        MultiFieldPanel(
            [
                FieldPanel("signatory_name"),
                FieldPanel("signatory_position"),
                FieldPanel("signatory_acting_for"),
            ],
            heading=_("Signatory"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("owner_unit"),
                FieldPanel("owner_unit_text"),
                FieldRowPanel([FieldPanel("contact_phone"), FieldPanel("contact_fax")]),
                FieldPanel("contact_email"),
                FieldPanel("coordinators"),
            ],
            heading=_("Owner unit and contact"),
        ),
        FieldPanel("response_deadline"),
        FieldPanel("topics"),
        FieldPanel("annex"),
    ]
    promote_panels = [
        MultiFieldPanel(
            [FieldPanel("slug"), FieldPanel("source_id"), FieldPanel("source_url")],
            heading=_("Address and source"),
        )
    ]

    search_fields = Page.search_fields + [
        index.SearchField("subject", boost=3),
        index.SearchField("doc_number", boost=2),
        index.SearchField("body"),
        index.AutocompleteField("subject"),
        index.FilterField("state"),
        index.FilterField("secrecy"),
        index.FilterField("issued_on"),
        index.FilterField("live"),
    ]

    class Meta:
        verbose_name = _("circular")
        verbose_name_plural = _("circulars")

    def __str__(self) -> str:
        return self.title

    # -- derived values -------------------------------------------------------------------

    def full_clean(self, *args, **kwargs):
        self.sync_derived_fields()
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        self.sync_derived_fields()
        if self.pk and not getattr(self, "_workflow_save", False):
            stored = type(self).objects.filter(pk=self.pk).values_list("state", flat=True).first()
            if stored is not None and stored != self.state:
                raise WorkflowBypassError(
                    f"state may change only through a transition ({stored} → {self.state})"
                )
        self._workflow_save = False
        if getattr(self, "_validated_by_importer", False):
            # The importer validated the fields itself and keeps a printed number it cannot
            # parse (real letters carry such numbers); skip Wagtail's full_clean.
            kwargs["clean"] = False
        super().save(*args, **kwargs)

    def sync_derived_fields(self) -> None:
        """Keep the title, slug and structured number in step with what the editor typed."""
        self.subject = " ".join((self.subject or "").split())
        self.title = self.subject[:255]
        self.draft_title = self.title
        self.doc_number = " ".join((self.doc_number or "").split())
        self.doc_number_key = normalize_doc_number(self.doc_number) if self.doc_number else ""
        try:
            number = parse_doc_number(self.doc_number) if self.doc_number else None
        except DocNumberError:
            number = None
        self.doc_ministry = number.ministry if number else ""
        self.doc_unit_code = number.unit if number else ""
        self.doc_is_circular = number.circular if number else True
        self.doc_running = number.running if number else None
        if not self.slug:
            self.slug = self.default_slug()

    def default_slug(self) -> str:
        if self.doc_running and self.issued_on:
            base = f"{self.issued_on.year + BE_OFFSET}-{self.doc_unit_code}-{self.doc_running}"
            return slugify(base.replace(".", "-"), allow_unicode=True)
        seed = self.source_id or f"{self.subject}{datetime.datetime.now().isoformat()}"
        return "c-" + hashlib.sha1(seed.encode()).hexdigest()[:12]

    @property
    def issued(self) -> PartialDate | None:
        if not self.issued_on:
            return None
        day = None if self.issued_on_month_only else self.issued_on.day
        return PartialDate(self.issued_on.year, self.issued_on.month, day)

    @property
    def be_year(self) -> int | None:
        return self.issued_on.year + BE_OFFSET if self.issued_on else None

    @property
    def signatory_position_lines(self) -> list[str]:
        if self.signatory_acting_for:
            return [f"{self.signatory_position} {ACTING_FOR}".strip(), self.signatory_acting_for]
        return [self.signatory_position] if self.signatory_position else []

    @property
    def owner_unit_lines(self) -> list[str]:
        if self.owner_unit_text:
            return [line.strip() for line in self.owner_unit_text.split(" / ") if line.strip()]
        return [self.owner_unit.name] if self.owner_unit else []

    @property
    def coordinator_list(self) -> list[str]:
        return [line.strip() for line in self.coordinators.splitlines() if line.strip()]

    @cached_property
    def citing_circulars(self) -> list[CircularPage]:
        """Later circulars that refer to this one (อ้างถึงโดย), visible to the public."""
        from workflows.permissions import visible_q

        return list(
            CircularPage.objects.live()
            .filter(visible_q(None), references__target=self)
            .distinct()
            .order_by("issued_on")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["references"] = self.references.select_related("target").all()
        context["enclosures"] = self.enclosures.select_related("document").all()
        return context

    def serve(self, request, *args, **kwargs):
        from workflows.permissions import can_view

        if not can_view(request.user, self):
            raise Http404
        recipient = self.recipient_for(request.user)
        if recipient is not None and recipient.opened_at is None:
            type(recipient).objects.filter(pk=recipient.pk).update(opened_at=timezone.now())
        return super().serve(request, *args, **kwargs)

    # -- workflow ---------------------------------------------------------------------------

    exclude_fields_in_copy = [*WORKFLOW_FIELDS, "source_id", "source_hash"]

    @property
    def drafter_id(self) -> int | None:
        return self.owner_id

    def permissions_for_user(self, user):
        from workflows.wagtail_permissions import CircularPermissionTester

        return CircularPermissionTester(user, self)

    def serializable_data(self):
        """Revisions keep the letter's content only; the workflow's fields stay on the page."""
        data = super().serializable_data()
        for name in WORKFLOW_FIELDS:
            data.pop(name, None)
        return data

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        # Read the workflow's fields from the database: `self` may be a stale copy (a revision
        # caches the page it was saved from), and the stored state is the only truth.
        names = [self._meta.get_field(n).attname for n in WORKFLOW_FIELDS + NUMBER_FIELDS]
        current = type(self).objects.filter(pk=self.pk).values(*names).first() if self.pk else None
        current = current or {name: getattr(self, name) for name in names}
        keep = (
            WORKFLOW_FIELDS
            if current["state"] == CircularState.DRAFT
            else WORKFLOW_FIELDS + NUMBER_FIELDS
        )
        for name in keep:
            attname = self._meta.get_field(name).attname
            setattr(obj, attname, current[attname])
        obj._update_initial_state()
        return obj

    def materialize_latest_revision(self) -> None:
        """Bring the latest saved draft (a Wagtail revision) into the page's own fields."""
        revision = self.latest_revision
        if revision is None:
            return
        latest = revision.as_object()
        skip = {"id", "page_ptr", "path", "depth", "numchild", "url_path", *WORKFLOW_FIELDS}
        for field in self._meta.concrete_fields:
            if field.name not in skip and not field.primary_key:
                setattr(self, field.attname, getattr(latest, field.attname))
        self._workflow_save = True
        self.save()
        for relation in ("references", "enclosures"):
            manager = getattr(self, relation)
            fresh = list(getattr(latest, relation).all())
            manager.model.objects.filter(page=self).delete()
            for item in fresh:
                item.pk = None
                item.page = self
                item.save()

    def endorsement_steps(self) -> list:
        if self.owner_unit_id is None:
            return []
        return list(self.owner_unit.endorsement_steps.select_related("endorser", "endorser_unit"))

    def current_endorsement_step(self):
        done = set(
            self.endorsements.filter(round=self.review_round).values_list("step_order", flat=True)
        )
        for step in self.endorsement_steps():
            if step.order not in done:
                return step
        return None

    def current_delegations(self) -> list:
        from workflows.models import Delegation

        if self.owner_unit_id is None:
            return []
        from workflows.roles import unit_lineage

        delegations = Delegation.objects.filter(unit_id__in=unit_lineage(self.owner_unit))
        return [d for d in delegations.select_related("delegate") if d.is_current()]

    def delegations_for(self, user) -> list:
        return [d for d in self.current_delegations() if d.delegate_id == getattr(user, "pk", None)]

    def current_delegation(self, user):
        from workflows import roles as R

        if R.SIGNATORY in R.roles_for(user, self):
            return None  # signs in their own right
        found = self.delegations_for(user)
        return found[0] if found else None

    def addressed_province_list(self) -> list:
        return list(self.addressed_provinces.all()) if self.pk else []

    def is_addressed_to(self, province_id: int) -> bool:
        if not self.pk:
            return False
        provinces = self.addressed_provinces.all()
        return not provinces.exists() or provinces.filter(pk=province_id).exists()

    def recipient_for(self, user):
        from workflows.roles import membership_of

        if not self.pk or not getattr(user, "is_authenticated", False):
            return None
        _unit, province_id = membership_of(user)
        if province_id is None:
            return None
        return self.recipients.filter(province_id=province_id).first()

    def start_amendment(self, actor):
        """A new draft copying this circular's content, marked as superseding it."""
        archive = self.get_parent()
        draft = CircularPage(
            subject=self.subject,
            addressee=self.addressee,
            body=self.body,
            closing=self.closing,
            salutation=self.salutation,
            owner_unit=self.owner_unit,
            owner_unit_text=self.owner_unit_text,
            contact_phone=self.contact_phone,
            contact_fax=self.contact_fax,
            contact_email=self.contact_email,
            coordinators=self.coordinators,
            urgency=self.urgency,
            secrecy=self.secrecy,
            doc_number=self.owner_unit.circular_number_prefix() if self.owner_unit else "",
            supersedes=self,
            owner=actor,
            live=False,
        )
        archive.add_child(instance=draft)
        return draft

    @property
    def amended_by(self) -> list:
        return list(self.amendments.filter(state__in=["distributed", "closed"]).live())

    @property
    def verification_code(self) -> str:
        from workflows.hashing import verification_code

        return verification_code(self.content_sha256) if self.content_sha256 else ""

    def public_history(self) -> list:
        return list(self.history.filter(public=True).order_by("sequence"))
