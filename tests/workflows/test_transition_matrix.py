"""Every transition × every role × every position, against a table written out by hand here
(independently of workflows.permissions), and firing: 403 for the wrong role, 409 for the wrong
state, success for the right one."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from workflows.machine import TRANSITIONS
from workflows.permissions import allowed_transitions
from workflows.services import TransitionForbidden, TransitionInvalid, fire

from .conftest import PATHS, fresh

pytestmark = pytest.mark.django_db

USERS = [
    "drafter",
    "endorser",
    "deputy",
    "signatory",
    "registrar",
    "officer-bkk",
    "officer-cmi",
    "drafter-0810",
    "anonymous",
    "admin",
]
# position → transition → the users who may fire it (the rest of the row: nobody)
EXPECTED = {
    "draft:editing": {"submit": {"drafter"}},
    "draft:in_review": {
        "retract": {"drafter"},
        "endorse": {"endorser"},  # step 1 names the endorser
        "request_changes": {"endorser", "deputy", "signatory"},
    },
    "draft:endorsed": {
        "sign": {"signatory"},
        "request_changes": {"signatory"},
        "retract": {"drafter"},
    },
    "signed": {
        "distribute": {"registrar"},
        "schedule_distribution": {"registrar"},
        "cancel": {"signatory"},
    },
    "distributed": {
        "close": {"registrar"},
        "withdraw": {"signatory"},
        "amend": {"drafter"},
        "acknowledge": {"officer-bkk", "officer-cmi"},
    },
    "closed": {
        "reopen": {"registrar"},
        "amend": {"drafter"},
        "acknowledge": {"officer-bkk", "officer-cmi"},
    },
    "cancelled": {},
    "withdrawn": {},
}
KWARGS = {
    "schedule_distribution": {"at": "2099-01-01T09:00:00+07:00"},
}
COMMENTS = {
    "request_changes": "โปรดแก้ไขย่อหน้าที่สอง",
    "reopen": "ขยายเวลา",
    "cancel": "ยกเลิก",
    "withdraw": "เพิกถอน",
}


@pytest.fixture
def users(people, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "a@example.go.th", "pw")
    return {**people, "anonymous": AnonymousUser(), "admin": admin}


@pytest.mark.parametrize("position", list(PATHS))
def test_allowed_transitions_match_the_written_table(at_position, users, position):
    circular = at_position(position)
    expected = EXPECTED[position]
    for username in USERS:
        user = fresh(users[username])
        allowed = set(allowed_transitions(user, circular))
        wanted = {name for name, who in expected.items() if username in who}
        assert allowed == wanted, (position, username)


@pytest.mark.parametrize("position", list(PATHS))
def test_firing_answers_403_409_or_moves(at_position, users, position):
    from cms.circulars.models import CircularPage

    circular = at_position(position)
    expected = EXPECTED[position]
    valid_here = set(expected)
    for name in TRANSITIONS:
        for username in USERS:
            user = fresh(users[username])
            sid = transaction.savepoint()
            try:
                if name not in valid_here and name not in {"acknowledge", "amend"}:
                    with pytest.raises(TransitionInvalid):
                        fire(circular, name, user, COMMENTS.get(name, "x"), **KWARGS.get(name, {}))
                elif username not in expected.get(name, set()):
                    with pytest.raises((TransitionForbidden, TransitionInvalid)):
                        fire(circular, name, user, COMMENTS.get(name, "x"), **KWARGS.get(name, {}))
                else:
                    outcome = fire(
                        circular, name, user, COMMENTS.get(name, "x"), **KWARGS.get(name, {})
                    )
                    stored = CircularPage.objects.get(pk=circular.pk)
                    target = TRANSITIONS[name][2]
                    if target is not None:
                        assert stored.state == target, (position, name)
                    assert stored.history.order_by("-sequence").first().transition == name
                    assert outcome.transition == name
            finally:
                transaction.savepoint_rollback(sid)
