"""Small non-API views of the workflow: the receipt form posted from the public page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflows import permissions, services
from workflows.forms import ReceiptForm


@require_POST
def acknowledge(request, pk: int):
    """Fire `acknowledge` for the officer's province, then go back to the circular."""
    from cms.circulars.models import CircularPage

    circular = get_object_or_404(CircularPage, pk=pk)
    if not permissions.can_view(request.user, circular):
        raise Http404
    back = (circular.get_url(request) or "/") + "#receipt"
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return HttpResponseRedirect(back)
    try:
        outcome = services.fire(
            circular,
            "acknowledge",
            request.user,
            "",
            receive_number=form.cleaned_data["receive_number"],
            receive_date=form.cleaned_data["receive_date"],
        )
    except services.WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Receipt recorded with receive number %(number)s.")
            % {"number": outcome.result.receive_number},
        )
    return HttpResponseRedirect(back)
