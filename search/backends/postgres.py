"""Embedded search on PostgreSQL: postings for dictionary words and numbers; for every other term,
texts cut into short chunks under a pg_trgm GIN index. Both match exact substrings.

The semantics are the SQLite FTS5-trigram backend's: a term is found when the normalised text
contains it as a substring (ปกครอง inside องค์กรปกครองส่วนท้องถิ่น, 2564 in a text printed with
๒๕๖๔, since both sides are normalised to Arabic digits), and the hits are ranked by the field
holding the terms (subject > document number > body > attachments), then newest first.

Speed at 100,000 circulars comes from these choices:

* A query whose terms are all dictionary words or numbers (most terms people type) reads the
  word postings: per circular, the ids of every dictionary word and every number of three to
  eight digits its texts hold anywhere (`backends/words.py`), in an integer array under a GIN
  index. An AND of two common words is then an intersection of posting lists inside the index,
  with no text to recheck (through the chunks it cost 90 ms at the median of the dev mixed
  queries; now a few; the number 140, 10 ms, now 3; the year 2566, in most circulars, 28 ms,
  now 9: the index hands over every circular holding it, and the newest thousand are counted).
* Each field is cut into chunks of at most CHUNK_CHARS characters that overlap by
  CHUNK_OVERLAP, so any term up to MAX_TERM characters lies whole inside one chunk. A chunk stays
  under PostgreSQL's 2 kB TOAST threshold: checking it is a `strpos` on an uncompressed row
  (about a microsecond), where a whole circular was a detoasted 10 kB. And trigrams that must
  lie within one chunk select far fewer candidates than trigrams anywhere in a circular.
* The GIN index is asked only for a few rare trigrams of each term (`plan_offsets`, with counts
  sampled after a rebuild), as the pieces of one LIKE pattern: pg_trgm would otherwise read the
  posting list of every trigram of the term, and Thai terms are made of common ones. `strpos`
  decides.
* Each chunk row carries its field, so one pass gives, per circular, the fields holding each
  term: the relevance tier comes with the match.
* In an AND query the term whose plan reads the fewest chunks drives; every other term is
  looked for only in the chunks of the circulars found. (Also reading the candidates of a term
  up to 3x commoner was slower on the 100 dev mixed queries at 100,000 circulars: p50 107 ms
  against 92, p90 332 against 242.)

pg_trgm makes trigrams only inside "words", runs of characters that the database's LC_CTYPE calls
alphanumeric. Under C.UTF-8 (glibc) Thai consonants and vowels are, but the tone marks, ็ and ์
are not, nor are spaces and punctuation: ท้องถิ่น would be cut into ท / องถิ / น. So the stored key
swaps every Thai character and those others with a caseless two-byte letter (Arabic, Syriac), and
every pattern gets the same swap. A swap is a bijection on characters, so a swapped term is in
a swapped text exactly when the term is in the text. (A database whose LC_CTYPE is plain "C" has
no non-ASCII word characters at all: searches stay right but read every row.)

Measured and left (100,000 circulars): storing the chunks sorted by row key, so that a read could
stop at the newest WIAN_SEARCH_COUNT_LIMIT matches, made queries slower (p50 14 ms, p95 340 ms):
checking a candidate chunk costs 4-6 µs, so the newest thousand circulars of a common word still
cost 10-30 ms, and an AND of two common words with few circulars in common reads every candidate
either way. (An INSERT ... ORDER BY does not keep a heap in order: it refills earlier pages; a
CREATE TABLE AS does.) Chunks of 1,800 characters (stored PLAIN, still uncompressed) cut the
trigram index build by only 8% (157 s against 2 x 85 s); maintenance_work_mem of 512 MB instead
of 64 MB did not speed the build at all.
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache, partial
from itertools import islice

from django.db import DatabaseError, connection, transaction

from search.analysis import normalize
from search.backends.base import (
    FIELD_WEIGHTS,
    EntryTableBackend,
    Hit,
    Scope,
    SearchQuery,
    count_facets,
    head_tiers,
    like_anywhere,
    like_escaped,
    recency_key,
)
from search.backends.plans import plan_offsets, trigrams
from search.backends.words import ids_in, numbers_in, other_text, vocabulary, words_in
from search.documents import IndexDocument

logger = logging.getLogger(__name__)

ENTRY = "wian_search_entry"
CHUNK = "wian_search_chunk"
GRAMS = "wian_search_gram"
META = "wian_search_meta"
# The fields in relevance order: a chunk's `field` is the index here, its bit 1 << field.
COLUMNS = ("subject", "doc_number", "body", "extra")
TIER_WEIGHTS = [FIELD_WEIGHTS[name] for name in COLUMNS]
# At most 600 characters (1,800 bytes in UTF-8): a row stays under the 2 kB TOAST threshold.
CHUNK_CHARS = 600
CHUNK_OVERLAP = 32  # 64 stored and indexed 12% of a long text twice; 32, 6%
MAX_TERM = CHUNK_OVERLAP + 1  # a longer term is looked up by its head, then checked whole
CHUNK_PARTITIONS = 2
GRAM_SAMPLE = 40_000  # chunks whose trigrams are counted after a rebuild
GRAM_CACHE_SECONDS = 600.0

# The whole Thai block (tone marks, ็, ์ and ๎ are not word characters to pg_trgm under C.UTF-8),
# the space, ASCII punctuation, and punctuation common in Thai texts. Each swaps with a letter
# that is a word character to glibc, has no case (pg_trgm lowercases) and takes two bytes in
# UTF-8 where Thai takes three: every chunk is a third shorter to store and to scan.
_PUNCTUATION = "\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2022"  # outside ASCII
_SWAPPED = (
    "".join(chr(c) for c in range(0x0E00, 0x0E80))
    + " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
    + _PUNCTUATION
)
# Arabic and Syriac letters, caseless (a Thai circular holds none; if one did, the swap being a
# bijection keeps every match exact).
_LETTER_RANGES = (
    (0x0621, 0x063F),
    (0x0641, 0x064A),
    (0x066E, 0x066F),
    (0x0671, 0x06D3),
    (0x06D5, 0x06D5),
    (0x06EE, 0x06EF),
    (0x06FA, 0x06FC),
    (0x06FF, 0x06FF),
    (0x0710, 0x0710),
    (0x0712, 0x0724),
)
_PARTNERS = "".join(chr(c) for low, high in _LETTER_RANGES for c in range(low, high + 1))
assert len(_PARTNERS) == len(_SWAPPED)
_SWAP = str.maketrans(_SWAPPED + _PARTNERS, _PARTNERS + _SWAPPED)


# str.translate looks every character of a Thai text up in a dict (about 80 ns each). Text of
# ASCII and the Thai block is swapped with byte operations instead: in UTF-16 such a character
# is a low byte under 0x80 and a high byte of 0x00 or 0x0E, so one byte (the low one, plus 0x80
# for Thai) names it, and two `bytes.translate` give the two bytes of its swapped character.
# The punctuation outside ASCII first takes the place of code points the Thai block leaves
# unassigned (a text holding one of those takes the slow way).
_STAND_INS = "".join(chr(0x0E5C + n) for n in range(len(_PUNCTUATION)))
_CODES = [*range(0x80), *range(0x0E00, 0x0E80)]  # the character of each one-byte code
_SWAP_STOOD_IN = {
    **_SWAP,
    **{ord(s): _SWAP[ord(p)] for s, p in zip(_STAND_INS, _PUNCTUATION, strict=True)},
}
_OUT = [_SWAP_STOOD_IN.get(code, code) for code in _CODES]
_OUT_LOW = bytes(o & 0xFF for o in _OUT)
_OUT_HIGH = bytes(o >> 8 for o in _OUT)
_THAI_BIT = bytes(0x80 if b == 0x0E else 0 for b in range(256))


def swapped(text: str) -> str:
    """The text as the index stores it (the swap is its own inverse)."""
    if any(stand_in in text for stand_in in _STAND_INS):
        return text.translate(_SWAP)
    for mark, stand_in in zip(_PUNCTUATION, _STAND_INS, strict=True):
        text = text.replace(mark, stand_in)
    raw = text.encode("utf-16-le")
    low, high = raw[0::2], raw[1::2]
    if high.translate(None, b"\x00\x0e") or not low.isascii():
        return text.translate(_SWAP_STOOD_IN)
    size = len(low)
    codes = int.from_bytes(low, "little") | int.from_bytes(high.translate(_THAI_BIT), "little")
    codes_bytes = codes.to_bytes(size, "little")
    out = bytearray(2 * size)
    out[0::2] = codes_bytes.translate(_OUT_LOW)
    out[1::2] = codes_bytes.translate(_OUT_HIGH)
    return out.decode("utf-16-le")


def chunks(text: str) -> list[str]:
    """`text` cut into pieces of at most CHUNK_CHARS characters, each overlapping the next by
    CHUNK_OVERLAP: every substring of up to MAX_TERM characters lies whole inside one piece."""
    if len(text) <= CHUNK_CHARS:
        return [text] if text else []
    step = CHUNK_CHARS - CHUNK_OVERLAP
    return [text[i : i + CHUNK_CHARS] for i in range(0, len(text) - CHUNK_OVERLAP, step)]


def joined(pieces: list[str]) -> str:
    """The text `chunks` cut."""
    if not pieces:
        return ""
    return pieces[0] + "".join(piece[CHUNK_OVERLAP:] for piece in pieces[1:])


def tier(every: int) -> int:
    """The relevance tier from the bits of the fields holding every term: the first field that
    does, else the attachments' (terms split between fields rank with attachments)."""
    for field in range(len(COLUMNS) - 1):
        if every & (1 << field):
            return field
    return len(COLUMNS) - 1


