"""Elasticsearch 9 backend, and the wrapper that falls back to the embedded index.

The text reaching Elasticsearch has already been through the one Thai pipeline
(`search.analysis.normalize`): Thai digits are Arabic, spelling variants normalised, lower case.
Each text field (subject, doc_number, body, extra) is indexed three ways:

* ``<field>.ngram`` — 2- and 3-grams of every character, spaces included. A phrase query on it
  finds any substring of two characters or more, exactly like the embedded backend's trigram
  index: a word inside a compound (ปกครอง in องค์กรปกครองส่วนท้องถิ่น), a document number typed
  with its spaces. **This decides what matches.**
* ``<field>_words`` — the text cut into words by `cms.thai.segment.words` (newmm, run by nlpo3,
  with the government vocabulary), joined with spaces and split again by the whitespace tokenizer.
  The query is cut by the same function, so both sides agree on word boundaries.
* ``<field>`` — Elasticsearch's built-in ``thai`` tokenizer (ICU dictionary), with a char
  filter mapping ๐–๙ to 0–9 in case text arrives without the Python pipeline.

The word fields only add to the score: a query that is a whole word (or run of whole words)
ranks above the same letters found inside another word. Document numbers also get a keyword
field whose normalizer reduces every spelling to the compact key of
`cms.thai.docnumbers.normalize_doc_number` ("ที่ มท ๐๘๑๒/ว ๒๗๑" → "มท0812/ว271").

Reads go through an alias (``wian-circulars``); a rebuild fills a new concrete index
(``wian-circulars-<timestamp>``) and swaps the alias in one atomic call, so searches never see
an empty or half-built index.
"""

from __future__ import annotations

import datetime
import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext
from elasticsearch import (
    ApiError,
    BadRequestError,
    ConnectionError,
    ConnectionTimeout,
    Elasticsearch,
    NotFoundError,
    SerializationError,
    TransportError,
    helpers,
)
from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    Keyword,
    Long,
    MetaField,
    Q,
    Search,
    Text,
    analyzer,
    char_filter,
    normalizer,
    tokenizer,
)

from cms.thai.digits import ARABIC_DIGITS, THAI_DIGITS
from cms.thai.segment import words
from search.analysis import match_attempts, normalize
from search.backends.base import (
    FACETS,
    FIELD_WEIGHTS,
    Hit,
    Scope,
    SearchBackend,
    SearchQuery,
    SearchResult,
)
from search.documents import IndexDocument

logger = logging.getLogger(__name__)

ALIAS = "wian-circulars"
TEXT_FIELDS = tuple(FIELD_WEIGHTS)  # subject, doc_number, body, extra
FACET_FIELDS = {
    "be_year": "be_year",
    "unit": "unit",
    "urgency": "urgency",
    "topic": "topics",
    "state": "state",
}
FACET_SIZE = 30
MAX_WINDOW = 10_000  # Elasticsearch's default index.max_result_window
DOC_NUMBER_KEY_BOOST = 2 * FIELD_WEIGHTS["doc_number"]  # the whole number, in any spelling
WORD_BONUS = 0.5  # × the field's weight, when the term is whole words there
SNIPPET_WIDTH = 160  # as search.analysis.snippet
HIGHLIGHT_MAX_OFFSET = 500_000  # long attachment text: highlight its start, never fail

# -- analysis -----------------------------------------------------------------------------------

THAI_DIGIT_MAPPINGS = [
    f"{thai} => {arabic}" for thai, arabic in zip(THAI_DIGITS, ARABIC_DIGITS, strict=True)
]

thai_digits = char_filter("wian_thai_digits", "mapping", mappings=THAI_DIGIT_MAPPINGS)

