"""The cooperation survey asked of provinces, rebuilt by an editor in Wagtail's admin and answered.

One row per cooperation agreement between local organisations (service; host; co-signers; date
signed; committee appointed or not; agreement made, not made, or an MOU; objective; problems),
then the reporter's name, position and phone, and the MOU copy as an upload. The texts are the
team's own.
"""

import json

import pytest
from django.test import Client
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from responses.models import Response, ResponseFile, ResponseFormPage
from tests.responses.conftest import pdf
from tests.responses.test_views import page_post

pytestmark = pytest.mark.django_db

COMMITTEE = ["แต่งตั้งแล้ว", "ยังไม่ได้แต่งตั้ง"]
AGREEMENT = ["จัดทำข้อตกลงแล้ว", "ยังไม่ได้จัดทำข้อตกลง", "จัดทำเป็นบันทึกข้อตกลงความร่วมมือ (MOU)"]


def block(label, required=False, **extra):
    return {
        "label": label,
        "key": "",
        "help_text": "",
        "required": "on" if required else "",
        **extra,
    }


def survey_post(circular):
    columns = streamfield(
        [
            ("short_text", block("ชื่อบริการสาธารณะที่ร่วมกันจัดทำ", required=True)),
            ("short_text", block("อปท. เจ้าภาพ", required=True)),
            ("long_text", block("อปท. ที่ร่วมลงนาม")),
            ("date", block("วันที่ลงนาม")),
            ("single_choice", block("การแต่งตั้งคณะกรรมการ", choices="\n".join(COMMITTEE))),
            ("single_choice", block("การจัดทำข้อตกลง", choices="\n".join(AGREEMENT))),
            ("long_text", block("วัตถุประสงค์")),
            ("long_text", block("ปัญหาและอุปสรรค")),
        ]
    )
    return nested_form_data(
        {
            "title": "แบบสำรวจการจัดทำบริการสาธารณะร่วมกันขององค์กรปกครองส่วนท้องถิ่น",
            "slug": "cooperation-survey",
            "circular": circular.pk,
            "intro": rich_text("<p>ขอให้จังหวัดรวบรวมข้อมูลความร่วมมือทุกรายการ รายการละหนึ่งแถว</p>"),
            "respondents": "provinces",
            "deadline": "",
            "late_policy": "accept_flagged",
            "questions": streamfield(
                [
                    (
                        "table",
                        block(
                            "ข้อมูลการจัดทำบริการสาธารณะร่วมกัน",
                            required=True,
                            help_text="หนึ่งแถวต่อหนึ่งบันทึกความร่วมมือ",
                            columns=columns,
                            min_rows="1",
                            max_rows="",
                        ),
                    ),
                    ("short_text", block("ชื่อผู้รายงาน", required=True)),
                    ("short_text", block("ตำแหน่ง", required=True)),
                    ("phone", block("หมายเลขโทรศัพท์", required=True)),
                    ("file", block("สำเนาบันทึกข้อตกลงความร่วมมือ (MOU)")),
                ]
            ),
            "seo_title": "",
            "search_description": "",
            "action-publish": "publish",
        }
    )