TIER_OF = [tier(every) for every in range(1 << len(COLUMNS))]


SCHEMA = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"""CREATE TABLE IF NOT EXISTS {ENTRY} (
        page_id bigint PRIMARY KEY,
        rowkey bigint NOT NULL UNIQUE,
        issued integer NOT NULL DEFAULT 0,
        be_year integer,
        unit text NOT NULL DEFAULT '',
        urgency text NOT NULL DEFAULT '',
        state text NOT NULL DEFAULT '',
        public boolean NOT NULL DEFAULT false,
        topics text[] NOT NULL DEFAULT '{{}}',
        subject text NOT NULL DEFAULT '',
        doc_number text NOT NULL DEFAULT '',
        head_key text NOT NULL DEFAULT '',
        words integer[] NOT NULL DEFAULT '{{}}'
    )""",
    # The word keys (a few kB) go out of line uncompressed: a scan of matching rows reads
    # narrow rows, and writing them spends nothing on compressing integers. (A lower
    # toast_tuple_target would move the subject out too, and strpos would fetch it back.)
    f"ALTER TABLE {ENTRY} ALTER COLUMN words SET STORAGE EXTERNAL",
    # Hash partitions: a rebuild builds their indexes side by side, one core each (PostgreSQL
    # 15 builds a GIN index on one core, and that build is most of a rebuild's time).
    f"""CREATE TABLE IF NOT EXISTS {CHUNK} (
        rowkey bigint NOT NULL,
        field smallint NOT NULL,
        part smallint NOT NULL,
        key text NOT NULL
    ) PARTITION BY HASH (rowkey)""",
    *(
        f"CREATE TABLE IF NOT EXISTS {CHUNK}_{n} PARTITION OF {CHUNK} "
        f"FOR VALUES WITH (MODULUS {CHUNK_PARTITIONS}, REMAINDER {n})"
        for n in range(CHUNK_PARTITIONS)
    ),
    f"""CREATE TABLE IF NOT EXISTS {GRAMS} (gram text PRIMARY KEY, chunks integer NOT NULL)""",
    f"""CREATE TABLE IF NOT EXISTS {META} (name text PRIMARY KEY, value text NOT NULL)""",
]
# Per partition: what each builds.
PARTITION_INDEXES = [
    [
        f"CREATE INDEX IF NOT EXISTS {CHUNK}_{n}_rowkey ON {CHUNK}_{n} (rowkey)",
        f"CREATE INDEX IF NOT EXISTS {CHUNK}_{n}_key_trgm ON {CHUNK}_{n} "
        "USING gin (key gin_trgm_ops)",
    ]
    for n in range(CHUNK_PARTITIONS)
]
HEAD_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {ENTRY}_head_trgm ON {ENTRY} USING gin (head_key gin_trgm_ops)"
)
WORDS_INDEX = f"CREATE INDEX IF NOT EXISTS {ENTRY}_words ON {ENTRY} USING gin (words)"
INDEXES = [*(s for statements in PARTITION_INDEXES for s in statements), HEAD_INDEX, WORDS_INDEX]
GIN_INDEXES = (
    *(f"{CHUNK}_{n}_key_trgm" for n in range(CHUNK_PARTITIONS)),
    f"{ENTRY}_head_trgm",
    f"{ENTRY}_words",
)
DROP = [f"DROP TABLE IF EXISTS {t}" for t in (META, GRAMS, CHUNK, ENTRY)]  # pg_trgm stays


