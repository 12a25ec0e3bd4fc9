"""The workflow in Wagtail's admin: a circular's workflow page, the inbox, the dashboard
panels and the generated diagram. Every decision is the permission table's
(`workflows.permissions`); every move goes through `workflows.services.fire`."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.ui.components import Component

from cms.circulars.models import CircularPage
from cms.thai.digits import to_arabic
from cms.thai.formfields import ThaiDateField, ThaiDateInput
from workflows import diagram, permissions, services
from workflows import roles as R
from workflows.machine import TRANSITIONS
from workflows.models import Endorsement, EndorsementStep, Notification
from workflows.models.history import verify_chain
from workflows.register import NoOwnerUnit
from workflows.states import CircularState as S

# Who sees the inside of a circular's file (the initials, every history record, all receipts);
# everyone else who may view it sees the letter, its public history and their own receipt.
INSIDERS = frozenset({R.AUTHOR, R.UNIT_STAFF, R.ADMINISTRATOR, R.DELEGATE})

RECEIPT_STATUS = {
    "not_opened": gettext_lazy("Not opened"),
    "opened": gettext_lazy("Opened"),
    "acknowledged": gettext_lazy("Acknowledged"),
}

PANEL_LIMIT = 10


def transition_label(name: str) -> str:
    if name in TRANSITIONS:
        return str(TRANSITIONS[name][0])
    if name == "imported":
        return _("Imported")
    if name == "attach_scan":
        return _("Scanned signed copy attached")
    return name


# -- forms -------------------------------------------------------------------------------------


class ThaiTimeField(forms.TimeField):
    """A time typed as 13:30, 13.30 or ๑๓.๓๐ (digits read by cms.thai)."""

    input_formats = ["%H:%M", "%H.%M", "%H:%M:%S"]

    def to_python(self, value):
        if isinstance(value, str):
            value = to_arabic(value.strip().removesuffix("น.").strip())
        return super().to_python(value)


class ThaiDateTimeWidget(forms.MultiWidget):
    def __init__(self, attrs=None):
        widgets = (
            ThaiDateInput(),
            forms.TextInput(attrs={"placeholder": _("e.g. 09:30"), "size": 6}),
        )
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if value:
            local = timezone.localtime(value)
            return [local.date(), local.strftime("%H:%M")]
        return [None, None]


class ThaiDateTimeField(forms.MultiValueField):
    """A Buddhist-era date and a time, as one aware datetime in the site's time zone."""

    widget = ThaiDateTimeWidget

    def __init__(self, **kwargs):
        super().__init__(fields=(ThaiDateField(), ThaiTimeField()), **kwargs)

    def compress(self, data_list):
        if not data_list or None in data_list:
            return None
        day, time = data_list
        return timezone.make_aware(datetime.datetime.combine(day, time))


class TransitionForm(forms.Form):
    """The comment every transition carries; required where permissions.COMMENT_REQUIRED says."""

    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, transition: str, *args, **kwargs):
        kwargs.setdefault("prefix", transition)
        super().__init__(*args, **kwargs)
        self.transition = transition
        self.label = transition_label(transition)
        what = permissions.COMMENT_REQUIRED.get(transition)
        self.comment_required = bool(what)
        if what:
            what = str(what)  # the table's word for it, in the active language
            field = self.fields["comment"]
            field.required = True
            field.label = capfirst(what)
            field.error_messages["required"] = _("A %(what)s is required for “%(transition)s”.") % {
                "what": what,
                "transition": self.label,
            }

    def transition_kwargs(self) -> dict:
        return {}


class EndorseForm(TransitionForm):
    initials = forms.CharField(
        label=gettext_lazy("Initials"),
        max_length=50,
        required=False,
        help_text=gettext_lazy("Leave empty to use the initials of your name."),
    )

    def transition_kwargs(self) -> dict:
        return {"initials": self.cleaned_data["initials"]}


