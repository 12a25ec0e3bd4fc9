"""Admin guards: a response form that holds answers is never deleted with them."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks


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
