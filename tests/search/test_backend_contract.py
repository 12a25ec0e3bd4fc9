"""One contract for every search backend: the embedded one of the database in use (SQLite FTS5
or PostgreSQL pg_trgm), and Elasticsearch when ELASTICSEARCH_URL is set.

Each test indexes a few IndexDocuments built by hand and asserts the exact hits. Orders are
asserted only where every backend's ranking agrees: the field a term is found in (subject >
document number > body > attachments), then the newer circular; and sort="date".
"""

from __future__ import annotations

import datetime
import os
import uuid

import pytest
from django.db import connection

from search.analysis import document_number_forms, normalize, parse_query
from search.backends.base import Scope, SearchQuery
from search.documents import IndexDocument

PUBLIC = Scope()
EVERYTHING = Scope(everything=True)


def _backend_params():
    params = [
        pytest.param("embedded", id=f"embedded-{connection.vendor}"),
        pytest.param("rebuilt", id=f"embedded-{connection.vendor}-rebuilt"),
    ]
    if os.environ.get("ELASTICSEARCH_URL"):
        params.append(pytest.param("elasticsearch", id="elasticsearch"))
    return params


@pytest.fixture(params=_backend_params())
def backend(request, db):
    if request.param == "elasticsearch":
        elastic = pytest.importorskip("search.backends.elastic")
        if not hasattr(elastic, "ElasticsearchBackend"):
            pytest.skip("search.backends.elastic has no ElasticsearchBackend")
        # An alias of its own: the contract never touches the real index.
        alias = f"wian-test-{uuid.uuid4().hex[:12]}"
        instance = elastic.ElasticsearchBackend(os.environ["ELASTICSEARCH_URL"], alias)
        instance.clear()
        yield instance
        names = set(instance.aliased_indices())
        if getattr(instance, "_building", None):
            names.add(instance._building)
        for name in names:
            instance.client.options(ignore_status=404).indices.delete(index=name)
        return
    from search.service import _embedded

    instance = _embedded(connection.vendor)
    instance.clear()
    yield Rebuilt(instance) if request.param == "rebuilt" else instance
    instance.clear()


class Rebuilt:
    """An embedded backend whose first documents come in as `search.indexing.rebuild` writes
    them (indexes dropped, then built by `optimize`), and later ones as updates, as on a site
    between rebuilds."""

    def __init__(self, inner):
        self.inner = inner
        self.rebuilt = False

    def index(self, documents) -> int:
        if self.rebuilt:
            return self.inner.index(documents)
        self.rebuilt = True
        self.inner.clear()
        self.inner.begin_bulk()
        count = self.inner.index(documents)
        self.inner.optimize()
        return count

    def __getattr__(self, name):
        return getattr(self.inner, name)


def doc(
    page_id: int,
    *,
    subject: str = "",
    number: str = "",
    body: str = "",
    extra: str = "",
    issued: datetime.date | None = datetime.date(2021, 6, 1),
    be_year: int | None = None,
    unit: str = "",
    urgency: str = "",
    state: str = "distributed",
    public: bool = True,
    topics: tuple[str, ...] = (),
) -> IndexDocument:
    """A document as build_document() makes it: every text normalised."""
    if be_year is None and issued is not None:
        be_year = issued.year + 543
    return IndexDocument(
        page_id=page_id,
        subject=normalize(subject),
        doc_number=document_number_forms(number),
        body=normalize(body),
        extra=normalize(extra),
        issued=issued,
        be_year=be_year,
        unit=unit,
        urgency=urgency,
        state=state,
        public=public,
        topics=list(topics),
    )


def put(backend, *documents: IndexDocument) -> None:
    assert backend.index(list(documents)) == len(documents)
    refresh = getattr(backend, "refresh", None)  # a remote index makes writes visible on demand
    if callable(refresh):
        refresh()


def run(backend, text: str, *, scope: Scope = EVERYTHING, **options):
    return backend.search(SearchQuery(parsed=parse_query(text), scope=scope, **options))


def ids(result) -> list[int]:
    return [hit.page_id for hit in result.hits]


def found(backend, text: str, **options) -> set[int]:
    result = run(backend, text, limit=100, **options)
    assert result.total == len(result.hits)
    return set(ids(result))


# -- Thai text ------------------------------------------------------------------------------


