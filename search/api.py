"""Search as JSON: /api/search/ and /api/search/suggest/ (for autocomplete).

Anonymous unless the browser session is signed in; whoever asks sees only what the permission
table lets them see (search.service scopes every query)."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from search.views import SearchParams, circular_link

SUGGEST_LIMIT = 8


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if url else ""


def marked(pieces: list[tuple[str, bool]]) -> str:
    """A snippet as plain text, the matches between « and »."""
    return "".join(f"«{text}»" if is_match else text for text, is_match in pieces)


def hit_json(request, hit) -> dict:
    circular = hit.circular
    unit = circular.owner_unit
    return {
        "id": circular.pk,
        "url": _absolute(request, circular_link(circular)),
        "doc_number": circular.doc_number,
        "issued_on": circular.issued_on.isoformat() if circular.issued_on else None,
        "subject": circular.subject,
        "urgency": circular.urgency,
        "unit": {"code": unit.code, "name": unit.name} if unit else None,
        "score": round(hit.score, 4),
        "snippet": marked(hit.snippet),
        "snippet_parts": [[text, is_match] for text, is_match in hit.snippet],
    }


@require_GET
def search(request):
    params = SearchParams.from_request(request, per_page_param=True)
    data = {
        "query": params.q,
        "filters": params.filters,
        "sort": params.sort,
        "total": 0,
        "total_exact": True,
        "page": params.page,
        "per_page": params.per_page,
        "took_ms": 0.0,
        "exact": True,
        "notice": "",
        "suggestion": "",
        "facets": {},
        "hits": [],
    }
    if params.q:
        outcome = params.run(request.user)
        data.update(
            {
                "total": outcome.result.total,
                "total_exact": outcome.result.total_exact,
                "took_ms": round(outcome.took_ms, 2),
                "exact": outcome.result.exact,
                "notice": outcome.result.notice,
                "suggestion": outcome.suggestion,
                "facets": {
                    name: [{"value": value, "count": count} for value, count in values]
                    for name, values in outcome.result.facets.items()
                },
                "hits": [hit_json(request, hit) for hit in outcome.hits],
            }
        )
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store" if request.user.is_authenticated else "no-cache"
    response["Vary"] = "Cookie"
    return response


@require_GET
def suggest(request):
    from search.service import suggest as suggest_circulars

    prefix = " ".join(request.GET.get("q", "").split())[:100]
    circulars = suggest_circulars(prefix, request.user, SUGGEST_LIMIT) if prefix else []
    data = {
        "query": prefix,
        "suggestions": [
            {
                "id": c.pk,
                "subject": c.subject,
                "doc_number": c.doc_number,
                "url": _absolute(request, circular_link(c)),
            }
            for c in circulars
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store" if request.user.is_authenticated else "no-cache"
    response["Vary"] = "Cookie"
    return response
