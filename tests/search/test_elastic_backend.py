"""The Elasticsearch backend without a server: the index definition, the exact query bodies,
and the calls made to a recording in-memory node (the real client, helpers and serialiser run;
only the HTTP connection is replaced)."""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport._node import NodeApiResponse
from elasticsearch import Elasticsearch

from cms.thai.docnumbers import normalize_doc_number
from cms.thai.segment import words
from search.analysis import document_number_forms, normalize, parse_query
from search.analysis import match_attempts as attempts
from search.backends import elastic
from search.backends.base import Scope, SearchQuery
from search.backends.elastic import (
    ALIAS,
    CircularDocument,
    ElasticHit,
    ElasticsearchBackend,
    index_definition,
    search_body,
    suggest_body,
)
from search.documents import IndexDocument

# -- a recording Elasticsearch node -----------------------------------------------------------


@dataclass
class Call:
    method: str
    path: str
    params: dict
    body: object  # a dict, the list of NDJSON lines of a bulk request, or None

    @property
    def line(self) -> tuple[str, str]:
        return (self.method, self.path)


def _error(status: int, kind: str) -> tuple[int, dict]:
    return status, {"error": {"type": kind, "reason": kind, "root_cause": []}, "status": status}


class FakeNode(BaseNode):
    """An Elasticsearch node in memory. It keeps indices, aliases and documents, answers the
    requests the backend makes, and records every request in `calls`. Searches other than the
    match_all of `indexed_ids` are answered by `responder(call)` (default: nothing found).
    `failing` holds (method, path regex) pairs answered with 503."""

    _CLIENT_META_HTTP_CLIENT = ("fk", "1")

    def __init__(self, config):
        super().__init__(config)
        self.calls: list[Call] = []
        self.indices: dict[str, dict[str, dict]] = {}  # name → id → source
        self.settings: dict[str, dict] = {}
        self.aliases: dict[str, list[str]] = {}  # alias → indices
        self.responder = None
        self.failing: list[tuple[str, str]] = []

    # -- transport -------------------------------------------------------------------------

    def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
        url = urlsplit(target)
        path, params = unquote(url.path), dict(parse_qsl(url.query))
        data = None
        if body:
            text = body.decode("utf-8")
            if path.endswith("/_bulk"):
                data = [json.loads(line) for line in text.splitlines() if line.strip()]
            else:
                data = json.loads(text)
        call = Call(method, path, params, data)
        self.calls.append(call)
        if any(m == method and re.fullmatch(p, path) for m, p in self.failing):
            status, payload = _error(503, "unavailable_shards_exception")
        else:
            status, payload = self.answer(call)
        meta = ApiResponseMeta(
            status=status,
            http_version="1.1",
            headers=HttpHeaders(
                {"x-elastic-product": "Elasticsearch", "content-type": "application/json"}
            ),
            duration=0.0,
            node=self.config,
        )
        raw = b"" if method == "HEAD" else json.dumps(payload).encode("utf-8")
        return NodeApiResponse(meta, raw)

    def close(self):
        pass

    # -- a tiny cluster --------------------------------------------------------------------

    def resolve(self, name: str) -> list[str]:
        return list(self.aliases.get(name, [name] if name in self.indices else []))

    def add_alias(self, alias: str, index: str) -> None:
        members = self.aliases.setdefault(alias, [])
        if index not in members:
            members.append(index)

    def answer(self, call: Call) -> tuple[int, dict]:
        method, path, body = call.method, call.path, call.body
        parts = [p for p in path.split("/") if p]
        if parts[:1] == ["_alias"]:
            alias = parts[1]
            if alias not in self.aliases:
                return _error(404, "aliases_not_found_exception")
            return 200, {i: {"aliases": {alias: {}}} for i in self.aliases[alias]}
        if parts == ["_aliases"]:
            for action in body["actions"]:
                ((kind, spec),) = action.items()
                if kind == "add":
                    self.add_alias(spec["alias"], spec["index"])
                elif kind == "remove":
                    self.aliases[spec["alias"]].remove(spec["index"])
            return 200, {"acknowledged": True}
        if parts[-1:] == ["_bulk"]:
            return 200, self.bulk(call)
        if len(parts) == 1 and method == "PUT":
            name = parts[0]
            if name in self.indices or name in self.aliases:
                return _error(400, "resource_already_exists_exception")
            self.indices[name] = {}
            self.settings[name] = dict((body or {}).get("settings", {}))
            for alias in (body or {}).get("aliases") or {}:
                self.add_alias(alias, name)
            return 200, {"acknowledged": True, "index": name}
        if len(parts) == 1 and method == "DELETE":
            if parts[0] not in self.indices:
                return _error(404, "index_not_found_exception")
            del self.indices[parts[0]]
            for members in self.aliases.values():
                if parts[0] in members:
                    members.remove(parts[0])
            return 200, {"acknowledged": True}
        names = self.resolve(parts[0]) if parts else []
        if parts and not names:
            return _error(404, "index_not_found_exception")
        docs = {k: v for name in names for k, v in self.indices[name].items()}
        if parts[1:] == ["_settings"]:
            for name in names:
                self.settings[name].update(body["index"])
            return 200, {"acknowledged": True}
        if parts[1:] == ["_refresh"]:
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        if parts[1:] == ["_count"]:
            return 200, {"count": len(docs)}
        if parts[1:] == ["_stats", "store"]:
            size = sum(len(json.dumps(d)) for d in docs.values())
            return 200, {"_all": {"total": {"store": {"size_in_bytes": size}}}}
        if parts[1:] == ["_search"]:
            if body.get("query") == {"match_all": {}}:
                ordered = sorted(docs.values(), key=lambda d: d["page_id"])
                after = (body.get("search_after") or [float("-inf")])[0]
                page = [d for d in ordered if d["page_id"] > after][: body["size"]]
                hits = [{"_id": str(d["page_id"]), "sort": [d["page_id"]]} for d in page]
                return 200, {"hits": {"total": {"value": len(docs)}, "hits": hits}}
            if self.responder is not None:
                return 200, self.responder(call)
            return 200, {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}}
        return _error(400, f"unexpected request {method} {path}")

    def bulk(self, call: Call) -> dict:
        lines, items = list(call.body), []
        require_alias = call.params.get("require_alias") == "true"
        while lines:
            ((op, meta),) = lines.pop(0).items()
            source = lines.pop(0) if op == "index" else None
            target = meta["_index"]
            if require_alias and target not in self.aliases:
                items.append({op: {"_id": meta["_id"], "status": 404}})
                continue
            (name,) = self.resolve(target) or [target]
            store = self.indices.setdefault(name, {})
            if op == "index":
                store[meta["_id"]] = source
                status = 201
            else:
                status = 200 if store.pop(meta["_id"], None) is not None else 404
            items.append({op: {"_index": name, "_id": meta["_id"], "status": status}})
        return {
            "took": 1,
            "errors": any(i[k]["status"] >= 300 for i in items for k in i),
            "items": items,
        }


