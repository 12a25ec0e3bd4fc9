"""Template filters that print numbers and dates the way the official form does."""

import datetime

from django import template
from django.utils import timezone

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
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
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


@register.filter
def thai_datetime(value, style: str = "") -> str:
    """{{ dt|thai_datetime }} → ๒๒ พฤศจิกายน ๒๕๖๙ เวลา ๑๔.๓๐ น. (local time, Buddhist era)."""
    if not isinstance(value, datetime.datetime):
        return thai_date(value, style)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    time = f"{value.hour:02d}.{value.minute:02d} น."
    return f"{thai_date(value.date(), style)} เวลา {time if 'arabic' in style else to_thai(time)}"