# The document-number key, as cms.thai.docnumbers.normalize_doc_number builds it: no leading
# "ที่" / "ที่:", no whitespace (zero-width spaces included, so "ว 271" and "ว271" agree), no dot
# after the ministry code ("มท." → "มท"). Normalizers accept only per-character filters; the
# mapping and pattern_replace char filters and the lowercase token filter all qualify. The
# patterns are Java regular expressions; \uXXXX escapes keep them readable in the mapping.
doc_number_prefix = char_filter(
    "wian_doc_number_prefix",
    "pattern_replace",
    pattern=r"^[\s\u200b]*\u0e17\u0e35\u0e48[\s\u200b]*:?",
    replacement="",
)
doc_number_spaces = char_filter(
    "wian_doc_number_spaces", "pattern_replace", pattern=r"[\s\u200b]+", replacement=""
)
doc_number_dot = char_filter(
    "wian_doc_number_dot",
    "pattern_replace",
    pattern=r"^([\u0e01-\u0e2e]{1,3})\.",
    replacement="$1",
)

ngram_2_3 = tokenizer("wian_ngram_2_3", "ngram", min_gram=2, max_gram=3, token_chars=[])

WORDS_ANALYZER = analyzer(
    "wian_words", tokenizer="whitespace", char_filter=[thai_digits], filter=["lowercase"]
)
THAI_ANALYZER = analyzer(
    "wian_thai", tokenizer="thai", char_filter=[thai_digits], filter=["lowercase"]
)
NGRAM_ANALYZER = analyzer(
    "wian_ngram", tokenizer=ngram_2_3, char_filter=[thai_digits], filter=["lowercase"]
)
DOC_NUMBER_NORMALIZER = normalizer(
    "wian_doc_number",
    char_filter=[thai_digits, doc_number_prefix, doc_number_spaces, doc_number_dot],
    filter=["lowercase"],
)


# Relevance is where a term is found (FIELD_WEIGHTS), then the newer circular: every text field
# scores a match with its query boost alone ("boolean" similarity: no tf-idf, no length norms),
# so the ranking is the same as the embedded backends' and does not drift with the corpus.
_RANKING = {"similarity": "boolean", "norms": False}


def _text_field() -> Text:
    return Text(
        analyzer=THAI_ANALYZER,
        fields={"ngram": Text(analyzer=NGRAM_ANALYZER, **_RANKING)},
        **_RANKING,
    )


def _words_field() -> Text:
    return Text(analyzer=WORDS_ANALYZER, **_RANKING)


def segmented(text: str) -> str:
    """The words of (already normalised) `text`, one space between them."""
    return " ".join(words(text)) if text else ""


def doc_number_keys(forms: str) -> list[str]:
    """The printed and compact forms that `document_number_forms` joined with a space."""
    printed, _, compact = (forms or "").rpartition(" ")
    return list(dict.fromkeys(f for f in (printed, compact) if f))


def query_doc_number_keys(term: str) -> list[str]:
    """The query as typed plus its compact key (leading zeros, years: the Python parser's say)."""
    from cms.thai.docnumbers import normalize_doc_number

    return list(dict.fromkeys(k for k in (term, normalize_doc_number(term).lower()) if k))


class CircularDocument(Document):
    page_id = Long(required=True)
    subject = _text_field()
    subject_words = _words_field()
    doc_number = _text_field()
    doc_number_words = _words_field()
    doc_number_key = Keyword(normalizer=DOC_NUMBER_NORMALIZER, multi=True)
    body = _text_field()
    body_words = _words_field()
    extra = _text_field()
    extra_words = _words_field()
    issued = Date()
    be_year = Keyword()
    unit = Keyword()
    urgency = Keyword()
    state = Keyword()
    topics = Keyword(multi=True)
    public = Boolean()

    class Index:
        name = ALIAS
        settings = {
            "number_of_shards": 1,  # thousands of circulars; one shard keeps scores exact
            "auto_expand_replicas": "0-1",  # green on one node, a replica once there are two
            "max_ngram_diff": 1,
        }

    class Meta:
        dynamic = MetaField("strict")

    @classmethod
    def from_index_document(cls, doc: IndexDocument) -> CircularDocument:
        return cls(
            meta={"id": str(doc.page_id)},
            page_id=doc.page_id,
            subject=doc.subject,
            subject_words=segmented(doc.subject),
            doc_number=doc.doc_number,
            doc_number_words=segmented(doc.doc_number),
            doc_number_key=doc_number_keys(doc.doc_number),
            body=doc.body,
            body_words=segmented(doc.body),
            extra=doc.extra,
            extra_words=segmented(doc.extra),
            issued=doc.issued,
            be_year=str(doc.be_year) if doc.be_year else None,
            unit=doc.unit or None,
            urgency=doc.urgency or None,
            state=doc.state or None,
            topics=list(doc.topics),
            public=bool(doc.public),
        )