def fake_client() -> tuple[Elasticsearch, FakeNode]:
    client = Elasticsearch("http://elasticsearch.invalid:9200", node_class=FakeNode, max_retries=0)
    (node,) = client.transport.node_pool.all()
    return client, node


def ticking_clock(start=datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)):
    """Each call a second later than the one before: index names are predictable."""
    state = {"now": start}

    def now():
        value = state["now"]
        state["now"] = value + datetime.timedelta(seconds=1)
        return value

    return now


@pytest.fixture
def fake():
    client, node = fake_client()
    backend = ElasticsearchBackend(client, ALIAS, now=ticking_clock())
    return backend, node


def doc(page_id: int, subject: str = "", *, number: str = "", body: str = "", **fields):
    issued = fields.pop("issued", datetime.date(2021, 6, 1))
    return IndexDocument(
        page_id=page_id,
        subject=normalize(subject),
        doc_number=document_number_forms(number),
        body=normalize(body),
        extra=normalize(fields.pop("extra", "")),
        issued=issued,
        be_year=fields.pop("be_year", issued.year + 543 if issued else None),
        unit=fields.pop("unit", "0812"),
        urgency=fields.pop("urgency", ""),
        state=fields.pop("state", "distributed"),
        public=fields.pop("public", True),
        topics=list(fields.pop("topics", ())),
    )


def query(text: str, **options) -> SearchQuery:
    return SearchQuery(parsed=parse_query(text), **options)


# -- the index definition ---------------------------------------------------------------------

THAI_DIGIT_MAPPINGS = [
    "๐ => 0",
    "๑ => 1",
    "๒ => 2",
    "๓ => 3",
    "๔ => 4",
    "๕ => 5",
    "๖ => 6",
    "๗ => 7",
    "๘ => 8",
    "๙ => 9",
]


