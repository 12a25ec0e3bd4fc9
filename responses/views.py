"""The respondent's side: fill page, autosave, restore after a login, receipt, files.

* ``fill_page`` (ResponseFormPage.serve): login required. Renders every question server-side;
  "add row" / "remove row" are submit buttons that save the draft and come back; "save draft"
  and "submit". Errors are listed at the top (with links) and at each field. A post whose
  session expired is kept (PendingInput; only when the browser still sends a session cookie,
  so strangers cannot fill the disk) and the user goes through the login to ``restore``
  (which shows what still needs correcting). responses.csrf does the same for a post refused
  for a stale CSRF token. Staff see a read-only preview; a province officer sees its อปท.' progress on
  a form for local organisations.
* ``autosave`` (POST /forms/<id>/autosave/, CSRF-protected): the draft, as JSON.
* ``restore`` (/forms/<id>/restore/<token>/): merges kept input into the user's draft (tokens
  expire after 24 hours and work only in the browser that made them).
* ``receipt`` (/forms/<id>/receipt/[?version=N]): printable; reference, time, answers as sent.
* ``response_detail`` (/forms/responses/<pk>/): read-only, for whoever may read the response.
* ``download`` (/forms/files/<uuid>/): a file, only when services.can_read_file allows;
  404 otherwise.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from responses import services
from responses.forms import apply_row_action, build_fields, read_post
from responses.models import (
    PendingInput,
    Response,
    ResponseFile,
    ResponseFormPage,
    ResponseVersion,
)
from responses.presentation import answer_items, time_left
from responses.uploads import ACCEPT, download_name
from responses.validation import clean_answers
from workflows import roles as R

PENDING_COOKIE = "wian_pending"
PENDING_COOKIE_KEEP = 5


def login_url() -> str:
    return resolve_url(getattr(settings, "WAGTAILADMIN_LOGIN_URL", "wagtailadmin_login"))


def _to_login(next_url: str):
    return redirect_to_login(next_url, login_url())


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _live_form_or_404(form_id: int) -> ResponseFormPage:
    form = ResponseFormPage.objects.live().select_related("circular").filter(pk=form_id).first()
    if form is None:
        raise Http404
    return form


def _denied(request, page, reason: str):
    return TemplateResponse(
        request, "responses/denied.html", {"page": page, "reason": reason}, status=403
    )


# -- the fill page ------------------------------------------------------------------------------


def fill_page(request, page: ResponseFormPage):
    if not request.user.is_authenticated:
        if request.method == "POST":
            return _keep_for_login(request, page)
        return _to_login(request.get_full_path())
    try:
        organisation = services.respondent_for(request.user, page)
    except PermissionDenied as denied:
        province = _following_province(request.user, page)
        if province is not None:
            return _render_progress(request, page, province)
        return _denied(request, page, str(denied))
    if organisation is None:
        if request.method == "POST":
            return _denied(
                request, page, _("Staff read forms; only the addressed organisations answer.")
            )
        return _render_fill(request, page, None, None, preview=True)
    if request.method == "POST":
        return _handle_post(request, page, organisation)
    response = services.response_for(page, organisation)
    return _render_fill(
        request, page, organisation, response, errors=_stored_errors(page, response)
    )


def _stored_errors(page, response) -> list:
    """The format errors of what the draft keeps as typed (Response.invalid_input), so the page
    shows those fields as invalid when it is opened again."""
    if response is None or not response.invalid_input:
        return []
    values = {**response.answers, **response.invalid_input}
    return clean_answers(page.schema(), values, partial=True)[1]


def preview_page(request, page):
    """Wagtail's preview of an unsaved or edited form: read-only, nothing stored."""
    return _render_fill(request, page, None, None, preview=True)


