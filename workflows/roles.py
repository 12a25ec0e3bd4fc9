"""Who a user is with respect to one circular. Groups are created by a migration."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Wagtail/Django groups (names as users see them) and the role each stands for.
DRAFTER = "drafter"
ENDORSER = "endorser"
SIGNATORY = "signatory"
REGISTRAR = "registrar"
PROVINCE_OFFICER = "province_officer"
ADMINISTRATOR = "administrator"

GROUPS = {
    DRAFTER: "ผู้ร่าง",
    ENDORSER: "ผู้ตรวจ",
    SIGNATORY: "ผู้ลงนาม",
    REGISTRAR: "สารบรรณ",
    PROVINCE_OFFICER: "เจ้าหน้าที่จังหวัด",
    ADMINISTRATOR: "ผู้ดูแลระบบ",
}
GROUP_LABELS = {
    DRAFTER: _("Drafter"),
    ENDORSER: _("Endorser"),
    SIGNATORY: _("Signatory"),
    REGISTRAR: _("Registrar"),
    PROVINCE_OFFICER: _("Province officer"),
    ADMINISTRATOR: _("Administrator"),
}

# Roles relative to one circular, beyond the groups above.
ANYONE = "anyone"  # every visitor, signed in or not
AUTHOR = "author"  # the user who drafted this circular
UNIT_STAFF = "unit_staff"  # any member of the owner unit
ADDRESSEE = "addressee"  # an officer of a province the circular is addressed to
DELEGATE = "delegate"  # signs for a signatory of the owner unit (ปฏิบัติราชการแทน)
SYSTEM = "system"  # scheduled jobs (deadline closing, timed distribution)

ALL_ROLES = (
    ANYONE,
    AUTHOR,
    UNIT_STAFF,
    ADDRESSEE,
    DELEGATE,
    SYSTEM,
    *GROUPS,
)


class SystemActor:
    """The actor of scheduled transitions (cron, background tasks)."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    pk = None
    username = "system"

    def __str__(self) -> str:
        return "system"


SYSTEM_ACTOR = SystemActor()


def user_groups(user) -> frozenset[str]:
    """The workflow roles a user holds through group membership."""
    if (
        user is None
        or not getattr(user, "is_authenticated", False)
        or isinstance(user, SystemActor)
    ):
        return frozenset()
    cached = getattr(user, "_wian_groups", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role, name in GROUPS.items() if name in names)
        if user.is_superuser:
            cached |= {ADMINISTRATOR}
        user._wian_groups = cached
    return cached


def membership_of(user):
    """(unit, province) the user belongs to, either may be None."""
    if (
        user is None
        or not getattr(user, "is_authenticated", False)
        or isinstance(user, SystemActor)
    ):
        return None, None
    cached = getattr(user, "_wian_membership", None)
    if cached is None:
        from cms.organisations.models import Membership

        membership = Membership.objects.filter(user=user).select_related("unit").first()
        cached = (membership.unit, membership.province_id) if membership else (None, None)
        user._wian_membership = cached
    return cached


def unit_lineage(unit) -> set[int]:
    """Ids of the unit and of every unit above it."""
    ids, seen = set(), 0
    while unit is not None and seen < 10:
        ids.add(unit.pk)
        unit, seen = unit.parent, seen + 1
    return ids


def roles_for(user, circular) -> frozenset[str]:
    """Every role `user` holds with respect to `circular`."""
    if isinstance(user, SystemActor):
        return frozenset({ANYONE, SYSTEM})
    roles = {ANYONE}
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset(roles)
    groups = user_groups(user)
    if ADMINISTRATOR in groups:
        roles.add(ADMINISTRATOR)
    unit, province_id = membership_of(user)
    if circular.drafter_id and circular.drafter_id == user.pk:
        roles.add(AUTHOR)
    owner = circular.owner_unit
    # Staff of the owner unit, of a unit inside it, or of a unit above it (a division's
    # director sees the sections' letters; the department sees all).
    in_owner_unit = bool(
        unit and owner and (owner.pk in unit_lineage(unit) or unit.pk in unit_lineage(owner))
    )
    if in_owner_unit:
        roles.add(UNIT_STAFF)
        roles |= groups & {DRAFTER, ENDORSER, SIGNATORY, REGISTRAR}
    if province_id and PROVINCE_OFFICER in groups:
        roles.add(PROVINCE_OFFICER)
        if circular.is_addressed_to(province_id):
            roles.add(ADDRESSEE)
    if circular.pk and circular.delegations_for(user):
        roles.add(DELEGATE)
    return frozenset(roles)
