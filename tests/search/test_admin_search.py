"""Wagtail's own search (admin page search, page chooser, explorer) finds Thai words inside
compounds through search/wagtail_search.py, and still follows the permission table."""

import pytest
from django.test import override_settings
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from search.indexing import rebuild
from search.wagtail_search import CircularAwareSearchResults, query_text
from tests.workflows import conftest as wf

pytestmark = pytest.mark.django_db

people = wf.people
new_draft = wf.new_draft
at_position = wf.at_position
outsider = wf.outsider
administrator = wf.administrator

SUBJECT = "การประเมินประสิทธิภาพขององค์กรปกครองส่วนท้องถิ่น ประจำปี"


@pytest.fixture
def circulars(at_position):
    body = "<p>ขอให้จังหวัดแจ้งหน่วยงานในพื้นที่ทราบ</p>"  # the word is in the subjects only
    found = {
        "distributed": at_position("distributed", subject=SUBJECT, body=body),
        "draft": at_position(
            "draft:editing", subject="ร่างแนวทางกำกับดูแลองค์กรปกครองส่วนท้องถิ่น", body=body
        ),
        "other": at_position("distributed", subject="การรายงานผลการจัดเก็บรายได้", body=body),
    }
    rebuild()
    return found


def result_ids(html: str, circulars) -> set[str]:
    return {key for key, page in circulars.items() if f"/admin/wian/circulars/{page.pk}/" in html}


def test_stock_wagtail_sqlite_search_misses_a_thai_word_inside_a_compound(circulars):
    stock = get_search_backend("wagtail.search.backends.database")
    assert "Wian" not in type(stock).__name__
    found = stock.autocomplete("ปกครอง", Page.objects.all())
    assert circulars["distributed"].pk not in {page.pk for page in found}


def test_the_default_backend_subclasses_wagtails_database_backend():
    stock = get_search_backend("wagtail.search.backends.database")
    ours = get_search_backend()
    assert isinstance(ours, type(stock))
    assert type(ours).__name__ == f"Wian{type(stock).__name__}"


def test_admin_page_search_finds_a_thai_word_inside_a_compound(client, circulars, administrator):
    client.force_login(administrator)
    response = client.get("/admin/pages/search/", {"q": "ปกครอง"})
    assert response.status_code == 200
    html = response.content.decode()
    assert result_ids(html, circulars) == {"distributed", "draft"}


def test_admin_page_search_keeps_to_the_users_scope(client, circulars, outsider, people):
    client.force_login(outsider)  # a drafter of กองคลัง: 0812's draft is not theirs to see
    html = client.get("/admin/pages/search/", {"q": "ปกครอง"}).content.decode()
    assert result_ids(html, circulars) == {"distributed"}
    client.force_login(people["drafter"])
    html = client.get("/admin/pages/search/", {"q": "ปกครอง"}).content.decode()
    assert result_ids(html, circulars) == {"distributed", "draft"}


def test_admin_page_search_still_finds_other_page_types(client, circulars, administrator, archive):
    client.force_login(administrator)
    html = client.get("/admin/pages/search/", {"q": archive.title}).content.decode()
    assert f"/admin/pages/{archive.pk}/" in html


def test_a_circular_our_index_has_not_seen_yet_is_still_found_by_wagtails_backend(
    client, circulars, administrator, at_position
):
    # Saved after the rebuild, inside the test's transaction: the on-commit index update has
    # not run, but Wagtail's own index has it, and the admin never finds less than Wagtail.
    fresh = at_position("distributed", subject="หนังสือใหม่ที่ยังไม่ได้เข้าดัชนี")
    client.force_login(administrator)
    html = client.get("/admin/pages/search/", {"q": fresh.subject}).content.decode()
    assert f"/admin/wian/circulars/{fresh.pk}/" in html


def test_page_chooser_search_finds_a_thai_word_inside_a_compound(client, circulars, outsider):
    client.force_login(outsider)
    response = client.get("/admin/choose-page/search/", {"q": "ปกครอง"})
    assert response.status_code == 200
    html = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        html = response.json()["html"]
    assert f'data-id="{circulars["distributed"].pk}"' in html
    assert f'data-id="{circulars["draft"].pk}"' not in html
    assert f'data-id="{circulars["other"].pk}"' not in html


def test_results_behave_like_wagtail_results(circulars):
    from cms.circulars.models import CircularPage

    backend = get_search_backend()
    results = backend.autocomplete("ปกครอง", CircularPage.objects.all())
    assert isinstance(results, CircularAwareSearchResults)
    assert results.count() == 2
    assert [page.pk for page in results[:1]] + [page.pk for page in results[1:]] == [
        page.pk for page in results
    ]
    # Only the queryset's circulars: a live-only queryset loses the draft.
    live = backend.search("ปกครอง", CircularPage.objects.live())
    assert [page.pk for page in live] == [circulars["distributed"].pk]
    # Ordered by the queryset when relevance is not asked for.
    ordered = backend.search(
        "ปกครอง", CircularPage.objects.order_by("-id"), order_by_relevance=False
    )
    assert [page.pk for page in ordered] == sorted(
        [circulars["distributed"].pk, circulars["draft"].pk], reverse=True
    )
    facets = backend.search("ปกครอง", Page.objects.all()).facet("content_type_id")
    assert sum(facets.values()) == 2
    scored = backend.search("ปกครอง", CircularPage.objects.all()).annotate_score("_score")
    assert all(page._score > 0 for page in scored)


def test_match_all_and_other_models_stay_with_wagtails_backend(circulars):
    from django.contrib.auth import get_user_model
    from wagtail.search.query import MATCH_ALL

    backend = get_search_backend()
    everything = backend.search(MATCH_ALL, Page.objects.all())
    assert not isinstance(everything, CircularAwareSearchResults)
    users = backend.autocomplete("drafter", get_user_model().objects.all())
    assert not isinstance(users, CircularAwareSearchResults)


def test_query_text_reads_wagtails_parsed_queries():
    from wagtail.search.query import MATCH_ALL, Or, Phrase, PlainText
    from wagtail.search.utils import parse_query_string

    _filters, query = parse_query_string('ปกครอง "ส่วนท้องถิ่น"', operator="and")
    assert query_text(query) == 'ปกครอง "ส่วนท้องถิ่น"'
    assert query_text(PlainText("ภาษี")) == "ภาษี"
    assert query_text(MATCH_ALL) is None
    assert query_text(Or([PlainText("a"), Phrase("b")])) is None


@override_settings(
    WAGTAILSEARCH_BACKENDS={"default": {"BACKEND": "search.wagtail_search", "CIRCULAR_LIMIT": 1}}
)
def test_the_number_of_circulars_considered_is_a_setting(circulars):
    from cms.circulars.models import CircularPage

    results = get_search_backend().search("ปกครอง", CircularPage.objects.all())
    assert results.count() == 1