class ScheduleDistributionForm(TransitionForm):
    at = ThaiDateTimeField(
        label=gettext_lazy("Distribute at"),
        help_text=gettext_lazy("Date (Buddhist era) and time, e.g. 15/03/2568 09:30."),
    )

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at is not None and at <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future."))
        return at

    def transition_kwargs(self) -> dict:
        return {"at": self.cleaned_data["at"]}


class AcknowledgeForm(TransitionForm):
    receive_number = forms.CharField(
        label=gettext_lazy("Receive number"),
        max_length=50,
        help_text=gettext_lazy("The number in your province's register of received letters."),
    )
    receive_date = ThaiDateField(
        label=gettext_lazy("Receive date"),
        required=False,
        help_text=gettext_lazy("Leave empty for today."),
    )

    def transition_kwargs(self) -> dict:
        return {
            "receive_number": self.cleaned_data["receive_number"],
            "receive_date": self.cleaned_data["receive_date"] or timezone.localdate(),
        }


FORMS = {
    "endorse": EndorseForm,
    "schedule_distribution": ScheduleDistributionForm,
    "acknowledge": AcknowledgeForm,
}


def transition_form(name: str, data=None) -> TransitionForm:
    return FORMS.get(name, TransitionForm)(name, data)


# -- the workflow page of one circular ----------------------------------------------------------


def visible_circular(request, page_id: int) -> CircularPage:
    """The circular, if the table lets this user see it; 404 otherwise (never a hint)."""
    circular = get_object_or_404(CircularPage.objects.select_related("owner_unit"), pk=page_id)
    if not permissions.can_view(request.user, circular):
        raise Http404
    return circular


class ScanForm(forms.Form):
    scan = forms.FileField(
        label=gettext_lazy("Scanned signed copy"),
        help_text=gettext_lazy("PDF or image of the signed paper letter."),
    )


def circular_workflow(request, page_id: int):
    circular = visible_circular(request, page_id)
    if request.method == "POST" and request.POST.get("attach_scan"):
        return _attach_scan(request, circular)
    if request.method == "POST":
        return _fire(request, circular)
    _mark_opened(request.user, circular)
    return _render(request, circular)


def _mark_opened(user, circular) -> None:
    """An addressee opening the letter in the admin counts as opening it (as on the site)."""
    recipient = circular.recipient_for(user)
    if recipient is not None and recipient.opened_at is None:
        type(recipient).objects.filter(pk=recipient.pk).update(opened_at=timezone.now())


