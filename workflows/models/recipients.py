"""Receipt (ลงรับ): one record per addressed province of a distributed circular."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Recipient(models.Model):
    circular = models.ForeignKey(
        "circulars.CircularPage", on_delete=models.CASCADE, related_name="recipients"
    )
    province = models.ForeignKey(
        "organisations.Province", on_delete=models.PROTECT, related_name="+"
    )
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    receive_number = models.CharField(_("receive number (เลขรับ)"), max_length=50, blank=True)
    receive_date = models.DateField(_("receive date"), null=True, blank=True)

    class Meta:
        ordering = ["circular", "province__code"]
        constraints = [
            models.UniqueConstraint(fields=["circular", "province"], name="recipient_once")
        ]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")

    def __str__(self) -> str:
        return f"{self.province} ← {self.circular_id}"

    @property
    def status(self) -> str:
        if self.acknowledged_at:
            return "acknowledged"
        if self.opened_at:
            return "opened"
        return "not_opened"