def test_an_editor_builds_the_survey_in_the_admin_and_a_province_answers_it(
    forms_index, circular, officer, django_user_model
):
    editor = Client()
    editor.force_login(
        django_user_model.objects.create_superuser("editor", "e@example.go.th", "pw")
    )
    add = f"/admin/pages/add/responses/responseformpage/{forms_index.pk}/"
    assert editor.get(add).status_code == 200
    response = editor.post(add, survey_post(circular))
    assert response.status_code == 302, response.content.decode()[:3000]
    form = ResponseFormPage.objects.get()
    assert form.live and form.url == "/forms/cooperation-survey/"
    assert form.deadline is None and form.deadline_date == circular.response_deadline

    schema = form.schema()
    table = schema[0]
    assert [c.key for c in table.columns] == [
        "ชื่อบริการสาธารณะที่ร่วมกันจัดทำ",
        "อปท_เจ้าภาพ",
        "อปท_ที่ร่วมลงนาม",
        "วันที่ลงนาม",
        "การแต่งตั้งคณะกรรมการ",
        "การจัดทำข้อตกลง",
        "วัตถุประสงค์",
        "ปัญหาและอุปสรรค",
    ]
    assert table.columns[5].choices == AGREEMENT
    assert [x.key for x in schema[1:]] == [
        "ชื่อผู้รายงาน",
        "ตำแหน่ง",
        "หมายเลขโทรศัพท์",
        "สำเนาบันทึกข้อตกลงความร่วมมือ_mou",
    ]
    # The admin's edit form shows the keys it made.
    edit = editor.get(f"/admin/pages/{form.pk}/edit/").content.decode()
    assert json.dumps("อปท_เจ้าภาพ")[1:-1] in edit  # inside the block editor's JSON

    # A province answers two agreements and attaches the MOU.
    province = Client()
    province.force_login(officer)
    html = province.get(form.url).content.decode()
    data = page_post(html, action="add_row:ข้อมูลการจัดทำบริการสาธารณะร่วมกัน")
    province.post(form.url, data)
    html = province.get(form.url).content.decode()
    t = "q.ข้อมูลการจัดทำบริการสาธารณะร่วมกัน"
    data = page_post(
        html,
        action="submit",
        **{
            f"{t}.0.ชื่อบริการสาธารณะที่ร่วมกันจัดทำ": "ศูนย์กำจัดขยะมูลฝอยรวม",
            f"{t}.0.อปท_เจ้าภาพ": "องค์การบริหารส่วนจังหวัดตัวอย่าง",
            f"{t}.0.อปท_ที่ร่วมลงนาม": "เทศบาลตำบลหนองแก\nองค์การบริหารส่วนตำบลดอนยาง",
            f"{t}.0.วันที่ลงนาม": "๑๕ มีนาคม ๒๕๖๔",
            f"{t}.0.การแต่งตั้งคณะกรรมการ": "แต่งตั้งแล้ว",
            f"{t}.0.การจัดทำข้อตกลง": AGREEMENT[2],
            f"{t}.0.วัตถุประสงค์": "ลดปริมาณขยะตกค้าง",
            f"{t}.1.ชื่อบริการสาธารณะที่ร่วมกันจัดทำ": "ระบบประปาหมู่บ้านร่วม",
            f"{t}.1.อปท_เจ้าภาพ": "เทศบาลตำบลบ้านทุ่ง",
            f"{t}.1.การแต่งตั้งคณะกรรมการ": "ยังไม่ได้แต่งตั้ง",
            f"{t}.1.การจัดทำข้อตกลง": AGREEMENT[1],
            f"{t}.1.ปัญหาและอุปสรรค": "งบประมาณไม่เพียงพอ",
            "q.ชื่อผู้รายงาน": "นางสาวรายงาน ถูกต้อง",
            "q.ตำแหน่ง": "นักวิเคราะห์นโยบายและแผนชำนาญการ",
            "q.หมายเลขโทรศัพท์": "๐ ๕๓๑๑ ๒๒๓๓",
        },
    )
    data["q.สำเนาบันทึกข้อตกลงความร่วมมือ_mou"] = pdf("MOU ศูนย์กำจัดขยะ.pdf")
    sent = province.post(form.url, data)
    assert sent.status_code == 303, sent.content.decode()[:3000]
    answer = Response.objects.get()
    rows = answer.answers["ข้อมูลการจัดทำบริการสาธารณะร่วมกัน"]
    assert len(rows) == 2
    assert rows[0]["วันที่ลงนาม"] == "2021-03-15"
    assert rows[0]["การจัดทำข้อตกลง"] == AGREEMENT[2]
    assert rows[1]["ปัญหาและอุปสรรค"] == "งบประมาณไม่เพียงพอ"
    assert answer.answers["หมายเลขโทรศัพท์"] == "0 5311 2233"
    assert ResponseFile.objects.get().original_name == "MOU ศูนย์กำจัดขยะ.pdf"
    receipt = province.get(sent["Location"]).content.decode()
    assert "ศูนย์กำจัดขยะมูลฝอยรวม" in receipt and "๑๕ มีนาคม ๒๕๖๔" in receipt

    # Later the editor rewords a column: the key, and the answer, stay.
    data = survey_post(circular)
    data["questions-0-value-columns-0-value-label"] = "ชื่อบริการสาธารณะ"
    for name, key in _keys_of(form).items():
        data[name] = key
    for n, block_id in enumerate(_ids_of(form)):
        data[f"questions-{n}-id"] = block_id
    response = editor.post(f"/admin/pages/{form.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    form = ResponseFormPage.objects.get()
    assert form.schema()[0].columns[0].label == "ชื่อบริการสาธารณะ"
    assert form.schema()[0].columns[0].key == "ชื่อบริการสาธารณะที่ร่วมกันจัดทำ"

    # Removing a question that holds answers is refused with a Thai message.
    data["questions-2-deleted"] = "1"
    response = editor.post(f"/admin/pages/{form.pk}/edit/", data)
    assert response.status_code == 200
    assert "ตำแหน่ง" in str(response.context["form"].errors["questions"])


def _keys_of(form) -> dict:
    """Form field names → stored keys, as the edit form carries them."""
    names = {}
    for n, child in enumerate(form.questions):
        names[f"questions-{n}-value-key"] = child.value["key"]
        if child.block_type == "table":
            for m, column in enumerate(child.value["columns"]):
                names[f"questions-{n}-value-columns-{m}-value-key"] = column.value["key"]
    return names


def _ids_of(form) -> list:
    return [child.id for child in form.questions]


def test_the_editor_previews_a_new_form(forms_index, circular, django_user_model):
    editor = Client()
    editor.force_login(
        django_user_model.objects.create_superuser("editor", "e@example.go.th", "pw")
    )
    url = f"/admin/pages/add/responses/responseformpage/{forms_index.pk}/preview/"
    response = editor.post(url, survey_post(circular))
    assert response.json()["is_valid"] is True
    html = editor.get(url).content.decode()
    assert "ข้อมูลการจัดทำบริการสาธารณะร่วมกัน" in html
    assert '<fieldset class="rf-all" disabled>' in html
    assert not ResponseFormPage.objects.exists()


def test_a_form_with_answers_is_not_deleted(small_form, officer, django_user_model):
    from responses import services

    services.save_draft(small_form, services.respondent_for(officer, small_form), {}, {}, officer)
    editor = Client()
    editor.force_login(
        django_user_model.objects.create_superuser("editor", "e@example.go.th", "pw")
    )
    response = editor.post(f"/admin/pages/{small_form.pk}/delete/")
    assert response.status_code == 302
    assert ResponseFormPage.objects.filter(pk=small_form.pk).exists()
    response = editor.post(f"/admin/pages/{small_form.get_parent().pk}/delete/")
    assert ResponseFormPage.objects.filter(pk=small_form.pk).exists()


def test_forms_stay_out_of_the_sitemap(small_form, client):
    assert small_form.url not in client.get("/sitemap.xml").content.decode()
