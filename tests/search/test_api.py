"""/api/search/ and /api/search/suggest/: JSON with the same hits, facets and scope as the page."""

import pytest

from search.indexing import rebuild
from tests.search.archive import NEUTRAL_BODY, tax_circulars
from tests.workflows import conftest as wf

pytestmark = pytest.mark.django_db

people = wf.people
new_draft = wf.new_draft
at_position = wf.at_position


@pytest.fixture
def circulars(make_circular, units):
    return tax_circulars(make_circular, units, sign_tax_topics=())


def api(client, **params) -> dict:
    response = client.get("/api/search/", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_the_answer_carries_the_query_totals_and_hits(client, circulars):
    data = api(client, q="ปกครอง")
    assert data["query"] == "ปกครอง"
    assert data["total"] == 1 and data["page"] == 1 and data["per_page"] == 20
    assert data["exact"] is True and data["notice"] == "" and data["suggestion"] == ""
    assert isinstance(data["took_ms"], float) and data["took_ms"] >= 0
    [hit] = data["hits"]
    local = circulars["local_tax"]
    assert hit["id"] == local.pk
    assert hit["url"] == f"http://testserver{local.url}"
    assert hit["doc_number"] == local.doc_number
    assert hit["issued_on"] == "2021-03-01"
    assert hit["subject"] == local.subject
    assert hit["urgency"] == "ด่วน"
    assert hit["unit"] == {"code": "0812", "name": "กลุ่มพัฒนาระบบบริหาร"}
    assert hit["score"] > 0
    assert hit["snippet"] == ("ขอให้องค์กร«ปกครอง»ส่วนท้องถิ่นเร่งรัดการจัดเก็บภาษีที่ดินและสิ่งปลูกสร้าง")
    assert hit["snippet_parts"] == [
        ["ขอให้องค์กร", False],
        ["ปกครอง", True],
        ["ส่วนท้องถิ่นเร่งรัดการจัดเก็บภาษีที่ดินและสิ่งปลูกสร้าง", False],
    ]


def test_facets_count_the_results(client, circulars):
    facets = api(client, q="ภาษี")["facets"]
    assert sorted((f["value"], f["count"]) for f in facets["be_year"]) == [
        ("2563", 1),
        ("2564", 1),
        ("2565", 1),
    ]
    assert sorted((f["value"], f["count"]) for f in facets["unit"]) == [("0808", 1), ("0812", 2)]
    assert sorted((f["value"], f["count"]) for f in facets["urgency"]) == [
        ("ด่วน", 1),
        ("ด่วนที่สุด", 1),
    ]
    assert facets["topic"] == [{"value": "ภาษี", "count": 1}]
    assert "state" not in facets  # the public never learns about workflow states


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2564"}, {"local_tax"}),
        ({"year": "๒๕๖๓"}, {"land_tax"}),
        ({"unit": "0812"}, {"local_tax", "land_tax"}),
        ({"urgency": "ด่วนที่สุด"}, {"sign_tax"}),
        ({"topic": "ภาษี"}, {"local_tax"}),
        ({"unit": "0812", "year": "2565"}, set()),
    ],
)
def test_filters_narrow_the_results(client, circulars, params, expected):
    data = api(client, q="ภาษี", **params)
    assert {hit["id"] for hit in data["hits"]} == {circulars[key].pk for key in expected}
    assert data["total"] == len(expected)


def test_pages_and_page_size(client, circulars):
    by_date = [circulars[k].pk for k in ("sign_tax", "local_tax", "land_tax")]
    first = api(client, q="ภาษี", sort="date", per_page=2)
    second = api(client, q="ภาษี", sort="date", per_page=2, page=2)
    assert first["total"] == second["total"] == 3
    assert [h["id"] for h in first["hits"]] == by_date[:2]
    assert [h["id"] for h in second["hits"]] == by_date[2:]
    assert second["page"] == 2 and second["per_page"] == 2
    assert api(client, q="ภาษี", per_page=5000)["per_page"] == 100
    assert api(client, q="ภาษี", per_page="many")["per_page"] == 20


def test_words_found_apart_are_not_exact(client, circulars):
    data = api(client, q="ภาษี ป้าย")
    assert data["exact"] is False
    assert [h["id"] for h in data["hits"]] == [circulars["sign_tax"].pk]


def test_a_misspelt_word_gets_a_suggestion(client, circulars):
    data = api(client, q="ผูสูงอายุ")
    assert data["total"] == 0 and data["hits"] == []
    assert data["suggestion"] == "ผู้สูงอายุ"
    assert [h["id"] for h in api(client, q=data["suggestion"])["hits"]] == [circulars["elderly"].pk]


def test_a_dropped_tone_mark_inside_a_compound_gets_a_suggestion(client, circulars):
    assert api(client, q="ทองถิ่น")["suggestion"] == "ท้องถิ่น"


def test_a_misspelt_word_among_several_gets_a_suggestion(client, circulars):
    assert api(client, q="ผู้สูงอายุ ชุมชน")["total"] == 1
    assert api(client, q="ผูสูงอายุ ชุมชน")["suggestion"] == "ผู้สูงอายุ ชุมชน"


def test_the_backends_notice_is_passed_on(client, circulars, monkeypatch):
    from search import service

    real = service.get_backend()

    class Degraded:
        name = "degraded"

        def search(self, query):
            result = real.search(query)
            result.notice = "ใช้ดัชนีสำรอง"
            return result

    monkeypatch.setattr(service, "get_backend", lambda: Degraded())
    data = api(client, q="ภาษี")
    assert data["notice"] == "ใช้ดัชนีสำรอง" and data["total"] == 3


def test_an_empty_query_answers_nothing(client, circulars):
    data = api(client, q="  ")
    assert data["query"] == "" and data["total"] == 0 and data["hits"] == []


def test_only_get_is_allowed(client, circulars):
    assert client.post("/api/search/", {"q": "ภาษี"}).status_code == 405


def test_suggest_gives_subjects_for_a_prefix(client, circulars):
    response = client.get("/api/search/suggest/", {"q": "การจัดเก็บภาษี"})
    assert response.status_code == 200
    data = response.json()
    assert data["query"] == "การจัดเก็บภาษี"
    subjects = [s["subject"] for s in data["suggestions"]]
    assert set(subjects) == {
        circulars["local_tax"].subject,
        circulars["sign_tax"].subject,
        circulars["land_tax"].subject,
    }
    assert subjects[0] == circulars["sign_tax"].subject  # the newest first
    first = data["suggestions"][0]
    assert first["url"] == f"http://testserver{circulars['sign_tax'].url}"
    assert client.get("/api/search/suggest/", {"q": "ก"}).json()["suggestions"] == []
    assert client.get("/api/search/suggest/").json()["suggestions"] == []


def test_a_signed_in_session_widens_the_scope(client, at_position, people):
    draft = at_position("draft:editing", subject="ร่างหนังสือเรื่องการป้องกันอัคคีภัย", body=NEUTRAL_BODY)
    rebuild()
    assert api(client, q="อัคคีภัย")["total"] == 0
    client.force_login(people["drafter"])
    data = api(client, q="อัคคีภัย")
    assert [h["id"] for h in data["hits"]] == [draft.pk]
    # Drafts are not served publicly: staff get the workflow page in the admin.
    assert data["hits"][0]["url"] == f"http://testserver/admin/wian/circulars/{draft.pk}/"
    assert [f["value"] for f in data["facets"]["state"]] == ["draft"]
    assert api(client, q="อัคคีภัย", state="signed")["total"] == 0
