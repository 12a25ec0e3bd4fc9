"""Wagtail's own search (admin page search, page chooser, explorer) finding Thai words.

Wagtail's database backend tokenises on spaces, and Thai is written without them: stock SQLite
search cannot find ปกครอง inside องค์กรปกครองส่วนท้องถิ่น. This backend answers searches over
circulars with the site's own index (search.service's backend, the Thai analysis pipeline),
followed by whatever Wagtail's own database backend finds, and leaves every other model to that
backend, which it subclasses: indexing, other page types, images, documents, snippets and users
keep working as before, and the admin never finds less than stock Wagtail would.

    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.wagtail_search"}}

Scope: the backend gets no request. Every Wagtail caller passes the queryset it may show
(the page search and the explorer filter through `CircularAwarePagePolicy.explorable_instances`,
the chooser through `construct_page_chooser_queryset`, both asking `workflows.permissions`), so
the ids found are always cut to that queryset: a user never gets a circular the queryset hides.
Our index is therefore asked with an unrestricted scope (not through `search.service.search`,
which needs a user), for the best CIRCULAR_LIMIT matches.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import cache

from django.db.models import Count, QuerySet
from modelsearch.backends import database as stock_database
from modelsearch.backends.base import BaseSearchResults
from modelsearch.query import And, Boost, Fuzzy, Phrase, PlainText

# How many circulars (best first) one admin search considers; the admin pages 20 at a time.
DEFAULT_CIRCULAR_LIMIT = 1000


def query_text(query) -> str | None:
    """The text of a Wagtail query object, or None when our index cannot answer it (match-all,
    OR and NOT queries stay with Wagtail's backend)."""
    if isinstance(query, str):
        return query
    if isinstance(query, PlainText | Fuzzy):
        return query.query_string
    if isinstance(query, Phrase):
        return f'"{query.query_string}"'
    if isinstance(query, Boost):
        return query_text(query.subquery)
    if isinstance(query, And):
        parts = [query_text(q) for q in query.subqueries]
        if any(p is None for p in parts):
            return None
        return " ".join(p for p in parts if p)
    return None


def _circular_model():
    from cms.circulars.models import CircularPage

    return CircularPage


def covers_circulars(model) -> bool:
    """True for CircularPage and the models above it (Page): querysets that may hold circulars."""
    return issubclass(_circular_model(), model)


def circular_hits(text: str, limit: int) -> list[tuple[int, float]]:
    """(page id, score) of the circulars matching `text`, best first, from our own index.

    The scope is everything: the caller's queryset is the user's scope (see the module doc)."""
    from search.analysis import parse_query
    from search.backends.base import Scope, SearchQuery
    from search.service import get_backend

    parsed = parse_query(text)
    if parsed.empty:
        return []
    query = SearchQuery(parsed=parsed, scope=Scope(everything=True), limit=limit, facets=False)
    return [(hit.page_id, hit.score) for hit in get_backend().search(query).hits]


def stock_ids(results, limit: int) -> list[int]:
    """The ids Wagtail's own backend found, best first (its database result classes build a
    queryset; reading ids alone spares loading every page)."""
    if results is None:
        return []
    results = results[:limit]
    get_queryset = getattr(results, "get_queryset", None)
    if get_queryset is not None:
        return list(get_queryset().values_list("pk", flat=True))
    return [obj.pk for obj in results]


class CircularAwareSearchResults(BaseSearchResults):
    """Results over a queryset that may hold circulars: the circulars our index finds (cut to
    the queryset) first, then whatever Wagtail's own backend finds (`others`: other page types,
    and any circular it matches that ours did not, e.g. one saved moments ago whose index
    update waits for the commit). So the admin never finds less than stock Wagtail would."""

    supports_facet = True

    def __init__(self, backend, queryset, text, others=None, order_by_relevance=True, limit=0):
        super().__init__(backend, None)
        self.model = queryset.model
        self.queryset = queryset
        self.text = text
        self.others = others
        self.order_by_relevance = order_by_relevance
        self.limit = limit or DEFAULT_CIRCULAR_LIMIT
        self._shared = {}  # the matched ids, computed once and shared by slices of this result

    def _clone(self):
        new = self.__class__(
            self.backend,
            self.queryset,
            self.text,
            self.others,
            self.order_by_relevance,
            self.limit,
        )
        new.start, new.stop = self.start, self.stop
        new._score_field = self._score_field
        new._shared = self._shared
        return new

    def _matched(self) -> tuple[list[int], dict[int, float]]:
        if "ids" not in self._shared:
            hits = circular_hits(self.text, self.limit)
            scores = dict(hits)
            allowed = set(
                self.queryset.filter(pk__in=list(scores)).order_by().values_list("pk", flat=True)
            )
            ids = [pk for pk, _score in hits if pk in allowed]
            seen = set(ids)
            for pk in stock_ids(self.others, self.limit):
                if pk not in seen:
                    ids.append(pk)
                    seen.add(pk)
            self._shared.update(ids=ids, scores=scores)
        return self._shared["ids"], self._shared["scores"]

    def _do_count(self) -> int:
        return len(self._matched()[0])

    def _do_search(self) -> list:
        ids, scores = self._matched()
        if self.order_by_relevance:
            chosen = ids[self.start : self.stop]
            found = {obj.pk: obj for obj in self.queryset.filter(pk__in=chosen)}
            results = [found[pk] for pk in chosen if pk in found]
        else:  # the queryset's own order (the admin's column sorting)
            results = list(self.queryset.filter(pk__in=ids)[self.start : self.stop])
        if self._score_field:
            for obj in results:
                setattr(obj, self._score_field, scores.get(obj.pk, 0.0))
        return results

    def facet(self, field_name):
        ids, _scores = self._matched()
        rows = (
            self.queryset.filter(pk__in=ids)
            .order_by()
            .values(field_name)
            .annotate(count=Count("pk"))
            .order_by("-count")
        )
        return OrderedDict((row[field_name], row["count"]) for row in rows)


class CircularAwareSearchMixin:
    """Mixed into Wagtail's database backend class for the database in use."""

    def __init__(self, params):
        super().__init__(params)
        self.params = params

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        stock = super()._search(query_compiler_class, query, model_or_queryset, **kwargs)
        if isinstance(model_or_queryset, QuerySet):
            queryset = model_or_queryset
        else:
            queryset = model_or_queryset.objects.all()
        text = query_text(query)
        if (
            text is None
            or not text.strip()
            or kwargs.get("fields") is not None
            or not covers_circulars(queryset.model)
        ):
            return stock
        return CircularAwareSearchResults(
            self,
            queryset,
            text,
            others=stock,
            order_by_relevance=kwargs.get("order_by_relevance", True),
            limit=int(self.params.get("CIRCULAR_LIMIT", DEFAULT_CIRCULAR_LIMIT)),
        )


@cache
def backend_class(stock_class: type) -> type:
    """Wagtail's database backend class for this database, with circulars answered by us."""
    return type(f"Wian{stock_class.__name__}", (CircularAwareSearchMixin, stock_class), {})


def SearchBackend(params):  # noqa: N802  (Wagtail looks the backend up by this name)
    """The backend for WAGTAILSEARCH_BACKENDS: Wagtail's `database` module picks its class by
    database (SQLite FTS5, PostgreSQL, MySQL or the fallback); we subclass whichever it picks."""
    stock = stock_database.SearchBackend(params)
    return backend_class(type(stock))(params)
