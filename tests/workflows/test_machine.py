import datetime

import pytest
from django.core import mail
from django.db import transaction
from django_fsm import ConcurrentTransition

from cms.circulars.models import CircularPage
from cms.circulars.models.pages import WorkflowBypassError
from workflows.hashing import content_fingerprint
from workflows.models import Notification, RegisterEntry, TransitionRecord
from workflows.models.history import HistoryIsAppendOnly, verify_chain
from workflows.services import CommentRequired, TransitionForbidden, fire

pytestmark = pytest.mark.django_db


def test_signing_issues_the_next_register_number_and_freezes_the_text(at_position, people):
    first = at_position("signed")
    second = at_position("signed")
    be_year = datetime.date.today().year + 543
    assert (first.doc_running, second.doc_running) == (1, 2)
    assert first.doc_number == "มท ๐๘๑๒/ว ๑"
    assert first.issued_on == datetime.date.today() and not first.issued_on_month_only
    assert first.signed_by == people["signatory"]
    assert first.signatory_name == "ประเสริฐ ลงนามไว"
    assert first.content_sha256 == content_fingerprint(first)
    assert len(first.verification_code) == 19
    entries = RegisterEntry.objects.filter(unit=first.owner_unit, be_year=be_year)
    assert list(entries.values_list("number", flat=True)) == [1, 2]


def test_register_continues_after_imported_numbers(at_position, make_circular, units):
    make_circular(
        doc_number="มท ๐๘๑๒/ว ๔๑", issued_on=datetime.date.today(), owner_unit=units["0812"]
    )
    assert at_position("signed").doc_running == 42


def test_cancelled_number_stays_in_the_register_and_is_never_reused(at_position):
    cancelled = at_position("cancelled")
    entry = RegisterEntry.objects.get(circular=cancelled)
    assert entry.cancelled
    assert cancelled.cancellation_reason
    assert at_position("signed").doc_running == entry.number + 1


def test_the_drafter_may_not_sign_even_as_signatory(at_position, people):
    from django.contrib.auth.models import Group

    from workflows.roles import GROUPS, SIGNATORY

    drafter = people["drafter"]
    drafter.groups.add(Group.objects.get(name=GROUPS[SIGNATORY]))
    circular = at_position("draft:endorsed")
    with pytest.raises(TransitionForbidden) as refused:
        fire(circular, "sign", drafter)
    assert "drafter" in refused.value.message or "ผู้ร่าง" in refused.value.message


def test_a_delegate_signs_as_acting_for(at_position, people, units):
    from workflows.models import Delegation

    deputy = people["deputy"]
    Delegation.objects.create(
        signatory=people["signatory"],
        delegate=deputy,
        unit=units["0800"],
        position="รองอธิบดี",
        acting_for="อธิบดีกรมส่งเสริมการปกครองท้องถิ่น",
    )
    circular = at_position("draft:endorsed")
    signed = fire(circular, "sign", deputy).circular
    assert signed.state == "signed" and signed.signed_as_delegate
    assert signed.signatory_position_lines == [
        "รองอธิบดี ปฏิบัติราชการแทน",
        "อธิบดีกรมส่งเสริมการปกครองท้องถิ่น",
    ]


def test_comments_are_required_where_stated(at_position, people):
    circular = at_position("draft:in_review")
    with pytest.raises(CommentRequired):
        fire(circular, "request_changes", people["endorser"], "   ")
    back = fire(circular, "request_changes", people["endorser"], "แก้ชื่อเรื่อง").circular
    assert back.review_status == "editing"
    resubmitted = fire(back, "submit", people["drafter"]).circular
    assert resubmitted.current_endorsement_step().order == 1  # a new round starts the chain again


def test_distribution_publishes_and_creates_one_recipient_per_province(at_position):
    circular = at_position("distributed")
    assert circular.live and circular.live_revision_id
    assert circular.recipients.count() == 77
    assert circular.distributed_at is not None


def test_distribution_to_named_provinces(new_draft, people):
    from cms.organisations.models import Province

    circular = new_draft()
    circular.addressed_provinces.set(Province.objects.filter(code__in=[10, 50]))
    circular.save()
    for name in ["submit", "endorse", "endorse", "sign", "distribute"]:
        who = (
            circular.current_endorsement_step().endorser
            if name == "endorse"
            else people[{"submit": "drafter", "sign": "signatory", "distribute": "registrar"}[name]]
        )
        circular = fire(circular, name, who).circular
    assert sorted(circular.recipients.values_list("province__code", flat=True)) == [10, 50]


def test_history_is_hash_chained_and_append_only(at_position):
    circular = at_position("closed")
    records = list(circular.history.order_by("sequence"))
    assert [r.transition for r in records] == [
        "submit",
        "endorse",
        "endorse",
        "sign",
        "distribute",
        "close",
    ]
    assert verify_chain(records) is None
    with pytest.raises(HistoryIsAppendOnly):
        records[2].save()
    with pytest.raises(HistoryIsAppendOnly):
        records[2].delete()
    TransitionRecord.objects.filter(pk=records[2].pk).update(comment="แก้ไขย้อนหลัง")
    assert verify_chain(circular.history.order_by("sequence")) == records[2].sequence


