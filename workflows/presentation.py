"""What the public channels (API, feed, circular page) show of a circular's workflow.

Nothing here decides who may see or do what: that is `workflows.permissions`. These helpers
only shape what the table allows into labels and lists.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from workflows import permissions
from workflows import roles as R
from workflows.machine import TRANSITIONS

# Roles that see a circular's full history (comments, actors, internal steps).
HISTORY_ROLES = frozenset({R.UNIT_STAFF, R.ADMINISTRATOR})


def transition_label(name: str) -> str:
    """The human name of a transition (or of a history record's pseudo-transition)."""
    if name in TRANSITIONS:
        return str(TRANSITIONS[name][0])
    if name == "imported":
        return _("Imported into the archive")
    return name


def sees_full_history(user, circular) -> bool:
    return bool(R.roles_for(user, circular) & HISTORY_ROLES)


def history_for(user, circular) -> list:
    """The full history for the owner unit's staff and administrators, the public part otherwise."""
    if sees_full_history(user, circular):
        return list(circular.history.select_related("actor").order_by("sequence"))
    return circular.public_history()


def viewable(user, circulars) -> list:
    """The circulars of `circulars` (None allowed) that `user` may see."""
    if circulars is None:
        return []
    if not isinstance(circulars, list | tuple):
        circulars = [circulars]
    return [c for c in circulars if c is not None and permissions.can_view(user, c)]
