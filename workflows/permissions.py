"""The one permission table: workflow position × role → view, edit, transitions.

Every channel asks here: Wagtail admin (edit views, listings, choosers, previews), public
pages, search, the API, feeds and the sitemap. Nothing else decides who sees or changes a
circular.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows import roles as R
from workflows.states import CircularState as S

EDITING, IN_REVIEW, ENDORSED = "editing", "in_review", "endorsed"

_PUBLIC = frozenset({R.ANYONE})
_STAFF = frozenset({R.UNIT_STAFF, R.ADMINISTRATOR})
# A secret circular is shown only to its addressees and staff, whatever its state.
SECRET_AUDIENCE = frozenset({R.ADDRESSEE, R.UNIT_STAFF, R.ADMINISTRATOR})

# position → what each role may do there. A draft's position carries its review status.
TABLE: dict[str, dict] = {
    f"{S.DRAFT}:{EDITING}": {
        "view": frozenset({R.AUTHOR}) | _STAFF,
        "edit": frozenset({R.AUTHOR, R.DRAFTER, R.ADMINISTRATOR}),
        "transitions": {"submit": frozenset({R.AUTHOR, R.DRAFTER})},
    },
    f"{S.DRAFT}:{IN_REVIEW}": {
        "view": frozenset({R.AUTHOR}) | _STAFF,
        "edit": frozenset(),  # under review: the endorsers read what they initial
        "transitions": {
            "retract": frozenset({R.AUTHOR}),
            "endorse": frozenset({R.ENDORSER, R.SIGNATORY}),
            "request_changes": frozenset({R.ENDORSER, R.SIGNATORY}),
        },
    },
    f"{S.DRAFT}:{ENDORSED}": {
        "view": frozenset({R.AUTHOR}) | _STAFF,
        "edit": frozenset(),
        "transitions": {
            "sign": frozenset({R.SIGNATORY, R.DELEGATE}),
            "request_changes": frozenset({R.SIGNATORY, R.DELEGATE}),
            "retract": frozenset({R.AUTHOR}),
        },
    },
    S.SIGNED: {
        "view": _STAFF,
        "edit": frozenset(),
        "attach_scan": frozenset({R.REGISTRAR}),
        "transitions": {
            "distribute": frozenset({R.REGISTRAR, R.SYSTEM}),
            "schedule_distribution": frozenset({R.REGISTRAR}),
            "cancel": frozenset({R.SIGNATORY, R.DELEGATE}),
        },
    },
    S.DISTRIBUTED: {
        "view": _PUBLIC,
        "edit": frozenset(),
        "attach_scan": frozenset({R.REGISTRAR}),
        "transitions": {
            "close": frozenset({R.REGISTRAR, R.SYSTEM}),
            "withdraw": frozenset({R.SIGNATORY, R.DELEGATE}),
            "amend": frozenset({R.DRAFTER}),
            "acknowledge": frozenset({R.ADDRESSEE}),
        },
    },
    S.CLOSED: {
        "view": _PUBLIC,
        "edit": frozenset(),
        "attach_scan": frozenset({R.REGISTRAR}),
        "transitions": {
            "reopen": frozenset({R.REGISTRAR}),
            "amend": frozenset({R.DRAFTER}),
            "acknowledge": frozenset({R.ADDRESSEE}),
        },
    },
    S.CANCELLED: {"view": _STAFF, "edit": frozenset(), "transitions": {}},
    S.WITHDRAWN: {"view": _PUBLIC, "edit": frozenset(), "transitions": {}},
}

# Transitions whose comment is required, and what the comment is called.
COMMENT_REQUIRED = {
    "request_changes": gettext_lazy("comment"),
    "reopen": gettext_lazy("comment"),
    "cancel": gettext_lazy("reason"),
    "withdraw": gettext_lazy("reason"),
}


def position(circular) -> str:
    if circular.state == S.DRAFT:
        return f"{S.DRAFT}:{circular.review_status or EDITING}"
    return str(circular.state)


def row(circular) -> dict:
    return TABLE[position(circular)]


def view_roles(circular) -> frozenset[str]:
    roles = row(circular)["view"]
    if circular.secrecy and R.ANYONE in roles:
        return SECRET_AUDIENCE
    return roles


def can_view(user, circular) -> bool:
    # The page must also be live for anyone outside the staff; drafts are never live.
    roles = R.roles_for(user, circular)
    allowed = view_roles(circular)
    if not roles & allowed:
        return False
    if roles & _STAFF or R.AUTHOR in roles:
        return True
    return bool(circular.live)


def can_edit(user, circular) -> bool:
    return bool(R.roles_for(user, circular) & row(circular)["edit"])


def can_attach_scan(user, circular) -> bool:
    return bool(R.roles_for(user, circular) & row(circular).get("attach_scan", frozenset()))


def transition_roles(circular, name: str) -> frozenset[str]:
    return row(circular)["transitions"].get(name, frozenset())


def refusal(user, circular, name: str) -> str | None:
    """Why `user` may not fire `name` on `circular` now (None when they may)."""
    roles = R.roles_for(user, circular)
    allowed = transition_roles(circular, name)
    if not roles & allowed:
        from workflows.machine import TRANSITIONS

        return _("Your role does not allow “%(transition)s” on a circular that is %(state)s.") % {
            "transition": TRANSITIONS[name][0] if name in TRANSITIONS else name,
            "state": circular.get_state_display(),
        }
    if name == "submit" and circular.owner_unit_id is None:
        return _("Choose the owner unit first: it decides who endorses and who signs.")
    if name == "sign":
        if circular.drafter_id and circular.drafter_id == getattr(user, "pk", None):
            return _("The drafter of a circular may not sign it.")
    if name == "endorse":
        step = circular.current_endorsement_step()
        if step is None:
            return _("Every endorsement is done; the circular waits for its signature.")
        if not step.accepts(user):
            return _("This step of the endorsement chain is for %(who)s.") % {"who": step}
        if circular.drafter_id and circular.drafter_id == getattr(user, "pk", None):
            return _("The drafter of a circular may not endorse it.")
    if name == "acknowledge" and circular.recipient_for(user) is None:
        return _("Your province is not among the addressees.")
    return None


def allowed_transitions(user, circular) -> list[str]:
    return [name for name in row(circular)["transitions"] if refusal(user, circular, name) is None]


def visible_q(user) -> Q:
    """Queryset filter: the circulars `user` may see (one query, for listings and search)."""
    public = Q(live=True, secrecy="", state__in=_states_open_to(R.ANYONE))
    if user is None or not getattr(user, "is_authenticated", False):
        return public
    groups = R.user_groups(user)
    if R.ADMINISTRATOR in groups:
        return Q()
    unit, province_id = R.membership_of(user)
    q = public | Q(owner=user)
    if unit is not None:
        from cms.organisations.models import Unit

        below = _descendant_ids(Unit, unit)
        above = R.unit_lineage(unit)
        q |= Q(owner_unit_id__in=below | above)
    if province_id and R.PROVINCE_OFFICER in groups:
        addressed = Q(addressed_provinces__isnull=True) | Q(addressed_provinces=province_id)
        q |= Q(live=True, state__in=_states_open_to(R.ANYONE)) & addressed
    return q


def _states_open_to(role: str) -> list[str]:
    return [
        str(key) for key, value in TABLE.items() if ":" not in str(key) and role in value["view"]
    ]


def _descendant_ids(Unit, unit) -> set[int]:
    ids, frontier = {unit.pk}, [unit.pk]
    while frontier:
        frontier = list(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = [pk for pk in frontier if pk not in ids]
        ids.update(frontier)
    return ids
