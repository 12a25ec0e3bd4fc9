"""Staff tools for response forms in Wagtail's admin (mounted at /admin/wian/forms/ by
responses.wagtail_hooks):

* ``form_list`` (/admin/wian/forms/): the forms the user manages, with counts per status.
* ``dashboard`` (/admin/wian/forms/<id>/): every addressed organisation with its status,
  last saved and submitted times, reference; counts; filters ``?status=`` (a services status,
  or ``pending`` = not started or draft) and ``?province=<code>``; pages of 100 (``?p=``);
  deadline and time left; reminders; export links; counts per choice.
* ``response_view`` (/admin/wian/forms/<id>/responses/<response id>/[?v=<version id>]): the
  submitted version (or a chosen one), the working draft flagged as such, the history.
* ``remind`` (POST /admin/wian/forms/<id>/remind/, ``force=1`` to resend within the hour).
* ``export_xlsx`` / ``export_csv`` (/admin/wian/forms/<id>/export.xlsx|.csv, ``?drafts=1``,
  CSV ``?table=<key>``): see responses.exporting.

Who: administrators and staff of the circular's owner unit (``can_manage``); anyone else who
reaches the admin (a province officer, staff of another unit) gets a 403 page.
"""

from __future__ import annotations

import tempfile
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from responses import exporting, reminders, services
from responses.models import Response, ResponseFormPage, ResponseVersion, organisation_code
from responses.presentation import answer_items, time_left
from workflows import roles as R

PER_PAGE = 100
FORMS_PER_PAGE = 20
PENDING = "pending"
STATUS_FILTERS = (
    *((status, services.STATUS_LABELS[status]) for status in services.STATUSES),
    (PENDING, gettext_lazy("Not submitted (not started or draft)")),
)


# -- who ----------------------------------------------------------------------------------------


def can_manage(user, form) -> bool:
    """Administrators, and staff of the owner unit of the form's circular."""
    if not services.is_staff_reader(user):
        return False
    if R.ADMINISTRATOR in R.user_groups(user):
        return True
    return R.UNIT_STAFF in R.roles_for(user, form.circular)


class Refused(Exception):
    """Not for this user: answered with a 403 page (Wagtail turns PermissionDenied into a
    redirect to the dashboard, which would hide the refusal)."""


def refused(request) -> TemplateResponse:
    context = {
        "page_title": _("Not allowed"),
        "header_icon": "warning",
        "reason": _(
            "The response dashboards are for staff of the unit that owns the circular and for "
            "administrators."
        ),
    }
    return TemplateResponse(request, "responses/admin/denied.html", context, status=403)