def test_index_settings_hold_the_thai_analysis_chain():
    assert index_definition()["settings"] == {
        "number_of_shards": 1,
        "auto_expand_replicas": "0-1",
        "max_ngram_diff": 1,
        "analysis": {
            "char_filter": {
                "wian_thai_digits": {"type": "mapping", "mappings": THAI_DIGIT_MAPPINGS},
                "wian_doc_number_prefix": {
                    "type": "pattern_replace",
                    "pattern": r"^[\s\u200b]*\u0e17\u0e35\u0e48[\s\u200b]*:?",
                    "replacement": "",
                },
                "wian_doc_number_spaces": {
                    "type": "pattern_replace",
                    "pattern": r"[\s\u200b]+",
                    "replacement": "",
                },
                "wian_doc_number_dot": {
                    "type": "pattern_replace",
                    "pattern": r"^([\u0e01-\u0e2e]{1,3})\.",
                    "replacement": "$1",
                },
            },
            "tokenizer": {
                "wian_ngram_2_3": {
                    "type": "ngram",
                    "min_gram": 2,
                    "max_gram": 3,
                    "token_chars": [],  # every character, spaces too: phrases span words
                }
            },
            "analyzer": {
                "wian_thai": {
                    "type": "custom",
                    "tokenizer": "thai",
                    "char_filter": ["wian_thai_digits"],
                    "filter": ["lowercase"],
                },
                "wian_ngram": {
                    "type": "custom",
                    "tokenizer": "wian_ngram_2_3",
                    "char_filter": ["wian_thai_digits"],
                    "filter": ["lowercase"],
                },
                "wian_words": {
                    "type": "custom",
                    "tokenizer": "whitespace",
                    "char_filter": ["wian_thai_digits"],
                    "filter": ["lowercase"],
                },
            },
            "normalizer": {
                "wian_doc_number": {
                    "type": "custom",
                    "char_filter": [
                        "wian_thai_digits",
                        "wian_doc_number_prefix",
                        "wian_doc_number_spaces",
                        "wian_doc_number_dot",
                    ],
                    "filter": ["lowercase"],
                }
            },
        },
    }


def test_the_digit_mapping_covers_all_ten_thai_digits():
    analysis = index_definition()["settings"]["analysis"]
    mappings = analysis["char_filter"]["wian_thai_digits"]["mappings"]
    pairs = dict(m.split(" => ") for m in mappings)
    assert pairs == {chr(0x0E50 + n): str(n) for n in range(10)}
    for name in ("wian_thai", "wian_ngram", "wian_words"):
        assert analysis["analyzer"][name]["char_filter"] == ["wian_thai_digits"]


def _text(**extra) -> dict:
    return {"type": "text", "similarity": "boolean", "norms": False, **extra}


def test_mappings():
    text_field = _text(analyzer="wian_thai", fields={"ngram": _text(analyzer="wian_ngram")})
    words_field = _text(analyzer="wian_words")
    assert index_definition()["mappings"] == {
        "dynamic": "strict",
        "properties": {
            "page_id": {"type": "long"},
            "subject": text_field,
            "subject_words": words_field,
            "doc_number": text_field,
            "doc_number_words": words_field,
            "doc_number_key": {"type": "keyword", "normalizer": "wian_doc_number"},
            "body": text_field,
            "body_words": words_field,
            "extra": text_field,
            "extra_words": words_field,
            "issued": {"type": "date"},
            "be_year": {"type": "keyword"},
            "unit": {"type": "keyword"},
            "urgency": {"type": "keyword"},
            "state": {"type": "keyword"},
            "topics": {"type": "keyword"},
            "public": {"type": "boolean"},
        },
    }


def emulate_doc_number_normalizer(value: str) -> str:
    """The normalizer's char filters and lowercase, applied in Python."""
    analysis = index_definition()["settings"]["analysis"]
    definition = analysis["normalizer"]["wian_doc_number"]
    for name in definition["char_filter"]:
        spec = analysis["char_filter"][name]
        if spec["type"] == "mapping":
            for mapping in spec["mappings"]:
                source, target = mapping.split(" => ")
                value = value.replace(source, target)
        else:
            replacement = spec["replacement"].replace("$1", r"\1")
            value = re.sub(spec["pattern"], replacement, value)  # same syntax as Java here
    return value.lower()