def index_definition() -> dict:
    """Settings (with the analysis chain) and mappings of a concrete index."""
    return CircularDocument._index.to_dict()


# -- query bodies -------------------------------------------------------------------------------


def _escape_wildcard(term: str) -> str:
    return term.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?")


def match_clause(term: str) -> Q:
    """Documents containing `term` exactly, as a substring, in any text field: what the
    embedded backend's trigrams find. Each field scores its FIELD_WEIGHTS boost."""
    if len(term) >= 2:
        clauses = [
            Q("match_phrase", **{f"{name}.ngram": {"query": term, "boost": weight}})
            for name, weight in FIELD_WEIGHTS.items()
        ]
    else:  # shorter than a gram: any gram holding the character (the embedded LIKE '%x%')
        clauses = [
            Q(
                "wildcard",
                **{f"{name}.ngram": {"value": f"*{_escape_wildcard(term)}*", "boost": weight}},
            )
            for name, weight in FIELD_WEIGHTS.items()
        ]
    return Q("bool", should=clauses, minimum_should_match=1)


def bonus_clauses(term: str) -> list[Q]:
    """Score only, never whether a circular matches: `term` found as whole words (half its
    best field's weight, so the field still comes first), and `term` being a circular's
    whole document number in any spelling ("มท 0812/ว271" is its own circular first)."""
    clauses = []
    text = segmented(term)
    if text:
        fields = [f"{name}_words^{weight * WORD_BONUS}" for name, weight in FIELD_WEIGHTS.items()]
        fields += [f"{name}^{weight * WORD_BONUS}" for name, weight in FIELD_WEIGHTS.items()]
        clauses.append(Q("multi_match", query=text, type="phrase", fields=fields))
    clauses.append(
        Q("terms", doc_number_key=query_doc_number_keys(term), boost=DOC_NUMBER_KEY_BOOST)
    )
    return clauses


def scope_filter(scope: Scope) -> Q | None:
    if scope.everything:
        return None
    public = Q("term", public=True)
    if not scope.extra_ids:
        return public
    return Q(
        "bool",
        should=[public, Q("terms", page_id=sorted(scope.extra_ids))],
        minimum_should_match=1,
    )


def filter_clauses(query: SearchQuery) -> list[Q]:
    clauses = []
    scope = scope_filter(query.scope)
    if scope is not None:
        clauses.append(scope)
    for name in ("be_year", "unit", "urgency", "state"):
        value = query.filters.get(name)
        if value not in (None, ""):
            clauses.append(Q("term", **{name: str(value)}))
    topic = query.filters.get("topic")
    if topic:
        clauses.append(Q("term", topics=str(topic)))
    return clauses


def _bool(**parts: list) -> Q:
    return Q("bool", **{k: v for k, v in parts.items() if v})


NEWEST_FIRST = [
    {"issued": {"order": "desc", "missing": "_last"}},
    {"page_id": {"order": "desc"}},
]

HIGHLIGHT_OPTIONS = {
    "type": "unified",  # phrases come back as one <mark> span, not gram by gram
    "pre_tags": ["<mark>"],
    "post_tags": ["</mark>"],
    "encoder": "html",
    "boundary_scanner_locale": "th-TH",
    "max_analyzed_offset": HIGHLIGHT_MAX_OFFSET,
}
HIGHLIGHT_FIELDS = {
    "subject.ngram": {"number_of_fragments": 0},
    "doc_number.ngram": {"number_of_fragments": 0},
    "body.ngram": {"fragment_size": SNIPPET_WIDTH, "number_of_fragments": 1},
    "extra.ngram": {"fragment_size": SNIPPET_WIDTH, "number_of_fragments": 1},
}


