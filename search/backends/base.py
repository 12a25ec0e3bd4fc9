"""The interface every search backend implements: index, delete, search, suggest."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain

from django.conf import settings

from search.analysis import ParsedQuery, match_attempts
from search.documents import IndexDocument

# Relevance first: where a term is found. Subject > document number > body > attachments.
FIELD_WEIGHTS = {"subject": 10.0, "doc_number": 6.0, "body": 1.0, "extra": 0.3}
FACETS = ("be_year", "unit", "urgency", "topic", "state")
FACET_LIMIT = 30  # groups kept per facet, the largest
PAGE_SPAN = 10_000_000  # page ids stay below this
LAST_DAY = datetime.date.max.toordinal()


def like_escaped(text: str) -> str:
    """`text` as plain characters in a LIKE pattern whose escape character is the backslash."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_anywhere(text: str) -> str:
    """A LIKE pattern for `text` anywhere."""
    return "%" + like_escaped(text) + "%"


def count_limit() -> int:
    """The embedded indexes stop counting matches past this many (WIAN_SEARCH_COUNT_LIMIT)."""
    return int(getattr(settings, "WIAN_SEARCH_COUNT_LIMIT", 1000))


def recency_key(doc: IndexDocument) -> int:
    """The embedded indexes' row key: smaller for a newer circular, and on the same day for the
    later page, so "newest first" is ascending key order."""
    return (LAST_DAY - doc.recency) * PAGE_SPAN + (PAGE_SPAN - 1 - doc.page_id)


def count_facets(rows: Iterable[tuple]) -> dict[str, list[tuple[str, int]]]:
    """Facet counts from (be_year, unit, urgency, state, topics) of the counted matches: the
    FACET_LIMIT largest groups of each, then the empty value dropped."""
    columns = list(zip(*rows, strict=True)) or [()] * 5
    be_years, units, urgencies, states, topics = columns
    counters = {
        "be_year": Counter(be_years),
        "unit": Counter(units),
        "urgency": Counter(urgencies),
        "topic": Counter(chain.from_iterable(t for t in topics if t)),
        "state": Counter(states),
    }
    facets = {}
    for name, counter in counters.items():
        top = sorted(counter.items(), key=lambda pair: (-pair[1], str(pair[0])))[:FACET_LIMIT]
        facets[name] = [(str(v), n) for v, n in top if v not in (None, "")]
    return facets


@dataclass
class Scope:
    """Which circulars the asking user may see: everything public, plus these page ids
    (their unit's drafts, secret circulars addressed to them), or everything for admins."""

    everything: bool = False
    extra_ids: frozenset[int] = frozenset()


@dataclass
class SearchQuery:
    parsed: ParsedQuery
    scope: Scope = field(default_factory=Scope)
    filters: dict = field(default_factory=dict)  # be_year, unit, urgency, topic, state
    offset: int = 0
    limit: int = 20
    sort: str = "relevance"  # or "date"
    facets: bool = True


@dataclass
class Hit:
    page_id: int
    score: float


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    exact: bool = True  # the whole query matched; False when terms were AND-ed instead
    notice: str = ""
    # False when counting stopped at the count limit: `total` is then a lower bound and the
    # facets count the newest `total` matches (as Elasticsearch's track_total_hits).
    total_exact: bool = True


class SearchBackend:
    name = "base"

    def index(self, documents: Iterable[IndexDocument]) -> int:
        raise NotImplementedError

    def delete(self, page_ids: Iterable[int]) -> None:
        raise NotImplementedError

    def search(self, query: SearchQuery) -> SearchResult:
        raise NotImplementedError

    def suggest(self, prefix: str, scope: Scope, limit: int = 8) -> list[int]:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError

    def size_bytes(self) -> int | None:
        return None

    def indexed_ids(self) -> set[int]:
        raise NotImplementedError


def head_tiers(fetch, terms: list[str], wanted: int, batch: int) -> tuple[list, list]:
    """Walk the circulars whose subject or number may hold the terms, newest first, `batch` at
    a time (`fetch(limit, offset)` gives (page_id, subject, number) rows): the page ids whose
    subject holds every term until `wanted` of them (an older subject hit outranks every number
    hit), and those whose number does, found on the way (all of them when the subject ones are
    fewer)."""
    subject, number, offset = [], [], 0
    while len(subject) < wanted:
        rows = fetch(batch, offset)
        for page_id, subject_text, number_text in rows:
            # Terms may be split between the two fields: then neither tier holds it.
            if all(t in subject_text for t in terms):
                subject.append(page_id)
            elif all(t in number_text for t in terms):
                number.append(page_id)
        if len(rows) < batch:
            break
        offset += batch
    return subject, number