@pytest.mark.parametrize(
    "printed",
    [
        "มท ๐๘๑๒/ว ๒๗๑",
        "ที่ มท ๐๘๑๒/ว ๒๗๑",
        "ที่: มท 0812/ว 271",
        "มท. ๐๘๑๒/ว๒๗๑",
        "มท\u200b๐๘๑๒/\u200bว ๒๗๑",
        "มท 0812/ ว 271",
        "มท ๐๘๑๐.๒/ว ๑๕",
        "ศธ ๐๒๐๖.๓/ว ๑๒๓/๒๕๖๔",
        "มท ๐๘๑๐.๒/ว",
        "นร 0105/123",
    ],
)
def test_the_document_number_normalizer_gives_the_compact_key(printed):
    """What the keyword field stores for each spelling is normalize_doc_number's key, so the
    printed and compact forms that document_number_forms indexes are one term."""
    key = normalize_doc_number(printed).lower()
    assert emulate_doc_number_normalizer(printed) == key
    for form in elastic.doc_number_keys(document_number_forms(printed)):
        assert emulate_doc_number_normalizer(form) == key


def test_a_document_is_indexed_with_its_words_and_number_keys():
    source = CircularDocument.from_index_document(
        doc(
            7,
            "ซักซ้อมแนวทางให้องค์กรปกครองส่วนท้องถิ่น",
            number="ที่ มท ๐๘๑๒/ว ๒๗๑",
            body="ประจำปี ๒๕๖๔",
            topics=("งบ", "ภัย"),
            urgency="ด่วน",
        )
    ).to_dict()
    assert source == {
        "page_id": 7,
        "subject": "ซักซ้อมแนวทางให้องค์กรปกครองส่วนท้องถิ่น",
        "subject_words": " ".join(words("ซักซ้อมแนวทางให้องค์กรปกครองส่วนท้องถิ่น")),
        "doc_number": "ที่ มท 0812/ว 271 มท0812/ว271",
        "doc_number_words": " ".join(words("ที่ มท 0812/ว 271 มท0812/ว271")),
        "doc_number_key": ["ที่ มท 0812/ว 271", "มท0812/ว271"],
        "body": "ประจำปี 2564",
        "body_words": "ประจำปี 2564",
        "extra": "",
        "extra_words": "",
        "issued": datetime.date(2021, 6, 1),
        "be_year": "2564",
        "unit": "0812",
        "urgency": "ด่วน",
        "state": "distributed",
        "topics": ["งบ", "ภัย"],
        "public": True,
    }
    assert "องค์กรปกครองส่วนท้องถิ่น" in source["subject_words"].split()


# -- query bodies -----------------------------------------------------------------------------

NGRAM_FIELDS = [("subject", 10.0), ("doc_number", 6.0), ("body", 1.0), ("extra", 0.3)]


def must(term: str) -> dict:
    return {
        "bool": {
            "should": [
                {"match_phrase": {f"{name}.ngram": {"query": term, "boost": weight}}}
                for name, weight in NGRAM_FIELDS
            ],
            "minimum_should_match": 1,
        }
    }


def bonus(term: str, segmented: str, keys: list[str]) -> list[dict]:
    return [
        {
            "multi_match": {
                "query": segmented,
                "type": "phrase",
                "fields": [
                    "subject_words^5.0",
                    "doc_number_words^3.0",
                    "body_words^0.5",
                    "extra_words^0.15",
                    "subject^5.0",
                    "doc_number^3.0",
                    "body^0.5",
                    "extra^0.15",
                ],
            }
        },
        {"terms": {"doc_number_key": keys, "boost": 12.0}},
    ]


RELEVANCE = [
    "_score",
    {"issued": {"order": "desc", "missing": "_last"}},
    {"page_id": {"order": "desc"}},
]
HIGHLIGHT = {
    "type": "unified",
    "pre_tags": ["<mark>"],
    "post_tags": ["</mark>"],
    "encoder": "html",
    "boundary_scanner_locale": "th-TH",
    "max_analyzed_offset": 500000,
    "fields": {
        "subject.ngram": {"number_of_fragments": 0},
        "doc_number.ngram": {"number_of_fragments": 0},
        "body.ngram": {"fragment_size": 160, "number_of_fragments": 1},
        "extra.ngram": {"fragment_size": 160, "number_of_fragments": 1},
    },
}
AGGS = {
    "be_year": {"terms": {"field": "be_year", "size": 30}},
    "unit": {"terms": {"field": "unit", "size": 30}},
    "urgency": {"terms": {"field": "urgency", "size": 30}},
    "topic": {"terms": {"field": "topics", "size": 30}},
    "state": {"terms": {"field": "state", "size": 30}},
}
PUBLIC_ONLY = [{"term": {"public": True}}]


