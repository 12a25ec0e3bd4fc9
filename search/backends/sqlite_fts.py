"""Embedded search on SQLite: an FTS5 table with the trigram tokenizer over normalised text.

Trigrams find any substring of three characters or more, so a Thai word is found wherever it
stands, inside a compound (ปกครอง in องค์กรปกครองส่วนท้องถิ่น) or across digit scripts (the text
is normalised to Arabic digits on both sides). Shorter terms fall back to LIKE.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import connection, transaction

from search.analysis import match_attempts
from search.backends.base import (
    FACETS,
    FIELD_WEIGHTS,
    EntryTableBackend,
    Hit,
    Scope,
    SearchQuery,
    SearchResult,
)
from search.documents import IndexDocument

ENTRY = "wian_search_entry"
FTS = "wian_search_fts"
COLUMNS = ("subject", "doc_number", "body", "extra")

SCHEMA = [
    f"""CREATE TABLE IF NOT EXISTS {ENTRY} (
        page_id INTEGER PRIMARY KEY,
        issued INTEGER NOT NULL DEFAULT 0,
        be_year INTEGER,
        unit TEXT NOT NULL DEFAULT '',
        urgency TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL DEFAULT '',
        public INTEGER NOT NULL DEFAULT 0,
        topics TEXT NOT NULL DEFAULT '[]'
    )""",
    f"CREATE INDEX IF NOT EXISTS {ENTRY}_issued ON {ENTRY} (issued)",
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(
        subject, doc_number, body, extra, tokenize='trigram'
    )""",
]
DROP = [f"DROP TABLE IF EXISTS {FTS}", f"DROP TABLE IF EXISTS {ENTRY}"]


