"""Editing a circular through Wagtail's own admin views, with Thai input."""

import datetime

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cms.circulars.models import CircularPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "e@example.go.th", "pw")
    client.force_login(user)
    return client


def form(**overrides):
    data = {
        "subject": "การจัดทำแผนพัฒนาท้องถิ่น",
        "doc_number": "มท ๐๘๑๐.๓/ว ๑๒",
        "issued_on": "10/02/2564",
        "urgency": "ด่วน",
        "secrecy": "",
        "addressee": "ผู้ว่าราชการจังหวัด ทุกจังหวัด",
        "references": inline_formset(
            [{"target": "", "text": "หนังสือกระทรวงมหาดไทย ที่ มท ๐๒๐๗.๒/ว ๓"}]
        ),
        "enclosures": inline_formset([{"title": "แบบรายงาน", "quantity": "๑ ชุด", "document": ""}]),
        "body": rich_text("<p>ด้วยกรมส่งเสริมการปกครองท้องถิ่นขอให้จังหวัดดำเนินการ</p>"),
        "closing": "จึงเรียนมาเพื่อโปรดพิจารณา",
        "salutation": "ขอแสดงความนับถือ",
        "signatory_name": "นายทดสอบ ระบบ",
        "signatory_position": "อธิบดีกรมส่งเสริมการปกครองท้องถิ่น",
        "signatory_acting_for": "",
        "owner_unit": "",
        "owner_unit_text": "กองพัฒนาและส่งเสริมการบริหารงานท้องถิ่น",
        "contact_phone": "๐ ๒๒๔๑ ๙๐๐๐",
        "contact_fax": "",
        "contact_email": "",
        "coordinators": "",
        "response_deadline": "๑๕ มีนาคม ๒๕๖๔",
        "topics": "",
        "annex": "",
        "slug": "",
        "source_id": "",
        "source_url": "",
    }
    data.update(overrides)
    return nested_form_data(data)


def add_url(archive):
    return f"/admin/pages/add/circulars/circularpage/{archive.pk}/"


def test_thai_dates_are_read_in_the_buddhist_era(editor, archive):
    response = editor.post(add_url(archive), form())
    assert response.status_code == 302, response.content.decode()[:2000]
    page = CircularPage.objects.get()
    assert page.issued_on == datetime.date(2021, 2, 10)
    assert not page.issued_on_month_only
    assert page.response_deadline == datetime.date(2021, 3, 15)
    assert page.doc_running == 12
    assert page.references.get().text.startswith("หนังสือกระทรวงมหาดไทย")
    assert page.enclosures.get().quantity == "๑ ชุด"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2564-02-10", datetime.date(2021, 2, 10)),  # BE typed in ISO shape never becomes 2564 AD
        ("๑๐/๐๒/๒๕๖๔", datetime.date(2021, 2, 10)),
        ("วันพุธที่ ๑๐ กุมภาพันธ์ ๒๕๖๔", datetime.date(2021, 2, 10)),
        ("2021-02-10", datetime.date(2021, 2, 10)),
    ],
)
def test_date_spellings(editor, archive, typed, expected):
    response = editor.post(add_url(archive), form(issued_on=typed))
    assert response.status_code == 302
    assert CircularPage.objects.get().issued_on == expected


def test_month_only_draft_date(editor, archive):
    response = editor.post(
        add_url(archive), form(issued_on="เมษายน ๒๕๖๔", doc_number="มท ๐๘๑๐.๒/ว")
    )
    assert response.status_code == 302
    page = CircularPage.objects.get()
    assert page.issued_on == datetime.date(2021, 4, 1)
    assert page.issued_on_month_only
    edit = editor.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "เมษายน 2564" in edit


def test_bad_input_gets_a_thai_error_and_keeps_what_was_typed(editor, archive):
    response = editor.post(
        add_url(archive), form(issued_on="31/02/2564", doc_number="หนังสือที่ผิด/123")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert CircularPage.objects.count() == 0
    assert "31/02/2564" in html  # nothing the editor typed is lost
    assert "หนังสือที่ผิด/123" in html
    assert "การจัดทำแผนพัฒนาท้องถิ่น" in html
    errors = response.context["form"].errors
    assert "issued_on" in errors and "doc_number" in errors


def test_english_errors_when_the_editor_works_in_english(editor, archive, django_user_model):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(django_user_model.objects.get(username="editor"))
    profile.preferred_language = "en"
    profile.save()
    response = editor.post(add_url(archive), form(issued_on="hello"))
    assert response.status_code == 200
    assert "not a recognisable date" in " ".join(response.context["form"].errors["issued_on"])
