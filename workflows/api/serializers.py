"""What the API shows of a circular, and the input each transition accepts."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from cms.circulars.importing.interchange import page_to_record
from cms.thai.dates import ThaiDateError, parse_date_input
from workflows import permissions
from workflows.presentation import history_for, sees_full_history, transition_label, viewable
from workflows.states import CircularState


def _content_of(circular):
    """A draft's content lives in its latest revision; a signed letter's in the page itself."""
    if circular.state == CircularState.DRAFT and circular.latest_revision_id:
        return circular.get_latest_revision_as_object()
    return circular


def _url(circular, request) -> str:
    return circular.get_full_url(request) or ""


def _time(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def history_entry(record, full: bool) -> dict:
    entry = {
        "sequence": record.sequence,
        "at": _time(record.at),
        "transition": record.transition,
        "label": transition_label(record.transition),
        "from": record.source,
        "to": record.target,
    }
    if full:
        entry["actor"] = record.actor_name
        entry["comment"] = record.comment
    return entry


class CircularSummarySerializer(serializers.Serializer):
    """One line of the listing."""

    def to_representation(self, circular) -> dict:
        request = self.context.get("request")
        return {
            "id": circular.pk,
            "url": _url(circular, request),
            "doc_number": circular.doc_number,
            "issued_on": circular.issued_on.isoformat() if circular.issued_on else None,
            "subject": circular.subject,
            "urgency": circular.urgency,
            "secrecy": circular.secrecy,
            "state": circular.state,
            "review_status": circular.review_status,
        }


class CircularSerializer(serializers.Serializer):
    """The whole circular: the letter (as in the interchange format) plus its workflow."""

    def to_representation(self, circular) -> dict:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        full = sees_full_history(user, circular)
        data = page_to_record(_content_of(circular))
        supersedes = viewable(user, circular.supersedes)
        data.update(
            {
                "id": circular.pk,
                "url": _url(circular, request),
                "state": circular.state,
                "state_label": str(circular.get_state_display()),
                "review_status": circular.review_status,
                "verification_code": circular.verification_code,
                "distribute_at": _time(circular.distribute_at),
                "distributed_at": _time(circular.distributed_at),
                "closed_at": _time(circular.closed_at),
                "withdrawn_at": _time(circular.withdrawn_at),
                "withdrawal_reason": circular.withdrawal_reason,
                "amends": supersedes[0].pk if supersedes else None,
                "amended_by": [c.pk for c in viewable(user, circular.amended_by)],
                "transitions": permissions.allowed_transitions(user, circular),
                "history": [history_entry(r, full) for r in history_for(user, circular)],
            }
        )
        return data


class ThaiOrIsoDateField(serializers.DateField):
    """A date as ISO (2026-11-22) or as Thai officers type it (22/11/2569, ๒๒ พ.ย. ๒๕๖๙)."""

    def to_internal_value(self, value):
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_date_input(str(value))
        except ThaiDateError as error:
            raise serializers.ValidationError(str(error)) from error


class TransitionInputSerializer(serializers.Serializer):
    """The body of POST /api/circulars/<id>/transitions/<name>/; unknown keys are refused."""

    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=10_000, trim_whitespace=True
    )

    def validate(self, attrs):
        unknown = sorted(set(getattr(self, "initial_data", {}) or {}) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {
                    key: [_("This transition does not take “%(key)s”.") % {"key": key}]
                    for key in unknown
                }
            )
        return attrs


class EndorseInputSerializer(TransitionInputSerializer):
    initials = serializers.CharField(required=False, allow_blank=True, max_length=50)


class ScheduleInputSerializer(TransitionInputSerializer):
    at = serializers.DateTimeField(
        required=False, help_text=gettext_lazy("When the circular is to be distributed.")
    )


class AcknowledgeInputSerializer(TransitionInputSerializer):
    receive_number = serializers.CharField(required=False, allow_blank=True, max_length=50)
    receive_date = ThaiOrIsoDateField(required=False, allow_null=True)


INPUTS: dict[str, type[TransitionInputSerializer]] = {
    "endorse": EndorseInputSerializer,
    "schedule_distribution": ScheduleInputSerializer,
    "acknowledge": AcknowledgeInputSerializer,
}


def input_serializer(name: str, data) -> TransitionInputSerializer:
    return INPUTS.get(name, TransitionInputSerializer)(data=data)