def staff_view(view):
    """Turn Refused into the 403 page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Refused:
            return refused(request)

    return wrapped


def managed_form(request, form_id: int) -> ResponseFormPage:
    form = (
        ResponseFormPage.objects.select_related("circular__owner_unit").filter(pk=form_id).first()
    )
    if form is None:
        raise Http404
    if not can_manage(request.user, form):
        raise Refused
    return form


# -- the list of forms --------------------------------------------------------------------------


@staff_view
def form_list(request):
    if not services.is_staff_reader(request.user):
        raise Refused
    forms = ResponseFormPage.objects.select_related("circular__owner_unit").order_by("-pk")
    mine = [form for form in forms if can_manage(request.user, form)]
    page = Paginator(mine, FORMS_PER_PAGE).get_page(request.GET.get("p"))
    now = timezone.now()
    rows = [
        {
            "form": form,
            "counts": _count_list(services.status_counts(form)),
            "deadline": form.deadline_date,
            "time_left": time_left(form.effective_deadline, now),
            "is_open": form.is_open(now),
        }
        for form in page
    ]
    context = {
        "page_title": _("Response forms"),
        "header_icon": "form",
        "rows": rows,
        "page_obj": page,
    }
    return TemplateResponse(request, "responses/admin/form_list.html", context)


def _count_list(counts: dict) -> list[dict]:
    return [
        {"status": status, "label": services.STATUS_LABELS[status], "count": counts[status]}
        for status in services.STATUSES
    ]


# -- the dashboard ------------------------------------------------------------------------------


@staff_view
def dashboard(request, form_id: int):
    form = managed_form(request, form_id)
    return _render_dashboard(request, form)


def _render_dashboard(request, form, status: int = 200):
    now = timezone.now()
    everything = services.statuses(form)  # {organisation: status}, every addressed one
    provinces = _provinces(form, everything)
    province = _chosen_province(request.GET.get("province"), provinces)
    in_scope = [
        (org, state)
        for org, state in everything.items()
        if province is None or _province_of(form, org).pk == province.pk
    ]
    counts = {state: 0 for state in services.STATUSES}
    for _org, state in in_scope:
        counts[state] += 1
    wanted = request.GET.get("status", "")
    if wanted not in dict(STATUS_FILTERS):
        wanted = ""
    shown = [(org, state) for org, state in in_scope if _matches(state, wanted)]
    page = Paginator(shown, PER_PAGE).get_page(request.GET.get("p"))
    filters = {"status": wanted, "province": province.code if province else ""}
    last = reminders.last_reminder(form)
    context = {
        "page_title": _("Responses: %(form)s") % {"form": form.title},
        "header_icon": "form",
        "form": form,
        "circular": form.circular,
        "rows": _rows(form, list(page)),
        "page_obj": page,
        "counts": [
            {**item, "url": _query(status=item["status"], province=filters["province"])}
            for item in _count_list(counts)
        ],
        "total": len(in_scope),
        "shown": len(shown),
        "pending": counts[services.NOT_STARTED] + counts[services.DRAFT],
        "status_filters": STATUS_FILTERS,
        "provinces": provinces,
        "filters": filters,
        "page_query": _query(**filters),
        "deadline": form.deadline_date,
        "time_left": time_left(form.effective_deadline, now),
        "is_late": form.is_late(now),
        "is_open": form.is_open(now),
        "closed_reason": form.closed_reason(now),
        "last_reminder": last,
        "reminders": reminders.reminders(form, 5),
        "can_send_at": reminders.can_send_at(form, now),
        "summary": exporting.summarise(form),
        "tables": [q for q in form.schema() if q.is_table],
        "edit_url": reverse("wagtailadmin_pages:edit", args=[form.pk]),
        "workflow_url": reverse("wian_admin:circular", args=[form.circular_id]),
    }
    return TemplateResponse(request, "responses/admin/dashboard.html", context, status=status)


def _matches(state: str, wanted: str) -> bool:
    if not wanted:
        return True
    if wanted == PENDING:
        return state in (services.NOT_STARTED, services.DRAFT)
    return state == wanted


def _province_of(form, organisation):
    return organisation.province if form.for_local_organisations else organisation


def _provinces(form, everything: dict) -> list:
    found = {}
    for org in everything:
        province = _province_of(form, org)
        found[province.pk] = province
    return sorted(found.values(), key=lambda p: p.name_th)


def _chosen_province(value, provinces):
    try:
        code = int(str(value or "").strip())
    except ValueError:
        return None
    return next((p for p in provinces if p.code == code), None)


def _query(**params) -> str:
    kept = {key: value for key, value in params.items() if value not in ("", None)}
    return urlencode(kept)


def _rows(form, page_items: list) -> list[dict]:
    """The shown organisations with what their response says (one query for the page)."""
    field = "local_organisation_id" if form.for_local_organisations else "province_id"
    responses = Response.objects.filter(
        form=form, **{f"{field}__in": [o.pk for o, _s in page_items]}
    )
    if not form.for_local_organisations:
        responses = responses.filter(local_organisation__isnull=True)
    found = {getattr(r, field): r for r in responses}
    rows = []
    for organisation, state in page_items:
        response = found.get(organisation.pk)
        rows.append(
            {
                "organisation": organisation,
                "code": organisation_code(organisation),
                "province": _province_of(form, organisation),
                "status": state,
                "status_label": services.STATUS_LABELS[state],
                "response": response,
                "url": (
                    reverse("wian_forms:response", args=[form.pk, response.pk]) if response else ""
                ),
            }
        )
    return rows


# -- one response -------------------------------------------------------------------------------


@staff_view
def response_view(request, form_id: int, response_id: int):
    form = managed_form(request, form_id)
    response = (
        Response.objects.select_related("province", "local_organisation__province", "updated_by")
        .filter(pk=response_id, form=form)
        .first()
    )
    if response is None or not services.can_read_response(request.user, response):
        raise Http404
    versions = list(response.versions.select_related("created_by").order_by("created_at", "pk"))
    chosen = _chosen_version(request.GET.get("v"), versions)
    if chosen is None and response.is_submitted:
        chosen = response.latest_submission()
    schema = form.schema()
    shown = None
    if chosen is not None:
        files = {item["uuid"]: _file_link(item) for item in chosen.files}
        shown = {
            "version": chosen,
            "items": answer_items(schema, chosen.answers, files),
            "is_latest": chosen.kind == ResponseVersion.Kind.SUBMISSION
            and chosen.version == response.version,
        }
    draft = None
    if not response.is_submitted or response.has_unsent_changes:
        files = {str(item.uuid): _file_link(item.describe()) for item in response.files.all()}
        draft = {
            "items": answer_items(schema, {**response.answers, **response.invalid_input}, files),
            "has_invalid": bool(response.invalid_input),
        }
    status = services.status_of(form, response.organisation)
    context = {
        "page_title": _("Answers of %(organisation)s") % {"organisation": response.organisation},
        "page_subtitle": form.title,
        "header_icon": "form",
        "form": form,
        "circular": form.circular,
        "response": response,
        "organisation": response.organisation,
        "code": response.organisation_code,
        "status": status,
        "status_label": services.STATUS_LABELS[status],
        "shown": shown,
        "draft": draft,
        "versions": versions,
        "dashboard_url": reverse("wian_forms:dashboard", args=[form.pk]),
    }
    return TemplateResponse(request, "responses/admin/response.html", context)


def _chosen_version(value, versions):
    if not value:
        return None
    chosen = next((v for v in versions if str(v.pk) == str(value)), None)
    if chosen is None:
        raise Http404
    return chosen


def _file_link(item: dict) -> dict:
    return {**item, "url": reverse("responses:file", args=[item["uuid"]])}


# -- reminders ----------------------------------------------------------------------------------


@require_POST
@staff_view
def remind(request, form_id: int):
    form = managed_form(request, form_id)
    outcome = reminders.send_reminders(form, request.user, force=bool(request.POST.get("force")))
    (messages.success if outcome.sent else messages.warning)(request, outcome.message)
    return redirect("wian_forms:dashboard", form.pk)


# -- export -------------------------------------------------------------------------------------


def _include_drafts(request) -> bool:
    return request.GET.get("drafts") in ("1", "on", "yes")


@staff_view
def export_xlsx(request, form_id: int):
    form = managed_form(request, form_id)
    handle = tempfile.TemporaryFile()
    exporting.write_xlsx(form, handle, include_drafts=_include_drafts(request))
    handle.seek(0)
    http_response = FileResponse(
        handle,
        as_attachment=True,
        filename=exporting.file_name(form, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    http_response["Cache-Control"] = "private, no-store"
    return http_response


@staff_view
def export_csv(request, form_id: int):
    form = managed_form(request, form_id)
    table = request.GET.get("table", "")
    try:
        lines = exporting.csv_lines(form, table or None, include_drafts=_include_drafts(request))
    except KeyError:
        raise Http404 from None
    http_response = StreamingHttpResponse(
        (line.encode("utf-8") for line in lines), content_type="text/csv; charset=utf-8"
    )
    http_response["Content-Disposition"] = content_disposition_header(
        True, exporting.file_name(form, "csv", table)
    )
    http_response["Cache-Control"] = "private, no-store"
    return http_response
