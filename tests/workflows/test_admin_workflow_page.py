"""The circular's workflow page in the admin: what it shows, and the transitions it fires.

Uses the demo organisation of tests/workflows/conftest.py (`people`, `at_position`): 0812's
drafter, its two-step chain (endorser, then deputy), the department's signatory and registrar,
officers of Bangkok and Chiang Mai."""

import datetime
import re

import pytest
from django.utils import timezone

from cms.circulars.models import CircularPage
from cms.organisations.models import Province
from workflows.models import Endorsement, Recipient, TransitionRecord

pytestmark = pytest.mark.django_db


def url(circular) -> str:
    return f"/admin/wian/circulars/{circular.pk}/"


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def forms_on(response) -> list[str]:
    return re.findall(r'name="transition" value="([a-z_]+)"', response.content.decode())


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_page_shows_the_letter_and_only_the_transitions_the_table_allows(
    at_position, people, as_user
):
    circular = at_position("draft:editing")
    response = as_user(people["drafter"]).get(url(circular))
    assert response.status_code == 200
    html = response.content.decode()
    assert circular.subject in html
    assert 'data-state="draft">ร่าง<' in html  # state and review status in Thai
    assert 'data-review="editing">กำลังร่าง<' in html
    assert forms_on(response) == ["submit"]
    # The endorser sees the draft (staff of 0812) but has nothing to do before submission.
    assert forms_on(as_user(people["endorser"]).get(url(circular))) == []


def test_outsiders_get_404(at_position, outsider, people, as_user):
    draft = at_position("draft:in_review")
    assert as_user(outsider).get(url(draft)).status_code == 404
    assert as_user(people["officer-bkk"]).get(url(draft)).status_code == 404
    assert as_user(outsider).post(url(draft), {"transition": "endorse"}).status_code == 404
    assert as_user(outsider).get("/admin/wian/circulars/999999/").status_code == 404


def test_submit_moves_the_draft_and_writes_history(at_position, people, as_user):
    circular = at_position("draft:editing")
    client = as_user(people["drafter"])
    response = client.post(
        url(circular), {"transition": "submit", "submit-comment": "เสนอเพื่อโปรดพิจารณา"}
    )
    assert response.status_code == 302 and response["Location"] == url(circular)
    circular.refresh_from_db()
    assert circular.review_status == "in_review"
    record = TransitionRecord.objects.filter(circular=circular).latest("sequence")
    assert (record.transition, record.comment, record.actor) == (
        "submit",
        "เสนอเพื่อโปรดพิจารณา",
        people["drafter"],
    )
    page = client.get(url(circular))
    assert any("ส่งเสนอตรวจ" in m for m in messages_of(page))
    assert forms_on(page) == ["retract"]


def test_endorse_with_initials_fills_the_initials_block(at_position, people, as_user):
    circular = at_position("draft:in_review")
    endorser = people["endorser"]
    page = as_user(endorser).get(url(circular))
    assert forms_on(page) == ["endorse", "request_changes"]
    response = as_user(endorser).post(
        url(circular),
        {"transition": "endorse", "endorse-comment": "ชอบแล้ว", "endorse-initials": "ส.ต."},
    )
    assert response.status_code == 302
    endorsement = Endorsement.objects.get(circular=circular)
    assert (endorsement.initials, endorsement.user, endorsement.step_order) == (
        "ส.ต.",
        endorser,
        1,
    )
    html = as_user(people["drafter"]).get(url(circular)).content.decode()
    block = html.split('id="wian-initials-section"')[1].split("</section>")[0]
    assert "ส.ต." in block and "ชอบแล้ว" in block
    assert 'aria-current="step"' in block and "รองอธิบดี" in block  # the deputy's step is next


def test_a_missing_required_comment_keeps_what_was_typed(at_position, people, as_user):
    circular = at_position("draft:in_review")
    response = as_user(people["endorser"]).post(
        url(circular), {"transition": "request_changes", "request_changes-comment": "   "}
    )
    assert response.status_code == 400
    assert any("ความเห็น" in m for m in messages_of(response)), messages_of(response)
    circular.refresh_from_db()
    assert circular.review_status == "in_review"
    assert not TransitionRecord.objects.filter(circular=circular, transition="request_changes")


def test_a_refusal_is_a_thai_message_and_the_comment_survives(at_position, people, as_user):
    circular = at_position("draft:in_review")
    # The deputy's step is second: the table refuses them now (403), their text stays.
    response = as_user(people["deputy"]).post(
        url(circular),
        {"transition": "endorse", "endorse-comment": "ข้อความที่พิมพ์ไว้", "endorse-initials": "ว.ร."},
    )
    assert response.status_code == 403
    texts = messages_of(response)
    assert texts and all(not re.search(r"[A-Za-z]{4,}", m) for m in texts), texts
    html = response.content.decode()
    assert "ข้อความที่พิมพ์ไว้" in html and 'value="ว.ร."' in html
    assert not Endorsement.objects.filter(circular=circular).exists()


