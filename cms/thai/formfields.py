"""Form fields that read dates the way Thai officers type them and show them in the Buddhist era."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.thai.dates import (
    BE_OFFSET,
    PartialDate,
    ThaiDateError,
    format_thai_date,
    parse_date_input,
    parse_thai_date,
)


def _as_partial(value) -> PartialDate | None:
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, datetime.date):
        return PartialDate(value.year, value.month, value.day)
    return None


class ThaiDateInput(forms.TextInput):
    """A text box showing dd/mm/yyyy in the Buddhist era."""

    def __init__(self, attrs=None):
        base = {"placeholder": _("e.g. 10/02/2564 or 10 กุมภาพันธ์ 2564"), "inputmode": "text"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        partial = _as_partial(value)
        if partial is None:
            return value
        if partial.is_month_only:
            return format_thai_date(partial, digits="arabic")
        return f"{partial.day:02d}/{partial.month:02d}/{partial.year + BE_OFFSET}"


class ThaiDateField(forms.Field):
    """A full date typed in the Buddhist era (or ISO); 2564 never becomes the year 2564 AD."""

    widget = ThaiDateInput
    default_error_messages = {
        "invalid": _("Enter a date such as 10/02/2564 or 10 กุมภาพันธ์ 2564 (Buddhist-era year)."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_date_input(str(value))
        except ThaiDateError as error:
            raise forms.ValidationError(str(error), code="invalid") from error


class ThaiPartialDateField(forms.Field):
    """A date that may be month-only, as drafts carry it (เมษายน ๒๕๖๔)."""

    widget = ThaiDateInput
    default_error_messages = ThaiDateField.default_error_messages

    def to_python(self, value):
        if value in self.empty_values:
            return None
        partial = _as_partial(value)
        if partial is not None:
            return partial
        text = str(value)
        try:
            date = parse_date_input(text)
            return PartialDate(date.year, date.month, date.day)
        except ThaiDateError:
            pass
        try:
            return parse_thai_date(text)
        except ThaiDateError as error:
            raise forms.ValidationError(str(error), code="invalid") from error