def test_a_word_is_found_inside_a_compound(backend):
    put(
        backend,
        doc(1, subject="ซักซ้อมแนวทางให้องค์กรปกครองส่วนท้องถิ่น"),
        doc(2, body="ด้วยกรมส่งเสริมการปกครองท้องถิ่นขอให้จังหวัดแจ้ง"),
        doc(3, extra="แบบรายงานผลของอำเภอ"),
        doc(4, subject="การเฝ้าระวังโรคไข้เลือดออกในฤดูฝน"),
    )
    assert found(backend, "ปกครอง") == {1, 2}
    assert found(backend, "ท้องถิ่น") == {1, 2}  # tone marks inside the term
    assert found(backend, "ส่วนท้อง") == {1}
    assert found(backend, "รายงาน") == {3}
    assert found(backend, "ไข้เลือด") == {4}
    assert found(backend, "ปกครองจังหวัด") == set()


def test_thai_and_arabic_digits_find_each_other(backend):
    put(
        backend,
        doc(1, body="แผนการดำเนินงานประจำปีงบประมาณ พ.ศ. ๒๕๖๔"),
        doc(2, body="แผนการดำเนินงานประจำปีงบประมาณ พ.ศ. 2564"),
        doc(3, body="แผนการดำเนินงานประจำปีงบประมาณ พ.ศ. ๒๕๖๓"),
        doc(4, extra="บัญชีรายชื่อ ๔๕,๖๘๔ คน"),
    )
    assert found(backend, "2564") == {1, 2}
    assert found(backend, "๒๕๖๔") == {1, 2}
    assert found(backend, "พ.ศ. ๒๕๖๓") == {3}
    assert found(backend, "45,684") == {4}
    assert found(backend, "256") == {1, 2, 3}


@pytest.mark.parametrize(
    "query",
    [
        "มท ๐๘๑๒/ว ๒๗๑",
        "มท 0812/ว 271",
        "มท0812/ว271",
        "0812/ว271",
        "๐๘๑๒/ว๒๗๑",
        "0812/ว 271",
    ],
)
def test_a_document_number_is_found_in_any_spelling(backend, query):
    put(
        backend,
        doc(1, subject="ซักซ้อมแนวทาง", number="มท ๐๘๑๒/ว ๒๗๑"),
        doc(2, subject="ซักซ้อมแนวทาง", number="มท ๐๘๑๒/ว ๒๗๒"),
        doc(3, subject="ซักซ้อมแนวทาง", number="มท ๐๘๑๐.๒/ว ๒๗๑"),
    )
    result = run(backend, query)
    assert ids(result) == [1]
    assert result.exact
    assert found(backend, "ว271") == {1, 3}


def test_a_document_number_spaced_differently_is_found_by_its_parts(backend):
    put(
        backend,
        doc(1, subject="ซักซ้อมแนวทาง", number="มท ๐๘๑๒/ว ๒๗๑"),
        doc(2, subject="ซักซ้อมแนวทาง", number="มท ๐๘๑๒/ว ๒๗๒"),
    )
    result = run(backend, "มท 0812/ว271")  # neither form as printed: each part must be found
    assert ids(result) == [1]
    assert not result.exact


def test_numbers_of_other_units_share_only_the_common_part(backend):
    put(
        backend,
        doc(1, number="มท ๐๘๑๐.๒/ว ๑๕"),
        doc(2, number="มท ๐๘๑๐.๓/ว ๑๕"),
        doc(3, number="ศธ ๐๒๐๖.๓/ว ๑๒๓/๒๕๖๔"),
    )
    assert found(backend, "0810.2/ว15") == {1}
    assert found(backend, "0810") == {1, 2}
    assert found(backend, "ศธ0206.3/ว123/2564") == {3}


# -- whole query, AND of terms, quoted phrases ---------------------------------------------


def test_the_whole_query_is_tried_first(backend):
    put(
        backend,
        doc(1, body="การประชุม วิสามัญ ของสภาท้องถิ่น"),
        doc(2, body="วิสามัญ สมัยที่หนึ่ง และการประชุม อื่น"),
    )
    result = run(backend, "ประชุม วิสามัญ")
    assert (ids(result), result.exact) == ([1], True)
    result = run(backend, "วิสามัญ ประชุม")  # not as a whole anywhere: each term, AND-ed
    assert (set(ids(result)), result.exact) == ({1, 2}, False)


