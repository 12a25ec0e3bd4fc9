"""Template tags for the circular's public page: what the table lets this visitor see or do."""

from __future__ import annotations

from django import template

from workflows import permissions
from workflows.forms import ReceiptForm
from workflows.presentation import transition_label, viewable

register = template.Library()


@register.filter(name="transition_label")
def transition_label_filter(name: str) -> str:
    return transition_label(name)


@register.simple_tag(takes_context=True)
def viewable_circulars(context, circulars) -> list:
    """{% viewable_circulars page.amended_by as amendments %}: only those this visitor may see."""
    request = context.get("request")
    return viewable(getattr(request, "user", None), circulars)


@register.simple_tag(takes_context=True)
def receipt_for(context, page) -> dict | None:
    """The visitor's receipt (ลงรับ) of `page`, when their province is among the addressees."""
    request = context.get("request")
    user = getattr(request, "user", None)
    recipient = page.recipient_for(user)
    if recipient is None:
        return None
    may_acknowledge = (
        not recipient.acknowledged_at and permissions.refusal(user, page, "acknowledge") is None
    )
    return {
        "recipient": recipient,
        "form": ReceiptForm() if may_acknowledge else None,
    }
