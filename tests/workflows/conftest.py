"""The demo organisation (one user per role for 0812, officers of two provinces) and a way to
bring a circular to any position of the workflow by firing real transitions."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cms.organisations.models import Membership
from workflows import roles as R
from workflows.services import fire

# The transitions that lead to each position, with who fires them.
PATHS = {
    "draft:editing": [],
    "draft:in_review": ["submit"],
    "draft:endorsed": ["submit", "endorse", "endorse"],
    "signed": ["submit", "endorse", "endorse", "sign"],
    "distributed": ["submit", "endorse", "endorse", "sign", "distribute"],
    "closed": ["submit", "endorse", "endorse", "sign", "distribute", "close"],
    "cancelled": ["submit", "endorse", "endorse", "sign", "cancel"],
    "withdrawn": ["submit", "endorse", "endorse", "sign", "distribute", "withdraw"],
}
ACTOR = {
    "submit": "drafter",
    "sign": "signatory",
    "distribute": "registrar",
    "close": "registrar",
    "cancel": "signatory",
    "withdraw": "signatory",
}
COMMENT = {"cancel": "ยกเลิกเพราะเลื่อนงาน", "withdraw": "เพิกถอนเพราะมีฉบับใหม่"}


@pytest.fixture
def people(db, units):
    from workflows.demo import ensure_demo_people

    return ensure_demo_people()


@pytest.fixture
def new_draft(archive, people, units):
    from cms.circulars.models import CircularPage

    def make(**fields):
        defaults = {
            "subject": "การทดสอบขั้นตอนหนังสือเวียน",
            "doc_number": "มท ๐๘๑๒/ว",
            "owner": people["drafter"],
            "owner_unit": units["0812"],
            "body": "<p>ด้วยกรมส่งเสริมการปกครองท้องถิ่นขอทดสอบขั้นตอน</p>",
            "response_deadline": datetime.date.today() + datetime.timedelta(days=10),
            "live": False,
        }
        defaults.update(fields)
        page = CircularPage(**defaults)
        archive.add_child(instance=page)
        return page

    return make


@pytest.fixture
def at_position(new_draft, people):
    """at_position("signed") → a circular of 0812 brought there through the machine."""

    def bring(position: str, addressed=(), **fields):
        page = new_draft(**fields)
        if addressed:
            from cms.organisations.models import Province

            page.addressed_provinces.set(Province.objects.filter(code__in=addressed))
            page.save()
        for name in PATHS[position]:
            if name == "endorse":
                who = page.current_endorsement_step().endorser
            else:
                who = people[ACTOR[name]]
            page = fire(page, name, who, COMMENT.get(name, "")).circular
        return page

    return bring


def member(username, role, unit=None, province=None, **fields):
    """A user holding `role` in a unit or a province."""
    user = get_user_model().objects.create_user(username, f"{username}@example.go.th", **fields)
    user.groups.add(Group.objects.get(name=R.GROUPS[role]))
    Membership.objects.create(user=user, unit=unit, province=province)
    return user


def fresh(user):
    """Forget the roles cached on a user object, as a new request would."""
    if user is not None:
        for attr in ("_wian_groups", "_wian_membership"):
            if hasattr(user, attr):
                delattr(user, attr)
    return user


@pytest.fixture
def outsider(units):
    """A drafter of another division (กองคลัง), outside 0812's line."""
    return member("outsider", R.DRAFTER, unit=units["0808"])


@pytest.fixture
def administrator(units):
    return member("administrator", R.ADMINISTRATOR, unit=units["0800"])
