"""When Elasticsearch cannot answer: searches come from the embedded index with a notice, index
updates go to the embedded index and to a queue, and the queue is replayed in order later."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation
from elastic_transport import ApiResponseMeta, HttpHeaders, NodeConfig
from elasticsearch import (
    ApiError,
    BadRequestError,
    ConnectionError,
    ConnectionTimeout,
    Elasticsearch,
    NotFoundError,
)

from search.analysis import parse_query
from search.backends.base import Scope, SearchQuery
from search.backends.elastic import (
    ALIAS,
    ElasticsearchBackend,
    ElasticsearchWithFallback,
    is_unavailable,
    unavailable_notice,
)
from search.models import PendingIndexOperation
from tests.search.test_elastic_backend import doc, fake_client, ticking_clock

NOTICE_MSGID = "The search service is unavailable; results come from the local index."
EVERYTHING = Scope(everything=True)


def unreachable() -> ElasticsearchBackend:
    """Port 9 (discard) on this machine: nothing listens, the connection is refused at once."""
    client = Elasticsearch("http://127.0.0.1:9", request_timeout=0.5, max_retries=0)
    return ElasticsearchBackend(client, ALIAS)


def reachable():
    client, node = fake_client()
    return ElasticsearchBackend(client, ALIAS, now=ticking_clock()), node


def queued() -> list[tuple[int, str]]:
    return list(PendingIndexOperation.objects.values_list("page_id", "action"))


def search(backend, text: str, **options):
    return backend.search(SearchQuery(parsed=parse_query(text), scope=EVERYTHING, **options))


def test_an_unreachable_server_gives_the_embedded_result_with_a_notice(embedded_index):
    backend = ElasticsearchWithFallback(unreachable(), embedded_index)
    backend.index([doc(1, "ประชุมสภาท้องถิ่น"), doc(2, "ภัยแล้ง")])
    result = search(backend, "ประชุม")
    expected = search(embedded_index, "ประชุม")
    assert [h.page_id for h in result.hits] == [h.page_id for h in expected.hits] == [1]
    assert (result.total, result.exact, result.facets) == (1, True, expected.facets)
    assert result.notice == unavailable_notice() != ""
    assert backend.suggest("ภัยแล้ง", EVERYTHING) == [2]
    assert (backend.count(), backend.indexed_ids()) == (2, {1, 2})


def test_the_notice_is_translatable():
    with translation.override("en"):
        assert unavailable_notice() == NOTICE_MSGID
    with translation.override("th"):
        assert unavailable_notice() == translation.gettext(NOTICE_MSGID)


def test_index_and_delete_while_down_land_in_the_embedded_index_and_the_queue(embedded_index):
    backend = ElasticsearchWithFallback(unreachable(), embedded_index)
    assert backend.index([doc(1, "ประชุม"), doc(2, "ประชุม"), doc(3, "ประชุม")]) == 3
    backend.delete([2])
    backend.index([doc(3, "ฉบับแก้ไข")])
    assert embedded_index.indexed_ids() == {1, 3}
    assert [h.page_id for h in search(embedded_index, "ฉบับแก้ไข").hits] == [3]
    assert queued() == [(1, "index"), (2, "index"), (3, "index"), (2, "delete"), (3, "index")]
    assert backend.pending_count() == 5


def test_after_a_failure_the_server_is_left_alone_for_a_while(embedded_index):
    elastic, node = reachable()
    node.failing = [(method, ".*") for method in ("HEAD", "GET", "PUT", "POST", "DELETE")]
    backend = ElasticsearchWithFallback(elastic, embedded_index, retry_after=60)
    embedded_index.index([doc(1, "ประชุม")])
    assert search(backend, "ประชุม").notice
    asked = len(node.calls)
    assert asked > 0
    assert search(backend, "ประชุม").notice
    backend.index([doc(2, "ประชุม")])
    assert len(node.calls) == asked  # straight to the fallback
    assert not backend.available

    node.failing = []
    backend._down_until = 0  # the minute is over
    result = search(backend, "ประชุม")
    assert result.notice == ""
    assert len(node.calls) > asked


def test_a_query_error_is_a_bug_not_an_outage(embedded_index):
    elastic, node = reachable()
    node.responder = lambda call: (_ for _ in ()).throw(AssertionError("unused"))
    original = node.answer

    def bad_request(call):
        if call.path.endswith("/_search"):
            return 400, {"error": {"type": "parsing_exception", "reason": "x"}, "status": 400}
        return original(call)

    node.answer = bad_request
    backend = ElasticsearchWithFallback(elastic, embedded_index)
    with pytest.raises(BadRequestError):
        search(backend, "ประชุม")
    assert backend.available


def _meta(status: int) -> ApiResponseMeta:
    node = NodeConfig("http", "localhost", 9200)
    return ApiResponseMeta(status, "1.1", HttpHeaders(), 0.0, node)


def test_what_counts_as_unavailable():
    assert is_unavailable(ConnectionError("refused"))
    assert is_unavailable(ConnectionTimeout("slow"))
    assert is_unavailable(ApiError("unavailable", _meta(503), {}))
    assert is_unavailable(ApiError("too many", _meta(429), {}))
    missing = {"error": {"type": "index_not_found_exception"}, "status": 404}
    assert is_unavailable(NotFoundError("missing", _meta(404), missing))
    assert not is_unavailable(NotFoundError("no doc", _meta(404), {"found": False}))
    assert not is_unavailable(BadRequestError("bad", _meta(400), {}))
    assert not is_unavailable(ValueError("bug"))


def test_shared_is_one_instance_per_url(embedded_index):
    try:
        first = ElasticsearchWithFallback.shared("http://127.0.0.1:9", embedded_index)
        assert ElasticsearchWithFallback.shared("http://127.0.0.1:9", embedded_index) is first
        other = ElasticsearchWithFallback.shared("http://127.0.0.1:19", embedded_index)
        assert other is not first
        assert first.embedded is embedded_index
        assert first.elastic.client is not other.elastic.client
    finally:
        ElasticsearchWithFallback.forget_shared()


def test_get_backend_uses_the_shared_wrapper(settings, embedded_index):
    from search.service import get_backend

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    try:
        backend = get_backend()
        assert isinstance(backend, ElasticsearchWithFallback)
        assert backend is get_backend()
    finally:
        ElasticsearchWithFallback.forget_shared()


# -- replaying the queue ----------------------------------------------------------------------


def _bulk_lines(node) -> list[tuple[str, str]]:
    """(operation, id) of every bulk line sent, bulk request by bulk request."""
    requests = []
    for call in node.calls:
        if call.path == "/_bulk":
            requests.append(
                [
                    (op, meta["_id"])
                    for line in call.body
                    for op, meta in line.items()
                    if op in ("index", "delete")
                ]
            )
    return requests


@pytest.fixture
def circulars(make_circular):
    first = make_circular(subject="การประชุมสภาท้องถิ่น", issued_on=datetime.date(2021, 3, 1))
    second = make_circular(subject="การเฝ้าระวังภัยแล้ง", issued_on=datetime.date(2021, 4, 1))
    return first, second


def test_replay_pending_replays_in_order_and_empties_the_queue(embedded_index, circulars):
    first, second = circulars
    gone = second.pk + 1000  # a page deleted since: its index operation becomes a delete
    for page_id, action in [
        (first.pk, "index"),
        (second.pk, "index"),
        (gone + 1, "delete"),
        (first.pk, "index"),
        (gone, "index"),
    ]:
        PendingIndexOperation.objects.create(page_id=page_id, action=action)
    elastic, node = reachable()
    backend = ElasticsearchWithFallback(elastic, embedded_index)

    assert backend.replay_pending() == 5
    assert _bulk_lines(node) == [
        [("index", str(first.pk)), ("index", str(second.pk))],
        [("delete", str(gone + 1))],
        [("index", str(first.pk))],
        [("delete", str(gone))],
    ]
    assert [c.params.get("refresh") for c in node.calls if c.path == "/_bulk"] == ["false"] * 4
    assert node.calls[-1].line == ("POST", f"/{ALIAS}/_refresh")
    assert queued() == []
    assert elastic.indexed_ids() == {first.pk, second.pk}
    sent = next(c for c in node.calls if c.path == "/_bulk").body[1]
    assert sent["subject"] == "การประชุมสภาท้องถิ่น"
    assert backend.replay_pending() == 0


def test_the_next_successful_call_replays_before_answering(embedded_index, circulars):
    first, second = circulars
    backend = ElasticsearchWithFallback(unreachable(), embedded_index)
    from search.documents import build_document

    backend.index([build_document(first)])
    backend.delete([second.pk])
    assert queued() == [(first.pk, "index"), (second.pk, "delete")]

    elastic, node = reachable()  # the server is back
    backend.elastic = elastic
    backend._down_until = 0
    result = search(backend, "ประชุม")
    assert result.notice == ""
    lines = [c.line for c in node.calls]
    assert lines.index(("POST", f"/{ALIAS}/_refresh")) < lines.index(("POST", f"/{ALIAS}/_search"))
    assert _bulk_lines(node) == [[("index", str(first.pk))], [("delete", str(second.pk))]]
    assert queued() == []


def test_searches_replay_a_bounded_batch_other_calls_everything(embedded_index):
    for n in range(1, 6):
        PendingIndexOperation.objects.create(page_id=n, action="delete")
    elastic, node = reachable()
    backend = ElasticsearchWithFallback(elastic, embedded_index, replay_batch=2)
    search(backend, "ประชุม")
    assert queued() == [(3, "delete"), (4, "delete"), (5, "delete")]
    backend.count()
    assert queued() == []


def test_a_replay_that_fails_keeps_the_queue(embedded_index):
    PendingIndexOperation.objects.create(page_id=1, action="delete")
    PendingIndexOperation.objects.create(page_id=2, action="delete")
    elastic, node = reachable()
    node.failing = [("PUT", "/_bulk")]
    backend = ElasticsearchWithFallback(elastic, embedded_index)
    embedded_index.index([doc(3, "ประชุม")])
    result = search(backend, "ประชุม")
    assert result.notice  # the replay found the server unavailable: fallback
    assert [h.page_id for h in result.hits] == [3]
    assert queued() == [(1, "delete"), (2, "delete")]


def test_while_up_updates_go_to_both_indexes(embedded_index):
    elastic, node = reachable()
    backend = ElasticsearchWithFallback(elastic, embedded_index)
    backend.index([doc(1, "ประชุม"), doc(2, "ภัยแล้ง")])
    backend.delete([2])
    assert elastic.indexed_ids() == embedded_index.indexed_ids() == {1}
    assert queued() == []
    unmirrored = ElasticsearchWithFallback(elastic, embedded_index, mirror=False)
    unmirrored.index([doc(5, "อื่น")])
    assert 5 in elastic.indexed_ids()
    assert 5 not in embedded_index.indexed_ids()


# -- rebuilding through the wrapper -----------------------------------------------------------


def test_a_rebuild_swaps_the_alias_and_drops_operations_it_made_moot(embedded_index):
    PendingIndexOperation.objects.create(page_id=7, action="index")
    elastic, node = reachable()
    elastic.index([doc(99, "ฉบับเก่า")])
    backend = ElasticsearchWithFallback(elastic, embedded_index)
    total = backend.rebuild((doc(n, "เรื่อง") for n in range(1, 6)), batch=2)
    assert total == 5
    assert elastic.indexed_ids() == embedded_index.indexed_ids() == {1, 2, 3, 4, 5}
    assert len(node.aliases[ALIAS]) == 1
    assert queued() == []  # the rebuild read every page afresh


def test_a_rebuild_that_loses_the_server_half_way_queues_every_page(embedded_index):
    elastic, node = reachable()
    elastic.index([doc(99, "ฉบับเก่า")])
    old_indices = dict(node.aliases)
    backend = ElasticsearchWithFallback(elastic, embedded_index)
    bulks = []
    original = node.answer

    def fail_second_bulk(call):
        if call.path == "/_bulk":
            bulks.append(call)
            if len(bulks) >= 2:  # from the second chunk on
                return 503, {"error": {"type": "unavailable"}, "status": 503}
        return original(call)

    node.answer = fail_second_bulk
    total = backend.rebuild((doc(n, "เรื่อง") for n in range(1, 6)), batch=2)
    assert total == 5
    assert embedded_index.indexed_ids() == {1, 2, 3, 4, 5}
    assert queued() == [(1, "index"), (2, "index"), (3, "index"), (4, "index"), (5, "index")]
    assert node.aliases == old_indices  # the old index still serves
    assert elastic._building is None