def body_for(text: str, which: int = 0, **options) -> dict:
    q = query(text, **options)
    terms, _whole = attempts(q.parsed)[which]
    return search_body(q, terms)


def test_a_plain_query_is_first_the_whole_text_as_one_phrase():
    q = query("ปกครองส่วนท้องถิ่น")
    assert attempts(q.parsed) == [(["ปกครองส่วนท้องถิ่น"], True)]
    assert body_for("ปกครองส่วนท้องถิ่น") == {
        "query": {
            "bool": {
                "must": [must("ปกครองส่วนท้องถิ่น")],
                "should": bonus("ปกครองส่วนท้องถิ่น", "ปกครอง ส่วนท้องถิ่น", ["ปกครองส่วนท้องถิ่น"]),
                "filter": PUBLIC_ONLY,
            }
        },
        "sort": RELEVANCE,
        "from": 0,
        "size": 20,
        "_source": False,
        "track_total_hits": True,
        "highlight": HIGHLIGHT,
        "aggs": AGGS,
    }


def test_the_and_fallback_needs_every_term():
    q = query("ประชุม  ๒๕๖๔")
    assert attempts(q.parsed) == [(["ประชุม 2564"], True), (["ประชุม", "2564"], False)]
    body = body_for("ประชุม  ๒๕๖๔", which=1)
    assert body["query"] == {
        "bool": {
            "must": [must("ประชุม"), must("2564")],
            "should": [
                *bonus("ประชุม", "ประชุม", ["ประชุม"]),
                *bonus("2564", "2564", ["2564"]),
            ],
            "filter": PUBLIC_ONLY,
        }
    }


def test_a_quoted_phrase_is_only_ever_exact():
    q = query('"มท 0812/ว 271" ประชุม')
    assert attempts(q.parsed) == [(["มท 0812/ว 271", "ประชุม"], False)]
    assert query('"ประชุม วิสามัญ"').parsed.phrases == ["ประชุม วิสามัญ"]
    assert attempts(query('"ประชุม วิสามัญ"').parsed) == [(["ประชุม วิสามัญ"], False)]
    body = body_for('"มท 0812/ว 271" ประชุม')
    assert body["query"]["bool"]["must"] == [must("มท 0812/ว 271"), must("ประชุม")]
    number_bonus = body["query"]["bool"]["should"][:2]
    assert number_bonus == bonus(
        "มท 0812/ว 271",
        " ".join(words("มท 0812/ว 271")),
        ["มท 0812/ว 271", "มท0812/ว271"],
    )


def test_a_single_character_matches_any_gram_holding_it():
    assert body_for("ศ")["query"]["bool"]["must"] == [
        {
            "bool": {
                "should": [
                    {"wildcard": {f"{name}.ngram": {"value": "*ศ*", "boost": weight}}}
                    for name, weight in NGRAM_FIELDS
                ],
                "minimum_should_match": 1,
            }
        }
    ]
    wildcard = body_for("*")["query"]["bool"]["must"][0]["bool"]["should"][0]
    assert wildcard == {"wildcard": {"subject.ngram": {"value": "*\\**", "boost": 10.0}}}


def test_filters():
    body = body_for(
        "ประชุม",
        filters={"be_year": 2564, "unit": "0812", "urgency": "ด่วน", "state": "", "topic": "งบ"},
    )
    assert body["query"]["bool"]["filter"] == [
        {"term": {"public": True}},
        {"term": {"be_year": "2564"}},
        {"term": {"unit": "0812"}},
        {"term": {"urgency": "ด่วน"}},
        {"term": {"topics": "งบ"}},
    ]


