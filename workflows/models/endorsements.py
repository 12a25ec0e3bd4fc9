from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Endorsement(models.Model):
    """One endorser's initials on a draft (the block at the foot of a paper letter)."""

    circular = models.ForeignKey(
        "circulars.CircularPage", on_delete=models.CASCADE, related_name="endorsements"
    )
    round = models.PositiveSmallIntegerField(
        _("review round"), default=1, help_text=_("Starts again after changes are requested.")
    )
    step_order = models.PositiveSmallIntegerField(_("step"))
    step_title = models.CharField(_("title"), max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    initials = models.CharField(_("initials"), max_length=50)
    comment = models.TextField(_("comment"), blank=True)
    endorsed_at = models.DateTimeField(_("endorsed at"), auto_now_add=True)

    class Meta:
        ordering = ["circular", "round", "step_order"]
        unique_together = [("circular", "round", "step_order")]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")

    def __str__(self) -> str:
        return f"{self.initials} ({self.step_title})"
