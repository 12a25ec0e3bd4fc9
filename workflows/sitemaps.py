"""The sitemap: Wagtail's, minus every circular the permission table hides from the public."""

from __future__ import annotations

from wagtail.contrib.sitemaps import Sitemap


class PublicSitemap(Sitemap):
    def items(self):
        from cms.circulars.models import CircularPage
        from workflows.feeds import public_circulars

        hidden = CircularPage.objects.exclude(pk__in=public_circulars().values("pk"))
        return super().items().exclude(pk__in=hidden.values("pk"))