def test_scope_is_public_or_the_extra_ids_or_everything():
    assert body_for("ประชุม")["query"]["bool"]["filter"] == PUBLIC_ONLY
    extra = body_for("ประชุม", scope=Scope(extra_ids=frozenset({9, 3})))
    assert extra["query"]["bool"]["filter"] == [
        {
            "bool": {
                "should": [{"term": {"public": True}}, {"terms": {"page_id": [3, 9]}}],
                "minimum_should_match": 1,
            }
        }
    ]
    everything = body_for("ประชุม", scope=Scope(everything=True))
    assert "filter" not in everything["query"]["bool"]


def test_sort_by_date_is_newest_then_the_later_page():
    body = body_for("ประชุม", sort="date")
    assert body["sort"] == [
        {"issued": {"order": "desc", "missing": "_last"}},
        {"page_id": {"order": "desc"}},
    ]
    assert body_for("ประชุม")["sort"] == RELEVANCE


def test_paging_and_facets():
    body = body_for("ประชุม", offset=40, limit=20, facets=False)
    assert (body["from"], body["size"]) == (40, 20)
    assert "aggs" not in body
    assert body_for("ประชุม")["aggs"] == AGGS
    deep = body_for("ประชุม", offset=9990, limit=20)
    assert (deep["from"], deep["size"]) == (9990, 10)  # never past max_result_window


def test_highlighting_is_asked_on_the_gram_fields():
    assert body_for("ประชุม")["highlight"] == HIGHLIGHT


def test_suggest_body_finds_the_typed_text_in_subjects_newest_first():
    assert suggest_body(" การจัด ", Scope(), 5) == {
        "query": {
            "bool": {
                "filter": [
                    {"match_phrase": {"subject.ngram": "การจัด"}},
                    {"term": {"public": True}},
                ]
            }
        },
        "sort": [
            {"issued": {"order": "desc", "missing": "_last"}},
            {"page_id": {"order": "desc"}},
        ],
        "size": 5,
        "_source": False,
    }
    assert suggest_body("ก", Scope()) is None
    everything = suggest_body("การ", Scope(everything=True))
    assert everything["query"] == {"bool": {"filter": [{"match_phrase": {"subject.ngram": "การ"}}]}}


# -- calls to the server ----------------------------------------------------------------------

NAME_1 = f"{ALIAS}-20250102030405000000"
NAME_2 = f"{ALIAS}-20250102030406000000"
NAME_3 = f"{ALIAS}-20250102030407000000"


def test_the_first_use_creates_an_index_behind_the_alias(fake):
    backend, node = fake
    assert backend.count() == 0
    assert backend.count() == 0
    assert [c.line for c in node.calls] == [
        ("HEAD", f"/_alias/{ALIAS}"),
        ("PUT", f"/{NAME_1}"),
        ("POST", f"/{ALIAS}/_count"),
        ("POST", f"/{ALIAS}/_count"),
    ]
    created = node.calls[1].body
    assert created["aliases"] == {ALIAS: {"is_write_index": True}}
    assert created["mappings"] == index_definition()["mappings"]
    assert created["settings"] == index_definition()["settings"]


def test_index_writes_through_the_alias_with_the_bulk_helper(fake):
    backend, node = fake
    assert backend.index([doc(1, "ประชุมสภา"), doc(2, "ภัยแล้ง")]) == 2
    bulk = node.calls[-1]
    assert bulk.line == ("PUT", "/_bulk")
    assert bulk.params == {"refresh": "wait_for", "require_alias": "true"}
    assert [line for line in bulk.body if "index" in line] == [
        {"index": {"_index": ALIAS, "_id": "1"}},
        {"index": {"_index": ALIAS, "_id": "2"}},
    ]
    assert bulk.body[1]["subject"] == "ประชุมสภา"
    assert bulk.body[1]["issued"] == "2021-06-01"
    assert (backend.count(), backend.indexed_ids()) == (2, {1, 2})
    backend.delete([2, 404])
    assert node.calls[-1].body == [
        {"delete": {"_index": ALIAS, "_id": "2"}},
        {"delete": {"_index": ALIAS, "_id": "404"}},
    ]
    assert backend.indexed_ids() == {1}
    assert backend.size_bytes() > 0
    assert backend.index([]) == 0
    backend.delete([])