def search_body(query: SearchQuery, terms: list[str]) -> dict:
    """One attempt: every term must match; relevance by field weights, then recency."""
    search = Search().query(
        _bool(
            must=[match_clause(t) for t in terms],
            should=[clause for t in terms for clause in bonus_clauses(t)],
            filter=filter_clauses(query),
        )
    )
    if query.sort == "date":
        search = search.sort(*NEWEST_FIRST)
    else:
        search = search.sort("_score", *NEWEST_FIRST)
    start = min(max(query.offset, 0), MAX_WINDOW)
    search = search[start : min(start + max(query.limit, 0), MAX_WINDOW)]
    search = search.source(False).extra(track_total_hits=True)
    search = search.highlight_options(**HIGHLIGHT_OPTIONS)
    for name, options in HIGHLIGHT_FIELDS.items():
        search = search.highlight(name, **options)
    if query.facets:
        for name in FACETS:
            search.aggs.bucket(name, "terms", field=FACET_FIELDS[name], size=FACET_SIZE)
    return search.to_dict()


def suggest_body(prefix: str, scope: Scope, limit: int = 8) -> dict | None:
    """Subjects containing what was typed (a prefix is a substring), newest first, as the
    embedded backend. None when fewer than two characters were typed."""
    text = normalize(prefix)
    if len(text) < 2:
        return None
    filters = [Q("match_phrase", **{"subject.ngram": text})]
    scope_clause = scope_filter(scope)
    if scope_clause is not None:
        filters.append(scope_clause)
    search = Search().query(Q("bool", filter=filters)).sort(*NEWEST_FIRST)
    return search[:limit].source(False).to_dict()


@dataclass
class ElasticHit(Hit):
    """A hit with Elasticsearch's highlights: field → fragments with <mark> around matches."""

    highlights: dict[str, list[str]] = field(default_factory=dict)


def make_client(url: str) -> Elasticsearch:
    """A client that gives up quickly: an unreachable server means the fallback, not a hang.
    ELASTICSEARCH_OPTIONS (a dict in settings) adds api_key, ca_certs and the like."""
    options = {
        "request_timeout": getattr(settings, "ELASTICSEARCH_TIMEOUT", 5.0),
        "max_retries": 1,
        "retry_on_timeout": False,
        **getattr(settings, "ELASTICSEARCH_OPTIONS", {}),
    }
    return Elasticsearch(url, **options)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


# -- the backend --------------------------------------------------------------------------------


