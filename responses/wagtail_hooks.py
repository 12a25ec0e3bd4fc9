"""Admin guards: a response form that holds answers is never deleted with them."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem


@hooks.register("before_delete_page")
def keep_forms_that_hold_answers(request, page):
    from responses.models import Response, ResponseFormPage

    forms = ResponseFormPage.objects.descendant_of(page, inclusive=True)
    if Response.objects.filter(form__in=forms).exists():
        messages.error(
            request,
            _(
                "This page cannot be deleted: organisations have already answered its form. "
                "Unpublish it instead; the answers stay."
            ),
        )
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


# -- staff tools: the dashboards, reminders and exports (responses.admin_views) -------------------


@hooks.register("register_admin_urls")
def register_response_admin_urls():
    from django.urls import include, path

    from responses import admin_urls

    return [path("wian/forms/", include((admin_urls, "wian_forms"), namespace="wian_forms"))]


@hooks.register("register_log_actions")
def register_response_log_actions(actions):
    from django.utils.translation import gettext_lazy

    from responses.reminders import ACTION

    label = gettext_lazy("Reminders sent to organisations that have not submitted")
    actions.register_action(ACTION, label, label)


class ResponseFormsMenuItem(MenuItem):
    """Shown to administrators and unit staff (services.is_staff_reader)."""

    def is_shown(self, request):
        from responses.services import is_staff_reader

        return is_staff_reader(request.user)


@hooks.register("register_admin_menu_item")
def response_forms_menu_item():
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    return ResponseFormsMenuItem(
        gettext_lazy("Responses"),
        reverse("wian_forms:index"),
        name="wian-responses",
        icon_name="form",
        order=155,
    )


class ResponsesButton(PageMenuItem):
    """On a response form (and on a circular that has forms): the way to its dashboard."""

    icon_name = "form"

    @cached_property
    def url(self):
        from django.urls import reverse

        return reverse("wian_forms:dashboard", args=[self.form_id])

    def __init__(self, *args, form_id, **kwargs):
        self.form_id = form_id
        super().__init__(*args, **kwargs)


def _response_buttons(page, user):
    from cms.circulars.models import CircularPage
    from responses.admin_views import can_manage
    from responses.models import ResponseFormPage

    specific_class = getattr(page, "specific_class", None) or type(page)
    if issubclass(specific_class, ResponseFormPage):
        forms = ResponseFormPage.objects.filter(pk=page.pk)
    elif issubclass(specific_class, CircularPage):
        forms = ResponseFormPage.objects.filter(circular_id=page.pk)
    else:
        return
    for form in forms.select_related("circular__owner_unit"):
        if can_manage(user, form):
            yield ResponsesButton(
                _("Responses: %(form)s") % {"form": form.title},
                page=page,
                form_id=form.pk,
                priority=6,
            )


@hooks.register("register_page_header_buttons")
def responses_header_buttons(page, user, view_name=None, next_url=None):
    yield from _response_buttons(page, user)


@hooks.register("register_page_listing_buttons")
def responses_listing_buttons(page, user, next_url=None):
    from responses.models import ResponseFormPage

    specific_class = getattr(page, "specific_class", None) or type(page)
    if issubclass(specific_class, ResponseFormPage):  # circulars: too many rows to look up
        yield from _response_buttons(page, user)
