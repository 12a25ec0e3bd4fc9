"""Index updates Elasticsearch missed while it was unreachable, waiting to be replayed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingIndexOperation(models.Model):
    """One index update for Elasticsearch, queued in order; the embedded index already has it.

    Only the page id is kept: replaying re-reads the page, so it sends the current state.
    """

    class Action(models.TextChoices):
        INDEX = "index", _("index")
        DELETE = "delete", _("delete")

    page_id = models.PositiveIntegerField(_("page id"))
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("pending index operation")
        verbose_name_plural = _("pending index operations")

    def __str__(self) -> str:
        return f"{self.action} {self.page_id}"