def test_transitions_reach_wagtails_audit_log(at_position):
    from wagtail.models import PageLogEntry

    circular = at_position("signed")
    actions = list(
        PageLogEntry.objects.filter(page=circular, action__startswith="wian.").values_list(
            "action", flat=True
        )
    )
    assert "wian.sign" in actions and "wian.submit" in actions


def test_next_actors_are_notified_in_app_and_by_mail(
    new_draft, people, django_capture_on_commit_callbacks
):
    circular = new_draft()
    with django_capture_on_commit_callbacks(execute=True):
        fire(circular, "submit", people["drafter"])
    assert Notification.objects.filter(user=people["endorser"], verb="submit").exists()
    assert any("endorser@example.go.th" in m.to for m in mail.outbox)


def test_amendment_supersedes_once_distributed(at_position, people):
    old = at_position("distributed")
    draft = fire(old, "amend", people["drafter"]).result
    assert draft.state == "draft" and draft.supersedes_id == old.pk
    assert old.amended_by == []
    for name in ["submit", "endorse", "endorse", "sign", "distribute"]:
        who = (
            draft.current_endorsement_step().endorser
            if name == "endorse"
            else people[{"submit": "drafter", "sign": "signatory", "distribute": "registrar"}[name]]
        )
        draft = fire(draft, name, who).circular
    assert [c.pk for c in CircularPage.objects.get(pk=old.pk).amended_by] == [draft.pk]


def test_acknowledgement_records_receipt(at_position, people):
    circular = at_position("distributed")
    fire(
        circular,
        "acknowledge",
        people["officer-bkk"],
        receive_number="๑๒๓๔",
        receive_date=datetime.date(2026, 1, 5),
    )
    recipient = circular.recipients.get(province__code=10)
    assert recipient.status == "acknowledged"
    assert recipient.receive_number == "๑๒๓๔"


# -- nothing bypasses the machine ---------------------------------------------------------


def test_saving_a_changed_state_directly_is_refused(at_position):
    circular = at_position("draft:editing")
    circular.state = "distributed"
    with pytest.raises(WorkflowBypassError):
        circular.save()
    assert CircularPage.objects.get(pk=circular.pk).state == "draft"


def test_revisions_never_carry_the_state(at_position, people):
    circular = at_position("draft:editing")
    revision = circular.save_revision(user=people["drafter"])
    assert "state" not in revision.content and "review_status" not in revision.content
    circular = at_position("distributed")
    # An old revision whose content still names a state (as stock Wagtail would store it)
    stale = circular.save_revision(user=people["registrar"], clean=False)
    stale.content = {**stale.content, "state": "draft", "review_status": "editing"}
    stale.save()
    restored = stale.as_object()
    assert restored.state == "distributed"
    stale.publish(user=people["registrar"], skip_permission_checks=True)
    assert CircularPage.objects.get(pk=circular.pk).state == "distributed"


def test_reverting_to_an_earlier_revision_keeps_state_and_number(at_position, people):
    circular = at_position("draft:editing")
    early = circular.save_revision(user=people["drafter"])
    for name, who in [
        ("submit", "drafter"),
        ("endorse", "endorser"),
        ("endorse", "deputy"),
        ("sign", "signatory"),
        ("distribute", "registrar"),
    ]:
        circular = fire(circular, name, people[who]).circular
    early.publish(user=people["registrar"], skip_permission_checks=True)
    stored = CircularPage.objects.get(pk=circular.pk)
    assert stored.state == "distributed"
    assert stored.doc_number == circular.doc_number and stored.doc_running == 1


def test_copy_starts_a_fresh_draft(at_position, archive):
    circular = at_position("distributed")
    copy = circular.copy(
        update_attrs={"slug": "copy-of-distributed", "source_id": None}, keep_live=False
    )
    assert copy.state == "draft" and copy.review_status == "editing"
    assert copy.signed_by is None and copy.content_sha256 == ""
    assert CircularPage.objects.get(pk=circular.pk).state == "distributed"


def test_wagtail_publish_button_cannot_publish_a_draft(client, at_position, people):
    from django.contrib.auth.models import Group

    drafter = people["drafter"]
    circular = at_position("draft:editing")
    client.force_login(drafter)
    page = client.get(f"/admin/pages/{circular.pk}/edit/")
    assert page.status_code == 200
    assert 'name="action-publish"' not in page.content.decode()
    assert Group.objects.filter(name="ผู้ร่าง", user=drafter).exists()
    client.post(f"/admin/pages/{circular.pk}/edit/", {"action-publish": "1"})
    stored = CircularPage.objects.get(pk=circular.pk)
    assert stored.state == "draft" and not stored.live


def test_concurrent_transition_on_a_stale_copy_fails(at_position, people):
    circular = at_position("signed")
    stale = CircularPage.objects.get(pk=circular.pk)
    fire(circular, "distribute", people["registrar"])
    with pytest.raises((ConcurrentTransition, WorkflowBypassError)), transaction.atomic():
        stale.save()
