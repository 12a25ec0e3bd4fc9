"""Search as every channel uses it: pick the backend, scope to the user, run, hydrate."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db import connection

from search.analysis import ParsedQuery, parse_query, snippet
from search.backends.base import Scope, SearchBackend, SearchQuery, SearchResult


@lru_cache(maxsize=4)
def _embedded(vendor: str) -> SearchBackend:
    if vendor == "postgresql":
        from search.backends.postgres import PostgresBackend

        return PostgresBackend()
    from search.backends.sqlite_fts import SQLiteFTSBackend

    return SQLiteFTSBackend()


def embedded_backend() -> SearchBackend:
    return _embedded(connection.vendor)


def remake_embedded_tables(schema_editor, vendor: str) -> None:
    """For a migration that changes the `vendor` database's embedded index: its tables dropped
    and made anew, empty; `search.signals.reindex_if_empty` refills them after migrating."""
    if schema_editor.connection.vendor == vendor:
        backend = _embedded(vendor)
        backend.drop_schema()
        backend.ensure_schema()


def remake_postgres_index(apps, schema_editor) -> None:
    """A migration step for a change to PostgreSQL's embedded index: its tables made anew."""
    remake_embedded_tables(schema_editor, "postgresql")


def get_backend() -> SearchBackend:
    """Elasticsearch when ELASTICSEARCH_URL is set (falling back to the embedded index when it
    is unreachable), otherwise the embedded index of the database in use."""
    if getattr(settings, "ELASTICSEARCH_URL", ""):
        from search.backends.elastic import ElasticsearchWithFallback

        return ElasticsearchWithFallback.shared(settings.ELASTICSEARCH_URL, embedded_backend())
    return embedded_backend()


def scope_for(user) -> Scope:
    """Public circulars, plus the non-public ones the permission table lets `user` see."""
    from cms.circulars.models import CircularPage
    from workflows import roles as R
    from workflows.permissions import visible_q

    if user is None or not getattr(user, "is_authenticated", False):
        return Scope()
    if R.ADMINISTRATOR in R.user_groups(user):
        return Scope(everything=True)
    public = CircularPage.objects.filter(visible_q(None)).values("pk")
    extra = (
        CircularPage.objects.filter(visible_q(user))
        .exclude(pk__in=public)
        .values_list("pk", flat=True)
    )
    return Scope(extra_ids=frozenset(extra))


# What a result line shows; the body is loaded only for snippets.
SHOWN_FIELDS = (
    "id",
    "title",
    "slug",
    "url_path",
    "path",
    "depth",
    "live",
    "content_type",
    "locale",
    "source_id",
    "subject",
    "doc_number",
    "issued_on",
    "issued_on_month_only",
    "urgency",
    "secrecy",
    "state",
    "owner_unit__code",
    "owner_unit__name",
)


@dataclass
class ShownHit:
    circular: object
    score: float
    snippet: list[tuple[str, bool]] = field(default_factory=list)


@dataclass
class Outcome:
    query: ParsedQuery
    result: SearchResult
    hits: list[ShownHit]
    took_ms: float
    suggestion: str = ""


def search(
    text: str,
    user=None,
    *,
    filters: dict | None = None,
    page: int = 1,
    per_page: int = 20,
    sort: str = "relevance",
    facets: bool = True,
    snippets: bool = True,
) -> Outcome:
    from cms.circulars.models import CircularPage
    from cms.circulars.richtext import html_to_paragraphs

    started = time.perf_counter()
    parsed = parse_query(text)
    query = SearchQuery(
        parsed=parsed,
        scope=scope_for(user),
        filters={k: v for k, v in (filters or {}).items() if v not in (None, "")},
        offset=max(0, page - 1) * per_page,
        limit=per_page,
        sort=sort,
        facets=facets,
    )
    backend = get_backend()
    result = backend.search(query)
    fields = list(SHOWN_FIELDS) + (["body"] if snippets else [])
    pages = (
        CircularPage.objects.only(*fields)
        .select_related("owner_unit")
        .in_bulk([h.page_id for h in result.hits])
    )
    terms = [parsed.text] if result.exact else parsed.terms
    shown = []
    for hit in result.hits:
        circular = pages.get(hit.page_id)
        if circular is None:
            continue
        pieces = snippet(html_to_paragraphs(circular.body), terms) if snippets else []
        shown.append(ShownHit(circular, hit.score, pieces))
    suggestion = ""
    if result.total == 0 and not parsed.empty:
        suggestion = did_you_mean(parsed, backend, query)
    took = (time.perf_counter() - started) * 1000
    return Outcome(parsed, result, shown, took, suggestion)


def did_you_mean(parsed: ParsedQuery, backend: SearchBackend, query: SearchQuery) -> str:
    """A corrected spelling of the query that finds something (under the same filters), or ''.

    Each space-separated part is corrected word by word (ผูสูงอายุ → ผู้สูงอายุ), else as one run
    (ทองถิ่น → ท้องถิ่น, which splits into the valid ทอง + ถิ่น); spaces are kept."""
    from pythainlp.spell import correct

    from cms.thai.segment import words

    def is_thai(text: str) -> bool:
        return any("\u0e00" <= ch <= "\u0e7f" for ch in text)

    def finds(text: str) -> bool:
        probe = SearchQuery(
            parsed=parse_query(text),
            scope=query.scope,
            filters=query.filters,
            limit=1,
            facets=False,
        )
        return backend.search(probe).total > 0

    parts = parsed.text.split(" ")
    corrected = list(parts)
    for n, part in enumerate(parts):
        if not is_thai(part):
            continue
        by_word = "".join(correct(w) if is_thai(w) else w for w in words(part))
        if by_word != part and finds(by_word):
            corrected[n] = by_word
            continue
        whole = correct(part)
        if whole != part and finds(whole):
            corrected[n] = whole
    candidate = " ".join(corrected)
    if candidate == parsed.text or not finds(candidate):
        return ""
    return candidate


def suggest(prefix: str, user=None, limit: int = 8) -> list:
    from cms.circulars.models import CircularPage

    ids = get_backend().suggest(prefix, scope_for(user), limit)
    pages = CircularPage.objects.in_bulk(ids)
    return [pages[i] for i in ids if i in pages]
