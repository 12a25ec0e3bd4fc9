"""Factories for test data written by the team (never copied from ../shared)."""

import datetime
import itertools

import factory

from cms.circulars.models import CircularEnclosure, CircularPage, CircularReference
from cms.organisations.models import Unit

_running = itertools.count(100)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"09{n % 100:02d}")
    name = factory.Sequence(lambda n: f"กองทดสอบที่ {n}")


def make_circular(archive, *, references=(), enclosures=(), topics=(), **fields) -> CircularPage:
    """A circular under `archive`; distributed and live unless told otherwise."""
    running = next(_running)
    defaults = {
        "subject": f"การทดสอบระบบหนังสือเวียน ครั้งที่ {running}",
        "doc_number": f"มท ๐๘๑๒/ว {running}",
        "issued_on": datetime.date(2021, 3, 1),
        "body": "<p>ด้วยกรมส่งเสริมการปกครองท้องถิ่นขอทดสอบระบบ</p>",
        "signatory_name": "นายทดสอบ ระบบดี",
        "signatory_position": "อธิบดีกรมส่งเสริมการปกครองท้องถิ่น",
        "state": "distributed",
    }
    defaults.update(fields)
    defaults.setdefault("live", defaults["state"] in {"distributed", "closed", "withdrawn"})
    page = CircularPage(**defaults)
    archive.add_child(instance=page)
    for order, ref in enumerate(references):
        if isinstance(ref, CircularPage):
            CircularReference.objects.create(page=page, target=ref, sort_order=order)
        else:
            CircularReference.objects.create(page=page, text=ref, sort_order=order)
    for order, (title, quantity) in enumerate(enclosures):
        CircularEnclosure.objects.create(
            page=page, title=title, quantity=quantity, sort_order=order
        )
    if topics:
        page.topics.set(list(topics))
        page.save()
    return page
