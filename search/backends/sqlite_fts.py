"""Embedded search on SQLite: FTS5 tables with the trigram tokenizer over normalised text.

Trigrams find any substring of three characters or more, so a Thai word is found wherever it
stands, inside a compound (ปกครอง in องค์กรปกครองส่วนท้องถิ่น) or across digit scripts (the text
is normalised to Arabic digits on both sides). Shorter terms fall back to LIKE.

Speed at 100,000 circulars comes from these choices:

* The FTS rowid is a recency key (date of issue, then page id), not the page id, so "newest
  first" is the index's own order: FTS5 walks the matches from the newest and stops early. The
  key counts down (the newest circular has the smallest), because FTS5 reads a doclist forwards
  about a third faster than backwards.
* The main table has one column, the four fields joined by newlines (no query holds a newline,
  so no match crosses fields): position lists without column numbers halve phrase-matching time.
* Relevance is the field a query is found in (subject > document number > body > attachments),
  then recency, as issue 4 asks, instead of bm25 over every match. The subject and number tiers
  come from a small second table holding only those two fields; the body/attachment split is
  decided for the few candidates a page shows, on their stored text.
* One pass over the matches, newest first, gives the count, the facets and the candidates at
  once, and stops after `WIAN_SEARCH_COUNT_LIMIT` matches (as Elasticsearch's track_total_hits):
  beyond it the total is reported as "at least" and the facets count the newest matches.
* A query whose terms are all dictionary words or numbers (most terms people type) reads the
  word postings instead (`backends/words.py`): per circular, a token for every dictionary word
  and every number of three to eight digits its texts hold anywhere, in an FTS5 table without
  positions. An AND of two common words is then a merge of two short rowid lists, newest
  first, where the trigram phrases read every position of a dozen common trigrams (the dev
  mixed queries' AND: p50 3.2 ms, p95 9.8 ms through the trigrams; 1.1 and 1.7 ms so).
* A long term is first looked up by a few of its rarest trigrams. FTS5 reads the whole doclist of
  every trigram in a phrase, and Thai phrases are made of common ones (ประ alone holds two
  million positions at 100,000 circulars): "สำนักงานประเทศไทย" read fifteen of them for 45 hits.
  `rare_plan` picks the rarest trigram in each part of the term (their counts kept in a small
  table refreshed after a rebuild) and asks FTS5 for them NEAR each other; when that gives few
  candidates, each is checked on its stored text (so the result is exact), else the full phrase
  runs as before. Stale counts only change which trigrams are read, never a result.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import connection, transaction

from search.backends.base import (
    FIELD_WEIGHTS,
    EntryTableBackend,
    Hit,
    Scope,
    SearchQuery,
    SearchResult,
    count_facets,
    count_limit,
    head_tiers,
    like_anywhere,
    recency_key,
)
from search.backends.plans import PLAN_GRAMS, plan_offsets, plan_pays, trigrams
from search.backends.words import ids_in
from search.documents import IndexDocument

ENTRY = "wian_search_entry"
FTS = "wian_search_fts"
HEAD = "wian_search_head"  # subject and document number only: the top relevance tiers
GRAMS = "wian_search_gram"  # how often each trigram occurs: which trigrams a plan reads
WORDS = "wian_search_words"  # word postings: one token per dictionary word or number held
META = "wian_search_meta"  # the dictionary the word postings were built with
COLUMNS = ("subject", "doc_number", "body", "extra")

SCHEMA = [
    f"""CREATE TABLE IF NOT EXISTS {ENTRY} (
        rowkey INTEGER PRIMARY KEY,
        page_id INTEGER NOT NULL UNIQUE,
        issued INTEGER NOT NULL DEFAULT 0,
        be_year INTEGER,
        unit TEXT NOT NULL DEFAULT '',
        urgency TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL DEFAULT '',
        public INTEGER NOT NULL DEFAULT 0,
        topics TEXT NOT NULL DEFAULT '[]'
    )""",
    # columnsize=0: no per-row token counts (only bm25 reads them, and ranking does not use it).
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(
        text, tokenize='trigram', columnsize=0
    )""",
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {HEAD} USING fts5(
        subject, doc_number, tokenize='trigram', columnsize=0
    )""",
    f"""CREATE TABLE IF NOT EXISTS {GRAMS} (
        gram TEXT PRIMARY KEY, occurrences INTEGER NOT NULL
    ) WITHOUT ROWID""",
    # detail=none: rowids only, no positions (a word's token is the whole word). Contentless:
    # the tokens are not stored (500 MB at 100,000 circulars); a row is deleted by giving
    # FTS5 its tokens again, made anew from the text the trigram table stores.
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {WORDS} USING fts5(
        k, tokenize='ascii', detail=none, columnsize=0, content=''
    )""",
    f"CREATE TABLE IF NOT EXISTS {META} (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
]
DROP = [f"DROP TABLE IF EXISTS {t}" for t in (META, WORDS, GRAMS, HEAD, FTS, ENTRY)]
FTS_TABLES = (FTS, HEAD, WORDS)
# A rare plan checks this many candidates at most on their text (tens of µs each); beyond that
# the full phrase is cheaper.
PLAN_CANDIDATES = 200