def test_terms_are_anded_across_fields(backend):
    put(
        backend,
        doc(1, subject="การเฝ้าระวังโรค", body="ไข้เลือดออกในฤดูฝน"),
        doc(2, subject="การเฝ้าระวังโรค", extra="ไข้เลือดออก"),
        doc(3, subject="การเฝ้าระวังโรค"),
        doc(4, body="ไข้เลือดออก"),
    )
    result = run(backend, "ไข้เลือดออก เฝ้าระวัง")
    assert (set(ids(result)), result.total, result.exact) == ({1, 2}, 2, False)
    assert found(backend, "ไข้เลือดออก เฝ้าระวัง ไม่มีคำนี้") == set()


def test_a_single_term_that_is_not_found_finds_nothing(backend):
    put(backend, doc(1, body="การประชุม"))
    result = run(backend, "ไม่มีคำนี้")
    assert (ids(result), result.total, result.exact) == ([], 0, True)
    assert run(backend, "").total == 0


def test_quoted_phrases_are_always_exact(backend):
    put(
        backend,
        doc(1, body="การประชุม วิสามัญ ของสภาท้องถิ่น"),
        doc(2, body="วิสามัญ สมัยที่หนึ่ง และการประชุม อื่น"),
        doc(3, body="การประชุมวิสามัญ ครั้งที่สอง"),
    )
    assert found(backend, '"ประชุม วิสามัญ"') == {1}
    assert found(backend, "“ประชุม วิสามัญ”") == {1}
    result = run(backend, '"วิสามัญ ประชุม"')
    assert (ids(result), result.total) == ([], 0)  # no fallback to the words of a phrase
    result = run(backend, '"ประชุม วิสามัญ" สภา')
    assert (ids(result), result.exact) == ([1], False)
    assert found(backend, '"ประชุม วิสามัญ" ครั้งที่') == set()
    assert found(backend, "ประชุมวิสามัญ") == {3}


def test_like_wildcards_in_a_query_are_plain_characters(backend):
    put(
        backend,
        doc(1, body="ลดลงร้อยละ 10% ภายในปี"),
        doc(2, body="ลดลงร้อยละ 105 ภายในปี"),
        doc(3, body="ไฟล์ report_2564.pdf"),
        doc(4, body="ไฟล์ report-2564.pdf"),
        doc(5, body="เส้นทาง c:\\ระบบ"),
    )
    assert found(backend, "10%") == {1}
    assert found(backend, "%") == {1}
    assert found(backend, "t_2") == {3}
    assert found(backend, "_") == {3}
    assert found(backend, "report_2564") == {3}
    assert found(backend, "c:\\ระบบ") == {5}


def test_every_character_matches_only_itself(backend):
    # PostgreSQL indexes a key with every Thai character and punctuation swapped with Arabic
    # letters; those letters themselves must still be found as themselves, and never stand for
    # the others.
    put(
        backend,
        doc(1, body="ป้ายชื่อ ءآأ ص"),
        doc(2, body="เก็บเอกสาร 60/2560"),
        doc(3, body="ป้าย เก็บ กขค"),
    )
    assert found(backend, "ءآأ") == {1}
    assert found(backend, "ص") == {1}
    assert found(backend, "آ") == {1}
    assert found(backend, "กข") == {3}
    assert found(backend, "/") == {2}
    assert found(backend, "60/2560") == {2}
    assert found(backend, "602560") == set()
    assert found(backend, "้าย") == {1, 3}
    assert found(backend, "็บเอ") == {2}
    assert found(backend, "ป้ายชื่อ ء") == {1}


def test_short_terms_of_one_or_two_characters(backend):
    put(
        backend,
        doc(1, subject="ระบบ IT ของจังหวัด", issued=datetime.date(2021, 1, 1)),
        doc(2, body="งาน it และเครือข่าย", issued=datetime.date(2021, 2, 1)),
        doc(3, number="มท ๐๘๑๒/ว ๑", issued=datetime.date(2021, 3, 1)),
        doc(4, body="หนังสือ ศธ ที่เกี่ยวข้อง", issued=datetime.date(2021, 4, 1)),
    )
    assert found(backend, "it") == {1, 2}
    assert found(backend, "IT") == {1, 2}
    assert found(backend, "มท") == {3}
    assert found(backend, "ศ") == {4}
    assert found(backend, "ว1") == {3}
    assert found(backend, "ว2") == set()
    result = run(backend, "it เครือข่าย")  # a short term AND-ed with a long one
    assert (ids(result), result.exact) == ([2], False)
    result = run(backend, "มท 0812")
    assert (ids(result), result.exact) == ([3], True)


# -- filters, scope, facets ----------------------------------------------------------------


