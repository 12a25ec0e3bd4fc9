"""Filters for the response form templates."""

from django import template

from responses.services import STATUS_LABELS

register = template.Library()


@register.filter
def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))