def _fts_string(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _joined(doc: IndexDocument) -> str:
    return "\n".join(getattr(doc, column) or "" for column in COLUMNS)


def _token(n: int) -> str:
    """The FTS5 token of id `n` (a number's id is negative; the ascii tokenizer would cut at
    the minus sign)."""
    return f"w{n}" if n >= 0 else f"n{-n}"


def _tokens(joined: str) -> str:
    """The word postings of a circular's fields as `_joined` joins them (no word or number
    runs across the newlines between them). Unlike PostgreSQL's, they need not tell the body
    from the other fields: the relevance tier is read from the head table and the text."""
    return " ".join(map(_token, ids_in(joined)))


def prepare_document(doc: IndexDocument) -> None:
    """Run by a rebuild's worker process, so the process writing the rows only writes them."""
    doc.sqlite_words = _tokens(_joined(doc))  # type: ignore[attr-defined]


def _words_expression(ids: list[int]) -> str:
    return " AND ".join(map(_token, ids))


def _text_clauses(alias: str, terms: list[str], columns: tuple[str, ...]) -> tuple[list, list]:
    """Every term in the FTS table `alias` (its `columns`): one MATCH for the terms of three
    characters or more, LIKE for the shorter ones (trigrams cannot hold them)."""
    table = {"f": FTS, "h": HEAD}[alias]
    long_terms = [t for t in terms if len(t) >= 3]
    clauses, params = [], []
    if long_terms:
        clauses.append(f"{table} MATCH %s")
        params.append(" AND ".join(_fts_string(t) for t in long_terms))
    for term in (t for t in terms if len(t) < 3):
        clauses.append("(" + " OR ".join(f"{alias}.{c} LIKE %s ESCAPE '\\'" for c in columns) + ")")
        params.extend([like_anywhere(term)] * len(columns))
    return clauses, params


def rare_plan(term: str, occurrences: dict[str, int]) -> str:
    """An FTS5 expression every row holding `term` matches: its plan's trigrams NEAR each other
    as in the term."""
    picked = plan_offsets(term, occurrences)
    phrases = " ".join(_fts_string(term[i : i + 3]) for i in picked)
    if len(picked) == 1:
        return phrases
    # NEAR's distance counts the tokens between the first phrase and the last one.
    return f"NEAR({phrases}, {picked[-1] - picked[0] - 1})"


class SQLiteFTSBackend(EntryTableBackend):
    name = "sqlite-fts5"
    prepare_document = staticmethod(prepare_document)
    public_sql = "e.public = 1"
    topic_sql = "EXISTS (SELECT 1 FROM json_each(e.topics) t WHERE t.value = %s)"

    def _among(self, page_ids: list[int]) -> tuple[str, list]:
        return f"e.page_id IN ({','.join(['%s'] * len(page_ids))})", page_ids

    def ensure_schema(self) -> None:
        with connection.cursor() as cursor:
            for statement in SCHEMA:
                cursor.execute(statement)
            self._record_dictionary(cursor)

    # -- writing ---------------------------------------------------------------------------

    def _forget(self, cursor, page_ids: list[int]) -> None:
        for start in range(0, len(page_ids), 500):
            chunk = page_ids[start : start + 500]
            marks = ",".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT rowkey FROM {ENTRY} WHERE page_id IN ({marks})", chunk)
            keys = [row[0] for row in cursor.fetchall()]
            if keys:
                cursor.executemany(
                    f"INSERT INTO {WORDS} ({WORDS}, rowid, k) VALUES ('delete', %s, %s)",
                    [(key, _tokens(text)) for key, text in self._texts(cursor, keys).items()],
                )
                key_marks = ",".join(["%s"] * len(keys))
                for table in (FTS, HEAD):
                    cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({key_marks})", keys)
            cursor.execute(f"DELETE FROM {ENTRY} WHERE page_id IN ({marks})", chunk)

    def index(self, documents: Iterable[IndexDocument]) -> int:
        # In rowid order: FTS5 writes its pending postings out as a new segment whenever a rowid
        # is smaller than the one before (every other circular of a rebuild in page order;
        # loading pages in rowid order instead reads the database at random: slower).
        docs = sorted(documents, key=recency_key)
        if not docs:
            return 0
        with transaction.atomic(), connection.cursor() as cursor:
            self._forget(cursor, [d.page_id for d in docs])
            cursor.executemany(
                f"INSERT INTO {FTS} (rowid, text) VALUES (%s, %s)",
                [(recency_key(d), _joined(d)) for d in docs],
            )
            cursor.executemany(
                f"INSERT INTO {HEAD} (rowid, subject, doc_number) VALUES (%s, %s, %s)",
                [(recency_key(d), d.subject, d.doc_number) for d in docs],
            )
            cursor.executemany(
                f"INSERT INTO {WORDS} (rowid, k) VALUES (%s, %s)",
                [
                    (recency_key(d), getattr(d, "sqlite_words", None) or _tokens(_joined(d)))
                    for d in docs
                ],
            )
            cursor.executemany(
                f"INSERT INTO {ENTRY} "
                "(page_id, rowkey, issued, be_year, unit, urgency, state, public, topics) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (
                        d.page_id,
                        recency_key(d),
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

    bulk_batch = 2000  # documents per transaction in a rebuild

    bulk_hash_bytes = 256 * 1024 * 1024
    default_hash_bytes = 1024 * 1024  # FTS5's own

    def begin_bulk(self) -> None:
        """Before a rebuild: no merging of segments while writing (`optimize` merges them all
        once at the end): about a fifth faster; and a transaction's new postings are kept in
        memory until it commits (FTS5 otherwise writes a segment out every megabyte)."""
        with connection.cursor() as cursor:
            for table in FTS_TABLES:
                cursor.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', 0)")
                cursor.execute(
                    f"INSERT INTO {table} ({table}, rank) VALUES ('hashsize', %s)",
                    [self.bulk_hash_bytes],
                )

    def optimize(self) -> None:
        """Merge each FTS table's segments into one: after a bulk rebuild, queries read one
        b-tree per trigram instead of dozens (a third faster at 100,000 circulars). Then
        incremental merging is back on (FTS5's default) for the updates that follow, and the
        trigram counts the query plans use are taken anew."""
        with connection.cursor() as cursor:
            for table in FTS_TABLES:
                cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
                cursor.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', 4)")
                cursor.execute(
                    f"INSERT INTO {table} ({table}, rank) VALUES ('hashsize', %s)",
                    [self.default_hash_bytes],
                )
        self.count_grams()

    def count_grams(self) -> None:
        """Refresh the trigram counts (`search_index rebuild` does; about 7 s at 100,000)."""
        vocabulary = "temp.wian_search_vocab"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {vocabulary} USING fts5vocab(main, {FTS}, row)"
            )
            cursor.execute(f"DELETE FROM {GRAMS}")
            cursor.execute(
                f"INSERT INTO {GRAMS} (gram, occurrences) SELECT term, cnt FROM {vocabulary}"
            )
            cursor.execute(f"DROP TABLE {vocabulary}")

    def delete(self, page_ids: Iterable[int]) -> None:
        ids = list(page_ids)
        if ids:
            with connection.cursor() as cursor:
                self._forget(cursor, ids)

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

    def _matches(self, terms: list[str], query: SearchQuery, limit: int | None):
        """(page_id, rowkey, be_year, unit, urgency, state, topics) of the matches, newest
        first, at most `limit` of them: from the word postings when every term is a dictionary
        word or a number, else from the trigrams."""
        ids = self._dictionary_ids(terms)
        if ids is not None:
            table, text, text_params = WORDS, [f"{WORDS} MATCH %s"], [_words_expression(ids)]
        else:
            table = FTS
            text, text_params = _text_clauses("f", terms, ("text",))
        scope, scope_params = self._entry_clauses(query)
        sql = (
            f"SELECT e.page_id, f.rowid, e.be_year, e.unit, e.urgency, e.state, e.topics "
            f"FROM {table} f JOIN {ENTRY} e ON e.rowkey = f.rowid "
            f"WHERE {' AND '.join(text + scope)} ORDER BY f.rowid"
        )
        params = [*text_params, *scope_params]
        if limit is not None:
            sql += " LIMIT %s"
            params.append(limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _occurrences(self, terms: list[str]) -> dict[str, int]:
        grams = trigrams(terms)
        if not grams:
            return {}
        marks = ",".join(["%s"] * len(grams))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT gram, occurrences FROM {GRAMS} WHERE gram IN ({marks})", grams)
            return dict(cursor.fetchall())

    def _rare_matches(self, terms: list[str], query: SearchQuery):
        """Every match, newest first, with its stored text, found through `rare_plan`: or None
        when the word postings answer, no term is long enough for a plan to pay, or the plan
        gives too many candidates."""
        if self._dictionary_ids(terms) is not None:
            return None
        planned = [t for t in terms if len(t) >= 3 + PLAN_GRAMS - 1]
        if not planned:
            return None
        occurrences = self._occurrences(planned)
        planned = [t for t in planned if plan_pays(t, occurrences)]
        if not planned:
            return None
        rest = [t for t in terms if t not in planned]
        expression = " AND ".join(
            [
                *(rare_plan(t, occurrences) for t in planned),
                *(_fts_string(t) for t in rest if len(t) >= 3),
            ]
        )
        short, short_params = _text_clauses("f", [t for t in rest if len(t) < 3], ("text",))
        scope, scope_params = self._entry_clauses(query)
        sql = (
            f"SELECT e.page_id, f.rowid, e.be_year, e.unit, e.urgency, e.state, e.topics "
            f"FROM {FTS} f JOIN {ENTRY} e ON e.rowkey = f.rowid "
            f"WHERE {' AND '.join([f'{FTS} MATCH %s', *short, *scope])} "
            "ORDER BY f.rowid LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression, *short_params, *scope_params, PLAN_CANDIDATES + 1])
            rows = cursor.fetchall()
            if len(rows) > PLAN_CANDIDATES:
                return None
            texts = self._texts(cursor, [row[1] for row in rows])
        return [(*row, texts[row[1]]) for row in rows if all(t in texts[row[1]] for t in planned)]

    @staticmethod
    def _texts(cursor, keys: list[int]) -> dict[int, str]:
        """The stored texts of these rows, read from the FTS table's content shadow table
        (`<table>_content`, one column c<n> per indexed column: FTS5's documented layout): a
        `rowid IN (...)` on the FTS table itself took about 0.5 ms a row at 100,000, this tens
        of µs."""
        if not keys:
            return {}
        marks = ",".join(["%s"] * len(keys))
        cursor.execute(f"SELECT id, c0 FROM {FTS}_content WHERE id IN ({marks})", keys)
        return dict(cursor.fetchall())

    def _ranked_texts(self, terms: list[str], query: SearchQuery, rows) -> list[Hit]:
        """The asked page in relevance order when every match's text is at hand."""
        tiered = []
        for page_id, key, *_facets, text in rows:
            # COLUMNS is both the order of the joined fields and the order of the tiers.
            for name, field in zip(COLUMNS, text.split("\n"), strict=False):
                if name == "extra" or all(t in field for t in terms):
                    tiered.append((-FIELD_WEIGHTS[name], key, page_id, FIELD_WEIGHTS[name]))
                    break
        tiered.sort()
        wanted = query.offset + query.limit
        return [Hit(page_id=p, score=w) for *_k, p, w in tiered[query.offset : wanted]]

    def _head_tiers(self, terms: list[str], query: SearchQuery, wanted: int):
        """Page ids whose subject holds every term, and those whose number does, newest first:
        subject ones until `wanted` (an older subject hit outranks every number hit), then the
        number ones found on the way, all of them when the subject ones are fewer."""
        text, text_params = _text_clauses("h", terms, ("subject", "doc_number"))
        scope, scope_params = self._entry_clauses(query)
        sql = (
            f"SELECT e.page_id, h.subject, h.doc_number FROM {HEAD} h "
            f"JOIN {ENTRY} e ON e.rowkey = h.rowid WHERE {' AND '.join(text + scope)} "
            "ORDER BY h.rowid LIMIT %s OFFSET %s"
        )

        def fetch(limit: int, offset: int) -> list:
            with connection.cursor() as cursor:
                cursor.execute(sql, [*text_params, *scope_params, limit, offset])
                return cursor.fetchall()

        return head_tiers(fetch, terms, wanted, max(wanted, 20))

    def _body_or_extra(self, terms: list[str], keys: list[int]) -> set[int]:
        """Which of these rows hold every term in the body (on their stored text)."""
        with connection.cursor() as cursor:
            texts = self._texts(cursor, keys)
        body_at = COLUMNS.index("body")
        found = set()
        for key, text in texts.items():
            body = text.split("\n")[body_at]
            if all(t in body for t in terms):
                found.add(key)
        return found

    def _ranked(self, terms, query, rows, complete: bool) -> list[Hit]:
        """The asked page in relevance order: subject, number, body, attachments; newer first."""
        wanted = query.offset + query.limit
        subject, number = self._head_tiers(terms, query, wanted)
        tiers: list[tuple[float, list[int]]] = [
            (FIELD_WEIGHTS["subject"], subject),
            (FIELD_WEIGHTS["doc_number"], number),
        ]
        seen = {*subject, *number}
        if not complete and wanted > len(rows):
            rows, complete = self._matches(terms, query, None), True
        while True:
            rest = [(page_id, key) for page_id, key, *_ in rows if page_id not in seen]
            body, extra, start = [], [], 0
            while start < len(rest) and len(seen) + len(body) < wanted:
                # First the rows still wanted (and a few in case some hold a term only in an
                # attachment): each text read costs tens of µs.
                needed = wanted - len(seen) - len(body)
                size = needed + 4 if start == 0 else max(2 * query.limit, 20)
                batch = rest[start : start + size]
                start += len(batch)
                in_body = self._body_or_extra(terms, [key for _, key in batch])
                for page_id, key in batch:
                    (body if key in in_body else extra).append(page_id)
            if start < len(rest) or complete:
                break
            # The newest matches ran out before the page filled: walk all of them.
            rows, complete = self._matches(terms, query, None), True
        tiers.append((FIELD_WEIGHTS["body"], body))
        if start >= len(rest):  # every match classified: attachments-only ones come last
            tiers.append((FIELD_WEIGHTS["extra"], extra))
        ordered = [Hit(page_id=i, score=weight) for weight, ids in tiers for i in ids]
        return ordered[query.offset : wanted]

    def _run(self, terms: list[str], query: SearchQuery) -> SearchResult:
        rare = self._rare_matches(terms, query)
        if rare is not None and len(rare) <= count_limit():
            return self._result(terms, query, rare)
        return super()._run(terms, query)

    def _result(self, terms, query: SearchQuery, rows) -> SearchResult:
        """The result from every match and its text (a rare plan's exact, complete matches)."""
        if query.sort == "date":
            page = rows[query.offset : query.offset + query.limit]
            hits = [Hit(page_id=row[0], score=0.0) for row in page]
        else:
            hits = self._ranked_texts(terms, query, rows)
        result = SearchResult(hits=hits, total=len(rows))
        if query.facets and rows:
            result.facets = self._facets(row[:7] for row in rows)
        return result

    @staticmethod
    def _facets(rows) -> dict[str, list[tuple[str, int]]]:
        # Most circulars have no topic: parsing "[]" a thousand times cost a millisecond.
        return count_facets(
            (be_year, unit, urgency, state, json.loads(topics) if topics != "[]" else ())
            for _page, _key, be_year, unit, urgency, state, topics in rows
        )

    def suggest(self, prefix: str, scope: Scope, limit: int = 8) -> list[int]:
        from search.analysis import normalize

        terms = [normalize(prefix)]
        if len(terms[0]) < 2:
            return []
        query = SearchQuery(parsed=None, scope=scope)  # type: ignore[arg-type]
        text, text_params = _text_clauses("h", terms, ("subject",))
        scope_clauses, scope_params = self._entry_clauses(query)
        if len(terms[0]) >= 3:  # the MATCH looked in both columns; the subject must hold it
            text.append("h.subject LIKE %s ESCAPE '\\'")
            text_params.append(like_anywhere(terms[0]))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.page_id FROM {HEAD} h JOIN {ENTRY} e ON e.rowkey = h.rowid "
                f"WHERE {' AND '.join(text + scope_clauses)} ORDER BY h.rowid LIMIT %s",
                [*text_params, *scope_params, limit],
            )
            return [row[0] for row in cursor.fetchall()]
