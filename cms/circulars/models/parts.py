"""The repeatable parts of a letter: references (อ้างถึง) and enclosures (สิ่งที่ส่งมาด้วย)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable


class CircularReference(Orderable):
    """An earlier letter this one refers to: a link when it is in the archive, else its text."""

    page = ParentalKey(
        "circulars.CircularPage", on_delete=models.CASCADE, related_name="references"
    )
    target = models.ForeignKey(
        "circulars.CircularPage",
        verbose_name=_("circular in the archive"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cited_by",
    )
    text = models.CharField(
        _("reference as printed"),
        max_length=500,
        blank=True,
        help_text=_("e.g. หนังสือกรมส่งเสริมการปกครองท้องถิ่น ที่ มท ๐๘๑๒/ว ๒๗๑ ลงวันที่ ..."),
    )

    panels = [FieldPanel("target"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("reference")
        verbose_name_plural = _("references")

    def __str__(self) -> str:
        return self.text or str(self.target)

    @property
    def visible_target(self):
        """The linked circular, only when the public may see it."""
        from workflows.permissions import can_view

        if self.target is not None and can_view(None, self.target):
            return self.target
        return None

    def clean(self) -> None:
        if not self.target_id and not self.text.strip():
            raise ValidationError(_("Choose a circular from the archive or type the reference."))


class CircularEnclosure(Orderable):
    page = ParentalKey(
        "circulars.CircularPage", on_delete=models.CASCADE, related_name="enclosures"
    )
    title = models.CharField(_("title"), max_length=500)
    quantity = models.CharField(
        _("quantity"), max_length=50, blank=True, help_text=_("e.g. ๑ ชุด or ๒ ฉบับ")
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("title"), FieldPanel("quantity"), FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("enclosure")
        verbose_name_plural = _("enclosures")

    def __str__(self) -> str:
        return self.title