def test_indexed_ids_pages_with_search_after(fake):
    backend, node = fake
    backend.index([doc(n, "เรื่อง") for n in range(1, 8)])
    node.calls.clear()
    backend.id_page_size = 3
    assert backend.indexed_ids() == set(range(1, 8))
    assert [c.body for c in node.calls] == [
        {"query": {"match_all": {}}, "_source": False, "sort": [{"page_id": "asc"}], "size": 3},
        {
            "query": {"match_all": {}},
            "_source": False,
            "sort": [{"page_id": "asc"}],
            "size": 3,
            "search_after": [3],
        },
        {
            "query": {"match_all": {}},
            "_source": False,
            "sort": [{"page_id": "asc"}],
            "size": 3,
            "search_after": [6],
        },
    ]


def test_a_rebuild_fills_a_new_index_and_swaps_the_alias_atomically(fake):
    backend, node = fake
    backend.index([doc(1, "ฉบับเก่า"), doc(2, "ฉบับเก่า")])
    node.calls.clear()

    backend.begin_rebuild()
    backend.index([doc(1, "ฉบับใหม่")])
    # The alias still serves the old index, whole, while the new one fills.
    assert backend.count() == 2
    assert node.aliases[ALIAS] == [NAME_1]
    backend.finish_rebuild()

    assert [c.line for c in node.calls] == [
        ("PUT", f"/{NAME_2}"),  # the new concrete index, not behind the alias yet
        ("PUT", "/_bulk"),  # documents go straight to it
        ("POST", f"/{ALIAS}/_count"),
        ("PUT", f"/{NAME_2}/_settings"),  # refreshes back on
        ("POST", f"/{NAME_2}/_refresh"),
        ("GET", f"/_alias/{ALIAS}"),
        ("POST", "/_aliases"),  # one atomic swap
        ("DELETE", f"/{NAME_1}"),
    ]
    assert node.calls[0].body["settings"]["refresh_interval"] == "-1"
    assert "aliases" not in node.calls[0].body
    assert node.calls[1].params == {"refresh": "false", "require_alias": "false"}
    assert node.calls[1].body[0] == {"index": {"_index": NAME_2, "_id": "1"}}
    assert node.calls[3].body == {"index": {"refresh_interval": None}}
    assert node.calls[6].body == {
        "actions": [
            {"remove": {"index": NAME_1, "alias": ALIAS}},
            {"add": {"index": NAME_2, "alias": ALIAS, "is_write_index": True}},
        ]
    }
    assert node.aliases[ALIAS] == [NAME_2]
    assert set(node.indices) == {NAME_2}
    assert backend.indexed_ids() == {1}


