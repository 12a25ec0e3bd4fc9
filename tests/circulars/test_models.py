import datetime

import pytest
from django.core.exceptions import ValidationError

from cms.circulars.models import CircularPage
from workflows.permissions import can_view

pytestmark = pytest.mark.django_db


def test_structured_number_follows_the_printed_one(make_circular):
    page = make_circular(doc_number="มท  ๐๘๑๐.๒/ว   ๓๓๗")
    assert page.doc_number == "มท ๐๘๑๐.๒/ว ๓๓๗"
    assert (page.doc_ministry, page.doc_unit_code, page.doc_is_circular, page.doc_running) == (
        "มท",
        "0810.2",
        True,
        337,
    )
    assert page.doc_number_key == "มท0810.2/ว337"


def test_draft_number_has_no_running_number(make_circular):
    page = make_circular(doc_number="มท 0810.3/", state="draft")
    assert page.doc_unit_code == "0810.3"
    assert page.doc_running is None
    assert page.slug.startswith("c-")


def test_title_and_slug_come_from_subject_and_number(make_circular):
    long_subject = "ก" * 400
    page = make_circular(
        subject=f"  {long_subject}  ",
        doc_number="มท ๐๘๑๒/ว ๒๗๑",
        issued_on=datetime.date(2021, 2, 10),
    )
    assert page.subject == long_subject
    assert page.title == long_subject[:255]
    assert page.slug == "2564-0812-271"
    assert page.be_year == 2564


def test_buddhist_era_year_is_refused_by_the_model(make_circular):
    page = make_circular()
    page.issued_on = datetime.date(2564, 2, 10)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "issued_on" in error.value.message_dict
    assert "2021" in " ".join(error.value.message_dict["issued_on"])


def test_malformed_number_is_refused_by_the_model(make_circular):
    page = make_circular()
    page.doc_number = "hello/world"
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "doc_number" in error.value.message_dict


@pytest.mark.parametrize(
    ("fields", "visible"),
    [
        ({}, True),
        ({"state": "closed"}, True),
        ({"state": "draft", "live": False}, False),
        ({"state": "signed", "live": False}, False),
        ({"state": "draft", "live": True}, False),
        ({"secrecy": "ลับ"}, False),
        ({"secrecy": "ลับที่สุด"}, False),
    ],
)
def test_public_visibility(make_circular, fields, visible):
    page = make_circular(**fields)
    assert can_view(None, page) is visible
    archive = page.get_parent().specific
    assert archive.visible_circulars().filter(pk=page.pk).exists() is visible


def test_acting_for_signatory_prints_on_two_lines(make_circular):
    page = make_circular(
        signatory_position="รองอธิบดี", signatory_acting_for="อธิบดีกรมส่งเสริมการปกครองท้องถิ่น"
    )
    assert page.signatory_position_lines == [
        "รองอธิบดี ปฏิบัติราชการแทน",
        "อธิบดีกรมส่งเสริมการปกครองท้องถิ่น",
    ]


def test_month_only_date(make_circular):
    page = make_circular(
        issued_on=datetime.date(2021, 4, 1),
        issued_on_month_only=True,
        state="draft",
        doc_number="มท ๐๘๑๐.๒/ว",
    )
    assert page.issued.iso() == "2021-04"
    assert CircularPage.objects.get(pk=page.pk).issued.is_month_only