@pytest.fixture
def varied(backend):
    put(
        backend,
        doc(1, subject="ประชุมสภา", be_year=2564, unit="0812", urgency="ด่วน", topics=("งบ",)),
        doc(2, subject="ประชุมสภา", be_year=2564, unit="0812", urgency="", topics=("งบ", "ภัย")),
        doc(3, subject="ประชุมสภา", be_year=2565, unit="0810.2", urgency="ด่วนที่สุด"),
        doc(4, subject="ประชุมสภา", be_year=2565, unit="", state="closed", topics=("ภัย",)),
        doc(5, subject="ประชุมสภา", be_year=None, issued=None, unit="0812", state="closed"),
        doc(6, subject="เรื่องอื่น", be_year=2564, unit="0812", urgency="ด่วน", topics=("งบ",)),
        doc(7, subject="ประชุมสภา", be_year=2564, unit="0812", public=False, topics=("งบ",)),
    )
    return backend


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {1, 2, 3, 4, 5}),
        ({"be_year": 2564}, {1, 2}),
        ({"be_year": "2564"}, {1, 2}),
        ({"be_year": 2566}, set()),
        ({"be_year": "not a year"}, set()),
        ({"unit": "0812"}, {1, 2, 5}),
        ({"unit": "0810.2"}, {3}),
        ({"urgency": "ด่วน"}, {1}),
        ({"urgency": "ด่วนที่สุด"}, {3}),
        ({"state": "closed"}, {4, 5}),
        ({"topic": "งบ"}, {1, 2}),
        ({"topic": "ภัย"}, {2, 4}),
        ({"topic": "ไม่มี"}, set()),
        ({"be_year": 2564, "unit": "0812", "topic": "ภัย"}, {2}),
        ({"unit": "", "urgency": None}, {1, 2, 3, 4, 5}),  # empty values do not filter
    ],
)
def test_filters(varied, filters, expected):
    assert found(varied, "ประชุม", scope=PUBLIC, filters=filters) == expected


def test_scope_public_plus_extra_ids_or_everything(varied):
    assert found(varied, "ประชุม", scope=PUBLIC) == {1, 2, 3, 4, 5}
    assert found(varied, "ประชุม", scope=Scope(extra_ids=frozenset({7}))) == {1, 2, 3, 4, 5, 7}
    assert found(varied, "ประชุม", scope=Scope(extra_ids=frozenset({6, 99}))) == {1, 2, 3, 4, 5}
    assert found(varied, "ประชุม", scope=EVERYTHING) == {1, 2, 3, 4, 5, 7}


def test_a_non_public_circular_is_found_only_in_scope(backend):
    put(
        backend,
        doc(1, subject="คำสั่งลับเฉพาะ", public=False),
        doc(2, subject="คำสั่งทั่วไป"),
    )
    assert found(backend, "คำสั่งลับ", scope=PUBLIC) == set()
    assert found(backend, "คำสั่ง", scope=PUBLIC) == {2}
    assert found(backend, "คำสั่งลับ", scope=Scope(extra_ids=frozenset({1}))) == {1}
    assert found(backend, "คำสั่งลับ", scope=Scope(extra_ids=frozenset({2}))) == set()
    assert found(backend, "คำสั่งลับ", scope=EVERYTHING) == {1}
    assert backend.suggest("คำสั่ง", PUBLIC) == [2]
    assert set(backend.suggest("คำสั่ง", Scope(extra_ids=frozenset({1})))) == {1, 2}


def _facets(result) -> dict[str, dict[str, int]]:
    for pairs in result.facets.values():
        counts = [n for _, n in pairs]
        assert counts == sorted(counts, reverse=True)  # largest group first
    return {name: dict(pairs) for name, pairs in result.facets.items()}


def test_facets_count_the_hits(varied):
    result = run(varied, "ประชุม", scope=PUBLIC)
    assert result.total == 5
    assert _facets(result) == {
        "be_year": {"2564": 2, "2565": 2},
        "unit": {"0812": 3, "0810.2": 1},
        "urgency": {"ด่วน": 1, "ด่วนที่สุด": 1},
        "topic": {"งบ": 2, "ภัย": 2},
        "state": {"distributed": 3, "closed": 2},
    }


def test_facets_follow_filters_and_scope(varied):
    result = run(varied, "ประชุม", scope=EVERYTHING, filters={"unit": "0812"})
    assert result.total == 4
    assert _facets(result) == {
        "be_year": {"2564": 3},
        "unit": {"0812": 4},
        "urgency": {"ด่วน": 1},
        "topic": {"งบ": 3, "ภัย": 1},
        "state": {"distributed": 3, "closed": 1},
    }


