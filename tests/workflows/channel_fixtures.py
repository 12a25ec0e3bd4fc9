"""Fixtures for the non-admin channels (API, feed, sitemap, public page, scheduled jobs).

An organisation of its own, so these tests do not depend on the demo data: unit 0812 drafts,
its group head and any endorser of the department (0800) endorse, the department's signatory
signs, 0812's registrar distributes; officers of Bangkok (addressed) and Chiang Mai (not
addressed) receive; a drafter of 0808 is an outsider. Import with
`from tests.workflows.channel_fixtures import *`.
"""

import datetime
import json

import pytest

from workflows import roles as R

__all__ = ["org", "draft_circular", "api", "walk", "ADDRESSED", "NOT_ADDRESSED"]

ADDRESSED, NOT_ADDRESSED = 10, 50  # province codes: Bangkok, Chiang Mai

# username → (role, unit code or province code)
PEOPLE = {
    "drafter": (R.DRAFTER, "0812"),
    "head": (R.ENDORSER, "0812"),
    "deputy": (R.ENDORSER, "0800"),
    "signatory": (R.SIGNATORY, "0800"),
    "registrar": (R.REGISTRAR, "0812"),
    "officer": (R.PROVINCE_OFFICER, ADDRESSED),
    "far_officer": (R.PROVINCE_OFFICER, NOT_ADDRESSED),
    "outsider": (R.DRAFTER, "0808"),
}


@pytest.fixture
def org(db, units):
    """{username: user} with groups, memberships, tokens and 0812's two-step chain."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from cms.organisations.models import Membership, Province
    from workflows.models import EndorsementStep

    User = get_user_model()
    people = {}
    for username, (role, where) in PEOPLE.items():
        user = User.objects.create_user(
            username, email=f"{username}@example.go.th", first_name=username.title()
        )
        user.groups.add(Group.objects.get(name=R.GROUPS[role]))
        if isinstance(where, int):
            Membership.objects.create(user=user, province=Province.objects.get(code=where))
        else:
            Membership.objects.create(user=user, unit=units[where])
        user.token = Token.objects.create(user=user).key
        people[username] = user
    EndorsementStep.objects.create(
        unit=units["0812"], order=1, title="ผอ.กลุ่ม", endorser=people["head"]
    )
    EndorsementStep.objects.create(
        unit=units["0812"], order=2, title="รองอธิบดี", endorser_unit=units["0800"]
    )
    return people


@pytest.fixture
def draft_circular(archive, org, units):
    """draft_circular(**fields) → a new draft of 0812 by `drafter`, addressed to Bangkok."""
    from cms.circulars.models import CircularPage
    from cms.organisations.models import Province

    def make(provinces=(ADDRESSED,), **fields):
        defaults = {
            "subject": "การสำรวจข้อมูลระบบสารบรรณอิเล็กทรอนิกส์ขององค์กรปกครองส่วนท้องถิ่น",
            "doc_number": units["0812"].circular_number_prefix(),
            "owner": org["drafter"],
            "owner_unit": units["0812"],
            "body": "<p>ด้วยกรมส่งเสริมการปกครองท้องถิ่นขอให้จังหวัดสำรวจข้อมูล</p>",
            "response_deadline": datetime.date.today() + datetime.timedelta(days=14),
            "state": "draft",
            "live": False,
        }
        defaults.update(fields)
        page = CircularPage(**defaults)
        archive.add_child(instance=page)
        if provinces:
            page.addressed_provinces.set(Province.objects.filter(code__in=provinces))
            page.save()
        return page

    return make


@pytest.fixture
def api(client):
    """api(user, "get"|"post", path, data=None) → response, with token auth (None: anonymous).

    Answers are in English (Accept-Language) so messages can be compared with the source."""

    def call(user, method, path, data=None, language="en"):
        headers = {"Accept-Language": language}
        if user is not None:
            headers["Authorization"] = f"Token {user.token}"
        if method == "get":
            return client.get(path, headers=headers)
        return client.post(
            path,
            data=json.dumps(data or {}),
            content_type="application/json",
            headers=headers,
        )

    return call


# Who fires each step of the happy path, and what they send.
STEPS = {
    "submit": ("drafter", {}),
    "endorse": (None, {}),  # the head, then the deputy
    "sign": ("signatory", {"comment": "ลงนามแล้ว"}),
    "distribute": ("registrar", {}),
    "close": ("registrar", {}),
}


@pytest.fixture
def walk(api, org):
    """walk(circular, ["submit", "endorse", ...]) through the API; asserts each answer is 200."""

    def run(circular, names):
        endorsers = iter([org["head"], org["deputy"]])
        answer = None
        for name in names:
            who, body = STEPS[name]
            user = next(endorsers) if who is None else org[who]
            answer = api(user, "post", f"/api/circulars/{circular.pk}/transitions/{name}/", body)
            assert answer.status_code == 200, (name, answer.content.decode())
        return answer

    return run