def _fire(request, circular):
    name = request.POST.get("transition", "")
    form = transition_form(name, request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _render(request, circular, bound=form, status=400)
    try:
        outcome = services.fire(
            circular, name, request.user, form.cleaned_data["comment"], **form.transition_kwargs()
        )
    except services.WorkflowError as error:
        messages.error(request, error.message)
        circular = CircularPage.objects.select_related("owner_unit").get(pk=circular.pk)
        return _render(request, circular, bound=form, status=error.status)
    except NoOwnerUnit:
        messages.error(request, _("Choose the owner unit before signing: it gives the number."))
        return _render(request, circular, bound=form, status=409)
    messages.success(
        request,
        _("%(transition)s: done. The circular is now %(position)s.")
        % {
            "transition": transition_label(name),
            "position": diagram.position_label(outcome.target),
        },
    )
    if name == "amend" and isinstance(outcome.result, CircularPage):
        return redirect("wagtailadmin_pages:edit", outcome.result.pk)
    if permissions.can_view(request.user, outcome.circular):
        return redirect("wian_admin:circular", circular.pk)
    return redirect("wagtailadmin_home")


def _attach_scan(request, circular):
    form = ScanForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _render(request, circular, status=400)
    try:
        services.attach_scan(circular, request.user, form.cleaned_data["scan"])
    except services.WorkflowError as error:
        messages.error(request, error.message)
        return _render(request, circular, status=error.status)
    messages.success(request, _("The scanned signed copy is filed with the circular."))
    return redirect("wian_admin:circular", circular.pk)


def _render(request, circular, *, bound: TransitionForm | None = None, status: int = 200):
    user = request.user
    roles = R.roles_for(user, circular)
    insider = bool(roles & INSIDERS)
    allowed = permissions.allowed_transitions(user, circular)
    forms_ = [transition_form(name) for name in allowed]
    if bound is not None:
        # Whatever the user typed comes back, even when the transition is no longer open.
        forms_ = [bound if f.transition == bound.transition else f for f in forms_]
        if bound.transition not in allowed:
            forms_.insert(0, bound)
    records = list(circular.history.select_related("actor").order_by("sequence"))
    broken_at = verify_chain(records)
    shown = records if insider else [r for r in records if r.public]
    context = {
        "circular": circular,
        "page_title": _("Workflow"),
        "page_subtitle": circular.get_admin_display_title(),
        "header_title": _("Workflow") + ": " + circular.get_admin_display_title(),
        "header_icon": "tasks",
        "position": diagram.position_label(permissions.position(circular)),
        "is_draft": circular.state == S.DRAFT,
        "insider": insider,
        "forms": forms_,
        "allowed_names": allowed,
        "history": [_history_row(r) for r in shown],
        "history_count": len(records),
        "chain_broken_at": broken_at,
        "chain_checked": bool(records),
        "chain": _endorsement_chain(circular) if insider else None,
        "receipts": _receipts(user, circular, insider),
        "can_edit": permissions.can_edit(user, circular),
        "scan_form": ScanForm() if permissions.can_attach_scan(user, circular) else None,
        "signed_scan": circular.signed_scan,
        "edit_url": reverse("wagtailadmin_pages:edit", args=[circular.pk]),
        "live_url": (circular.get_url(request) or "") if circular.live else "",
        "amended_by": circular.amended_by if circular.state in (S.DISTRIBUTED, S.CLOSED) else [],
        "verification_code": circular.verification_code if circular.state != S.DRAFT else "",
    }
    return TemplateResponse(request, "workflows/circular_workflow.html", context, status=status)


def _history_row(record) -> dict:
    return {
        "sequence": record.sequence,
        "at": record.at,
        "actor": record.actor_name,
        "transition": record.transition,
        "label": transition_label(record.transition),
        "source": diagram.position_label(record.source),
        "target": diagram.position_label(record.target),
        "comment": record.comment,
        "public": record.public,
    }


def _endorsement_chain(circular) -> dict:
    """The initials block: every step of the unit's chain with who initialled it, and when."""
    steps = circular.endorsement_steps()
    done = list(
        Endorsement.objects.filter(circular=circular)
        .select_related("user")
        .order_by("-round", "step_order")
    )
    this_round = {e.step_order: e for e in done if e.round == circular.review_round}
    current = circular.current_endorsement_step() if circular.state == S.DRAFT else None
    rows = [
        {
            "step": step,
            "expected": _expected_endorser(step),
            "endorsement": this_round.get(step.order),
            "current": current is not None
            and step.pk == current.pk
            and circular.review_status == permissions.IN_REVIEW,
        }
        for step in steps
    ]
    # Initials of steps since removed from the chain stay on record.
    known = {step.order for step in steps}
    rows += [
        {"step": None, "expected": e.step_title, "endorsement": e, "current": False}
        for order, e in sorted(this_round.items())
        if order not in known
    ]
    earlier = [e for e in done if e.round != circular.review_round]
    return {"rows": rows, "round": circular.review_round, "earlier": earlier}


def _expected_endorser(step) -> str:
    if step.endorser_id:
        return step.endorser.get_full_name() or step.endorser.get_username()
    unit = step.endorser_unit or step.unit
    return _("any endorser of %(unit)s") % {"unit": unit.name}


def _receipts(user, circular, insider: bool) -> dict | None:
    if circular.state not in (S.DISTRIBUTED, S.CLOSED, S.WITHDRAWN):
        return None
    recipients = circular.recipients.select_related("province", "acknowledged_by")
    if not insider:
        own = circular.recipient_for(user)
        recipients = recipients.filter(pk=own.pk) if own else recipients.none()
    rows = [
        {"recipient": r, "status": r.status, "status_label": RECEIPT_STATUS[r.status]}
        for r in recipients
    ]
    counts = {key: 0 for key in RECEIPT_STATUS}
    for row in rows:
        counts[row["status"]] += 1
    return {
        "rows": rows,
        "counts": [
            {"status": key, "label": RECEIPT_STATUS[key], "count": counts[key]}
            for key in RECEIPT_STATUS
        ],
        "all": insider,
    }


# -- the inbox ---------------------------------------------------------------------------------


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def inbox(request):
    notifications = Notification.objects.filter(user=request.user).select_related("circular")
    page = Paginator(notifications.order_by("-created_at", "-pk"), 50).get_page(
        request.GET.get("p")
    )
    context = {
        "page_title": _("Inbox"),
        "header_icon": "mail",
        "notifications": page,
        "unread": unread_count(request.user),
    }
    return TemplateResponse(request, "workflows/inbox.html", context)


@require_POST
def inbox_mark_read(request):
    """Mark the user's own notifications read: the ones listed in `ids`, or all of them."""
    mine = Notification.objects.filter(user=request.user, read_at__isnull=True)
    if request.POST.get("all"):
        marked = mine.update(read_at=timezone.now())
    else:
        ids = [int(i) for i in request.POST.getlist("ids") if str(i).isdigit()]
        marked = mine.filter(pk__in=ids).update(read_at=timezone.now())
    if marked:
        messages.success(request, _("Marked %(count)d notifications as read.") % {"count": marked})
    return redirect("wian_admin:inbox")


# -- the workflow diagram and the permission table ---------------------------------------------


def workflow_overview(request):
    context = {
        "page_title": _("Circular workflow"),
        "header_icon": "tasks",
        "svg": mark_safe(diagram.svg()),  # built by diagram.svg from escaped text only
        "roles": [diagram.role_label(role) for role in diagram.table_roles()],
        "rows": diagram.permission_rows(),
        "transitions": diagram.transition_rows(),
        "secret_audience": ", ".join(
            diagram.role_label(role) for role in sorted(permissions.SECRET_AUDIENCE)
        ),
    }
    return TemplateResponse(request, "workflows/workflow_overview.html", context)


def workflow_svg(request):
    return HttpResponse(diagram.svg(), content_type="image/svg+xml; charset=utf-8")


# -- dashboard panels ----------------------------------------------------------------------------


def _descendants(unit) -> set[int]:
    from cms.organisations.models import Unit

    ids, frontier = {unit.pk}, [unit.pk]
    while frontier:
        frontier = [
            pk
            for pk in Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            if pk not in ids
        ]
        ids.update(frontier)
    return ids


def _units_around(unit) -> set[int]:
    """The units whose circulars a member of `unit` works on: below it and above it."""
    return _descendants(unit) | R.unit_lineage(unit) if unit is not None else set()


def _candidates():
    return CircularPage.objects.select_related(
        "owner_unit__parent__parent__parent", "owner"
    ).defer_streamfields()


class CircularPanel(Component):
    """A dashboard list of circulars: candidates by queryset, then the table decides."""

    template_name = "workflows/panels/circulars.html"
    name = ""
    heading = ""
    empty = ""
    order = 50
    show_review = True
    show_deadline = False

    def __init__(self, request):
        self.request = request
        self.user = request.user

    def candidates(self):
        return CircularPage.objects.none()

    def keep(self, circular) -> bool:
        return permissions.can_view(self.user, circular)

    @cached_property
    def circulars(self) -> list:
        found = []
        for circular in self.candidates()[: PANEL_LIMIT * 3]:
            if self.keep(circular):
                found.append(circular)
                if len(found) == PANEL_LIMIT:
                    break
        return found

    def get_context_data(self, parent_context=None):
        return {
            "panel": self,
            "circulars": self.circulars,
            "request": self.request,
        }

    def render_html(self, parent_context=None):
        if not self.circulars:
            return ""
        return super().render_html(parent_context)


class ToEndorsePanel(CircularPanel):
    name = "wian-to-endorse"
    heading = gettext_lazy("Waiting for my initials")
    order = 51

    def candidates(self):
        unit, _province = R.membership_of(self.user)
        mine = Q(endorser=self.user)
        if unit is not None and R.user_groups(self.user) & {R.ENDORSER, R.SIGNATORY}:
            mine |= Q(endorser__isnull=True, endorser_unit=unit)
            mine |= Q(endorser__isnull=True, endorser_unit__isnull=True, unit=unit)
        steps = EndorsementStep.objects.filter(mine).values("unit")
        return (
            _candidates()
            .filter(state=S.DRAFT, review_status=permissions.IN_REVIEW, owner_unit__in=steps)
            .exclude(owner=self.user)
            .order_by("latest_revision_created_at", "pk")
        )

    def keep(self, circular) -> bool:
        return permissions.refusal(self.user, circular, "endorse") is None


class ToSignPanel(CircularPanel):
    name = "wian-to-sign"
    heading = gettext_lazy("Waiting for my signature")
    order = 52

    def candidates(self):
        from workflows.models import Delegation

        units: set[int] = set()
        if R.SIGNATORY in R.user_groups(self.user):
            units |= _units_around(R.membership_of(self.user)[0])
        for delegation in Delegation.objects.filter(delegate=self.user).select_related("unit"):
            if delegation.is_current():
                units |= _descendants(delegation.unit)
        if not units:
            return CircularPage.objects.none()
        return (
            _candidates()
            .filter(state=S.DRAFT, review_status=permissions.ENDORSED, owner_unit_id__in=units)
            .exclude(owner=self.user)
            .order_by("latest_revision_created_at", "pk")
        )

    def keep(self, circular) -> bool:
        return permissions.refusal(self.user, circular, "sign") is None


class ToDistributePanel(CircularPanel):
    name = "wian-to-distribute"
    heading = gettext_lazy("Ready to distribute")
    order = 53
    show_review = False

    def candidates(self):
        if R.REGISTRAR not in R.user_groups(self.user):
            return CircularPage.objects.none()
        units = _units_around(R.membership_of(self.user)[0])
        return (
            _candidates()
            .filter(state=S.SIGNED, owner_unit_id__in=units)
            .order_by("signed_at", "pk")
        )

    def keep(self, circular) -> bool:
        return permissions.refusal(self.user, circular, "distribute") is None


class DueThisWeekPanel(CircularPanel):
    name = "wian-due-this-week"
    heading = gettext_lazy("Responses due this week")
    order = 54
    show_review = False
    show_deadline = True

    def candidates(self):
        unit, _province = R.membership_of(self.user)
        if unit is None:
            return CircularPage.objects.none()
        today = timezone.localdate()
        return (
            _candidates()
            .filter(
                state=S.DISTRIBUTED,
                owner_unit_id__in=_descendants(unit),
                response_deadline__gte=today,
                response_deadline__lte=today + datetime.timedelta(days=7),
            )
            .order_by("response_deadline", "pk")
        )


class MyDraftsPanel(CircularPanel):
    name = "wian-my-drafts"
    heading = gettext_lazy("My drafts")
    order = 55

    def candidates(self):
        return (
            _candidates()
            .filter(state=S.DRAFT, owner=self.user)
            .order_by("-latest_revision_created_at", "-pk")
        )


DASHBOARD_PANELS = (ToEndorsePanel, ToSignPanel, ToDistributePanel, DueThisWeekPanel, MyDraftsPanel)
