"""Against a real Elasticsearch 9 server, when ELASTICSEARCH_URL is set (skipped otherwise).

The backend contract of tests/search/test_backend_contract.py — the embedded backend's
behaviour — runs here again on an index of its own (``wian-test-<random>``, deleted afterwards),
so a live run never touches the real ``wian-circulars`` alias. The tests after it check what only
a server can: the analysis chain, the alias swap, highlighting, and replaying the queue.
"""

from __future__ import annotations

import os
import uuid

import pytest

from search.analysis import parse_query
from search.backends.base import Scope, SearchQuery
from search.backends.elastic import ElasticsearchBackend, ElasticsearchWithFallback
from search.models import PendingIndexOperation
from tests.search import test_backend_contract as contract
from tests.search.test_elastic_backend import doc

URL = os.environ.get("ELASTICSEARCH_URL", "")
pytestmark = pytest.mark.skipif(not URL, reason="ELASTICSEARCH_URL is not set")
EVERYTHING = Scope(everything=True)


def _drop(backend: ElasticsearchBackend) -> None:
    names = set(backend.aliased_indices())
    if backend._building:
        names.add(backend._building)
    for name in names:
        backend.client.options(ignore_status=404).indices.delete(index=name)


@pytest.fixture
def live(db):
    backend = ElasticsearchBackend(URL, f"wian-test-{uuid.uuid4().hex[:12]}")
    backend.client = backend.client.options(request_timeout=30)
    backend.clear()
    yield backend
    _drop(backend)


# -- the contract, on an index of its own -------------------------------------------------------


@pytest.fixture
def backend(live):
    return live


def _is_fixture(value) -> bool:
    return type(value).__name__ == "FixtureFunctionDefinition" or hasattr(
        value, "_pytestfixturefunction"
    )


for _name, _value in vars(contract).items():
    if _name == "backend":
        continue
    if _name.startswith("test_") and callable(_value) or _is_fixture(_value):
        globals()[_name] = _value  # collected here, with this module's `backend`


# -- what only a server shows ---------------------------------------------------------------


def _tokens(backend, **request) -> list[str]:
    (index,) = backend.aliased_indices()
    response = backend.client.indices.analyze(index=index, **request)
    return [token["token"] for token in response["tokens"]]


def test_the_analysis_chain(live):
    assert _tokens(live, analyzer="wian_ngram", text="มท ๐๘") == [
        "มท",
        "มท ",
        "ท ",
        "ท 0",
        " 0",
        " 08",
        "08",
    ]
    assert _tokens(live, analyzer="wian_words", text="ประจำปี ๒๕๖๔ ABC") == [
        "ประจำปี",
        "2564",
        "abc",
    ]
    assert "2564" in _tokens(live, analyzer="wian_thai", text="ประจำปีงบประมาณ ๒๕๖๔")
    for printed in ("ที่ มท ๐๘๑๒/ว ๒๗๑", "มท. 0812/ ว271", "มท0812/ว271"):
        assert _tokens(live, normalizer="wian_doc_number", text=printed) == ["มท0812/ว271"]


def test_a_rebuild_never_shows_an_empty_index(live):
    live.index([doc(1, "ฉบับเก่า"), doc(2, "ฉบับเก่า")])
    old = live.aliased_indices()
    live.begin_rebuild()
    live.index([doc(3, "ฉบับใหม่")])
    assert (live.count(), live.indexed_ids()) == (2, {1, 2})
    live.finish_rebuild()
    assert (live.count(), live.indexed_ids()) == (1, {3})
    assert live.aliased_indices() != old
    assert not live.client.indices.exists(index=old[0])


def test_the_whole_number_ranks_its_circular_first(live):
    live.index(
        [
            doc(1, "ยกเลิกหนังสือ มท 0812/ว 271", number="มท ๐๘๑๒/ว ๓๐๐"),
            doc(2, "ซักซ้อมแนวทาง", number="มท ๐๘๑๒/ว ๒๗๑"),
        ]
    )
    result = live.search(SearchQuery(parse_query("มท 0812/ว 271"), scope=EVERYTHING))
    assert [hit.page_id for hit in result.hits] == [2, 1]


def test_highlights_mark_the_phrase_found(live):
    live.index([doc(1, "ซักซ้อมแนวทางให้องค์กรปกครองส่วนท้องถิ่น", body="ขอให้จังหวัดแจ้ง")])
    result = live.search(SearchQuery(parse_query("ปกครอง"), scope=EVERYTHING))
    (fragment,) = result.hits[0].highlights["subject.ngram"]
    assert "<mark>ปกครอง</mark>" in fragment.replace("</mark><mark>", "")


def test_the_queue_is_replayed_into_the_server(live, make_circular):
    page = make_circular(subject="การประชุมสภาท้องถิ่น")
    from django.db import connection

    from search.service import _embedded

    embedded = _embedded(connection.vendor)
    embedded.clear()
    PendingIndexOperation.objects.create(page_id=page.pk, action="index")
    backend = ElasticsearchWithFallback(live, embedded)
    assert backend.replay_pending() == 1
    result = backend.search(SearchQuery(parse_query("ประชุมสภา"), scope=EVERYTHING))
    assert ([hit.page_id for hit in result.hits], result.notice) == ([page.pk], "")
    assert PendingIndexOperation.objects.count() == 0