def word_keys(doc: IndexDocument) -> list[int]:
    """The keys of the dictionary words and numbers in a circular: 2 * id for one in the body,
    2 * id + 1 for one in the subject, the number or the attachments (one in both has both)."""
    body, other = ids_in(doc.body or ""), ids_in(other_text(doc))
    return sorted({2 * n for n in body} | {2 * n + 1 for n in other})


@lru_cache(maxsize=1)
def _key_texts() -> tuple[list[str], list[str]]:
    """Each word id's body key and other key, written out once (forked workers share them)."""
    ids = range(len(vocabulary()))
    return [str(2 * n) for n in ids], [str(2 * n + 1) for n in ids]


def word_array(doc: IndexDocument) -> str:
    """`word_keys` (in no order) as an array literal: COPY parses it faster than psycopg dumps
    a list."""
    body, other = _key_texts()
    body_text, others = doc.body or "", other_text(doc)
    return (
        "{"
        + ",".join(
            [
                *map(body.__getitem__, words_in(body_text)),
                *map(other.__getitem__, words_in(others)),
                *(str(2 * n) for n in numbers_in(body_text)),
                *(str(2 * n + 1) for n in numbers_in(others)),
            ]
        )
        + "}"
    )


def _copy_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def chunk_lines(doc: IndexDocument) -> str:
    """The circular's chunk rows, in COPY's text format."""
    key = recency_key(doc)
    # Swapped whole, then cut: the swap works character by character.
    return "".join(
        f"{key}\t{field}\t{part}\t{_copy_escaped(piece)}\n"
        for field, name in enumerate(COLUMNS)
        for part, piece in enumerate(chunks(swapped(getattr(doc, name) or "")))
    )


