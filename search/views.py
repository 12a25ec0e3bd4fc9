"""The public search page: a GET form, facets as links, works without JavaScript."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.circulars.models.choices import Urgency
from cms.thai.digits import to_arabic, to_thai
from workflows import roles as R
from workflows.states import CircularState

PER_PAGE = 20
MAX_PAGE = 500  # deep pages are never read; they only cost the server
MAX_QUERY = 200
SORTS = ("relevance", "date")
# URL parameter → the backend's filter and facet name.
FILTERS = {
    "year": "be_year",
    "unit": "unit",
    "urgency": "urgency",
    "topic": "topic",
    "state": "state",
}
FACET_LABELS = {
    "be_year": gettext_lazy("Year (B.E.)"),
    "unit": gettext_lazy("Unit"),
    "urgency": gettext_lazy("Urgency"),
    "topic": gettext_lazy("Topic"),
    "state": gettext_lazy("State"),
}


def is_staff(user) -> bool:
    """Signed-in staff of the department (a unit's member, or an administrator): they may see
    circulars outside the public archive and so may also filter by workflow state."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if R.ADMINISTRATOR in R.user_groups(user):
        return True
    unit, _province = R.membership_of(user)
    return unit is not None


def _positive_int(value, default: int, maximum: int) -> int:
    try:
        number = int(to_arabic(str(value or "")).strip())
    except ValueError:
        return default
    return min(max(number, 1), maximum)


@dataclass
class SearchParams:
    """What the visitor asked, cleaned: unknown values are dropped, never passed on."""

    q: str = ""
    filters: dict = field(default_factory=dict)  # URL name → value, only those set
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE
    staff: bool = False

    @classmethod
    def from_request(cls, request, *, per_page_param: bool = False) -> SearchParams:
        get = request.GET
        staff = is_staff(request.user)
        q = " ".join(get.get("q", "").split())[:MAX_QUERY]
        filters = {}
        year = to_arabic(get.get("year", "").strip())
        if year.isdigit() and len(year) == 4:
            filters["year"] = year
        unit = get.get("unit", "").strip()
        if unit and len(unit) <= 16:
            filters["unit"] = unit
        urgency = get.get("urgency", "").strip()
        if urgency and urgency in Urgency.values:
            filters["urgency"] = urgency
        topic = get.get("topic", "").strip()
        if topic and len(topic) <= 100:
            filters["topic"] = topic
        state = get.get("state", "").strip()
        if staff and state in CircularState.values:
            filters["state"] = state
        sort = get.get("sort", "relevance")
        per_page = PER_PAGE
        if per_page_param:
            per_page = _positive_int(get.get("per_page"), PER_PAGE, 100)
        return cls(
            q=q,
            filters=filters,
            sort=sort if sort in SORTS else "relevance",
            page=_positive_int(get.get("page"), 1, MAX_PAGE),
            per_page=per_page,
            staff=staff,
        )

    def backend_filters(self) -> dict:
        filters = {FILTERS[name]: value for name, value in self.filters.items()}
        if "be_year" in filters:
            filters["be_year"] = int(filters["be_year"])
        return filters

    def run(self, user, *, snippets: bool = True):
        from search.service import search

        outcome = search(
            self.q,
            user,
            filters=self.backend_filters(),
            page=self.page,
            per_page=self.per_page,
            sort=self.sort,
            facets=True,
            snippets=snippets,
        )
        if not self.staff:
            outcome.result.facets.pop("state", None)
        return outcome

    # -- links that change one thing ----------------------------------------------------------

    def url(self, **changes) -> str:
        """This search's URL with `changes` applied (None removes a parameter). Changing
        anything but the page goes back to the first page."""
        values = {"q": self.q, **self.filters}
        if self.sort != "relevance":
            values["sort"] = self.sort
        if "page" not in changes and self.page > 1:
            values["page"] = self.page
        if set(changes) - {"page"}:
            values.pop("page", None)
        for name, value in changes.items():
            if value in (None, "") or (name == "page" and value == 1):
                values.pop(name, None)
            else:
                values[name] = value
        query = urlencode({k: v for k, v in values.items() if v not in (None, "")})
        return reverse("search:page") + (f"?{query}" if query else "")


def highlight_terms(outcome) -> list[str]:
    """The normalised terms the snippets marked: the whole query, or its words."""
    parsed = outcome.query
    return [parsed.text] if outcome.result.exact else parsed.terms


def circular_link(circular) -> str:
    """The public page of a live circular; the workflow page in the admin for the staff who
    find a draft, a signed or a cancelled one (Wagtail serves live pages only)."""
    if circular.live:
        return circular.url or ""
    return reverse("wian_admin:circular", args=[circular.pk])


def value_label(name: str, value: str, units: dict) -> str:
    if name == "be_year":
        return to_thai(value)
    if name == "unit":
        return units.get(value) or value
    if name == "urgency":
        return str(Urgency(value).label) if value in Urgency.values else value
    if name == "state":
        return str(CircularState(value).label) if value in CircularState.values else value
    return value


def _unit_names(codes) -> dict[str, str]:
    from cms.organisations.models import Unit

    codes = {c for c in codes if c}
    if not codes:
        return {}
    return dict(Unit.objects.filter(code__in=codes).values_list("code", "name"))


def _printed_unit_codes(hits) -> dict[int, str]:
    """The unit code printed in the number of hits without an owner unit (imported letters),
    in one query: the service loads only the fields a result line needs."""
    from cms.circulars.models import CircularPage

    without = [hit.circular.pk for hit in hits if hit.circular.owner_unit_id is None]
    if not without:
        return {}
    return dict(CircularPage.objects.filter(pk__in=without).values_list("pk", "doc_unit_code"))


def facet_groups(params: SearchParams, facets: dict, units: dict) -> list[dict]:
    """Each facet as a list of links: choosing a value adds it, the chosen value removes it."""
    reverse_names = {backend: url_name for url_name, backend in FILTERS.items()}
    groups = []
    for name in ("be_year", "unit", "urgency", "topic", "state"):
        values = facets.get(name) or []
        if not values:
            continue
        url_name = reverse_names[name]
        chosen = params.filters.get(url_name)
        items = []
        for value, count in values:
            selected = chosen is not None and str(chosen) == str(value)
            items.append(
                {
                    "value": value,
                    "label": value_label(name, value, units),
                    "count": count,
                    "selected": selected,
                    "url": params.url(**{url_name: None if selected else value}),
                }
            )
        if name == "be_year":
            items.sort(key=lambda item: item["value"], reverse=True)
        groups.append(
            {"name": name, "id": f"facet-{name}", "label": FACET_LABELS[name], "items": items}
        )
    return groups


def active_filters(params: SearchParams, units: dict) -> list[dict]:
    return [
        {
            "label": FACET_LABELS[FILTERS[name]],
            "value": value_label(FILTERS[name], value, units),
            "remove_url": params.url(**{name: None}),
        }
        for name, value in params.filters.items()
    ]


def pagination(params: SearchParams, total: int) -> dict | None:
    pages = min(math.ceil(total / params.per_page), MAX_PAGE) if total else 0
    if pages <= 1:
        return None
    current = min(params.page, pages)
    window = range(max(1, current - 2), min(pages, current + 2) + 1)
    return {
        "current": current,
        "pages": pages,
        "previous_url": params.url(page=current - 1) if current > 1 else "",
        "next_url": params.url(page=current + 1) if current < pages else "",
        "links": [
            {"number": n, "url": params.url(page=n), "current": n == current} for n in window
        ],
        "first_url": params.url(page=1) if window.start > 1 else "",
        "last_url": params.url(page=pages) if window.stop <= pages else "",
    }


def search_page(request):
    from search.analysis import snippet

    params = SearchParams.from_request(request)
    context = {"params": params, "searched": bool(params.q)}
    if params.q:
        outcome = params.run(request.user)
        terms = highlight_terms(outcome)
        facets = outcome.result.facets
        printed_units = _printed_unit_codes(outcome.hits)
        units = _unit_names(
            [v for v, _n in facets.get("unit", [])]
            + [params.filters.get("unit", "")]
            + list(printed_units.values())
        )
        hits = [
            {
                "circular": hit.circular,
                "url": circular_link(hit.circular),
                "subject": snippet(hit.circular.subject, terms, width=10_000),
                "snippet": hit.snippet,
                "unit": hit.circular.owner_unit.name
                if hit.circular.owner_unit
                else units.get(printed_units.get(hit.circular.pk, ""), ""),
            }
            for hit in outcome.hits
        ]
        context.update(
            {
                "outcome": outcome,
                "total": outcome.result.total,
                "total_exact": outcome.result.total_exact,
                # Found only with the words apart (a single quoted phrase is exact whatever the
                # backend's flag says: it never tries the whole query when there are quotes).
                "partial": not outcome.result.exact and len(outcome.query.terms) > 1,
                "hits": hits,
                "first_number": (params.page - 1) * params.per_page + 1,
                "facet_groups": facet_groups(params, facets, units),
                "active_filters": active_filters(params, units),
                "pagination": pagination(params, outcome.result.total),
                "suggestion_url": params.url(q=outcome.suggestion) if outcome.suggestion else "",
                "sort_links": [
                    {
                        "value": value,
                        "label": label,
                        "url": params.url(sort=None if value == "relevance" else value),
                        "current": params.sort == value,
                    }
                    for value, label in (("relevance", _("Relevance")), ("date", _("Newest first")))
                ],
            }
        )
    else:
        context["active_filters"] = []
    return render(request, "search/search.html", context)
