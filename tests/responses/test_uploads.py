"""Uploads are accepted by content: PDF, DOCX, XLSX, JPG, PNG; nothing else, nothing too big."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from responses.uploads import check_upload
from tests.responses.conftest import JPEG, PDF, PNG, office_zip, upload


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("สำเนา MOU.pdf", PDF, "pdf"),
        ("ภาพถ่าย.png", PNG, "png"),
        ("ภาพถ่าย.JPG", JPEG, "jpeg"),
        ("ภาพถ่าย.jpeg", JPEG, "jpeg"),
        ("รายงาน.docx", office_zip("word"), "docx"),
        ("ตาราง.xlsx", office_zip("xl"), "xlsx"),
    ],
)
def test_accepted_by_content(name, content, kind):
    checked = check_upload(upload(name, content))
    assert checked.kind == kind
    assert checked.size == len(content)
    assert len(checked.sha256) == 64


def test_a_real_openpyxl_workbook_is_an_xlsx(tmp_path):
    import openpyxl

    path = tmp_path / "สรุป.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "ทดสอบ"
    workbook.save(path)
    assert check_upload(upload("สรุป.xlsx", path.read_bytes())).kind == "xlsx"


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("บันทึก.pdf", "นี่คือข้อความธรรมดา ไม่ใช่ PDF".encode(), "ไม่ใช่ไฟล์ PDF"),
        ("script.pdf", b"#!/bin/sh\necho hi\n", "ไม่ใช่ไฟล์ PDF"),
        ("ภาพ.png", PDF, "แต่เนื้อไฟล์เป็น PDF"),
        ("archive.docx", office_zip("other"), "ไม่ใช่ไฟล์ PDF"),
        ("broken.docx", b"PK\x03\x04broken", "ไม่ใช่ไฟล์ PDF"),
        ("โปรแกรม.exe", b"MZ\x90\x00", "ไม่ใช่ไฟล์ PDF"),
        ("ว่าง.pdf", b"", "ว่างเปล่า"),
        ("ไม่มีนามสกุล", PDF, ".pdf, .docx"),
        ("หน้าเว็บ.html", PDF, ".pdf, .docx"),
        ("ภาพ.svg", PNG, ".pdf, .docx"),
        ("มาโคร.docx", office_zip("word", macros=True), "มาโคร"),
        ("มาโคร.xlsx", office_zip("xl", macros=True), "มาโคร"),
    ],
)
def test_refused_with_a_thai_reason(name, content, says):
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(name, content))
    assert says in " ".join(refused.value.messages)
    assert name in " ".join(refused.value.messages)


def test_size_limit_comes_from_the_settings(settings):
    settings.WIAN_RESPONSE_MAX_UPLOAD_MB = 1
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("ใหญ่.pdf", big))
    assert "ใหญ่เกิน ๑ MB" in refused.value.messages[0]
    settings.WIAN_RESPONSE_MAX_UPLOAD_MB = 2
    assert check_upload(upload("ใหญ่.pdf", big)).kind == "pdf"


def test_files_are_served_under_their_stem_and_canonical_extension():
    from responses.uploads import CONTENT_TYPES, download_name

    assert download_name("ภาพ.JPEG", CONTENT_TYPES["jpeg"]) == "ภาพ.jpg"
    assert download_name("รายงาน.html", CONTENT_TYPES["pdf"]) == "รายงาน.pdf"
    assert download_name("ตาราง.xlsx", CONTENT_TYPES["xlsx"]) == "ตาราง.xlsx"
