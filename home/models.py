from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The site's front page: what Wian is and the newest public circulars."""

    intro = RichTextField(_("introduction"), blank=True)
    latest_count = models.PositiveSmallIntegerField(_("circulars to list"), default=6)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("latest_count")]
    subpage_types = ["circulars.CircularIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from cms.circulars.models import CircularIndexPage

        context = super().get_context(request, *args, **kwargs)
        archive = CircularIndexPage.objects.live().first()
        context["archive"] = archive
        if archive is not None:
            context["latest"] = archive.specific.visible_circulars(request)[: self.latest_count]
        return context
