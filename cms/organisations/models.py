"""Who sends and who receives: DLA units, provinces, and which one a user belongs to."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from cms.thai.digits import to_arabic
from cms.thai.docnumbers import DocNumber, format_doc_number

unit_code_validator = RegexValidator(
    r"^\d{4}(\.\d{1,2})?$",
    _("A unit code is four digits with an optional dotted part, e.g. 0812 or 0810.2."),
)


class Unit(index.Indexed, models.Model):
    """A DLA division, section or group (ส่วนราชการ) that owns circulars."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        DIVISION = "division", _("Division / bureau")
        SECTION = "section", _("Section")
        GROUP = "group", _("Group")

    code = models.CharField(
        _("code"),
        max_length=16,
        unique=True,
        validators=[unit_code_validator],
        help_text=_("The number code printed in letter numbers, e.g. 0812 or 0810.2."),
    )
    ministry_code = models.CharField(_("ministry code"), max_length=8, default="มท")
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.GROUP)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    phone = models.CharField(_("phone"), max_length=100, blank=True)
    fax = models.CharField(_("fax"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    panels = [
        FieldPanel("code"),
        FieldPanel("ministry_code"),
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("parent"),
        FieldPanel("phone"),
        FieldPanel("fax"),
        FieldPanel("email"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("code"),
    ]

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.code = to_arabic(self.code.strip())
        super().save(*args, **kwargs)

    def circular_number_prefix(self, digits: str = "thai") -> str:
        """The printed prefix of this unit's circular numbers, e.g. 'มท ๐๘๑๒/ว'."""
        number = DocNumber(ministry=self.ministry_code, unit=self.code, circular=True, running=None)
        return format_doc_number(number, digits=digits)


class Province(models.Model):
    """A provincial-level unit (76 provinces and Bangkok) with its official two-digit code."""

    code = models.PositiveSmallIntegerField(_("code"), unique=True)
    name_th = models.CharField(_("Thai name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)

    panels = [FieldPanel("code", read_only=True), FieldPanel("name_th"), FieldPanel("name_en")]

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name_th

    @property
    def iso_code(self) -> str:
        return f"TH-{self.code}"


local_organisation_code_validator = RegexValidator(
    r"^\d{7}$", _("A local administrative organisation code is seven digits, e.g. 5500101.")
)


class LocalOrganisation(models.Model):
    """A local administrative organisation (องค์กรปกครองส่วนท้องถิ่น, อปท.) under a province.

    ``code`` is the seven-digit DLA code. Synthetic ones for the demo and the benchmarks come
    from ``cms.organisations.local_organisations.generate_local_organisations``.
    """

    class Kind(models.TextChoices):
        PROVINCIAL = "provincial", _("Provincial administrative organisation (อบจ.)")
        CITY = "city", _("City municipality (เทศบาลนคร)")
        TOWN = "town", _("Town municipality (เทศบาลเมือง)")
        SUBDISTRICT_MUNICIPALITY = (
            "subdistrict_municipality",
            _("Subdistrict municipality (เทศบาลตำบล)"),
        )
        SUBDISTRICT = "subdistrict", _("Subdistrict administrative organisation (อบต.)")

    code = models.CharField(
        _("code"), max_length=7, unique=True, validators=[local_organisation_code_validator]
    )
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="local_organisations",
    )

    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("kind"), FieldPanel("province")]

    class Meta:
        ordering = ["province__name_th", "code"]
        verbose_name = _("local administrative organisation")
        verbose_name_plural = _("local administrative organisations")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.code = to_arabic(self.code.strip())
        super().save(*args, **kwargs)


class Membership(models.Model):
    """Where a user works: a DLA unit, a province or a local administrative organisation (one)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL
    )
    province = models.ForeignKey(
        Province, verbose_name=_("province"), null=True, blank=True, on_delete=models.SET_NULL
    )
    local_organisation = models.ForeignKey(
        LocalOrganisation,
        verbose_name=_("local administrative organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    panels = [
        FieldPanel("user"),
        FieldPanel("unit"),
        FieldPanel("province"),
        FieldPanel("local_organisation"),
    ]

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                # At most one of unit / province / local organisation.
                condition=(
                    models.Q(unit__isnull=True, province__isnull=True)
                    | models.Q(unit__isnull=True, local_organisation__isnull=True)
                    | models.Q(province__isnull=True, local_organisation__isnull=True)
                ),
                name="membership_one_place",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit or self.province or self.local_organisation or '-'}"

    def clean(self) -> None:
        places = [self.unit_id, self.province_id, self.local_organisation_id]
        if sum(1 for place in places if place) > 1:
            raise ValidationError(
                _(
                    "A user belongs to a unit, a province or a local administrative "
                    "organisation, only one of them."
                )
            )