def test_no_facets_when_not_asked_or_nothing_found(varied):
    assert run(varied, "ประชุม", facets=False).facets == {}
    assert run(varied, "ไม่มีคำนี้").facets == {}


# -- order and paging ----------------------------------------------------------------------


def _day(n: int) -> datetime.date:
    return datetime.date(2021, 1, 1) + datetime.timedelta(days=n)


@pytest.fixture
def ranked(backend):
    """ "ภัยแล้ง" once per circular, in a different field each; the subject hit is the oldest.
    Every circular's texts have the same lengths, so only the field makes a difference."""
    filler = "ข้อความประกอบ"
    put(
        backend,
        doc(1, subject="ภัยแล้ง", number="มท ๐๘๑๒/ว ๑", body=filler, extra=filler, issued=_day(1)),
        doc(2, subject=filler, number="มท ๐๘๑๒/ว ๒", body=filler, extra="ภัยแล้ง", issued=_day(5)),
        doc(3, subject=filler, number="มท ๐๘๑๒/ว ๓", body="ภัยแล้ง", extra=filler, issued=_day(4)),
        doc(4, subject="ภัยแล้ง", number="มท ๐๘๑๒/ว ๔", body=filler, extra=filler, issued=_day(2)),
        doc(5, subject=filler, number="มท ๐๘๑๒/ว ๕", body=filler, extra=filler, issued=_day(6)),
        doc(6, subject=filler, number="ภัยแล้ง ๐๘๑๒/ว ๖", body=filler, extra=filler, issued=_day(3)),
    )
    return backend


def test_relevance_is_the_field_then_the_newer(ranked):
    result = run(ranked, "ภัยแล้ง")
    assert ids(result) == [4, 1, 6, 3, 2]
    scores = [hit.score for hit in result.hits]
    assert scores[0] == scores[1] > scores[2] > scores[3] > scores[4]


def test_an_older_subject_outranks_many_newer_numbers(backend):
    """However many newer circulars hold the term in their number, one whose subject holds it
    comes first, on the first page too."""
    put(
        backend,
        doc(1, subject="ภัยแล้ง", number="มท ๐๘๑๒/ว ๑", issued=_day(1)),
        *(doc(n, number=f"ภัยแล้ง ๐๘๑๒/ว {n}", issued=_day(n)) for n in range(2, 30)),
    )
    # A term under six characters: SQLite's rare-trigram plan does not apply.
    assert ids(run(backend, "แล้ง", limit=1)) == [1]
    assert ids(run(backend, "แล้ง", limit=3)) == [1, 29, 28]


def test_relevance_past_the_count_limit(ranked, settings):
    """Counting stops at the newest two matches, yet the older subject hits still come first."""
    settings.WIAN_SEARCH_COUNT_LIMIT = 2
    assert ids(run(ranked, "ภัยแล้ง", limit=1)) == [4]
    assert ids(run(ranked, "ภัยแล้ง", limit=10)) == [4, 1, 6, 3, 2]
    assert ids(run(ranked, "ภัยแล้ง", limit=2, offset=2)) == [6, 3]


def test_sort_by_date_is_newest_first(ranked):
    assert ids(run(ranked, "ภัยแล้ง", sort="date")) == [2, 3, 6, 4, 1]
    assert ids(run(ranked, "0812", sort="date")) == [5, 2, 3, 6, 4, 1]


def test_sort_by_date_breaks_ties_by_the_later_page(backend):
    put(
        backend,
        doc(1, body="ภัยแล้ง", issued=_day(1)),
        doc(2, body="ภัยแล้ง", issued=_day(2)),
        doc(3, body="ภัยแล้ง", issued=_day(2)),
        doc(4, body="ภัยแล้ง", issued=None),
    )
    assert ids(run(backend, "ภัยแล้ง", sort="date")) == [3, 2, 1, 4]


def test_offset_and_limit_page_through_the_hits(ranked):
    everything = ids(run(ranked, "0812", sort="date"))
    pages = [run(ranked, "0812", sort="date", offset=o, limit=2) for o in (0, 2, 4, 6)]
    assert [ids(p) for p in pages] == [everything[0:2], everything[2:4], everything[4:6], []]
    assert {p.total for p in pages[:3]} == {6}


# -- writing -------------------------------------------------------------------------------