def _handle_post(request, page, organisation):
    schema = page.schema()
    posted = apply_row_action(schema, read_post(schema, request.POST, request.FILES))
    submitting = posted.action == "submit"
    write = services.submit if submitting else services.save_draft
    outcome = write(
        page, organisation, posted.raw, posted.uploads, request.user, edit_token=posted.edit_token
    )
    response = outcome.response
    if outcome.refused:
        stored = {**response.answers, **response.invalid_input} if response else {}
        values = {**stored, **posted.raw}
        return _render_fill(
            request, page, organisation, response, values=values, notice=outcome.refused, status=409
        )
    if outcome.stale and outcome.kept_version is not None:
        messages.warning(
            request,
            _(
                "Another window had saved newer input; it has been kept as an earlier version "
                "before this one was saved."
            ),
        )
    if outcome.submitted:
        if outcome.unchanged:
            messages.info(
                request,
                _("These answers had already been sent (reference %(reference)s).")
                % {"reference": response.reference},
            )
        else:
            messages.success(
                request,
                _("Sent. Your reference number is %(reference)s.")
                % {"reference": response.reference},
            )
        return _see_other(reverse("responses:receipt", args=[page.pk]))
    if outcome.errors:
        notice = (
            _(
                "Not sent: correct the answers listed below. Everything you typed is kept in your draft."
            )
            if submitting
            else _("Draft saved. Some answers need correcting before you submit.")
        )
        return _render_fill(
            request, page, organisation, response, errors=outcome.errors, notice=notice
        )
    if posted.action.startswith("add_row"):
        messages.success(request, _("Row added; the draft has been saved."))
    elif posted.action.startswith("remove_row"):
        messages.success(request, _("Row removed; the draft has been saved."))
    else:
        messages.success(request, _("Draft saved."))
    return _see_other(page.url + (f"#{posted.focus}" if posted.focus else ""))


def _render_fill(
    request,
    page,
    organisation,
    response,
    errors=(),
    values=None,
    preview=False,
    notice="",
    status=200,
):
    schema = page.schema()
    if values is None:
        values = {**response.answers, **response.invalid_input} if response else {}
    files_by_id = {str(f.uuid): f for f in response.files.all()} if response else {}
    now = timezone.now()
    deadline = page.effective_deadline
    context = {
        "page": page,
        "self": page,
        "circular": page.circular,
        "organisation": organisation,
        "response": response,
        "status": services.status_of(page, organisation) if organisation else "",
        "index_url": _index_url(page),
        "fields": build_fields(schema, values, list(errors), files_by_id),
        "errors": list(errors),
        "notice": notice,
        "deadline_date": page.deadline_date,
        "time_left": time_left(deadline, now),
        "is_open": page.is_open(now),
        "closed_reason": page.closed_reason(now),
        "is_late": page.is_late(now),
        "accepts_late": page.late_policy == "accept_flagged",
        "preview": preview,
        "autosave_url": reverse("responses:autosave", args=[page.pk]) if page.pk else "",
        "receipt_url": reverse("responses:receipt", args=[page.pk]) if page.pk else "",
        "accept": ACCEPT,
        "max_upload_mb": getattr(settings, "WIAN_RESPONSE_MAX_UPLOAD_MB", 10),
    }
    return TemplateResponse(request, "responses/response_form_page.html", context, status=status)


def _index_url(page) -> str:
    from responses.models import ResponseFormIndexPage

    index = ResponseFormIndexPage.objects.live().first()
    return (index.url if index else None) or "/forms/"


def _following_province(user, page):
    """The province of an officer following its อปท. on a form for local organisations."""
    if not page.for_local_organisations:
        return None
    membership = services.membership_of(user)
    if membership is None or not membership.province_id:
        return None
    if R.PROVINCE_OFFICER not in R.user_groups(user):
        return None
    if not page.circular.is_addressed_to(membership.province_id):
        return None
    return membership.province


def _render_progress(request, page, province):
    progress = services.local_progress(page, province)
    response_ids = dict(
        Response.objects.filter(form=page, local_organisation__province=province).values_list(
            "local_organisation_id", "pk"
        )
    )
    rows = [
        {"organisation": org, "status": status, "response_id": response_ids.get(org.pk)}
        for org, status in progress.items()
    ]
    counts = {status: 0 for status in services.STATUSES}
    for row in rows:
        counts[row["status"]] += 1
    context = {
        "page": page,
        "self": page,
        "circular": page.circular,
        "province": province,
        "rows": rows,
        "counts": counts,
        "deadline_date": page.deadline_date,
    }
    return TemplateResponse(request, "responses/local_progress.html", context)


# -- a post after the session expired -----------------------------------------------------------


