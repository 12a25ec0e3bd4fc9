"""Issue register numbers: the next ว number of a unit's year, atomically, never reused."""

from django.db import transaction

from cms.thai.docnumbers import DocNumber, format_doc_number
from workflows.models import CircularRegister, RegisterEntry


class NoOwnerUnit(ValueError):
    pass


@transaction.atomic
def issue_number(unit, be_year: int, *, circular) -> str:
    """Take the next number of `unit`'s register for `be_year`; returns it as printed."""
    if unit is None:
        raise NoOwnerUnit("a circular needs an owner unit before it can be numbered")
    if not CircularRegister.objects.filter(unit=unit, be_year=be_year).exists():
        # A register opened after an import continues after the highest imported number.
        CircularRegister.objects.get_or_create(
            unit=unit, be_year=be_year, defaults={"last_number": _highest_archived(unit, be_year)}
        )
    # The row lock serialises concurrent signers on PostgreSQL; SQLite serialises writers anyway.
    register = CircularRegister.objects.select_for_update().get(unit=unit, be_year=be_year)
    register.last_number += 1
    register.save(update_fields=["last_number"])
    RegisterEntry.objects.create(
        unit=unit, be_year=be_year, number=register.last_number, circular=circular
    )
    number = DocNumber(
        ministry=unit.ministry_code, unit=unit.code, circular=True, running=register.last_number
    )
    return format_doc_number(number, digits="thai")


def _highest_archived(unit, be_year: int) -> int:
    from django.db.models import Max

    from cms.circulars.models import CircularPage

    found = CircularPage.objects.filter(
        doc_unit_code=unit.code, doc_is_circular=True, issued_on__year=be_year - 543
    ).aggregate(top=Max("doc_running"))["top"]
    return found or 0
