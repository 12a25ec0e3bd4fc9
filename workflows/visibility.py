"""Who may see which circular. Every channel (pages, listings, search, API, feeds) asks here."""

from django.db.models import Q

from workflows.states import PUBLIC_STATES


def public_circulars_q() -> Q:
    """Filter for circulars that anyone, signed in or not, may see."""
    return Q(live=True, secrecy="", state__in=[str(s) for s in PUBLIC_STATES])


def is_publicly_visible(circular) -> bool:
    return bool(circular.live and not circular.secrecy and circular.state in PUBLIC_STATES)
