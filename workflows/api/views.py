"""The circulars API. Every answer comes from the permission table and `services.fire`."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from cms.circulars.models import CircularPage
from workflows import permissions, services
from workflows.api.serializers import (
    CircularSerializer,
    CircularSummarySerializer,
    input_serializer,
)
from workflows.machine import TRANSITIONS


def viewable_circular(user, pk: int) -> CircularPage:
    """The circular `pk` if `user` may see it; otherwise 404, whether it exists or not."""
    circular = CircularPage.objects.select_related("owner_unit").filter(pk=pk).first()
    if circular is None or not permissions.can_view(user, circular):
        raise NotFound(_("There is no such circular."))
    return circular


class CircularPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class CircularListView(ListAPIView):
    """GET /api/circulars/[?page=N&page_size=M] — what the user may see, newest first."""

    serializer_class = CircularSummarySerializer
    pagination_class = CircularPagination

    def get_queryset(self):
        visible = CircularPage.objects.filter(permissions.visible_q(self.request.user))
        return (
            CircularPage.objects.filter(pk__in=visible.values("pk"))
            .select_related("owner_unit")
            .order_by("-issued_on", "-doc_running", "-pk")
        )


class CircularDetailView(APIView):
    """GET /api/circulars/<id>/ — the letter, its state, what you may do, and its history."""

    def get(self, request, pk: int):
        circular = viewable_circular(request.user, pk)
        return Response(CircularSerializer(circular, context={"request": request}).data)


class TransitionView(APIView):
    """POST /api/circulars/<id>/transitions/<name>/ with {"comment": "...", ...}."""

    def post(self, request, pk: int, name: str):
        circular = viewable_circular(request.user, pk)
        try:
            body = request.data
        except ParseError as error:
            return Response({"detail": str(error.detail)}, status=status.HTTP_400_BAD_REQUEST)
        if not isinstance(body, dict):
            return Response(
                {"detail": _("The body must be a JSON object.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        given = input_serializer(name, body)
        if not given.is_valid():
            return Response(
                {"detail": _("The input is not valid."), "errors": given.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        values = dict(given.validated_data)
        comment = values.pop("comment", "")
        try:
            outcome = services.fire(circular, name, request.user, comment, **values)
        except services.WorkflowError as error:
            return Response({"detail": error.message}, status=error.status)
        except ValueError as error:
            # The machine refuses incomplete input (e.g. scheduling without a time).
            detail = str(error)
            if name == "schedule_distribution" and "at" not in values:
                detail = _("“at” (the time of distribution) is required for “%(transition)s”.") % {
                    "transition": TRANSITIONS[name][0]
                }
            return Response({"detail": detail}, status=status.HTTP_400_BAD_REQUEST)
        return Response(self.outcome_data(request, outcome))

    def outcome_data(self, request, outcome) -> dict:
        circular = outcome.circular
        data = {
            "id": circular.pk,
            "transition": outcome.transition,
            "from": outcome.source,
            "to": outcome.target,
            "state": circular.state,
            "review_status": circular.review_status,
            "transitions": permissions.allowed_transitions(request.user, circular),
        }
        result = outcome.result
        if outcome.transition == "amend" and isinstance(result, CircularPage):
            data["draft"] = {"id": result.pk, "subject": result.subject}
        elif outcome.transition == "acknowledge" and result is not None:
            data["receipt"] = {
                "province": str(result.province),
                "receive_number": result.receive_number,
                "receive_date": result.receive_date.isoformat() if result.receive_date else None,
                "acknowledged_at": result.acknowledged_at.isoformat(),
            }
        return data
