"""The units' circular registers (ทะเบียนหนังสือส่ง): ว numbers restart at 1 each BE year."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CircularRegister(models.Model):
    """The last ว number a unit issued in one Buddhist-era year; locked while a number is taken."""

    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    be_year = models.PositiveSmallIntegerField(_("year (B.E.)"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        unique_together = [("unit", "be_year")]
        verbose_name = _("circular register")

    def __str__(self) -> str:
        return f"{self.unit.code}/{self.be_year}: {self.last_number}"


class RegisterEntry(models.Model):
    """One issued number; a cancelled circular keeps its number, marked ยกเลิก, never reused."""

    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    be_year = models.PositiveSmallIntegerField(_("year (B.E.)"))
    number = models.PositiveIntegerField(_("number"))
    circular = models.ForeignKey(
        "circulars.CircularPage",
        on_delete=models.PROTECT,
        related_name="register_entries",
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    cancelled = models.BooleanField(_("cancelled (ยกเลิก)"), default=False)

    class Meta:
        ordering = ["unit", "be_year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "be_year", "number"], name="register_unique_number"
            )
        ]
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")

    def __str__(self) -> str:
        return f"{self.unit.code}/ว {self.number} ({self.be_year})"