class EntryTableBackend(SearchBackend):
    """The embedded backends keep one row per circular in a table of this name, and word
    postings (`backends/words.py`) valid for the dictionary recorded in the meta table."""

    entry_table = "wian_search_entry"
    meta_table = "wian_search_meta"

    def _record_dictionary(self, cursor) -> None:
        """An empty index takes this dictionary's word ids; a filled one keeps what it has."""
        from search.backends.words import fingerprint

        cursor.execute(
            f"INSERT INTO {self.meta_table} (name, value) SELECT 'dictionary', %s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {self.entry_table}) ON CONFLICT (name) DO NOTHING",
            [fingerprint()],
        )
        self._words_ready = None

    _words_ready: bool | None = None

    def _dictionary_ids(self, terms: list[str]) -> list[int] | None:
        """The terms' ids, when every term is a dictionary word or a number (`ids_of`) and the
        index was built with this dictionary and numbers keyed this way."""
        from search.backends.words import ids_of

        ids = ids_of(terms)
        if ids is None:
            return None
        if self._words_ready is None:
            self._words_ready = self.words_current()
        return ids if self._words_ready else None

    def words_current(self) -> bool:
        """Whether the word postings were built with this dictionary (`search_index status`)."""
        from django.db import connection

        from search.backends.words import fingerprint

        with connection.cursor() as cursor:
            if self.meta_table not in connection.introspection.table_names(cursor):
                return False
            cursor.execute(f"SELECT value FROM {self.meta_table} WHERE name = 'dictionary'")
            row = cursor.fetchone()
        return row is not None and row[0] == fingerprint()

    # Each embedded backend gives, for a list of terms: `_matches(terms, query, limit)`, the
    # matches newest first as rows starting (page_id, row key); `_ranked(terms, query, rows,
    # complete)`, the asked page in relevance order; `_facets(rows)`.

    def _run(self, terms: list[str], query: SearchQuery) -> SearchResult:
        """Count the newest matches up to the count limit, then the asked page: by date from
        them (or further), by relevance through `_ranked`."""
        limit = count_limit()
        rows = self._matches(terms, query, limit + 1)
        if not rows:
            return SearchResult(hits=[], total=0)
        complete = len(rows) <= limit
        counted = rows[:limit]
        wanted = query.offset + query.limit
        if query.sort == "date":
            if not complete and wanted > len(counted):
                page = self._matches(terms, query, wanted)[query.offset : wanted]
            else:
                page = counted[query.offset : wanted]
            hits = [Hit(page_id=row[0], score=0.0) for row in page]
        else:
            hits = self._ranked(terms, query, counted, complete)
        result = SearchResult(hits=hits, total=len(counted), total_exact=complete)
        if query.facets:
            result.facets = self._facets(counted)
        return result

    def search(self, query: SearchQuery) -> SearchResult:
        """The whole query first, then its terms AND-ed (`match_attempts`)."""
        if query.parsed.empty:
            return SearchResult(hits=[], total=0)
        result = SearchResult(hits=[], total=0)
        for terms, whole in match_attempts(query.parsed):
            result = self._run(terms, query)
            result.exact = whole
            if result.total:
                break
        return result

    # How each database says it, on the entry table `e`: a public circular, a circular among
    # page ids (`_among` gives the clause and its parameters), a circular with a topic.
    public_sql = "e.public"
    topic_sql = "%s = ANY(e.topics)"

    def _among(self, page_ids: list[int]) -> tuple[str, list]:
        return "e.page_id = ANY(%s::bigint[])", [page_ids]

    def _entry_clauses(self, query: SearchQuery) -> tuple[list[str], list]:
        """The user's scope and the filters, on the entry table `e`."""
        clauses, params = [], []
        scope = query.scope
        if not scope.everything:
            if scope.extra_ids:
                among, among_params = self._among(sorted(int(i) for i in scope.extra_ids))
                clauses.append(f"({self.public_sql} OR {among})")
                params += among_params
            else:
                clauses.append(self.public_sql)
        filters = query.filters or {}
        year = filters.get("be_year")
        if year not in (None, ""):
            if isinstance(year, int) or re.fullmatch(r"[0-9]+", str(year)):
                clauses.append("e.be_year = %s")
                params.append(int(year))
            else:  # no circular has it (and PostgreSQL would fail to cast it)
                clauses.append("1 = 0")
        for name in ("unit", "urgency", "state"):
            value = filters.get(name)
            if value not in (None, ""):
                clauses.append(f"e.{name} = %s")
                params.append(str(value))
        topic = filters.get("topic")
        if topic:
            clauses.append(self.topic_sql)
            params.append(str(topic))
        return clauses, params

    def count(self) -> int:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {self.entry_table}")
            return cursor.fetchone()[0]

    def indexed_ids(self) -> set[int]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"SELECT page_id FROM {self.entry_table}")
            return {row[0] for row in cursor.fetchall()}
