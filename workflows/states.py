"""The states a circular moves through. The transitions themselves live in workflows.machine."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CircularState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    DISTRIBUTED = "distributed", _("Distributed")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# States in which a non-secret circular is part of the public archive.
PUBLIC_STATES = frozenset(
    {CircularState.DISTRIBUTED, CircularState.CLOSED, CircularState.WITHDRAWN}
)
