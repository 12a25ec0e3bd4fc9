"""Search never shows a circular to someone the permission table hides it from: the search page,
the API and autocomplete, for the public, another unit, another province, and the staff."""

import re

import pytest
from django.test import Client

from search.indexing import rebuild
from tests.workflows import conftest as wf

pytestmark = pytest.mark.django_db

people = wf.people
new_draft = wf.new_draft
at_position = wf.at_position
outsider = wf.outsider

WORD = "พัสดุครุภัณฑ์"  # in every subject below, and in no other circular
BODY = "<p>ขอให้ตรวจนับและรายงานผล</p>"


@pytest.fixture
def cases(at_position):
    """One circular of 0812 in each position that must stay hidden, and a public one; the
    secret circular is addressed to Bangkok (province 10) only."""
    made = {
        "draft": at_position("draft:editing", subject=f"ร่างแนวทางการตรวจสอบ{WORD}", body=BODY),
        "in_review": at_position("draft:in_review", subject=f"ร่างการจำหน่าย{WORD}", body=BODY),
        "signed": at_position("signed", subject=f"การตรวจนับ{WORD}ประจำปี", body=BODY),
        "cancelled": at_position("cancelled", subject=f"การอบรมเรื่อง{WORD}", body=BODY),
        "secret": at_position(
            "distributed",
            addressed=[10],
            secrecy="ลับ",
            subject=f"การเก็บรักษา{WORD}ในคลังลับ",
            body=BODY,
        ),
        "public": at_position("distributed", subject=f"การจัดซื้อ{WORD}", body=BODY),
    }
    rebuild()
    return made


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def on_page(client, cases) -> set[str]:
    response = client.get("/search/", {"q": WORD})
    assert response.status_code == 200
    html = response.content.decode()
    found = {int(pk) for pk in re.findall(r'<article aria-labelledby="hit-(\d+)">', html)}
    leaked = {key for key, c in cases.items() if c.subject in html and c.pk not in found}
    assert not leaked, f"subjects shown outside the hits: {leaked}"
    return {key for key, c in cases.items() if c.pk in found}


def in_api(client, cases) -> set[str]:
    data = client.get("/api/search/", {"q": WORD}).json()
    ids = {hit["id"] for hit in data["hits"]}
    assert data["total"] == len(ids)
    return {key for key, c in cases.items() if c.pk in ids}


def in_suggestions(client, cases) -> set[str]:
    data = client.get("/api/search/suggest/", {"q": WORD}).json()
    ids = {s["id"] for s in data["suggestions"]}
    return {key for key, c in cases.items() if c.pk in ids}


CHANNELS = {"page": on_page, "api": in_api, "suggest": in_suggestions}
ALL = {"draft", "in_review", "signed", "cancelled", "secret", "public"}


@pytest.mark.parametrize("channel", list(CHANNELS))
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", {"public"}),
        ("officer-cmi", {"public"}),  # a province the secret circular is not addressed to
        ("outsider", {"public"}),  # staff of another division (กองคลัง)
        ("drafter-0810", {"public"}),  # staff of a sibling division
        ("officer-bkk", {"public", "secret"}),  # the addressed province
        ("drafter", ALL),  # the owner unit's staff find their drafts
        ("registrar", ALL),  # the department above the owner unit
    ],
)
def test_who_finds_what(cases, people, outsider, channel, who, expected):
    users = {**people, "outsider": outsider, "anonymous": None}
    seen = CHANNELS[channel](client_for(users[who]), cases)
    assert seen == expected


def test_the_public_never_learns_how_many_hidden_circulars_match(cases):
    data = Client().get("/api/search/", {"q": WORD}).json()
    assert data["total"] == 1
    counts = {name: sum(f["count"] for f in values) for name, values in data["facets"].items()}
    assert counts["be_year"] <= 1 and counts["unit"] == 1


def test_a_filter_by_state_does_not_open_hidden_circulars(cases, people):
    hidden = {cases[k].pk for k in ("draft", "in_review", "signed", "cancelled")}
    for who in (None, people["officer-cmi"], people["officer-bkk"]):
        client = client_for(who)
        for state in ("draft", "signed", "cancelled"):
            data = client.get("/api/search/", {"q": WORD, "state": state}).json()
            assert data["hits"] and not hidden & {hit["id"] for hit in data["hits"]}
            assert "state" not in data["facets"] and "state" not in data["filters"]
            html = client.get("/search/", {"q": WORD, "state": state}).content.decode()
            for key in ("draft", "in_review", "signed", "cancelled"):
                assert cases[key].subject not in html


def test_a_search_for_a_hidden_subject_suggests_nothing_hidden(cases):
    client = Client()
    for key in ("draft", "signed", "cancelled", "secret"):
        subject = cases[key].subject
        data = client.get("/api/search/", {"q": subject}).json()
        assert data["total"] == 0 and data["hits"] == [] and data["suggestion"] == ""
        suggested = client.get("/api/search/suggest/", {"q": subject[:6]}).json()
        assert all(s["id"] != cases[key].pk for s in suggested["suggestions"])
