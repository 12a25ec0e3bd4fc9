import datetime

import pytest

pytestmark = pytest.mark.django_db


def test_home_lists_latest_public_circulars(client, make_circular):
    public = make_circular(subject="เรื่องสาธารณะสำหรับหน้าแรก")
    make_circular(subject="เรื่องร่างที่ยังไม่เผยแพร่", state="draft", live=False)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert public.subject in html
    assert "เรื่องร่างที่ยังไม่เผยแพร่" not in html


def test_archive_newest_first_and_hides_drafts_and_secrets(client, make_circular):
    older = make_circular(subject="หนังสือเก่า", issued_on=datetime.date(2019, 1, 5))
    newer = make_circular(subject="หนังสือใหม่", issued_on=datetime.date(2022, 6, 1))
    make_circular(subject="หนังสือลับ", secrecy="ลับ")
    make_circular(subject="หนังสือร่าง", state="draft", live=False)
    html = client.get("/circulars/").content.decode()
    assert html.index(newer.subject) < html.index(older.subject)
    assert "หนังสือลับ" not in html
    assert "หนังสือร่าง" not in html


def test_archive_year_url_filters_by_buddhist_era(client, make_circular):
    make_circular(subject="หนังสือปี ๒๕๖๔", issued_on=datetime.date(2021, 5, 1))
    make_circular(subject="หนังสือปี ๒๕๖๕", issued_on=datetime.date(2022, 5, 1))
    response = client.get("/circulars/2564/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "หนังสือปี ๒๕๖๔" in html
    assert "หนังสือปี ๒๕๖๕" not in html
    assert client.get("/circulars/2021/").status_code == 404
    assert "หนังสือปี ๒๕๖๕" in client.get("/circulars/?year=2565").content.decode()


def test_archive_filters_by_unit_and_urgency(client, make_circular, units):
    make_circular(subject="หนังสือของกองคลัง", owner_unit=units["0808"], urgency="ด่วนที่สุด")
    make_circular(subject="หนังสือของกลุ่มพัฒนาระบบบริหาร", owner_unit=units["0812"])
    by_unit = client.get("/circulars/?unit=0808").content.decode()
    assert "หนังสือของกองคลัง" in by_unit
    assert "หนังสือของกลุ่มพัฒนาระบบบริหาร" not in by_unit
    by_urgency = client.get("/circulars/", {"urgency": "ด่วนที่สุด"}).content.decode()
    assert "หนังสือของกองคลัง" in by_urgency
    assert "หนังสือของกลุ่มพัฒนาระบบบริหาร" not in by_urgency


def test_archive_is_paginated(client, make_circular):
    for day in range(1, 23):
        make_circular(subject=f"หนังสือลำดับ {day:02d}", issued_on=datetime.date(2021, 1, day))
    first = client.get("/circulars/").content.decode()
    second = client.get("/circulars/?page=2").content.decode()
    assert "หนังสือลำดับ 22" in first and "หนังสือลำดับ 01" not in first
    assert "หนังสือลำดับ 01" in second and "หนังสือลำดับ 22" not in second
    assert 'rel="next"' in first


def test_circular_page_shows_the_official_letter(client, make_circular):
    page = make_circular(
        subject="การประชุมชี้แจงแนวทางการจัดทำแผน",
        doc_number="มท ๐๘๑๒/ว 45",
        issued_on=datetime.date(2021, 2, 10),
        urgency="ด่วนมาก",
        signatory_position="รองอธิบดี",
        signatory_acting_for="อธิบดีกรมส่งเสริมการปกครองท้องถิ่น",
        contact_phone="๐ ๒๒๔๑ ๙๐๐๐ ต่อ ๑๒๕๑",
        coordinators="นายหนึ่ง ทดสอบ\nนางสาวสอง ทดสอบ",
        enclosures=[("แบบรายงานผล", "๑ ชุด")],
        references=["หนังสือกระทรวงการคลัง ที่ กค ๐๔๐๒/ว ๑๒ ลงวันที่ ๑ มกราคม ๒๕๖๔"],
    )
    html = client.get(page.url).content.decode()
    assert "มท ๐๘๑๒/ว 45" in html  # as printed, digits untouched
    assert "๑๐ กุมภาพันธ์ ๒๕๖๔" in html  # date in Thai digits, Buddhist era
    assert 'class="letter__urgency">ด่วนมาก<' in html
    assert "รองอธิบดี ปฏิบัติราชการแทน" in html
    assert "จำนวน ๑ ชุด" in html
    assert "กค ๐๔๐๒/ว ๑๒" in html
    assert "ผู้ประสานงาน นายหนึ่ง ทดสอบ, นางสาวสอง ทดสอบ" in html


def test_references_are_linked_both_ways(client, make_circular):
    earlier = make_circular(subject="หนังสือฉบับแรก", issued_on=datetime.date(2021, 2, 10))
    later = make_circular(
        subject="หนังสือฉบับต่อมา", issued_on=datetime.date(2021, 7, 1), references=[earlier]
    )
    later_html = client.get(later.url).content.decode()
    assert f'href="{earlier.url}"' in later_html
    earlier_html = client.get(earlier.url).content.decode()
    assert "อ้างถึงโดย" in earlier_html
    assert f'href="{later.url}"' in earlier_html


def test_secret_and_draft_circulars_are_not_served(client, make_circular):
    secret = make_circular(secrecy="ลับ")
    assert client.get(secret.url).status_code == 404
    citing_secret = make_circular(references=[secret])
    assert f'href="{secret.url}"' not in client.get(citing_secret.url).content.decode()


def test_staff_may_preview_a_secret_circular(client, make_circular, django_user_model):
    secret = make_circular(secrecy="ลับ")
    staff = django_user_model.objects.create_superuser("boss", "b@example.go.th", "pw")
    client.force_login(staff)
    assert client.get(secret.url).status_code == 200


def test_english_interface(client, make_circular):
    make_circular()
    client.post("/i18n/setlang/", {"language": "en", "next": "/circulars/"})
    html = client.get("/circulars/").content.decode()
    assert "Circular archive" in html
    client.post("/i18n/setlang/", {"language": "th", "next": "/circulars/"})
    assert "Circular archive" not in client.get("/circulars/").content.decode()


def test_enclosure_file_is_downloadable(client, make_circular, settings, tmp_path):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    settings.MEDIA_ROOT = tmp_path
    document = Document(title="แบบสำรวจ")
    document.file.save("survey.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    page = make_circular(enclosures=[("แบบสำรวจข้อมูล", "๑ ฉบับ")])
    enclosure = page.enclosures.get()
    enclosure.document = document
    enclosure.save()
    html = client.get(page.url).content.decode()
    assert f'href="{document.url}"' in html
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"


def test_empty_urgency_in_the_form_means_any(client, make_circular):
    make_circular(subject="หนังสือด่วนที่สุดในปีเดียวกัน", urgency="ด่วนที่สุด")
    make_circular(subject="หนังสือปกติในปีเดียวกัน")
    html = client.get("/circulars/?year=2564&unit=&urgency=").content.decode()
    assert "หนังสือด่วนที่สุดในปีเดียวกัน" in html
    assert "หนังสือปกติในปีเดียวกัน" in html
