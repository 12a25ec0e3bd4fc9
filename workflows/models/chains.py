"""Who endorses a unit's drafts, in which order, and who may sign for whom."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class EndorsementStep(models.Model):
    """One step of a unit's endorsement chain (e.g. section head, then division director)."""

    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("owner unit"),
        on_delete=models.CASCADE,
        related_name="endorsement_steps",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(
        _("title"), max_length=100, help_text=_("e.g. ผอ.กลุ่ม, ผอ.กอง, รองอธิบดี")
    )
    endorser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("endorser"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty to let any endorser of the unit below initial this step."),
    )
    endorser_unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("endorsers' unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("unit"),
        FieldPanel("order"),
        FieldPanel("title"),
        FieldPanel("endorser"),
        FieldPanel("endorser_unit"),
    ]

    class Meta:
        ordering = ["unit", "order"]
        unique_together = [("unit", "order")]
        verbose_name = _("endorsement step")
        verbose_name_plural = _("endorsement steps")

    def __str__(self) -> str:
        who = self.endorser.get_full_name() or self.endorser.username if self.endorser else ""
        return f"{self.title} {who}".strip()

    def accepts(self, user) -> bool:
        from workflows import roles as R

        if not getattr(user, "is_authenticated", False):
            return False
        if self.endorser_id:
            return self.endorser_id == user.pk
        groups = R.user_groups(user)
        if not groups & {R.ENDORSER, R.SIGNATORY}:
            return False
        unit, _province = R.membership_of(user)
        wanted = self.endorser_unit or self.unit
        return unit is not None and unit.pk == wanted.pk


class Delegation(models.Model):
    """A signatory's authority to sign, lent to a delegate for a period (ปฏิบัติราชการแทน)."""

    signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signatory"),
        on_delete=models.CASCADE,
        related_name="delegations_given",
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delegate"),
        on_delete=models.CASCADE,
        related_name="delegations_received",
    )
    unit = models.ForeignKey("organisations.Unit", verbose_name=_("unit"), on_delete=models.CASCADE)
    position = models.CharField(
        _("delegate's position"), max_length=255, help_text=_("e.g. รองอธิบดี")
    )
    acting_for = models.CharField(
        _("signs on behalf of"), max_length=255, help_text=_("e.g. อธิบดีกรมส่งเสริมการปกครองท้องถิ่น")
    )
    valid_from = models.DateField(_("from"), default=timezone.localdate)
    valid_until = models.DateField(_("until"), null=True, blank=True)

    panels = [
        FieldPanel("signatory"),
        FieldPanel("delegate"),
        FieldPanel("unit"),
        FieldPanel("position"),
        FieldPanel("acting_for"),
        FieldPanel("valid_from"),
        FieldPanel("valid_until"),
    ]

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self) -> str:
        return f"{self.delegate} → {self.acting_for}"

    def is_current(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)