def test_rebuild_streams_documents_in_batches_and_reports_progress(fake):
    backend, node = fake
    backend.index([doc(99, "ฉบับเก่า")])

    class Progress:
        seen: list[int] = []

        def update(self, n):
            self.seen.append(n)

    progress = Progress()
    total = backend.rebuild((doc(n, "เรื่อง") for n in range(1, 6)), progress=progress, batch=2)
    assert total == 5
    assert progress.seen == [2, 2, 1]
    assert [len(c.body) // 2 for c in node.calls if c.path == "/_bulk"][1:] == [2, 2, 1]
    assert backend.indexed_ids() == {1, 2, 3, 4, 5}
    assert node.aliases[ALIAS] == [NAME_2]


def test_a_failed_rebuild_leaves_the_old_index_serving(fake):
    backend, node = fake
    backend.index([doc(1, "ฉบับเก่า")])

    def broken():
        yield doc(2, "เรื่อง")
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        backend.rebuild(broken(), batch=1)
    assert node.calls[-1].line == ("DELETE", f"/{NAME_2}")
    assert node.aliases[ALIAS] == [NAME_1]
    assert set(node.indices) == {NAME_1}
    assert backend.indexed_ids() == {1}
    backend.index([doc(3, "ใหม่")])  # writes go through the alias again
    assert backend.indexed_ids() == {1, 3}


def test_clear_starts_afresh_with_an_empty_index_swapped_in(fake):
    backend, node = fake
    backend.index([doc(1, "ฉบับเก่า")])
    node.calls.clear()
    backend.clear()
    assert [c.line for c in node.calls] == [
        ("PUT", f"/{NAME_2}"),
        ("PUT", f"/{NAME_2}/_settings"),
        ("POST", f"/{NAME_2}/_refresh"),
        ("GET", f"/_alias/{ALIAS}"),
        ("POST", "/_aliases"),
        ("DELETE", f"/{NAME_1}"),
    ]
    assert (backend.count(), backend.indexed_ids()) == (0, set())
    backend.clear()
    assert node.aliases[ALIAS] == [NAME_3]


def test_another_process_creating_the_alias_first_is_fine(fake):
    backend, node = fake
    node.indices["theirs"] = {}
    node.aliases[ALIAS] = ["theirs"]
    original = node.answer
    seen = []

    def alias_appears_late(call):
        if call.method == "HEAD" and not seen:
            seen.append(call)
            return 404, {}
        if call.method == "PUT" and call.path == f"/{NAME_1}":
            return _error(400, "invalid_alias_name_exception")
        return original(call)

    node.answer = alias_appears_late
    assert backend.count() == 0
    assert [c.line for c in node.calls] == [
        ("HEAD", f"/_alias/{ALIAS}"),
        ("PUT", f"/{NAME_1}"),
        ("HEAD", f"/_alias/{ALIAS}"),
        ("POST", f"/{ALIAS}/_count"),
    ]


def _response(*hits, total=None, aggregations=None) -> dict:
    response = {
        "hits": {
            "total": {"value": len(hits) if total is None else total, "relation": "eq"},
            "hits": list(hits),
        }
    }
    if aggregations is not None:
        response["aggregations"] = aggregations
    return response


def test_search_tries_the_whole_text_then_the_terms_and_reads_the_response(fake):
    backend, node = fake
    answers = [
        _response(),
        _response(
            {"_id": "4", "_score": 16.0, "highlight": {"subject.ngram": ["<mark>ประชุม</mark>"]}},
            {"_id": "1", "_score": 1.5},
            total=12,
            aggregations={
                "be_year": {"buckets": [{"key": "2564", "doc_count": 9}]},
                "unit": {"buckets": [{"key": "0812", "doc_count": 12}]},
                "urgency": {"buckets": []},
                "topic": {"buckets": [{"key": "งบ", "doc_count": 2}, {"key": "", "doc_count": 1}]},
                "state": {"buckets": [{"key": "distributed", "doc_count": 12}]},
            },
        ),
    ]
    node.responder = lambda call: answers.pop(0)
    result = backend.search(query("ประชุม 2564", limit=2))
    searches = [c for c in node.calls if c.path.endswith("/_search")]
    assert [c.path for c in searches] == [f"/{ALIAS}/_search"] * 2
    assert [c.body for c in searches] == [
        body_for("ประชุม 2564", limit=2),
        body_for("ประชุม 2564", which=1, limit=2),
    ]
    assert result.total == 12
    assert result.exact is False
    assert result.hits == [
        ElasticHit(page_id=4, score=16.0, highlights={"subject.ngram": ["<mark>ประชุม</mark>"]}),
        ElasticHit(page_id=1, score=1.5),
    ]
    assert result.facets == {
        "be_year": [("2564", 9)],
        "unit": [("0812", 12)],
        "urgency": [],
        "topic": [("งบ", 2)],
        "state": [("distributed", 12)],
    }


def test_search_stops_at_the_first_attempt_that_finds_something(fake):
    backend, node = fake
    node.responder = lambda call: _response({"_id": "3", "_score": None}, total=1)
    result = backend.search(query("ประชุม 2564", sort="date", facets=False))
    assert len([c for c in node.calls if c.path.endswith("/_search")]) == 1
    assert (result.hits, result.exact, result.facets) == ([ElasticHit(3, 0.0)], True, {})


def test_an_empty_query_asks_nothing(fake):
    backend, node = fake
    result = backend.search(query("   "))
    assert (result.hits, result.total) == ([], 0)
    assert node.calls == []
    assert backend.suggest("ก", Scope()) == []
    assert node.calls == []


def test_suggest_returns_the_ids_in_the_order_found(fake):
    backend, node = fake
    node.responder = lambda call: _response({"_id": "8"}, {"_id": "5"})
    assert backend.suggest("การจัด", Scope(), limit=2) == [8, 5]
    assert node.calls[-1].body == suggest_body("การจัด", Scope(), 2)


def test_a_url_is_enough_and_the_alias_comes_from_settings(settings):
    settings.ELASTICSEARCH_TIMEOUT = 1.5
    backend = ElasticsearchBackend("http://127.0.0.1:9")
    assert backend.alias == ALIAS
    assert isinstance(backend.client, Elasticsearch)
    settings.ELASTICSEARCH_INDEX = "wian-other"
    assert ElasticsearchBackend("http://127.0.0.1:9").alias == "wian-other"