def test_a_stale_form_gets_409_and_keeps_the_comment(at_position, people, as_user):
    circular = at_position("draft:in_review")
    from workflows.services import fire

    fire(circular, "retract", people["drafter"])
    response = as_user(people["endorser"]).post(
        url(circular),
        {"transition": "request_changes", "request_changes-comment": "แก้ย่อหน้าที่สอง"},
    )
    assert response.status_code in (403, 409)
    assert "แก้ย่อหน้าที่สอง" in response.content.decode()


def test_sign_distribute_and_the_verification_code(at_position, people, as_user):
    circular = at_position("draft:endorsed")
    response = as_user(people["signatory"]).post(url(circular), {"transition": "sign"})
    assert response.status_code == 302
    circular.refresh_from_db()
    assert circular.state == "signed" and circular.doc_running
    page = as_user(people["registrar"]).get(url(circular))
    assert circular.verification_code in page.content.decode()
    assert set(forms_on(page)) == {"distribute", "schedule_distribution"}
    response = as_user(people["registrar"]).post(url(circular), {"transition": "distribute"})
    assert response.status_code == 302
    circular.refresh_from_db()
    assert circular.state == "distributed" and circular.live
    assert Recipient.objects.filter(circular=circular).count() == Province.objects.count()


def test_schedule_distribution_reads_a_buddhist_era_date_and_time(at_position, people, as_user):
    circular = at_position("signed")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    typed = f"{tomorrow.day:02d}/{tomorrow.month:02d}/{tomorrow.year + 543}"
    client = as_user(people["registrar"])
    response = client.post(
        url(circular),
        {
            "transition": "schedule_distribution",
            "schedule_distribution-at_0": typed,
            "schedule_distribution-at_1": "๐๙.๓๐",
        },
    )
    assert response.status_code == 302, messages_of(response)
    circular.refresh_from_db()
    local = timezone.localtime(circular.distribute_at)
    assert (local.date(), local.hour, local.minute) == (tomorrow, 9, 30)
    # A time in the past is refused by the form, nothing is recorded.
    yesterday = tomorrow - datetime.timedelta(days=2)
    response = client.post(
        url(circular),
        {
            "transition": "schedule_distribution",
            "schedule_distribution-at_0": f"{yesterday.day}/{yesterday.month}/{yesterday.year + 543}",
            "schedule_distribution-at_1": "10:00",
        },
    )
    assert response.status_code == 400
    assert TransitionRecord.objects.filter(circular=circular, transition="schedule_distribution")
    assert (
        TransitionRecord.objects.filter(
            circular=circular, transition="schedule_distribution"
        ).count()
        == 1
    )


def test_acknowledge_and_the_receipt_grid(at_position, people, as_user):
    circular = at_position("distributed", addressed=(10, 50))
    officer = people["officer-bkk"]
    page = as_user(officer).get(url(circular))
    assert forms_on(page) == ["acknowledge"]
    # Opening the letter in the admin counts as opening it.
    assert Recipient.objects.get(circular=circular, province__code=10).opened_at is not None
    response = as_user(officer).post(
        url(circular),
        {
            "transition": "acknowledge",
            "acknowledge-receive_number": "๑๒๓๔",
            "acknowledge-receive_date": "๒/๓/๒๕๖๘",
        },
    )
    assert response.status_code == 302, messages_of(response)
    receipt = Recipient.objects.get(circular=circular, province__code=10)
    assert receipt.receive_number == "๑๒๓๔"
    assert receipt.receive_date == datetime.date(2025, 3, 2)
    assert receipt.acknowledged_by == officer

    html = as_user(people["registrar"]).get(url(circular)).content.decode()
    grid = html.split('id="wian-receipts-section"')[1].split("</section>")[0]
    assert grid.count("<tr data-province=") == 2
    assert re.search(r'data-province="10" data-status="acknowledged">\s*<td>กรุงเทพมหานคร', grid)
    assert 'data-province="50" data-status="not_opened"' in grid
    assert "ลงรับแล้ว" in grid and "ยังไม่เปิด" in grid and "๑๒๓๔" in grid
    # An addressee sees their own row only.
    own = as_user(officer).get(url(circular)).content.decode()
    assert own.split('id="wian-receipts-section"')[1].count("<tr data-province=") == 1


def test_history_says_whether_the_chain_is_intact(at_position, people, as_user):
    circular = at_position("signed")
    client = as_user(people["drafter"])
    html = client.get(url(circular)).content.decode()
    assert 'data-broken-at=""' in html
    count = TransitionRecord.objects.filter(circular=circular).count()
    assert html.count('<tr data-transition="') == count
    # Tampering (bypassing the model's append-only save) shows up with the record's number.
    second = TransitionRecord.objects.get(circular=circular, sequence=2)
    TransitionRecord.objects.filter(pk=second.pk).update(comment="แก้ไขย้อนหลัง")
    html = client.get(url(circular)).content.decode()
    assert 'data-broken-at="2"' in html


def test_amend_opens_the_new_draft(at_position, people, as_user):
    circular = at_position("distributed")
    response = as_user(people["drafter"]).post(url(circular), {"transition": "amend"})
    assert response.status_code == 302
    draft = CircularPage.objects.get(supersedes=circular)
    assert response["Location"] == f"/admin/pages/{draft.pk}/edit/"
    assert draft.state == "draft" and draft.owner == people["drafter"]
