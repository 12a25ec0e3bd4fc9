"""Append-only history of a circular's transitions, chained by hashes so tampering shows."""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HistoryIsAppendOnly(Exception):
    pass


class TransitionRecord(models.Model):
    circular = models.ForeignKey(
        "circulars.CircularPage", on_delete=models.PROTECT, related_name="history"
    )
    sequence = models.PositiveIntegerField(_("sequence"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("actor"), max_length=255)
    at = models.DateTimeField(_("time"))
    transition = models.CharField(_("transition"), max_length=40)
    source = models.CharField(_("from"), max_length=40)
    target = models.CharField(_("to"), max_length=40)
    comment = models.TextField(_("comment"), blank=True)
    public = models.BooleanField(_("shown publicly"), default=False)
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["circular", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["circular", "sequence"], name="history_unique_sequence")
        ]
        verbose_name = _("history record")
        verbose_name_plural = _("history")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.transition}: {self.source} → {self.target}"

    def payload(self) -> str:
        return json.dumps(
            {
                "circular": self.circular_id,
                "sequence": self.sequence,
                "actor": self.actor_name,
                "at": self.at.isoformat(),
                "transition": self.transition,
                "source": self.source,
                "target": self.target,
                "comment": self.comment,
                "previous": self.previous_hash,
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.payload().encode()).hexdigest()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise HistoryIsAppendOnly("history records are never changed")
        self.hash = self.compute_hash()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise HistoryIsAppendOnly("history records are never deleted")


def verify_chain(records) -> int | None:
    """The sequence of the first record that does not match its hash chain, or None if intact."""
    previous = ""
    for record in records:
        if record.previous_hash != previous or record.compute_hash() != record.hash:
            return record.sequence
        previous = record.hash
    return None
