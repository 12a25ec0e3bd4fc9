"""CSRF_FAILURE_VIEW: keep what a respondent typed when their CSRF token went stale.

Logging in again in another tab rotates the CSRF token, so the old tab's "save" or "submit"
(or its autosave) fails Django's CSRF check. For a POST to a response form page or its autosave
endpoint whose Origin (or, without one, Referer) is this very host, the input is kept through
the same path as a post whose session expired (responses.services.keep_pending_input): the page
goes through the login to ``responses.views.restore``; the autosave gets a JSON 403 with a Thai
message and the login link. Nothing is saved into the draft here: the post was not verified,
so it only waits for its author to log in (in the browser that made it) and restore it.
Every other CSRF failure gets Django's default page.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import csrf as django_csrf


def csrf_failure(
    request, reason: str = "", template_name: str = django_csrf.CSRF_FAILURE_TEMPLATE_NAME
):
    if request.method == "POST" and _same_host(request):
        kept = _keep(request)
        if kept is not None:
            return kept
    return django_csrf.csrf_failure(request, reason=reason, template_name=template_name)


def _same_host(request) -> bool:
    source = request.META.get("HTTP_ORIGIN") or request.META.get("HTTP_REFERER") or ""
    if not source or source == "null":
        return False
    return url_has_allowed_host_and_scheme(
        source, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def _keep(request):
    from responses import views

    if not views.had_session(request):
        return None  # nothing of the person's to keep, and strangers must not fill the disk
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    if match is not None and match.view_name == "responses:autosave":
        form = _live_form(match.kwargs.get("form_id"))
        if form is None:
            return None
        return views.keep_autosave_for_login(request, form, csrf=True)
    form = _form_page_at(request)
    if form is None:
        return None
    return views.keep_post_for_login(request, form)


def _live_form(form_id):
    from responses.models import ResponseFormPage

    return ResponseFormPage.objects.live().filter(pk=form_id).first()


def _form_page_at(request):
    """The live response form page Wagtail serves at this path, or None."""
    from wagtail.models import Site

    from responses.models import ResponseFormPage

    site = Site.find_for_request(request)
    if site is None:
        return None
    components = [part for part in request.path_info.split("/") if part]
    try:
        routed = site.root_page.localized.specific.route(request, components)
    except Http404:
        return None
    page = getattr(routed, "page", None) or (routed[0] if isinstance(routed, tuple) else None)
    page = getattr(page, "specific", page)
    if isinstance(page, ResponseFormPage) and page.live:
        return page
    return None