class ElasticsearchBackend(SearchBackend):
    """Circulars in Elasticsearch: reads through `alias`, rebuilds into a fresh concrete index."""

    name = "elasticsearch"
    id_page_size = 5000  # indexed_ids() reads the ids this many at a time

    def __init__(
        self,
        client: Elasticsearch | str,
        alias: str | None = None,
        *,
        now: Callable[[], datetime.datetime] | None = None,
    ):
        self.client = make_client(client) if isinstance(client, str) else client
        self.alias = alias or getattr(settings, "ELASTICSEARCH_INDEX", "") or ALIAS
        self._now = now or (lambda: datetime.datetime.now(datetime.UTC))
        self._ready = False
        self._building: str | None = None  # the concrete index a rebuild is filling
        self._lock = threading.RLock()

    # -- indices and the alias -------------------------------------------------------------

    def new_index_name(self) -> str:
        return f"{self.alias}-{self._now():%Y%m%d%H%M%S%f}"

    def _create_index(self, name: str, *, building: bool, aliased: bool) -> None:
        definition = index_definition()
        index_settings = dict(definition["settings"])
        if building:
            index_settings["refresh_interval"] = "-1"  # no refreshes while bulk loading
        self.client.indices.create(
            index=name,
            settings=index_settings,
            mappings=definition["mappings"],
            aliases={self.alias: {"is_write_index": True}} if aliased else None,
        )

    def ensure_index(self) -> None:
        """Create the alias and a first (empty) index when there is none."""
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            if not self.client.indices.exists_alias(name=self.alias):
                try:
                    self._create_index(self.new_index_name(), building=False, aliased=True)
                except BadRequestError:
                    # Another process created it first, or a concrete index holds the name.
                    if not self.client.indices.exists_alias(name=self.alias):
                        raise
            self._ready = True

    def aliased_indices(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            return []

    def begin_rebuild(self) -> str:
        """Start filling a new concrete index; writes go there until `finish_rebuild`."""
        with self._lock:
            if self._building:
                self.abort_rebuild()
            name = self.new_index_name()
            self._create_index(name, building=True, aliased=False)
            self._building = name
            return name

    def finish_rebuild(self) -> None:
        """Make the new index searchable, point the alias at it (atomically), drop the old."""
        with self._lock:
            name = self._building
            if not name:
                raise RuntimeError("finish_rebuild() without begin_rebuild()")
            self.client.indices.put_settings(
                index=name, settings={"index": {"refresh_interval": None}}
            )
            self.client.indices.refresh(index=name)
            old = [i for i in self.aliased_indices() if i != name]
            actions = [{"remove": {"index": i, "alias": self.alias}} for i in old]
            actions.append({"add": {"index": name, "alias": self.alias, "is_write_index": True}})
            self.client.indices.update_aliases(actions=actions)
            self._building = None
            self._ready = True
            for index in old:
                self.client.options(ignore_status=404).indices.delete(index=index)

    def abort_rebuild(self) -> None:
        """Drop the index being filled; the alias keeps the old one."""
        with self._lock:
            name, self._building = self._building, None
            if name:
                self.client.options(ignore_status=404).indices.delete(index=name)

    def rebuild(self, documents: Iterable[IndexDocument], progress=None, batch: int = 500) -> int:
        """Index `documents` into a new index and swap it in; the old one serves until then."""
        self.begin_rebuild()
        total = 0
        try:
            for chunk in _chunks(documents, batch):
                total += self.index(chunk)
                if progress is not None:
                    progress.update(len(chunk))
        except BaseException:
            try:
                self.abort_rebuild()
            except Exception:  # the original error matters more
                logger.warning("could not drop the half-built index", exc_info=True)
            raise
        self.finish_rebuild()
        return total

    # -- writing ---------------------------------------------------------------------------

    def _write_target(self) -> str:
        return self._building or self.alias

    def _refresh(self, refresh):
        if refresh is not None:
            return refresh
        return False if self._building else "wait_for"  # single updates: visible on return

    def index(self, documents: Iterable[IndexDocument], *, refresh=None) -> int:
        docs = list(documents)
        if not docs:
            return 0
        target = self._write_target()
        if target == self.alias:
            self.ensure_index()
        actions = (
            {
                "_op_type": "index",
                "_index": target,
                "_id": str(doc.page_id),
                "_source": CircularDocument.from_index_document(doc).to_dict(),
            }
            for doc in docs
        )
        count, _errors = helpers.bulk(
            self.client,
            actions,
            refresh=self._refresh(refresh),
            require_alias=target == self.alias,  # never auto-create an unmapped index
            max_retries=2,
            initial_backoff=1,
        )
        return count

    def delete(self, page_ids: Iterable[int], *, refresh=None) -> None:
        ids = list(page_ids)
        if not ids:
            return
        target = self._write_target()
        if target == self.alias:
            self.ensure_index()
        actions = ({"_op_type": "delete", "_index": target, "_id": str(i)} for i in ids)
        helpers.bulk(
            self.client,
            actions,
            refresh=self._refresh(refresh),
            require_alias=target == self.alias,
            ignore_status=(404,),  # already gone
        )

    def refresh(self) -> None:
        self.client.indices.refresh(index=self._write_target())

    def clear(self) -> None:
        """Start afresh: an empty index behind the alias (swapped in atomically)."""
        with self._lock:
            self.begin_rebuild()
            self.finish_rebuild()

    # -- reading ---------------------------------------------------------------------------

    def count(self) -> int:
        self.ensure_index()
        return int(self.client.count(index=self.alias)["count"])

    def indexed_ids(self) -> set[int]:
        self.ensure_index()
        ids: set[int] = set()
        after = None
        while True:
            body = {
                "query": {"match_all": {}},
                "_source": False,
                "sort": [{"page_id": "asc"}],
                "size": self.id_page_size,
            }
            if after is not None:
                body["search_after"] = after
            hits = self.client.search(index=self.alias, body=body)["hits"]["hits"]
            ids.update(int(hit["_id"]) for hit in hits)
            if len(hits) < body["size"]:
                return ids
            after = hits[-1]["sort"]

    def size_bytes(self) -> int | None:
        self.ensure_index()
        stats = self.client.indices.stats(index=self.alias, metric="store")
        return int(stats["_all"]["total"]["store"]["size_in_bytes"])

    def search(self, query: SearchQuery) -> SearchResult:
        result = SearchResult(hits=[], total=0)
        if query.parsed is None or query.parsed.empty:
            return result
        self.ensure_index()
        for terms, whole in match_attempts(query.parsed):
            response = self.client.search(index=self.alias, body=search_body(query, terms))
            result = self._result(response, query, exact=whole)
            if result.total:
                break
        return result

    def _result(self, response, query: SearchQuery, *, exact: bool) -> SearchResult:
        hits = [
            ElasticHit(
                page_id=int(hit["_id"]),
                score=float(hit.get("_score") or 0.0),
                highlights=dict(hit.get("highlight") or {}),
            )
            for hit in response["hits"]["hits"]
        ]
        total = int(response["hits"]["total"]["value"])
        result = SearchResult(hits=hits, total=total, exact=exact)
        if query.facets and total:
            aggregations = response.get("aggregations") or {}
            result.facets = {
                name: [
                    (str(bucket["key"]), int(bucket["doc_count"]))
                    for bucket in aggregations.get(name, {}).get("buckets", [])
                    if bucket["key"] not in (None, "")
                ]
                for name in FACETS
            }
        return result

    def suggest(self, prefix: str, scope: Scope, limit: int = 8) -> list[int]:
        body = suggest_body(prefix, scope, limit)
        if body is None:
            return []
        self.ensure_index()
        response = self.client.search(index=self.alias, body=body)
        return [int(hit["_id"]) for hit in response["hits"]["hits"]]


# -- falling back to the embedded index ---------------------------------------------------------

_UNAVAILABLE_STATUS = {429, 502, 503, 504}


def _error_type(error: ApiError) -> str:
    body = error.body if isinstance(error.body, dict) else {}
    detail = body.get("error")
    return detail.get("type", "") if isinstance(detail, dict) else ""


def is_unavailable(error: BaseException) -> bool:
    """Elasticsearch cannot serve now: unreachable, timed out, overloaded, or the index is
    missing. Anything else (a malformed query, a mapping conflict) is a bug and is raised."""
    if isinstance(error, SerializationError):
        return False
    if isinstance(error, ConnectionError | ConnectionTimeout | TransportError):
        return True
    if isinstance(error, NotFoundError):
        return _error_type(error) == "index_not_found_exception"
    if isinstance(error, ApiError):
        return error.meta.status in _UNAVAILABLE_STATUS
    if isinstance(error, helpers.BulkIndexError):
        statuses = [next(iter(item.values())).get("status") for item in error.errors]
        return bool(statuses) and all(s in _UNAVAILABLE_STATUS | {404} for s in statuses)
    return False


def unavailable_notice() -> str:
    return gettext("The search service is unavailable; results come from the local index.")


class ElasticsearchWithFallback(SearchBackend):
    """Elasticsearch while it answers; the embedded index when it does not.

    Every update is also written to the embedded index (`mirror`), so the fallback is current.
    Updates Elasticsearch missed are queued in `PendingIndexOperation` and replayed in order on
    the next successful call (a bounded batch during searches, all of them on other calls) or
    by `replay_pending()`. Replaying re-reads each page from the database, so a replayed
    operation always writes the page's current state and can never bring back an old one.
    """

    name = "elasticsearch"
    _shared: dict[str, ElasticsearchWithFallback] = {}
    _shared_lock = threading.Lock()

    def __init__(
        self,
        elastic: ElasticsearchBackend,
        embedded: SearchBackend,
        *,
        retry_after: float = 30.0,
        mirror: bool = True,
        replay_batch: int = 100,
        check_every: float = 60.0,
    ):
        self.elastic = elastic
        self.embedded = embedded
        self.retry_after = retry_after  # seconds to go straight to the fallback after a failure
        self.mirror = mirror
        self.replay_batch = replay_batch
        self.check_every = check_every  # seconds between looks at the queue (other processes)
        self._down_until = 0.0
        self._maybe_pending = True  # unknown until the queue has been looked at
        self._checked_at = 0.0
        self._replay_lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str, embedded: SearchBackend) -> ElasticsearchWithFallback:
        retry_after = getattr(settings, "ELASTICSEARCH_RETRY_AFTER", 30.0)
        return cls(ElasticsearchBackend(make_client(url)), embedded, retry_after=retry_after)

    @classmethod
    def shared(cls, url: str, embedded: SearchBackend) -> ElasticsearchWithFallback:
        """One instance (one client, one connection pool) per URL for the whole process."""
        with cls._shared_lock:
            instance = cls._shared.get(url)
            if instance is None:
                instance = cls._shared[url] = cls.from_url(url, embedded)
            instance.embedded = embedded
            return instance

    @classmethod
    def forget_shared(cls) -> None:
        with cls._shared_lock:
            cls._shared.clear()

    # -- availability ----------------------------------------------------------------------

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _went_down(self, error: BaseException) -> None:
        self._down_until = time.monotonic() + self.retry_after
        logger.warning("Elasticsearch unavailable, using the embedded index: %s", error)

    def _try(self, call: Callable, *, replay_limit: int | None):
        """(True, value) when Elasticsearch answered, (False, None) when it is unavailable."""
        if not self.available:
            return False, None
        try:
            self._replay_if_due(replay_limit)
            return True, call()
        except Exception as error:
            if not is_unavailable(error):
                raise
            self._went_down(error)
            return False, None

    # -- the queue -------------------------------------------------------------------------

    def _queue(self, action: str, page_ids: Iterable[int]) -> None:
        from search.models import PendingIndexOperation

        PendingIndexOperation.objects.bulk_create(
            [PendingIndexOperation(page_id=pk, action=action) for pk in page_ids]
        )
        self._maybe_pending = True

    def pending_count(self) -> int:
        from search.models import PendingIndexOperation

        return PendingIndexOperation.objects.count()

    def _replay_if_due(self, limit: int | None) -> None:
        if limit == 0:
            return
        if not self._maybe_pending and time.monotonic() - self._checked_at < self.check_every:
            return
        try:
            self.replay_pending(limit=limit)
        except Exception as error:
            if is_unavailable(error):
                raise
            # A replay problem must not fail the caller's search or save; it stays queued.
            logger.exception("replaying queued search index operations failed")

    def replay_pending(self, limit: int | None = None) -> int:
        """Send queued operations to Elasticsearch in the order they were queued; each is
        removed once Elasticsearch has it. Returns how many were replayed."""
        from search.models import PendingIndexOperation

        if not self._replay_lock.acquire(blocking=False):
            return 0  # another thread of this process is replaying
        try:
            done = 0
            while limit is None or done < limit:
                size = 500 if limit is None else min(500, limit - done)
                batch = list(PendingIndexOperation.objects.order_by("created_at", "id")[:size])
                if not batch:
                    self._maybe_pending = False
                    break
                for action, run in itertools.groupby(batch, key=lambda op: op.action):
                    operations = list(run)
                    self._replay_run(action, [op.page_id for op in operations])
                    PendingIndexOperation.objects.filter(
                        pk__in=[op.pk for op in operations]
                    ).delete()
                    done += len(operations)
            if done:
                self.elastic.refresh()
            self._checked_at = time.monotonic()
            return done
        finally:
            self._replay_lock.release()

    def _replay_run(self, action: str, page_ids: list[int]) -> None:
        from search.indexing import build_documents

        ids = list(dict.fromkeys(page_ids))
        if action == "delete":
            self.elastic.delete(ids, refresh=False)
            return
        docs = build_documents(ids)
        self.elastic.index(docs, refresh=False)
        found = {doc.page_id for doc in docs}
        gone = [i for i in ids if i not in found]
        if gone:
            self.elastic.delete(gone, refresh=False)

    # -- writing ---------------------------------------------------------------------------

    def index(self, documents: Iterable[IndexDocument]) -> int:
        docs = list(documents)
        if not docs:
            return 0
        if self.mirror:
            self.embedded.index(docs)
        answered, count = self._try(lambda: self.elastic.index(docs), replay_limit=None)
        if answered:
            return count
        if not self.mirror:
            self.embedded.index(docs)
        self._queue("index", [d.page_id for d in docs])
        return len(docs)

    def delete(self, page_ids: Iterable[int]) -> None:
        ids = list(page_ids)
        if not ids:
            return
        if self.mirror:
            self.embedded.delete(ids)
        answered, _ = self._try(lambda: self.elastic.delete(ids), replay_limit=None)
        if not answered:
            if not self.mirror:
                self.embedded.delete(ids)
            self._queue("delete", ids)

    def clear(self) -> None:
        """Start afresh on both sides. Unreachable, Elasticsearch keeps its documents; the
        updates that follow are queued and replayed (stale ones show in `search_index status`)."""
        self.embedded.clear()
        self._try(self.elastic.clear, replay_limit=None)

    def rebuild(self, documents: Iterable[IndexDocument], progress=None, batch: int = 500) -> int:
        """Rebuild both indexes; Elasticsearch swaps its alias only once the new index is full,
        and operations queued before the rebuild began are then moot. Should Elasticsearch fail
        half-way, the embedded index is still rebuilt and every page is queued."""
        from search.models import PendingIndexOperation

        queued_before = PendingIndexOperation.objects.order_by("-id").values_list("id", flat=True)
        last_queued = queued_before.first() or 0
        self.embedded.clear()
        elastic_ok, _ = self._try(self.elastic.begin_rebuild, replay_limit=0)
        sent: list[int] = []
        total = 0
        for chunk in _chunks(documents, batch):
            self.embedded.index(chunk)
            ids = [d.page_id for d in chunk]
            if elastic_ok:
                elastic_ok, _ = self._try(lambda c=chunk: self.elastic.index(c), replay_limit=0)
                if elastic_ok:
                    sent.extend(ids)
                else:
                    self._abandon_rebuild()
                    self._queue("index", sent)
            if not elastic_ok:
                self._queue("index", ids)
            total += len(chunk)
            if progress is not None:
                progress.update(len(chunk))
        if elastic_ok:
            elastic_ok, _ = self._try(self.elastic.finish_rebuild, replay_limit=0)
            if elastic_ok:
                PendingIndexOperation.objects.filter(id__lte=last_queued).delete()
            else:
                self._abandon_rebuild()
                self._queue("index", sent)
        return total

    def _abandon_rebuild(self) -> None:
        try:
            self.elastic.abort_rebuild()
        except Exception:
            self.elastic._building = None  # unreachable: the orphan index is harmless
            logger.warning("could not drop the half-built index", exc_info=True)

    # -- reading ---------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        answered, result = self._try(
            lambda: self.elastic.search(query), replay_limit=self.replay_batch
        )
        if answered:
            return result
        result = self.embedded.search(query)
        result.notice = unavailable_notice()
        return result

    def suggest(self, prefix: str, scope: Scope, limit: int = 8) -> list[int]:
        answered, ids = self._try(
            lambda: self.elastic.suggest(prefix, scope, limit), replay_limit=self.replay_batch
        )
        return ids if answered else self.embedded.suggest(prefix, scope, limit)

    def count(self) -> int:
        answered, value = self._try(self.elastic.count, replay_limit=None)
        return value if answered else self.embedded.count()

    def indexed_ids(self) -> set[int]:
        answered, value = self._try(self.elastic.indexed_ids, replay_limit=None)
        return value if answered else self.embedded.indexed_ids()

    def size_bytes(self) -> int | None:
        answered, value = self._try(self.elastic.size_bytes, replay_limit=None)
        return value if answered else self.embedded.size_bytes()


def replay_pending_operations() -> int:
    """The hook for a management command or scheduled job: replay every queued operation."""
    from search.service import get_backend

    backend = get_backend()
    if isinstance(backend, ElasticsearchWithFallback):
        return backend.replay_pending()
    return 0