def test_index_replaces_a_circular_and_delete_removes_it(backend):
    put(backend, doc(1, subject="ร่างแรก"), doc(2, subject="ร่างแรก"), doc(3, subject="อื่น"))
    assert (backend.count(), backend.indexed_ids()) == (3, {1, 2, 3})
    put(backend, doc(1, subject="ฉบับแก้ไข", public=False))
    assert found(backend, "ร่างแรก") == {2}
    assert found(backend, "ฉบับแก้ไข", scope=PUBLIC) == set()
    assert found(backend, "ฉบับแก้ไข") == {1}
    assert backend.count() == 3
    backend.delete([2, 3, 404])
    backend.delete([])
    refresh = getattr(backend, "refresh", None)
    if callable(refresh):
        refresh()
    assert found(backend, "ร่างแรก") == set()
    assert (backend.count(), backend.indexed_ids()) == (1, {1})


def test_clear_empties_the_index(backend):
    put(backend, doc(1, subject="ร่างแรก"), doc(2, subject="ร่างแรก"))
    assert backend.index([]) == 0
    backend.clear()
    assert (backend.count(), backend.indexed_ids()) == (0, set())
    assert run(backend, "ร่างแรก").total == 0
    put(backend, doc(3, subject="ร่างแรก"))
    assert found(backend, "ร่างแรก") == {3}


def test_size_is_reported_or_unknown(backend):
    put(backend, doc(1, subject="ร่างแรก", body="ข้อความ" * 50))
    size = backend.size_bytes()
    assert size is None or size > 0


# -- suggestions ---------------------------------------------------------------------------


def test_suggest_finds_subjects_newest_first(backend):
    put(
        backend,
        doc(1, subject="การเฝ้าระวังโรคไข้เลือดออก", issued=_day(1)),
        doc(2, subject="แนวทางเฝ้าระวังภัยแล้ง", issued=_day(3)),
        doc(3, subject="ประชุมสภา", body="เฝ้าระวังในเนื้อหาเท่านั้น", issued=_day(4)),
        doc(4, subject="เฝ้าระวังอุทกภัย", issued=_day(2), public=False),
        doc(5, subject="ระบบ IT", issued=_day(5)),
    )
    assert backend.suggest("เฝ้าระวัง", PUBLIC) == [2, 1]
    assert backend.suggest("เฝ้าระวัง", EVERYTHING) == [2, 4, 1]
    assert backend.suggest("เฝ้าระวัง", EVERYTHING, limit=2) == [2, 4]
    assert backend.suggest("ไข้เลือด", PUBLIC) == [1]
    assert backend.suggest("it", PUBLIC) == [5]
    assert backend.suggest("ภั", PUBLIC) == [2]
    assert backend.suggest("ภ", PUBLIC) == []
    assert backend.suggest("  ", PUBLIC) == []


def test_counting_may_stop_at_the_count_limit_but_paging_does_not(backend, settings):
    """Past WIAN_SEARCH_COUNT_LIMIT a backend may stop counting (as Elasticsearch's
    track_total_hits): the total is then the limit, flagged inexact, and the facets count the
    newest matches. The hits are still every match, in order."""
    settings.WIAN_SEARCH_COUNT_LIMIT = 3
    put(backend, *(doc(n, body="ภัยแล้ง", be_year=2560 + n, issued=_day(n)) for n in range(1, 6)))
    result = run(backend, "ภัยแล้ง", sort="date", limit=10)
    assert ids(result) == [5, 4, 3, 2, 1]
    if result.total_exact:
        assert result.total == 5
        assert sum(n for _, n in result.facets["be_year"]) == 5
    else:
        assert result.total == 3
        assert _facets(result)["be_year"] == {"2565": 1, "2564": 1, "2563": 1}
    assert ids(run(backend, "ภัยแล้ง", limit=2, offset=3)) == [2, 1]
    assert ids(run(backend, "ภัยแล้ง", sort="date", limit=2, offset=3)) == [2, 1]


def test_the_embedded_sqlite_index_stops_counting_at_the_limit(backend, settings):
    if backend.name != "sqlite-fts5":
        pytest.skip("SQLite's embedded index only")
    settings.WIAN_SEARCH_COUNT_LIMIT = 3
    put(backend, *(doc(n, body="ภัยแล้ง", issued=_day(n)) for n in range(1, 6)))
    result = run(backend, "ภัยแล้ง")
    assert (result.total, result.total_exact) == (3, False)
    settings.WIAN_SEARCH_COUNT_LIMIT = 5
    assert (run(backend, "ภัยแล้ง").total, run(backend, "ภัยแล้ง").total_exact) == (5, True)