def _remember_pending(http_response, request, token: str) -> None:
    tokens = [t for t in request.COOKIES.get(PENDING_COOKIE, "").split(":") if t]
    tokens = [*tokens[-(PENDING_COOKIE_KEEP - 1) :], token]
    http_response.set_cookie(
        PENDING_COOKIE,
        ":".join(tokens),
        max_age=24 * 3600,
        path="/forms/",
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def had_session(request) -> bool:
    """Did the browser send a session cookie (a session that expired)? Only then is a post
    kept: a stranger without one must not be able to fill the disk."""
    return bool(request.COOKIES.get(settings.SESSION_COOKIE_NAME))


def _keep_for_login(request, page):
    if not had_session(request):
        return _to_login(page.url)
    return keep_post_for_login(request, page)


def keep_post_for_login(request, page):
    """Keep the posted input (PendingInput) and send the user through the login to restore it.
    Also used by responses.csrf when a stale CSRF token refused the post."""
    pending = services.keep_pending_input(page, request.POST, request.FILES)
    http_response = _to_login(reverse("responses:restore", args=[page.pk, pending.token]))
    _remember_pending(http_response, request, pending.token)
    return http_response


def keep_autosave_for_login(request, form, csrf: bool = False):
    """Keep an autosave's fields and answer with JSON holding the login link to restore them:
    401 when the session expired, 403 when the CSRF token went stale (responses.csrf)."""
    pending = services.keep_pending_input(form, request.POST, MultiValueDict())
    restore_url = reverse("responses:restore", args=[form.pk, pending.token])
    if csrf:
        message = _(
            "This page is out of date (you logged in again in another window). What you typed "
            "is kept: log in again to continue, or reload the page."
        )
    else:
        message = _("Your session has expired. What you typed is kept: log in again to continue.")
    http_response = JsonResponse(
        {
            "saved": False,
            "csrf": csrf,
            "login_url": f"{login_url()}?next={quote(restore_url)}",
            "message": message,
        },
        status=403 if csrf else 401,
    )
    _remember_pending(http_response, request, pending.token)
    return http_response


def restore(request, form_id: int, token: str):
    form = _live_form_or_404(form_id)
    if not request.user.is_authenticated:
        return _to_login(request.get_full_path())
    pending = PendingInput.objects.filter(token=token, form=form).first()
    mine = token in request.COOKIES.get(PENDING_COOKIE, "").split(":")
    if pending is None or not mine or pending.is_expired():
        if pending is not None and pending.is_expired():
            pending.delete()
        messages.error(
            request,
            _(
                "The input kept during your login has expired or was kept in another browser; "
                "nothing was restored."
            ),
        )
        return _see_other(form.url)
    try:
        organisation = services.respondent_for(request.user, form)
    except PermissionDenied as denied:
        return _denied(request, form, str(denied))
    if organisation is None:
        return _denied(request, form, _("Only the organisations a form is addressed to answer it."))
    outcome = services.restore_pending_input(pending, form, organisation, request.user)
    if outcome.refused:
        messages.error(request, outcome.refused)
        http_response = _see_other(form.url)
    elif outcome.errors:
        # Put back, but some of it needs correcting: show where, as a save with errors would.
        http_response = _render_fill(
            request,
            form,
            organisation,
            outcome.response,
            errors=outcome.errors,
            notice=_(
                "What you typed before logging in again has been put back into your draft, but "
                "some answers need correcting before you submit."
            ),
        )
    else:
        messages.success(
            request,
            _(
                "What you typed before logging in again has been put back into your draft. "
                "Check it, then submit."
            ),
        )
        http_response = _see_other(form.url)
    left = [t for t in request.COOKIES.get(PENDING_COOKIE, "").split(":") if t and t != token]
    if left:
        http_response.set_cookie(
            PENDING_COOKIE, ":".join(left), max_age=24 * 3600, path="/forms/", httponly=True
        )
    else:
        http_response.delete_cookie(PENDING_COOKIE, path="/forms/")
    return http_response


# -- autosave -----------------------------------------------------------------------------------


@require_POST
def autosave(request, form_id: int):
    form = _live_form_or_404(form_id)
    if not request.user.is_authenticated:
        if not had_session(request):
            return JsonResponse(
                {
                    "saved": False,
                    "login_url": f"{login_url()}?next={quote(form.url)}",
                    "message": _("You are not logged in. Log in to answer this form."),
                },
                status=401,
            )
        return keep_autosave_for_login(request, form)
    try:
        organisation = services.respondent_for(request.user, form)
    except PermissionDenied as denied:
        return JsonResponse({"saved": False, "message": str(denied)}, status=403)
    if organisation is None:
        return JsonResponse(
            {"saved": False, "message": _("Staff do not answer forms.")}, status=403
        )
    posted = read_post(form.schema(), request.POST, None, honour_removals=False)
    current = services.response_for(form, organisation)
    if current is not None and services.is_stale(current, posted.edit_token):
        # Another window saved since this page was loaded: never overwrite it in the
        # background; the page says so and the person decides.
        return JsonResponse(
            {
                "saved": False,
                "stale": True,
                "message": _(
                    "This form was saved in another window. Reload the page to see the newest "
                    "draft, or save this one to keep both."
                ),
            },
            status=409,
        )
    outcome = services.save_draft(
        form, organisation, posted.raw, {}, request.user, edit_token=posted.edit_token
    )
    if outcome.refused:
        return JsonResponse({"saved": False, "message": outcome.refused}, status=409)
    from cms.circulars.templatetags.thai_text import thai_datetime

    return JsonResponse(
        {
            "saved": True,
            "edit_token": outcome.response.edit_token,
            "message": _("Draft saved automatically, %(time)s.")
            % {"time": thai_datetime(timezone.now())},
            "errors": [error.message for error in outcome.errors],
        }
    )


# -- receipt, reading, files --------------------------------------------------------------------


def receipt(request, form_id: int):
    form = _live_form_or_404(form_id)
    if not request.user.is_authenticated:
        return _to_login(request.get_full_path())
    try:
        organisation = services.respondent_for(request.user, form)
    except PermissionDenied as denied:
        return _denied(request, form, str(denied))
    if organisation is None:
        return _denied(request, form, _("Receipts belong to the organisations that answer."))
    response = services.response_for(form, organisation)
    if response is None or not response.is_submitted:
        messages.info(request, _("Nothing has been sent yet."))
        return _see_other(form.url)
    version = _version(response, request.GET.get("version"))
    return _render_answers(request, form, response, version, receipt=True)


def _version(response: Response, asked) -> ResponseVersion:
    if asked:
        try:
            version = response.submission(int(asked))
        except (TypeError, ValueError):
            version = None
        if version is None:
            raise Http404
        return version
    return response.latest_submission()


def response_detail(request, pk: int):
    if not request.user.is_authenticated:
        return _to_login(request.get_full_path())
    response = (
        Response.objects.select_related("form__circular", "province", "local_organisation")
        .filter(pk=pk)
        .first()
    )
    if response is None or not services.can_read_response(request.user, response):
        raise Http404
    version = _version(response, request.GET.get("version")) if response.is_submitted else None
    return _render_answers(request, response.form, response, version, receipt=False)


def _render_answers(request, form, response, version, receipt: bool):
    schema = form.schema()
    files = {}
    if version is not None:
        for item in version.files:
            files[item["uuid"]] = {
                **item,
                "url": reverse("responses:file", args=[item["uuid"]]),
            }
    items = answer_items(schema, version.answers, files) if version is not None else []
    submissions = list(
        response.versions.filter(kind=ResponseVersion.Kind.SUBMISSION).order_by("version")
    )
    context = {
        "page": form,
        "self": form,
        "circular": form.circular,
        "response": response,
        "version": version,
        "submissions": submissions,
        "items": items,
        "organisation": response.organisation,
        "is_receipt": receipt,
        "base_url": request.path,
    }
    return TemplateResponse(request, "responses/receipt.html", context)


def download(request, file_uuid):
    item = (
        ResponseFile.objects.select_related("response__form__circular")
        .filter(uuid=file_uuid)
        .first()
    )
    if item is None or not services.can_read_file(request.user, item):
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404
    http_response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(item.original_name, item.content_type),
        content_type=item.content_type,
    )
    http_response["Cache-Control"] = "private, no-store"
    http_response["X-Content-Type-Options"] = "nosniff"
    return http_response


# -- the index ----------------------------------------------------------------------------------


def index_page(request, page):
    if not request.user.is_authenticated:
        return _to_login(request.get_full_path())
    context = {"page": page, "self": page, "entries": services.forms_for_user(request.user)}
    return TemplateResponse(request, "responses/response_form_index_page.html", context)
