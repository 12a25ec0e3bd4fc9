"""The respondent's pages: fill, errors, rows, files, submit, receipt, autosave, restore."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.test.utils.form_data import querydict_from_html

from responses.models import PendingInput, Response, ResponseFile
from responses.services import respondent_for, save_draft, submit
from tests.responses.conftest import PDF, fresh, local_member, pdf, q, upload

pytestmark = pytest.mark.django_db

ALL_KINDS = [
    q("short_text", "ชื่อหน่วยงาน", required=True, help_text="ชื่อเต็มตามประกาศจัดตั้ง"),
    q("long_text", "รายละเอียดโครงการ"),
    q("number", "จำนวนผู้รับบริการ"),
    q("date", "วันที่เริ่มโครงการ"),
    q("single_choice", "สถานะโครงการ", choices=["ดำเนินการแล้ว", "อยู่ระหว่างดำเนินการ"]),
    q("multiple_choice", "ประเภทบริการ", choices=["ขยะ", "น้ำประปา", "ถนน"]),
    q("yes_no", "มีงบประมาณสนับสนุน"),
    q("email", "อีเมลติดต่อ"),
    q("phone", "โทรศัพท์ติดต่อ"),
    q("file", "เอกสารประกอบ"),
    q(
        "table",
        "ตารางรายการ",
        columns=[
            q("short_text", "รายการ", required=True),
            q("number", "จำนวน"),
            q("date", "วันที่"),
            q("single_choice", "ผล", choices=["ผ่าน", "ไม่ผ่าน"]),
            q("multiple_choice", "หมวด", choices=["ก", "ข"]),
            q("yes_no", "แล้วเสร็จ"),
            q("email", "อีเมล"),
            q("phone", "โทร"),
            q("long_text", "หมายเหตุ"),
            q("file", "หลักฐาน"),
        ],
        max_rows=4,
    ),
]


@pytest.fixture
def full_form(make_form):
    return make_form(ALL_KINDS, title="แบบสำรวจครบทุกชนิดคำถาม")


def expired_session(client: Client) -> Client:
    """The browser still sends the cookie of a session the server no longer knows."""
    from django.conf import settings

    client.cookies[settings.SESSION_COOKIE_NAME] = "expired-session-key"
    return client


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_post(html: str, **changes):
    """The post a browser would send from the rendered page, with changes."""
    found = querydict_from_html(html, form_id="response-form")
    # A plain dict of lists: the test client sends every value of a list (QueryDict.items()
    # would send only the last one).
    data = {name: found.getlist(name) for name in found}
    data.update(changes)
    return data


def test_anonymous_visitors_are_sent_to_log_in(small_form, client):
    response = client.get(small_form.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


def test_every_question_type_is_rendered_accessibly(full_form, officer):
    html = logged_in(officer).get(full_form.url).content.decode()
    for label in (
        "ชื่อหน่วยงาน",
        "รายละเอียดโครงการ",
        "จำนวนผู้รับบริการ",
        "วันที่เริ่มโครงการ",
        "อีเมลติดต่อ",
        "โทรศัพท์ติดต่อ",
        "เอกสารประกอบ",
    ):
        key = label
        assert f'<label class="rf-label" for="f-{key}">' in html, label
        assert f'id="f-{key}"' in html
    assert 'aria-describedby="f-ชื่อหน่วยงาน-help"' in html
    assert "ชื่อเต็มตามประกาศจัดตั้ง" in html
    for label in ("สถานะโครงการ", "ประเภทบริการ", "มีงบประมาณสนับสนุน", "ตารางรายการ"):
        assert re.search(rf'<fieldset id="f-{label}"[^>]*>\s*<legend', html), label
    assert 'type="radio"' in html and 'type="checkbox"' in html and 'type="file"' in html
    assert '<th scope="col">รายการ' in html
    assert 'for="f-ตารางรายการ-0-จำนวน">จำนวน, แถวที่ ๑</label>' in html
    assert 'name="q.ตารางรายการ.rows" value="1"' in html
    assert 'value="add_row:ตารางรายการ"' in html
    assert "เหลืออีก" in html  # the time left before the deadline
    assert "กรุงเทพมหานคร" in html  # answering for
    assert 'data-autosave-url="/forms/' in html
    assert "บันทึกฉบับร่าง" in html and "ส่งแบบรายงาน" in html


def test_a_full_answer_through_the_page(full_form, officer):
    client = logged_in(officer)
    html = client.get(full_form.url).content.decode()
    data = page_post(
        html,
        action="submit",
        **{
            "q.ชื่อหน่วยงาน": "เทศบาลนครตัวอย่าง",
            "q.รายละเอียดโครงการ": "บรรทัดหนึ่ง\nบรรทัดสอง",
            "q.จำนวนผู้รับบริการ": "๑,๒๐๐",
            "q.วันที่เริ่มโครงการ": "๑ ตุลาคม ๒๕๖๔",
            "q.สถานะโครงการ": "ดำเนินการแล้ว",
            "q.ประเภทบริการ": ["ขยะ", "ถนน"],
            "q.มีงบประมาณสนับสนุน": "yes",
            "q.อีเมลติดต่อ": "saraban@example.go.th",
            "q.โทรศัพท์ติดต่อ": "๐๕๓ ๑๑๒ ๒๓๓",
            "q.ตารางรายการ.0.รายการ": "ซ่อมถนน",
            "q.ตารางรายการ.0.จำนวน": "3",
            "q.ตารางรายการ.0.วันที่": "2/10/2564",
            "q.ตารางรายการ.0.ผล": "ผ่าน",
            "q.ตารางรายการ.0.หมวด": ["ข"],
            "q.ตารางรายการ.0.แล้วเสร็จ": "no",
        },
    )
    data["q.เอกสารประกอบ"] = pdf("หลักฐานโครงการ.pdf")
    response = client.post(full_form.url, data)
    assert response.status_code == 303, response.content.decode()[:3000]
    assert response["Location"] == f"/forms/{full_form.pk}/receipt/"
    stored = Response.objects.get()
    assert stored.status == "submitted"
    assert stored.answers["จำนวนผู้รับบริการ"] == "1200"
    assert stored.answers["วันที่เริ่มโครงการ"] == "2021-10-01"
    assert stored.answers["ประเภทบริการ"] == ["ขยะ", "ถนน"]
    assert stored.answers["ตารางรายการ"][0]["หมวด"] == ["ข"]
    receipt = client.get(response["Location"]).content.decode()
    assert stored.reference in receipt
    assert "๑ ตุลาคม ๒๕๖๔" in receipt and "หลักฐานโครงการ.pdf" in receipt
    assert "ซ่อมถนน" in receipt and "เวลา" in receipt
    assert "data-print" in receipt


def test_validation_errors_keep_every_row_and_every_kept_file(small_form, officer):
    client = logged_in(officer)
    html = client.get(small_form.url).content.decode()
    data = page_post(html, action="add_row:ตารางความร่วมมือ")
    data["q.ตารางความร่วมมือ.0.ชื่อบริการสาธารณะ"] = "บริการแรก"
    client.post(small_form.url, data)
    html = client.get(small_form.url).content.decode()
    data = page_post(html, action="add_row:ตารางความร่วมมือ")
    data["q.ตารางความร่วมมือ.1.ชื่อบริการสาธารณะ"] = "บริการที่สอง"
    data["q.ตารางความร่วมมือ.1.วันที่ลงนาม"] = "31/02/2564"
    data["q.ตารางความร่วมมือ.0.เอกสารแนบของแถว"] = pdf("แถวแรก.pdf")
    data["q.สำเนาบันทึกข้อตกลง"] = pdf("สำเนา MOU.pdf")
    response = client.post(small_form.url, data)
    # The row was added and the draft saved, but a date is wrong: the page comes back at once.
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="q.ตารางความร่วมมือ.rows" value="3"' in html
    assert 'value="บริการแรก"' in html and 'value="บริการที่สอง"' in html
    assert 'value="31/02/2564"' in html
    assert "แถวแรก.pdf" in html and "สำเนา MOU.pdf" in html
    assert 'role="alert"' in html and "rf-error-summary" in html
    assert 'href="#f-ตารางความร่วมมือ-1-วันที่ลงนาม"' in html
    assert "ตารางความร่วมมือ แถวที่ ๒ คอลัมน์ ‘วันที่ลงนาม’: วันที่ไม่ถูกต้อง" in html
    cell = "f-ตารางความร่วมมือ-1-วันที่ลงนาม"
    assert f'aria-describedby="{cell}-format {cell}-error"' in html
    assert 'aria-invalid="true"' in html

    # Submitting with a missing required name: nothing typed or uploaded is asked for again.
    data = page_post(html, action="submit")
    data["q.ตารางความร่วมมือ.1.วันที่ลงนาม"] = "28/02/2564"
    response = client.post(small_form.url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "ชื่อผู้รายงาน: ต้องตอบข้อนี้" in html
    assert "แถวแรก.pdf" in html and "สำเนา MOU.pdf" in html
    assert 'value="28/02/2564"' in html
    assert ResponseFile.objects.count() == 2

    data = page_post(html, action="submit")
    data["q.ชื่อผู้รายงาน"] = "นายส่ง ครบ"
    response = client.post(small_form.url, data)
    assert response.status_code == 303
    stored = Response.objects.get()
    assert [r["ชื่อบริการสาธารณะ"] for r in stored.answers["ตารางความร่วมมือ"]] == [
        "บริการแรก",
        "บริการที่สอง",
    ]
    assert len(stored.answers["สำเนาบันทึกข้อตกลง"]) == 1
    assert stored.answers["ตารางความร่วมมือ"][0]["เอกสารแนบของแถว"]


def test_add_and_remove_rows_without_javascript(small_form, officer):
    client = logged_in(officer)
    html = client.get(small_form.url).content.decode()
    data = page_post(html, action="add_row:ตารางความร่วมมือ")
    data["q.ตารางความร่วมมือ.0.ชื่อบริการสาธารณะ"] = "หนึ่ง"
    response = client.post(small_form.url, data)
    assert response.status_code == 303
    assert "#f-" in response["Location"]
    html = client.get(small_form.url).content.decode()
    data = page_post(html, action="add_row:ตารางความร่วมมือ")
    data["q.ตารางความร่วมมือ.1.ชื่อบริการสาธารณะ"] = "สอง"
    client.post(small_form.url, data)
    html = client.get(small_form.url).content.decode()
    assert 'name="q.ตารางความร่วมมือ.rows" value="3"' in html
    data = page_post(html, action="remove_row:ตารางความร่วมมือ:0")
    data["q.ตารางความร่วมมือ.2.ชื่อบริการสาธารณะ"] = "สาม"
    client.post(small_form.url, data)
    rows = Response.objects.get().answers["ตารางความร่วมมือ"]
    assert [r["ชื่อบริการสาธารณะ"] for r in rows] == ["สอง", "สาม"]
    # The table's limit (5 rows) hides the add button once reached.
    for _ in range(4):
        html = client.get(small_form.url).content.decode()
        client.post(small_form.url, page_post(html, action="add_row:ตารางความร่วมมือ"))
    html = client.get(small_form.url).content.decode()
    assert 'name="q.ตารางความร่วมมือ.rows" value="5"' in html
    assert 'value="add_row:ตารางความร่วมมือ"' not in html


def test_removing_a_kept_file(small_form, officer):
    client = logged_in(officer)
    html = client.get(small_form.url).content.decode()
    data = page_post(html)
    data["q.สำเนาบันทึกข้อตกลง"] = pdf("ลบทิ้ง.pdf")
    client.post(small_form.url, data)
    kept = ResponseFile.objects.get()
    html = client.get(small_form.url).content.decode()
    data = page_post(html, **{"q.สำเนาบันทึกข้อตกลง.remove": str(kept.uuid)})
    client.post(small_form.url, data)
    assert Response.objects.get().answers["สำเนาบันทึกข้อตกลง"] == []
    assert not ResponseFile.objects.exists()


def test_files_are_served_only_to_who_may_read_them(
    small_form, officer, officer_cmi, people, client
):
    bangkok = respondent_for(officer, small_form)
    save_draft(small_form, bangkok, {}, {"สำเนาบันทึกข้อตกลง": [pdf("ลับ.pdf")]}, officer)
    item = ResponseFile.objects.get()
    url = f"/forms/files/{item.uuid}/"
    response = logged_in(officer).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert logged_in(fresh(people["drafter"])).get(url).status_code == 200  # owner unit staff
    assert logged_in(officer_cmi).get(url).status_code == 404  # another province
    assert client.get(url).status_code == 404  # nobody signed in
    assert client.get("/forms/files/00000000-0000-4000-8000-000000000000/").status_code == 404
    assert "/media/" not in item.file.path and "ลับ" not in item.file.path
    # Served under its stem and the extension of its content, whatever name was stored.
    ResponseFile.objects.filter(pk=item.pk).update(original_name="ลับ.html")
    served = logged_in(officer).get(url)
    assert "ลับ.pdf" in served["Content-Disposition"] or "%E0%B8%A5" in served["Content-Disposition"]
    assert ".html" not in served["Content-Disposition"]


def test_nobody_sees_another_provinces_answers(small_form, officer, officer_cmi):
    bangkok = respondent_for(officer, small_form)
    sent = submit(
        small_form,
        bangkok,
        {"ตารางความร่วมมือ": [{"ชื่อบริการสาธารณะ": "ความลับของกรุงเทพ"}], "ชื่อผู้รายงาน": "นายกรุงเทพ"},
        {},
        officer,
    ).response
    other = logged_in(officer_cmi)
    assert "ความลับของกรุงเทพ" not in other.get(small_form.url).content.decode()
    assert "ความลับของกรุงเทพ" not in other.get(f"/forms/{small_form.pk}/receipt/").content.decode()
    assert other.get(f"/forms/responses/{sent.pk}/").status_code == 404
    assert (
        "ความลับของกรุงเทพ" in logged_in(officer).get(f"/forms/responses/{sent.pk}/").content.decode()
    )


def test_receipt_lists_earlier_submissions(small_form, officer):
    bangkok = respondent_for(officer, small_form)
    good = {"ตารางความร่วมมือ": [{"ชื่อบริการสาธารณะ": "รอบแรก"}], "ชื่อผู้รายงาน": "นายก"}
    submit(small_form, bangkok, good, {}, officer)
    submit(small_form, bangkok, {"ตารางความร่วมมือ": [{"ชื่อบริการสาธารณะ": "รอบสอง"}]}, {}, officer)
    client = logged_in(officer)
    latest = client.get(f"/forms/{small_form.pk}/receipt/").content.decode()
    assert "รอบสอง" in latest and f"WF-{small_form.pk}-10-2" in latest
    first = client.get(f"/forms/{small_form.pk}/receipt/?version=1").content.decode()
    assert "รอบแรก" in first and f"WF-{small_form.pk}-10-1" in first
    assert client.get(f"/forms/{small_form.pk}/receipt/?version=9").status_code == 404


def test_the_receipt_before_anything_was_sent(small_form, officer):
    response = logged_in(officer).get(f"/forms/{small_form.pk}/receipt/")
    assert response.status_code == 303


def test_staff_see_a_read_only_preview(small_form, people):
    client = logged_in(fresh(people["drafter"]))
    html = client.get(small_form.url).content.decode()
    assert '<fieldset class="rf-all" disabled>' in html
    assert 'value="submit"' not in html
    assert client.post(small_form.url, {"action": "submit"}).status_code == 403


def test_a_province_not_addressed_is_told_why(small_form, officer_songkhla):
    response = logged_in(officer_songkhla).get(small_form.url)
    assert response.status_code == 403
    assert "ไม่ได้ส่งถึงจังหวัดของท่าน" in response.content.decode()


def test_the_province_follows_its_local_organisations(make_form, local_orgs, officer_cmi):
    form = make_form(
        [q("short_text", "ชื่อโครงการ", required=True)], respondents="local_organisations"
    )
    organisation = [o for o in local_orgs if o.province.code == 50][0]
    user = local_member("lao-view", organisation)
    lao = logged_in(user)
    html = lao.get(form.url).content.decode()
    assert organisation.name in html and 'value="submit"' in html
    data = page_post(html, action="submit", **{"q.ชื่อโครงการ": "ถนนคอนกรีต"})
    assert lao.post(form.url, data).status_code == 303
    progress = logged_in(officer_cmi).get(form.url).content.decode()
    assert organisation.name in progress and "ส่งแล้ว" in progress and "ยังไม่เริ่ม" in progress
    sent = Response.objects.get()
    detail = logged_in(officer_cmi).get(f"/forms/responses/{sent.pk}/").content.decode()
    assert "ถนนคอนกรีต" in detail


def test_a_closed_form_says_so_and_keeps_what_was_typed(small_form, officer, people):
    from workflows.services import fire

    client = logged_in(officer)
    html = client.get(small_form.url).content.decode()
    fire(small_form.circular, "close", people["registrar"])
    data = page_post(html, action="submit", **{"q.ชื่อผู้รายงาน": "พิมพ์ไว้ก่อนปิด"})
    response = client.post(small_form.url, data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "ปิดแล้ว" in html and 'value="พิมพ์ไว้ก่อนปิด"' in html
    assert '<fieldset class="rf-all" disabled>' in html
    assert "ปิดแล้ว" in client.get(small_form.url).content.decode()


def test_after_the_deadline_a_late_form_is_refused_with_a_notice(small_form, officer, monkeypatch):
    late = small_form.effective_deadline + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: late)
    html = logged_in(officer).get(small_form.url).content.decode()
    assert "พ้นกำหนด" in html and 'value="submit"' not in html


# -- autosave -----------------------------------------------------------------------------------


def test_autosave_is_csrf_protected_and_saves_the_draft(small_form, officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    html = client.get(small_form.url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    url = f"/forms/{small_form.pk}/autosave/"
    data = page_post(html, **{"q.ชื่อผู้รายงาน": "พิมพ์ค้างไว้"})
    assert client.post(url, data).status_code == 403  # no CSRF token
    data["csrfmiddlewaretoken"] = token
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.json()
    assert body["saved"] is True and body["edit_token"] == 1
    assert Response.objects.get().answers["ชื่อผู้รายงาน"] == "พิมพ์ค้างไว้"
    # A second autosave from a page whose token is now old is not written over newer input.
    data["q.ชื่อผู้รายงาน"] = "จากหน้าต่างเก่า"
    data["edit_token"] = "0"
    response = client.post(url, data)
    assert response.status_code == 409 and response.json()["stale"]
    assert Response.objects.get().answers["ชื่อผู้รายงาน"] == "พิมพ์ค้างไว้"
    assert client.get(url).status_code == 405


# -- session timeout ----------------------------------------------------------------------------


def test_a_post_after_the_session_expired_is_restored_after_login(small_form, officer):
    client = logged_in(officer)
    html = client.get(small_form.url).content.decode()
    client.logout()  # the session expired while the officer was typing a long table
    expired_session(client)
    data = page_post(html, action="submit", **{"q.ชื่อผู้รายงาน": "พิมพ์ยาวมาก"})
    data["q.ตารางความร่วมมือ.0.ชื่อบริการสาธารณะ"] = "แถวที่พิมพ์ไว้"
    data["q.สำเนาบันทึกข้อตกลง"] = pdf("แนบก่อนหมดเวลา.pdf")
    response = client.post(small_form.url, data)
    assert response.status_code == 302
    pending = PendingInput.objects.get()
    assert response["Location"].startswith("/admin/login/?next=")
    assert f"/forms/{small_form.pk}/restore/{pending.token}/" in response["Location"].replace(
        "%2F", "/"
    )
    assert not Response.objects.exists()

    client.force_login(officer)
    restored = client.get(f"/forms/{small_form.pk}/restore/{pending.token}/")
    assert restored.status_code == 303
    draft = Response.objects.get()
    assert draft.status == "draft"  # restored as a draft, never sent behind the user's back
    assert draft.answers["ชื่อผู้รายงาน"] == "พิมพ์ยาวมาก"
    assert draft.answers["ตารางความร่วมมือ"][0]["ชื่อบริการสาธารณะ"] == "แถวที่พิมพ์ไว้"
    assert ResponseFile.objects.get().original_name == "แนบก่อนหมดเวลา.pdf"
    assert not PendingInput.objects.exists()
    html = client.get(small_form.url).content.decode()
    assert "พิมพ์ยาวมาก" in html and "แนบก่อนหมดเวลา.pdf" in html


def test_a_restored_post_with_errors_shows_them(small_form, officer):
    client = expired_session(Client())
    client.post(small_form.url, {"q.โทรศัพท์": "โทรมาได้เลย", "action": "save"})
    pending = PendingInput.objects.get()
    client.force_login(officer)
    restored = client.get(f"/forms/{small_form.pk}/restore/{pending.token}/")
    assert restored.status_code == 200
    html = restored.content.decode()
    assert "rf-error-summary" in html and 'href="#f-โทรศัพท์"' in html
    assert 'value="โทรมาได้เลย"' in html and "ต้องแก้ไข" in html
    assert Response.objects.get().invalid_input == {"โทรศัพท์": "โทรมาได้เลย"}
    assert not PendingInput.objects.exists()
    # Opened again later, the page still marks the field that needs correcting.
    html = client.get(small_form.url).content.decode()
    field = re.search(r'<input id="f-โทรศัพท์"[^>]*>', html.replace("\n", " ")).group(0)
    assert 'aria-invalid="true"' in field
    assert 'href="#f-โทรศัพท์"' in html


def test_restore_tokens_work_once_in_the_same_browser_and_expire(small_form, officer, officer_cmi):
    anonymous = expired_session(Client())
    anonymous.post(small_form.url, {"q.ชื่อผู้รายงาน": "ของกรุงเทพ", "action": "save"})
    pending = PendingInput.objects.get()
    url = f"/forms/{small_form.pk}/restore/{pending.token}/"
    # Another browser (without the cookie) cannot pour it into its draft.
    assert logged_in(officer_cmi).get(url).status_code == 303
    assert not Response.objects.exists() and PendingInput.objects.exists()
    # After 24 hours it is gone.
    PendingInput.objects.update(created=timezone.now() - datetime.timedelta(hours=25))
    anonymous.force_login(officer)
    assert anonymous.get(url).status_code == 303
    assert not Response.objects.exists() and not PendingInput.objects.exists()


def test_an_autosave_after_the_session_expired_is_kept_too(small_form, officer):
    client = expired_session(Client())
    response = client.post(f"/forms/{small_form.pk}/autosave/", {"q.ชื่อผู้รายงาน": "ค้างไว้"})
    assert response.status_code == 401
    assert "/restore/" in response.json()["login_url"].replace("%2F", "/")
    assert PendingInput.objects.count() == 1


def test_strangers_without_a_session_cannot_fill_the_disk(small_form):
    stranger = Client()
    response = stranger.post(small_form.url, {"q.สำเนาบันทึกข้อตกลง": pdf(), "action": "save"})
    assert response.status_code == 302 and "/restore/" not in response["Location"]
    autosave = stranger.post(f"/forms/{small_form.pk}/autosave/", {"q.ชื่อผู้รายงาน": "x"})
    assert autosave.status_code == 401 and "/restore/" not in autosave.json()["login_url"]
    assert not PendingInput.objects.exists()


def test_only_checked_uploads_to_real_file_slots_are_kept(small_form, settings):
    client = expired_session(Client())
    data = {
        "action": "save",
        "q.สำเนาบันทึกข้อตกลง": [pdf("ก.pdf"), upload("ปลอม.pdf", b"not a pdf")],
        "q.ชื่อผู้รายงาน": pdf("ไม่ใช่ช่องไฟล์.pdf"),
        "q.ไม่มีคำถามนี้": pdf("ไม่มี.pdf"),
        "q.ตารางความร่วมมือ.0.เอกสารแนบของแถว": pdf("แถว.pdf"),
        "q.ตารางความร่วมมือ.99.เอกสารแนบของแถว": pdf("เกินแถว.pdf"),
        "q.ตารางความร่วมมือ.0.ชื่อบริการสาธารณะ": pdf("ช่องข้อความ.pdf"),
    }
    client.post(small_form.url, data)
    kept = PendingInput.objects.get().files
    assert sorted(item["original_name"] for item in kept) == ["ก.pdf", "แถว.pdf"]


def test_kept_uploads_are_capped_in_number_and_size(small_form, settings):
    from responses.services import PENDING_MAX_FILES

    client = expired_session(Client())
    many = [pdf(f"{n}.pdf") for n in range(PENDING_MAX_FILES + 5)]
    client.post(small_form.url, {"action": "save", "q.สำเนาบันทึกข้อตกลง": many})
    assert len(PendingInput.objects.get().files) == PENDING_MAX_FILES
    PendingInput.objects.all().delete()
    settings.WIAN_RESPONSE_PENDING_MAX_MB = 0
    expired_session(client).post(small_form.url, {"action": "save", "q.สำเนาบันทึกข้อตกลง": [pdf()]})
    assert PendingInput.objects.get().files == []


# -- index --------------------------------------------------------------------------------------


def test_the_index_lists_the_forms_for_the_officer(
    small_form, officer, officer_songkhla, forms_index
):
    html = logged_in(officer).get("/forms/").content.decode()
    assert small_form.title in html and "ยังไม่เริ่ม" in html
    assert small_form.title not in logged_in(officer_songkhla).get("/forms/").content.decode()


def test_uploading_a_fake_pdf_through_the_page(small_form, officer):
    client = logged_in(officer)
    html = client.get(small_form.url).content.decode()
    data = page_post(html)
    data["q.สำเนาบันทึกข้อตกลง"] = upload("ปลอม.pdf", "ข้อความธรรมดา".encode(), "application/pdf")
    response = client.post(small_form.url, data)
    assert response.status_code == 200
    assert "ไม่ใช่ไฟล์ PDF" in response.content.decode()
    assert not ResponseFile.objects.exists()


# -- a CSRF token rotated by a login in another tab ---------------------------------------------


def _stale_tab(officer, small_form):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    html = client.get(small_form.url).content.decode()
    data = page_post(html, **{"q.ชื่อผู้รายงาน": "พิมพ์ในแท็บเก่า"})
    data["csrfmiddlewaretoken"] = "x" * 64  # the token this tab had is no longer valid
    return client, data


def test_a_stale_csrf_token_keeps_the_post_for_restore(small_form, officer):
    client, data = _stale_tab(officer, small_form)
    data["action"] = "submit"
    response = client.post(small_form.url, data, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 302
    pending = PendingInput.objects.get()
    assert f"/restore/{pending.token}/" in response["Location"].replace("%2F", "/")
    assert pending.data["q.ชื่อผู้รายงาน"] == ["พิมพ์ในแท็บเก่า"]
    assert not Response.objects.exists()
    restored = client.get(f"/forms/{small_form.pk}/restore/{pending.token}/")
    assert restored.status_code == 303
    assert Response.objects.get().answers["ชื่อผู้รายงาน"] == "พิมพ์ในแท็บเก่า"


def test_a_stale_csrf_token_on_autosave_answers_json_in_thai(small_form, officer):
    client, data = _stale_tab(officer, small_form)
    url = f"/forms/{small_form.pk}/autosave/"
    response = client.post(url, data, HTTP_REFERER=f"http://testserver{small_form.url}")
    assert response.status_code == 403
    body = response.json()
    assert body["saved"] is False and "/restore/" in body["login_url"].replace("%2F", "/")
    assert "เข้าสู่ระบบ" in body["message"]
    assert PendingInput.objects.count() == 1


def test_other_csrf_failures_get_the_default_page(small_form, officer):
    client, data = _stale_tab(officer, small_form)
    foreign = client.post(small_form.url, data, HTTP_ORIGIN="https://evil.example")
    assert foreign.status_code == 403 and "CSRF" in foreign.content.decode()
    no_source = client.post(small_form.url, data)
    assert no_source.status_code == 403 and "CSRF" in no_source.content.decode()
    assert not PendingInput.objects.exists()


def test_autosave_problems_are_shown_not_swallowed(small_form, officer):
    from pathlib import Path

    html = logged_in(officer).get(small_form.url).content.decode()
    problem = re.search(r"<div[^>]*data-autosave-problem[^>]*>", html).group(0)
    assert 'role="alert"' in problem and "hidden" in problem
    assert "โหลดหน้านี้ใหม่" in problem and "เข้าสู่ระบบ" in problem
    script = Path("static/responses/forms.js").read_text()
    assert "application/json" in script and "showProblem(" in script
    assert "data-autosave-problem" in script


# -- accessibility ------------------------------------------------------------------------------


def test_the_error_summary_takes_the_focus_after_a_refused_submit(small_form, officer):
    client = logged_in(officer)
    html = client.get(small_form.url).content.decode()
    assert "data-focus-on-load" not in html
    response = client.post(small_form.url, page_post(html, action="submit"))
    summary = re.search(r'<div class="rf-error-summary"[^>]*>', response.content.decode()).group(0)
    assert 'tabindex="-1"' in summary and "data-focus-on-load" in summary
    assert "autofocus" in summary
    assert "[data-focus-on-load]" in _text("static/responses/forms.js")


def _text(path: str) -> str:
    from pathlib import Path

    return Path(path).read_text()


def test_the_buddhist_era_date_format_is_described_to_screen_readers(full_form, officer):
    html = logged_in(officer).get(full_form.url).content.decode()
    assert re.search(
        r'<input id="f-วันที่เริ่มโครงการ"[^>]*aria-describedby="f-วันที่เริ่มโครงการ-format"',
        html.replace("\n", " "),
    )
    assert '<p class="rf-help rf-help--format" id="f-วันที่เริ่มโครงการ-format">' in html
    assert "พุทธศักราช" in html.split('id="f-วันที่เริ่มโครงการ-format">')[1].split("</p>")[0]
    cell = "f-ตารางรายการ-0-วันที่"
    assert f'aria-describedby="{cell}-format"' in html
