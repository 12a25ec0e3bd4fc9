"""The public RSS feed of the newest circulars: exactly what an anonymous visitor may see."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy

from cms.circulars.richtext import html_to_paragraphs
from workflows.permissions import visible_q
from workflows.states import CircularState

FEED_SIZE = 30


def public_circulars():
    """Live circulars the permission table shows to anyone (never drafts, signed or secret)."""
    from cms.circulars.models import CircularPage

    return CircularPage.objects.live().filter(visible_q(None))


class LatestCircularsFeed(Feed):
    title = gettext_lazy("Wian: newest circulars")
    description = gettext_lazy("The newest circulars of the Department of Local Administration.")

    def link(self):
        from cms.circulars.models import CircularIndexPage

        archive = CircularIndexPage.objects.live().first()
        return (archive.get_url() if archive else None) or "/"

    def items(self):
        # News of what is in force: a withdrawn circular stays in the archive and the sitemap,
        # but is no longer announced.
        return (
            public_circulars()
            .exclude(state=CircularState.WITHDRAWN)
            .select_related("owner_unit")
            .order_by(
                F("issued_on").desc(nulls_last=True),
                F("distributed_at").desc(nulls_last=True),
                "-pk",
            )[:FEED_SIZE]
        )

    def item_title(self, item) -> str:
        return f"{item.doc_number} {item.subject}".strip()

    def item_description(self, item) -> str:
        return Truncator(html_to_paragraphs(item.body)).chars(500)

    def item_link(self, item) -> str:
        # The canonical address (the Wagtail site's), whichever host the feed was fetched from.
        return item.get_full_url() or ""

    def item_pubdate(self, item):
        if item.distributed_at:
            return item.distributed_at
        if item.issued_on:
            midnight = datetime.datetime.combine(item.issued_on, datetime.time())
            return timezone.make_aware(midnight)
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item) -> str:
        return item.owner_unit.name if item.owner_unit else ""

    def item_categories(self, item):
        return [tag.name for tag in item.topics.all()]
