"""The circular's public page: verification code, withdrawal, amendments, history, receipt."""

import datetime

import pytest
from django.utils import translation

from cms.circulars.models import CircularPage
from tests.workflows.channel_fixtures import *  # noqa: F403
from workflows.models import Recipient, TransitionRecord

pytestmark = pytest.mark.django_db


def thai(msgid: str) -> str:
    with translation.override("th"):
        return translation.gettext(msgid)


def html_of(client, page) -> str:
    response = client.get(CircularPage.objects.get(pk=page.pk).url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def distributed(draft_circular, walk):
    def make(**fields):
        page = draft_circular(**fields)
        walk(page, ["submit", "endorse", "endorse", "sign", "distribute"])
        return CircularPage.objects.get(pk=page.pk)

    return make


def test_signed_circular_shows_its_verification_code_with_an_explanation(client, distributed):
    page = distributed()
    assert len(page.verification_code) == 19
    html = html_of(client, page)
    assert page.verification_code in html
    english = (
        "The SHA-256 fingerprint of the signed text: the same letter always gives the same "
        "code, and any change after signing gives a different one."
    )
    hint = thai(english)
    assert hint != english, "the explanation is in Thai"
    assert hint in html and "SHA-256" in hint


def test_imported_circular_without_fingerprint_shows_no_code(client, make_circular):
    html = html_of(client, make_circular())
    assert thai("Verification code") not in html


def test_withdrawn_circular_says_when_and_why(client, org, distributed, api):
    page = distributed()
    answer = api(
        org["signatory"],
        "post",
        f"/api/circulars/{page.pk}/transitions/withdraw/",
        {"comment": "พบข้อผิดพลาดในสิ่งที่ส่งมาด้วย"},
    )
    assert answer.status_code == 200
    page = CircularPage.objects.get(pk=page.pk)
    html = html_of(client, page)
    notice = html[
        html.index("notice--withdrawn") : html.index("</div>", html.index("notice--withdrawn"))
    ]
    assert "พบข้อผิดพลาดในสิ่งที่ส่งมาด้วย" in notice
    from cms.circulars.templatetags.thai_text import thai_date

    assert thai_date(page.withdrawn_at) in notice
    assert "พบข้อผิดพลาด" not in html_of(client, distributed(subject="หนังสืออีกฉบับ"))


def test_amendments_link_both_ways_but_only_to_what_the_visitor_may_see(client, make_circular):
    original = make_circular(subject="หลักเกณฑ์เดิม")
    amendment = make_circular(subject="หลักเกณฑ์ที่แก้ไข", supersedes=original)
    make_circular(subject="ร่างแก้ไขที่ยังไม่เวียน", supersedes=original, state="draft", live=False)
    secret_amendment = make_circular(subject="ฉบับแก้ไขลับ", supersedes=original, secrecy="ลับ")

    html = html_of(client, original)
    section = html[html.index(thai("Amended by")) :]
    assert f'href="{amendment.url}"' in section
    assert "ร่างแก้ไขที่ยังไม่เวียน" not in html
    assert f'href="{secret_amendment.url}"' not in html

    html = html_of(client, amendment)
    assert thai("Amends") in html
    assert f'href="{original.url}"' in html


def test_an_amendment_of_a_secret_circular_does_not_link_it(client, make_circular):
    secret = make_circular(subject="ต้นฉบับลับ", secrecy="ลับ")
    amendment = make_circular(subject="ฉบับแก้ไขเปิดเผย", supersedes=secret)
    html = html_of(client, amendment)
    assert secret.url not in html
    assert thai("Amends") not in html


def test_public_history_shows_buddhist_era_times_and_labels_only(client, make_circular):
    page = make_circular()
    at = datetime.datetime(2021, 3, 1, 3, 30, tzinfo=datetime.UTC)  # 10:30 in Bangkok
    for sequence, (name, public) in enumerate(
        [("sign", False), ("distribute", True), ("close", True)], start=1
    ):
        TransitionRecord.objects.create(
            circular=page,
            sequence=sequence,
            actor_name="นายลับ ไม่เปิดเผย",
            at=at + datetime.timedelta(days=sequence),
            transition=name,
            source="",
            target="",
            comment="ความเห็นภายใน",
            public=public,
        )
    html = html_of(client, page)
    history = html[html.index('class="public-history"') :]
    history = history[: history.index("</ol>")]
    assert "๓ มีนาคม ๒๕๖๔ เวลา ๑๐.๓๐ น." in history  # distribute
    assert "๔ มีนาคม ๒๕๖๔ เวลา ๑๐.๓๐ น." in history  # close
    assert "๒ มีนาคม ๒๕๖๔" not in history  # sign is not public
    assert thai("Distribute") in history and thai("Close") in history
    assert "นายลับ" not in html and "ความเห็นภายใน" not in html


def test_addressed_officer_sees_and_submits_the_receipt_form(client, org, distributed):
    page = distributed()
    client.force_login(org["officer"])
    html = html_of(client, page)
    assert 'id="receipt"' in html
    assert f'action="/receipts/circulars/{page.pk}/"' in html
    assert 'name="receive_number"' in html and 'name="receive_date"' in html

    response = client.post(
        f"/receipts/circulars/{page.pk}/",
        {"receive_number": "สบ 1234", "receive_date": "24/11/2569"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#receipt")
    recipient = Recipient.objects.get(circular=page, province__code=ADDRESSED)  # noqa: F405
    assert recipient.acknowledged_by == org["officer"]
    assert (recipient.receive_number, recipient.receive_date) == (
        "สบ 1234",
        datetime.date(2026, 11, 24),
    )
    html = client.get(response["Location"]).content.decode()
    assert 'name="receive_number"' not in html
    assert "สบ 1234" in html
    assert "๒๔ พฤศจิกายน ๒๕๖๙" in html


def test_receipt_form_refuses_bad_dates_and_strangers(client, org, distributed, make_circular):
    page = distributed()
    client.force_login(org["officer"])
    response = client.post(
        f"/receipts/circulars/{page.pk}/", {"receive_number": "1", "receive_date": "31/02/2569"}
    )
    assert response.status_code == 302
    assert not Recipient.objects.filter(circular=page, acknowledged_at__isnull=False).exists()

    client.force_login(org["far_officer"])
    assert 'id="receipt"' not in html_of(client, page)
    response = client.post(f"/receipts/circulars/{page.pk}/", {"receive_number": "9"})
    assert response.status_code == 302
    assert not Recipient.objects.filter(circular=page, acknowledged_at__isnull=False).exists()

    client.logout()
    assert 'id="receipt"' not in html_of(client, page)
    draft = make_circular(state="draft", live=False)
    assert (
        client.post(f"/receipts/circulars/{draft.pk}/", {"receive_number": "9"}).status_code == 404
    )


def test_opening_the_page_marks_the_addressed_province_as_opened(client, org, distributed):
    page = distributed()
    recipient = Recipient.objects.get(circular=page, province__code=ADDRESSED)  # noqa: F405
    assert recipient.opened_at is None

    html_of(client, page)  # anonymous
    client.force_login(org["far_officer"])
    html_of(client, page)
    client.force_login(org["registrar"])
    html_of(client, page)
    recipient.refresh_from_db()
    assert recipient.opened_at is None
    assert Recipient.objects.filter(circular=page).count() == 1

    client.force_login(org["officer"])
    html_of(client, page)
    recipient.refresh_from_db()
    first = recipient.opened_at
    assert first is not None and recipient.acknowledged_at is None
    html_of(client, page)
    recipient.refresh_from_db()
    assert recipient.opened_at == first


def test_existing_letter_markup_is_kept(client, distributed):
    html = html_of(client, distributed(subject="การทดสอบโครงหน้าหนังสือ"))
    assert '<h1 id="letter-subject" class="letter__subject">การทดสอบโครงหน้าหนังสือ</h1>' in html
    assert 'aria-label="' in html and 'class="circular-meta"' in html
