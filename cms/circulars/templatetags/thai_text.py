"""Template filters that print numbers and dates the way the official form does."""

import datetime

from django import template

from cms.thai.dates import BE_OFFSET, PartialDate, format_thai_date
from cms.thai.digits import to_thai

register = template.Library()


@register.filter
def thai_digits(value) -> str:
    return to_thai(str(value)) if value not in (None, "") else ""


@register.filter
def thai_date(value, style: str = "") -> str:
    """{{ d|thai_date }} → ๑๐ กุมภาพันธ์ ๒๕๖๔; styles: 'arabic', 'abbr', 'weekday'."""
    if not isinstance(value, (datetime.date, PartialDate)):
        return ""
    options = {s.strip() for s in style.split(",") if s.strip()}
    return format_thai_date(
        value,
        digits="arabic" if "arabic" in options else "thai",
        month="abbr" if "abbr" in options else "full",
        weekday="weekday" in options,
    )


@register.filter
def be_year(value) -> str:
    if isinstance(value, (datetime.date, PartialDate)):
        return str(value.year + BE_OFFSET)
    return ""