def _fts_string(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class SQLiteFTSBackend(EntryTableBackend):
    name = "sqlite-fts5"

    def ensure_schema(self) -> None:
        with connection.cursor() as cursor:
            for statement in SCHEMA:
                cursor.execute(statement)

    # -- writing ---------------------------------------------------------------------------

    def index(self, documents: Iterable[IndexDocument]) -> int:
        docs = list(documents)
        if not docs:
            return 0
        ids = [doc.page_id for doc in docs]
        with transaction.atomic(), connection.cursor() as cursor:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {FTS} WHERE rowid IN ({marks})", chunk)
            cursor.executemany(
                f"INSERT INTO {FTS} (rowid, subject, doc_number, body, extra) "
                "VALUES (%s, %s, %s, %s, %s)",
                [(d.page_id, d.subject, d.doc_number, d.body, d.extra) for d in docs],
            )
            cursor.executemany(
                f"INSERT OR REPLACE INTO {ENTRY} "
                "(page_id, issued, be_year, unit, urgency, state, public, topics) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (
                        d.page_id,
                        d.recency,
                        d.be_year,
                        d.unit,
                        d.urgency,
                        d.state,
                        int(d.public),
                        json.dumps(d.topics, ensure_ascii=False),
                    )
                    for d in docs
                ],
            )
        return len(docs)

    def delete(self, page_ids: Iterable[int]) -> None:
        ids = list(page_ids)
        if not ids:
            return
        marks = ",".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS} WHERE rowid IN ({marks})", ids)
            cursor.execute(f"DELETE FROM {ENTRY} WHERE page_id IN ({marks})", ids)

    def drop_schema(self) -> None:
        with connection.cursor() as cursor:
            for statement in DROP:
                cursor.execute(statement)

    def clear(self) -> None:
        self.drop_schema()
        self.ensure_schema()

    def size_bytes(self) -> int | None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT sum(pgsize) FROM dbstat WHERE name LIKE %s", ["wian_search%"]
                )
                return cursor.fetchone()[0]
        except Exception:  # dbstat is an optional SQLite module
            return None

    # -- reading ---------------------------------------------------------------------------

    def _where(self, terms: list[str], query: SearchQuery) -> tuple[str, list]:
        long_terms = [t for t in terms if len(t) >= 3]
        short_terms = [t for t in terms if len(t) < 3]
        clauses, params = [], []
        if long_terms:
            clauses.append(f"{FTS} MATCH %s")
            params.append(" AND ".join(_fts_string(t) for t in long_terms))
        for term in short_terms:
            clauses.append("(" + " OR ".join(f"f.{c} LIKE %s ESCAPE '\\'" for c in COLUMNS) + ")")
            params.extend([_like(term)] * len(COLUMNS))
        scope = query.scope
        if not scope.everything:
            if scope.extra_ids:
                marks = ",".join(["%s"] * len(scope.extra_ids))
                clauses.append(f"(e.public = 1 OR e.page_id IN ({marks}))")
                params.extend(sorted(scope.extra_ids))
            else:
                clauses.append("e.public = 1")
        for name in ("be_year", "unit", "urgency", "state"):
            value = query.filters.get(name)
            if value not in (None, ""):
                clauses.append(f"e.{name} = %s")
                params.append(value)
        topic = query.filters.get("topic")
        if topic:
            clauses.append("EXISTS (SELECT 1 FROM json_each(e.topics) t WHERE t.value = %s)")
            params.append(topic)
        return " AND ".join(clauses) or "1", params

    def _run(self, terms: list[str], query: SearchQuery, *, with_hits: bool):
        where, params = self._where(terms, query)
        base = f"FROM {FTS} f JOIN {ENTRY} e ON e.page_id = f.rowid WHERE {where}"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {base}", params)
            total = cursor.fetchone()[0]
            if not with_hits or total == 0:
                return total, [], base, params
            uses_match = any(len(t) >= 3 for t in terms)
            if query.sort == "date" or not uses_match:
                order, score = "e.issued DESC, e.page_id DESC", "0"
            else:
                weights = ", ".join(str(FIELD_WEIGHTS[c]) for c in COLUMNS)
                score = f"bm25({FTS}, {weights})"
                order = "score ASC, e.issued DESC"
            cursor.execute(
                f"SELECT e.page_id, {score} AS score {base} ORDER BY {order} LIMIT %s OFFSET %s",
                [*params, query.limit, query.offset],
            )
            hits = [Hit(page_id=row[0], score=-float(row[1] or 0)) for row in cursor.fetchall()]
        return total, hits, base, params

    def search(self, query: SearchQuery) -> SearchResult:
        parsed = query.parsed
        if parsed.empty:
            return SearchResult(hits=[], total=0)
        attempts = match_attempts(parsed)
        total, hits, base, params, exact = 0, [], "", [], True
        for terms, whole in attempts:
            total, hits, base, params = self._run(terms, query, with_hits=True)
            exact = whole
            if total:
                break
        result = SearchResult(hits=hits, total=total, exact=exact)
        if query.facets and total:
            result.facets = self._facets(base, params)
        return result

    def _facets(self, base: str, params: list) -> dict[str, list[tuple[str, int]]]:
        facets = {}
        with connection.cursor() as cursor:
            for name in FACETS:
                if name == "topic":
                    cursor.execute(
                        f"SELECT t.value, count(*) {base.replace('WHERE', ', json_each(e.topics) t WHERE', 1)} "
                        "GROUP BY t.value ORDER BY count(*) DESC LIMIT 30",
                        params,
                    )
                else:
                    cursor.execute(
                        f"SELECT e.{name}, count(*) {base} GROUP BY e.{name} "
                        f"ORDER BY count(*) DESC LIMIT 30",
                        params,
                    )
                facets[name] = [(str(v), n) for v, n in cursor.fetchall() if v not in (None, "")]
        return facets

    def suggest(self, prefix: str, scope: Scope, limit: int = 8) -> list[int]:
        from search.analysis import normalize

        text = normalize(prefix)
        if len(text) < 2:
            return []
        query = SearchQuery(parsed=None, scope=scope)  # type: ignore[arg-type]
        where, params = self._where([], query)
        if len(text) >= 3:
            condition, value = f"{FTS} MATCH %s", "{subject} : " + _fts_string(text)
        else:
            condition, value = "f.subject LIKE %s ESCAPE '\\'", _like(text)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.page_id FROM {FTS} f JOIN {ENTRY} e ON e.page_id = f.rowid "
                f"WHERE {condition} AND {where} ORDER BY e.issued DESC LIMIT %s",
                [value, *params, limit],
            )
            return [row[0] for row in cursor.fetchall()]
