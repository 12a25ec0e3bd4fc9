"""The archive and the circular: an official external letter (หนังสือภายนอก) as a Wagtail page."""

from __future__ import annotations

import datetime
import hashlib

from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
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
from workflows.states import CircularState
from workflows.visibility import public_circulars_q

ARCHIVE_PAGE_SIZE = 20


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
        return (
            CircularPage.objects.child_of(self)
            .filter(public_circulars_q())
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


class CircularPage(Page):
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

    # The workflow owns this field; it belongs to the page, not to its revisions.
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=CircularState.choices,
        default=CircularState.DRAFT,
        editable=False,
        db_index=True,
    )
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
        return list(
            CircularPage.objects.filter(public_circulars_q(), references__target=self)
            .distinct()
            .order_by("issued_on")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["references"] = self.references.select_related("target").all()
        context["enclosures"] = self.enclosures.select_related("document").all()
        return context

    def serve(self, request, *args, **kwargs):
        from workflows.visibility import is_publicly_visible

        if not is_publicly_visible(self) and not request.user.has_perm("wagtailadmin.access_admin"):
            raise Http404
        return super().serve(request, *args, **kwargs)