def prepare_document(doc: IndexDocument) -> None:
    """Run by a rebuild's worker processes, so the process writing the rows only copies them:
    the word keys and the chunk rows."""
    doc.postgres_rows = (word_array(doc), chunk_lines(doc))  # type: ignore[attr-defined]


def _execute(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _apart(job) -> None:
    """A job of a rebuild's last step, on a connection of this thread's own, closed after."""
    try:
        job()
    finally:
        connection.close()


class PostgresBackend(EntryTableBackend):
    name = "postgres-trgm"
    prepare_document = staticmethod(prepare_document)

    def ensure_schema(self) -> None:
        with connection.cursor() as cursor:
            for statement in SCHEMA + INDEXES:
                cursor.execute(statement)
            self._record_dictionary(cursor)

    def drop_schema(self) -> None:
        with connection.cursor() as cursor:
            for statement in DROP:
                cursor.execute(statement)

    # -- writing ---------------------------------------------------------------------------

    def index(self, documents: Iterable[IndexDocument]) -> int:
        docs = sorted(documents, key=recency_key)
        if not docs:
            return 0
        entries, lines = [], []
        for d in docs:
            key = recency_key(d)
            words, chunk_rows = getattr(d, "postgres_rows", None) or (word_array(d), chunk_lines(d))
            lines.append(chunk_rows)
            entries.append(
                (
                    d.page_id,
                    key,
                    d.recency,
                    d.be_year,
                    d.unit or "",
                    d.urgency or "",
                    d.state or "",
                    bool(d.public),
                    list(d.topics),
                    d.subject or "",
                    d.doc_number or "",
                    swapped(f"{d.subject or ''}\n{d.doc_number or ''}"),
                    words,
                )
            )
        with transaction.atomic(), connection.cursor() as cursor:
            self._forget(cursor, [d.page_id for d in docs])
            raw = cursor.cursor
            with raw.copy(
                f"COPY {ENTRY} (page_id, rowkey, issued, be_year, unit, urgency, state, public, "
                "topics, subject, doc_number, head_key, words) FROM STDIN"
            ) as copy:
                for row in entries:
                    copy.write_row(row)
            with raw.copy(f"COPY {CHUNK} (rowkey, field, part, key) FROM STDIN") as copy:
                copy.write("".join(lines))
            if not self._bulk:
                self._merge_pending(cursor)
        return len(docs)

    @staticmethod
    def _forget(cursor, page_ids: list[int]) -> None:
        cursor.execute(
            f"DELETE FROM {ENTRY} WHERE page_id = ANY(%s::bigint[]) RETURNING rowkey", [page_ids]
        )
        keys = [row[0] for row in cursor.fetchall()]
        if keys:
            cursor.execute(f"DELETE FROM {CHUNK} WHERE rowkey = ANY(%s::bigint[])", [keys])

    @staticmethod
    def _merge_pending(cursor) -> None:
        """New entries wait in the GIN indexes' pending lists (fastupdate), which every search
        reads through in full; merge them now, in bulk. Only the table's owner may: another
        role leaves the merging to autovacuum."""
        for index_name in GIN_INDEXES:
            try:
                with transaction.atomic():
                    cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index_name])
            except DatabaseError:
                logger.info("cannot merge the pending list of %s", index_name, exc_info=True)
                return

    _bulk = False
    bulk_batch = 2000  # documents per transaction in a rebuild

    @property
    def bulk_workers(self) -> int:
        """Processes building documents in a rebuild: one per core. This process only cuts
        and copies rows (100,000 circulars: 557/s with two workers on two cores, 451/s with
        one)."""
        return max(1, min(4, os.cpu_count() or 1))

    def begin_bulk(self) -> None:
        """Before a rebuild (into an empty index): the indexes go, and `optimize` builds them
        once at the end, several times faster than keeping them current row by row."""
        self._bulk = True
        words_in("warm up")  # the workers forked next inherit the automaton and the keys
        _key_texts()
        with connection.cursor() as cursor:
            for statement in INDEXES:
                name = statement.split(" IF NOT EXISTS ")[1].split(" ")[0]
                cursor.execute(f"DROP INDEX IF EXISTS {name}")

    def optimize(self) -> None:
        """After a rebuild: the indexes built anew, the planner's statistics and the trigram
        counts taken."""
        self._bulk = False
        # Beside the partitions' builds: the entry table's indexes, the statistics and the
        # trigram counts (seconds of work that would otherwise wait for the longest build).
        jobs = [
            *(partial(_execute, statements) for statements in PARTITION_INDEXES),
            partial(_execute, [HEAD_INDEX, WORDS_INDEX, f"ANALYZE {ENTRY}", f"ANALYZE {CHUNK}"]),
            self.count_grams,
        ]
        if connection.in_atomic_block:  # other connections would not see the rows
            for job in jobs:
                job()
        else:
            with ThreadPoolExecutor(len(jobs)) as pool:
                list(pool.map(_apart, jobs))

    def count_grams(self) -> None:
        """How many chunks hold each trigram, from a sample of GRAM_SAMPLE chunks, scaled to the
        table: enough to tell a rare trigram from a common one (about 2 s)."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {CHUNK}")
            total = cursor.fetchone()[0]
            if total > GRAM_SAMPLE:
                percent = 100.0 * GRAM_SAMPLE / total
                cursor.execute(f"SELECT key FROM {CHUNK} TABLESAMPLE SYSTEM (%s)", [percent])
            else:
                cursor.execute(f"SELECT key FROM {CHUNK}")
            keys = [row[0] for row in cursor.fetchall()]
            counts: Counter = Counter()
            for key in keys:
                text = swapped(key)
                counts.update({text[i : i + 3] for i in range(len(text) - 2)})
            self._gram_cache = None
            scale = total / len(keys) if keys else 1
            cursor.execute(f"TRUNCATE {GRAMS}")
            with cursor.cursor.copy(f"COPY {GRAMS} (gram, chunks) FROM STDIN") as copy:
                for gram, n in counts.items():
                    copy.write_row((gram, round(n * scale)))

    def delete(self, page_ids: Iterable[int]) -> None:
        ids = [int(i) for i in page_ids]
        if ids:
            with connection.cursor() as cursor:
                self._forget(cursor, ids)

    def clear(self) -> None:
        self._bulk = False
        self._gram_cache = None
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s), to_regclass(%s)", [ENTRY, CHUNK])
            exists = all(name is not None for name in cursor.fetchone())
            if exists:
                cursor.execute(f"TRUNCATE {ENTRY}, {CHUNK}, {GRAMS}")
                cursor.execute(f"DROP TABLE IF EXISTS {META}")
        self.ensure_schema()

    def size_bytes(self) -> int | None:
        with connection.cursor() as cursor:
            cursor.execute(
                # pg_partition_tree gives nothing for a table that is not partitioned.
                "SELECT sum(pg_total_relation_size(r.relid)) FROM unnest(%s::text[]) t, "
                "LATERAL (SELECT to_regclass(t) AS relid UNION "
                "SELECT relid FROM pg_partition_tree(to_regclass(t))) r",
                [[ENTRY, CHUNK, GRAMS, META]],
            )
            size = cursor.fetchone()[0]
            return None if size is None else int(size)

    # -- reading ---------------------------------------------------------------------------

    _gram_cache: dict[str, int | None] | None = None
    _gram_cache_since = 0.0

    def _occurrences(self, terms: list[str]) -> dict[str, int]:
        """The trigram counts of the terms, remembered for GRAM_CACHE_SECONDS: they change only
        with a rebuild, and stale counts change a plan's speed, never its results."""
        grams = trigrams(terms)
        if not grams:
            return {}
        now = time.monotonic()
        cache = self._gram_cache
        if cache is None or now - self._gram_cache_since > GRAM_CACHE_SECONDS or len(cache) > 10**5:
            cache = self._gram_cache = {}
            self._gram_cache_since = now
        missing = [g for g in grams if g not in cache]
        if missing:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT gram, chunks FROM {GRAMS} WHERE gram = ANY(%s::text[])", [missing]
                )
                found = dict(cursor.fetchall())
            cache.update({g: found.get(g) for g in missing})
        return {g: cache[g] for g in grams if cache[g] is not None}

    @staticmethod
    def _candidates(head: str, occurrences: dict[str, int], column="c.key") -> tuple[str, list]:
        """Chunks that may hold `head`: one LIKE with its plan's trigrams in order, '%' between.
        pg_trgm reads every trigram of each piece, so two planned trigrams that overlap in the
        term make one piece only when the trigrams between them are about as rare as they are
        (digits: all alike); otherwise only the rarer of the two is kept (common trigrams
        between two rare ones would cost more to read than the candidates they save). The
        recheck is one pass over the chunk; strpos then decides."""
        offsets = plan_offsets(head, occurrences)

        def count(offset: int) -> int:
            return occurrences.get(head[offset : offset + 3], 0)

        pieces: list[list[int]] = []  # [start, end, offset of the piece's last trigram]
        for offset in offsets:
            if not pieces or offset >= pieces[-1][1]:
                pieces.append([offset, offset + 3, offset])
                continue
            last = pieces[-1]
            between = [count(o) for o in range(last[2] + 1, offset) if o not in offsets]
            if max(between, default=0) <= 2 * max(count(last[2]), count(offset)):
                last[1], last[2] = offset + 3, offset
            elif last[1] - last[0] == 3 and count(offset) < count(last[0]):
                pieces[-1] = [offset, offset + 3, offset]
        pattern = "%".join(like_escaped(swapped(head[a:b])) for a, b, _last in pieces)
        return f"{column} LIKE %s", ["%" + pattern + "%"]

    @staticmethod
    def _estimate(head: str, occurrences: dict[str, int]) -> int:
        """At most how many chunks hold `head`: its plan's rarest trigram's count."""
        return min(occurrences.get(head[i : i + 3], 0) for i in plan_offsets(head, occurrences))

    def _matches(self, terms: list[str], query: SearchQuery, limit: int | None) -> list[tuple]:
        """(page_id, rowkey, fields, be_year, unit, urgency, state, topics) of the matches,
        newest first, at most `limit` of them; `fields` has bit 1 << field set for each field
        holding every term.

        Dictionary words and numbers are looked up in the word postings; other terms in the
        chunks, where one term drives: the one whose plan reads the fewest chunks."""
        ids = self._dictionary_ids(terms)
        if ids is not None:
            return self._word_matches(terms, ids, query, limit)
        heads = [t[:MAX_TERM] for t in terms]
        indexed = list(dict.fromkeys(h for h in heads if len(h) >= 3))
        occurrences = self._occurrences(indexed)
        estimates = {h: self._estimate(h, occurrences) for h in indexed}
        driver = min(indexed, key=estimates.get) if indexed else None
        exact_heads = all(len(t) <= MAX_TERM for t in terms)
        sql, params = self._match_sql(heads, driver, occurrences, query)
        if limit is not None and exact_heads:
            sql += " LIMIT %s"
            params.append(limit)
        with transaction.atomic(), connection.cursor() as cursor:
            # A bitmap of a few thousand chunks must not turn lossy (every row of a page then
            # rechecked).
            cursor.execute("SET LOCAL work_mem = '32MB'")
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            if not exact_heads:
                rows = self._whole(cursor, terms, rows)
        return rows[:limit] if limit is not None else rows

    def _match_sql(self, heads, driver, occurrences, query) -> tuple[str, list]:
        """The matches: the chunks that may hold the driver, each read once; every other term
        is looked for in the chunks of the circulars found."""
        bit = "CASE WHEN strpos(c.key, %s) > 0 THEN 1 << c.field ELSE 0 END"
        # Without a driver (every term under three characters) the first term reads every chunk.
        read = [n for n, head in enumerate(heads) if head == driver] or [0]
        where, params = self._candidates(driver, occurrences) if driver else ("TRUE", [])
        # OFFSET 0: the bits are taken on each chunk, so the aggregate sorts narrow rows.
        sql = (
            f"SELECT rowkey, {', '.join(f'bit_or(b{n}) AS m{n}' for n in read)} FROM "
            f"(SELECT c.rowkey, {', '.join(f'{bit} AS b{n}' for n in read)} FROM {CHUNK} c "
            f"WHERE {where} OFFSET 0) x GROUP BY rowkey"
        )
        params = [*(swapped(heads[n]) for n in read), *params]
        parts, masks = [f"({sql}) d"], {n: f"d.m{n}" for n in read}
        for n, head in enumerate(heads):
            if n not in masks:
                parts.append(
                    f"CROSS JOIN LATERAL (SELECT bit_or({bit}) AS m FROM {CHUNK} c "
                    f"WHERE c.rowkey = d.rowkey) t{n}"
                )
                params.append(swapped(head))
                masks[n] = f"t{n}.m"
        scope, scope_params = self._entry_clauses(query)
        every = " & ".join(masks[n] for n in range(len(heads)))
        sql = (
            f"SELECT e.page_id, e.rowkey, {every}, e.be_year, e.unit, e.urgency, e.state, "
            f"e.topics FROM {' '.join(parts)} JOIN {ENTRY} e ON e.rowkey = d.rowkey WHERE "
            + " AND ".join([*(f"{m} <> 0" for m in masks.values()), *scope])
            + " ORDER BY e.rowkey"
        )
        return sql, [*params, *scope_params]

    def _word_matches(self, terms, ids, query: SearchQuery, limit: int | None) -> list[tuple]:
        """The matches from the word postings: the GIN index intersects them, nothing is
        rechecked. The subject and number bits come from the entry's short texts; the body
        bit from the newest rows' keys, only until the asked page is sure to be full of rows
        whose body holds every term (older rows cannot reach that page: they are given the
        body bit unchecked)."""
        subject = " AND ".join("strpos(e.subject, %s) > 0" for _ in terms)
        number = " AND ".join("strpos(e.doc_number, %s) > 0" for _ in terms)
        scope, scope_params = self._entry_clauses(query)
        where = ["e.words && %s::integer[]" for _ in ids] + scope
        sql = (
            f"SELECT e.page_id, e.rowkey, (CASE WHEN {subject} THEN 1 ELSE 0 END) "
            f"| (CASE WHEN {number} THEN 2 ELSE 0 END), e.be_year, e.unit, e.urgency, e.state, "
            f"e.topics FROM {ENTRY} e WHERE {' AND '.join(where)} ORDER BY e.rowkey"
        )
        params = [*terms, *terms, *([2 * n, 2 * n + 1] for n in ids), *scope_params]
        if limit is not None:
            sql += " LIMIT %s"
            params.append(limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            body, checked = set(), 0
            wanted = query.offset + query.limit
            while checked < len(rows) and len(body) < wanted:
                size = wanted + 10 if not checked else 4 * checked  # most rows are body rows
                batch = [row[1] for row in rows[checked : checked + size]]
                # IS TRUE: the planner would otherwise read the GIN postings of every word
                # (thousands of rows) for a check of a few rows found by their key.
                cursor.execute(
                    f"SELECT e.rowkey FROM {ENTRY} e WHERE e.rowkey = ANY(%s::bigint[]) "
                    "AND (e.words @> %s::integer[]) IS TRUE",
                    [batch, [2 * n for n in ids]],
                )
                body.update(row[0] for row in cursor.fetchall())
                checked += len(batch)
        body_bit = 1 << COLUMNS.index("body")
        return [
            (page_id, key, bits | (body_bit if n >= checked or key in body else 0), *facets)
            for n, (page_id, key, bits, *facets) in enumerate(rows)
        ]

    @staticmethod
    def _whole(cursor, terms: list[str], rows: list[tuple]) -> list[tuple]:
        """The rows whose fields hold every term whole (terms longer than MAX_TERM were matched
        by their head only), with their field bits recomputed on the reassembled texts."""
        if not rows:
            return rows
        cursor.execute(
            f"SELECT rowkey, field, key FROM {CHUNK} WHERE rowkey = ANY(%s::bigint[]) "
            "ORDER BY rowkey, field, part",
            [[row[1] for row in rows]],
        )
        pieces: dict[tuple[int, int], list[str]] = {}
        for key, field, piece in cursor.fetchall():
            pieces.setdefault((key, field), []).append(swapped(piece))
        kept = []
        for page_id, key, _bits, *facets in rows:
            every = 0
            for field in range(len(COLUMNS)):
                text = joined(pieces.get((key, field), []))
                if all(t in text for t in terms):
                    every |= 1 << field
            held = all(
                any(t in joined(pieces.get((key, f), [])) for f in range(len(COLUMNS)))
                for t in terms
            )
            if held:
                kept.append((page_id, key, every, *facets))
        return kept

    def _head_tiers(self, terms, query: SearchQuery, after: int, wanted: int):
        """Page ids older than the row key `after` whose subject holds every term, and those
        whose number does, newest first: subject ones until `wanted`, then number ones."""
        occurrences = self._occurrences([t[:MAX_TERM] for t in terms if len(t) >= 3])
        clauses, params = [], []
        for term in terms:
            if len(term) >= 3:
                head = term[:MAX_TERM]
                clause, clause_params = self._candidates(head, occurrences, "e.head_key")
                clauses.append(clause)
                params += clause_params
            clauses.append("strpos(e.head_key, %s) > 0")
            params.append(swapped(term))
        scope, scope_params = self._entry_clauses(query)
        sql = (
            f"SELECT e.page_id, e.subject, e.doc_number FROM {ENTRY} e WHERE e.rowkey > %s AND "
            + " AND ".join(clauses + scope)
            + " ORDER BY e.rowkey LIMIT %s OFFSET %s"
        )

        def fetch(limit: int, offset: int) -> list:
            with connection.cursor() as cursor:
                cursor.execute(sql, [after, *params, *scope_params, limit, offset])
                return cursor.fetchall()

        return head_tiers(fetch, terms, wanted, max(wanted, 50))

    def _ranked(self, terms, query: SearchQuery, rows, complete: bool) -> list[Hit]:
        """The asked page in relevance order: subject, number, body, attachments; newer first.
        `rows` are the newest matches (every match when `complete`)."""
        wanted = query.offset + query.limit
        tiers: list[list[int]] = [[] for _ in COLUMNS]
        for page_id, _key, every, *_facets in rows:
            tiers[TIER_OF[every]].append(page_id)
        if not complete and len(tiers[0]) < wanted:
            # Older circulars whose subject or number holds the terms outrank the newer
            # matches in the body.
            subject, number = self._head_tiers(terms, query, rows[-1][1], wanted)
            tiers[0] += subject
            if len(tiers[0]) < wanted:
                tiers[1] += number
        if not complete and sum(map(len, tiers[:3])) < wanted:
            return self._ranked(terms, query, self._matches(terms, query, None), True)
        ordered = ((page_id, n) for n, ids in enumerate(tiers) for page_id in ids)
        return [
            Hit(page_id=page_id, score=TIER_WEIGHTS[n])
            for page_id, n in islice(ordered, query.offset, wanted)
        ]

    @staticmethod
    def _facets(rows) -> dict[str, list[tuple[str, int]]]:
        return count_facets(row[3:] for row in rows)

    def suggest(self, prefix: str, scope: Scope, limit: int = 8) -> list[int]:
        text = normalize(prefix)
        if len(text) < 2:
            return []
        query = SearchQuery(parsed=None, scope=scope)  # type: ignore[arg-type]
        clauses, params = self._entry_clauses(query)
        if len(text) >= 3:
            clauses.append("e.head_key LIKE %s")
            params.append(like_anywhere(swapped(text[:MAX_TERM])))
        clauses.append("strpos(e.subject, %s) > 0")
        params.append(text)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.page_id FROM {ENTRY} e WHERE {' AND '.join(clauses)} "
                "ORDER BY e.rowkey LIMIT %s",
                [*params, limit],
            )
            return [row[0] for row in cursor.fetchall()]
