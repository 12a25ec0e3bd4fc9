"""A province fills the demo survey table form in Chromium (issue 5 §8): rows added and removed,
Thai text, a Buddhist-era date, a PDF upload, a draft kept across a reload, the submission and
its receipt; a bad date in row 2 re-renders everything with a Thai message naming the row and
column; axe finds nothing serious on the form, its error state or the receipt.

Staff exporting the answers in the browser is left to the dashboard's own tests."""

from __future__ import annotations

import re

import pytest

from responses import samples
from workflows.demo import DEMO_PASSWORD

from .conftest import DESKTOP, _new_page, assert_no_serious_axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

PDF_NAME = "สำเนาบันทึกข้อตกลง.pdf"
FIRST_SERVICE = "บริการรถพยาบาลฉุกเฉินร่วมกัน"
REMOVED_SERVICE = "แถวที่จะถูกลบออก"
THIRD_SERVICE = "การจัดการขยะมูลฝอยร่วมกัน"


def minimal_pdf() -> bytes:
    return samples.minimal_pdf("MOU")


@pytest.fixture
def pdf_file(tmp_path):
    path = tmp_path / PDF_NAME
    path.write_bytes(minimal_pdf())
    return path


@pytest.fixture
def survey(response_demo):
    from responses.demo import DEMO_SURVEY_SLUG
    from responses.models import ResponseFormPage

    return ResponseFormPage.objects.get(slug=DEMO_SURVEY_SLUG)


class Keys:
    """Field names of the demo survey, read from its schema (keys come from the Thai labels)."""

    def __init__(self, form):
        schema = form.schema()
        table = next(q for q in schema if q.is_table)
        self.table = table.key
        columns = {c.label: c.key for c in table.columns}
        self.service = columns["ชื่อบริการสาธารณะ"]
        self.host = columns["อปท. เจ้าภาพ"]
        self.partners = columns["อปท. ที่ร่วมลงนาม"]
        self.signed = columns["วันที่ลงนาม"]
        self.committee = columns["การแต่งตั้งคณะกรรมการ"]
        self.agreement = columns["การจัดทำข้อตกลง"]
        by_label = {q.label: q.key for q in schema}
        self.reporter = by_label["ชื่อผู้รายงาน"]
        self.position = by_label["ตำแหน่ง"]
        self.phone = by_label["หมายเลขโทรศัพท์"]
        self.file = next(q.key for q in schema if q.is_file)

    def cell(self, row: int, column: str) -> str:
        return f'[name="q.{self.table}.{row}.{column}"]'

    def field(self, key: str) -> str:
        return f'[name="q.{key}"]'


def open_form_as(browser, base_url: str, username: str, form_url: str):
    context, page = _new_page(browser, base_url, DESKTOP)
    page.goto(f"/admin/login/?next={form_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{form_url}")
    return context, page


def click_and_wait(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def fill_row(page, keys: Keys, row: int, service: str, signed: str = "") -> None:
    page.fill(keys.cell(row, keys.service), service)
    page.fill(keys.cell(row, keys.host), "เทศบาลนครเชียงใหม่")
    page.fill(keys.cell(row, keys.partners), "องค์การบริหารส่วนตำบลสันผักหวาน\nเทศบาลตำบลหนองควาย")
    if signed:
        page.fill(keys.cell(row, keys.signed), signed)
    page.select_option(keys.cell(row, keys.committee), label="แต่งตั้งแล้ว")
    page.select_option(keys.cell(row, keys.agreement), label="จัดทำเป็นบันทึกข้อตกลง (MOU)")


def fill_reporter(page, keys: Keys) -> None:
    page.fill(keys.field(keys.reporter), "นางสาวดวงใจ ใจงาม")
    page.fill(keys.field(keys.position), "นักวิเคราะห์นโยบายและแผนชำนาญการ")
    page.fill(keys.field(keys.phone), "0 5311 2345 ต่อ 12")


def row_count(page, keys: Keys) -> int:
    return int(page.locator(f'[name="q.{keys.table}.rows"]').get_attribute("value"))


def test_a_province_fills_the_table_form_saves_a_draft_and_submits(
    browser, response_demo, survey, pdf_file, axe_path
):
    from responses.models import Response

    keys = Keys(survey)
    context, page = open_form_as(browser, response_demo.url, "officer-cmi", survey.url)
    try:
        assert page.locator("h1").inner_text() == survey.title
        assert row_count(page, keys) == 1
        assert_no_serious_axe_violations(page, axe_path, "the empty form")

        # Three rows (each "add a row" saves the draft and comes back), then the middle one goes.
        fill_row(page, keys, 0, FIRST_SERVICE, signed="10/02/2564")
        click_and_wait(page, f'button[value="add_row:{keys.table}"]')
        assert row_count(page, keys) == 2
        assert page.input_value(keys.cell(0, keys.service)) == FIRST_SERVICE
        fill_row(page, keys, 1, REMOVED_SERVICE)
        click_and_wait(page, f'button[value="add_row:{keys.table}"]')
        assert row_count(page, keys) == 3
        fill_row(page, keys, 2, THIRD_SERVICE, signed="๑๕/๐๖/๒๕๖๖")
        click_and_wait(page, f'button[value="remove_row:{keys.table}:1"]')
        assert row_count(page, keys) == 2
        assert page.input_value(keys.cell(1, keys.service)) == THIRD_SERVICE

        fill_reporter(page, keys)
        page.set_input_files(f'input[type=file][name="q.{keys.file}"]', str(pdf_file))
        click_and_wait(page, '.rf-actions button[value="save"]')
        assert "บันทึก" in page.locator(".messages").inner_text()

        # Everything is still there after a reload: rows, Thai text, dates in the Buddhist era,
        # the choices and the kept file.
        page.reload()
        assert row_count(page, keys) == 2
        assert page.input_value(keys.cell(0, keys.service)) == FIRST_SERVICE
        assert page.input_value(keys.cell(0, keys.signed)) == "10/02/2564"
        assert page.input_value(keys.cell(1, keys.service)) == THIRD_SERVICE
        assert page.input_value(keys.cell(1, keys.signed)) == "15/06/2566"
        assert page.input_value(keys.cell(1, keys.partners)).endswith("เทศบาลตำบลหนองควาย")
        assert page.input_value(keys.cell(1, keys.agreement)) == "จัดทำเป็นบันทึกข้อตกลง (MOU)"
        assert page.input_value(keys.field(keys.reporter)) == "นางสาวดวงใจ ใจงาม"
        assert REMOVED_SERVICE not in page.content()
        assert page.locator(".rf-files li").count() == 1
        assert PDF_NAME in page.locator(".rf-files").inner_text()

        click_and_wait(page, '.rf-actions button[value="submit"]')
        assert "/receipt/" in page.url
        reference = page.locator(".rf-receipt__reference").inner_text().strip()
        assert re.fullmatch(rf"WF-{survey.pk}-50-1", reference)
        receipt = page.locator("main").inner_text()
        assert FIRST_SERVICE in receipt and THIRD_SERVICE in receipt
        assert REMOVED_SERVICE not in receipt
        assert "๑๐ กุมภาพันธ์ ๒๕๖๔" in receipt
        assert page.locator(f'a:has-text("{PDF_NAME}")').count() == 1
        assert_no_serious_axe_violations(page, axe_path, "the receipt")
    finally:
        context.close()

    response = Response.objects.get(form=survey)
    assert response.status == "submitted" and response.version == 1
    assert response.reference == reference
    rows = response.answers[keys.table]
    assert [row[keys.service] for row in rows] == [FIRST_SERVICE, THIRD_SERVICE]
    assert [row[keys.signed] for row in rows] == ["2021-02-10", "2023-06-15"]
    assert response.files.count() == 1
    assert response.files.get().original_name == PDF_NAME


def test_a_bad_date_in_row_two_keeps_every_row_and_the_file(
    browser, response_demo, survey, pdf_file, axe_path
):
    from responses.models import Response

    keys = Keys(survey)
    context, page = open_form_as(browser, response_demo.url, "officer-bkk", survey.url)
    try:
        fill_row(page, keys, 0, FIRST_SERVICE, signed="10/02/2564")
        click_and_wait(page, f'button[value="add_row:{keys.table}"]')
        fill_row(page, keys, 1, THIRD_SERVICE, signed="31/02/2566")  # no 31 February
        fill_reporter(page, keys)
        page.set_input_files(f'input[type=file][name="q.{keys.file}"]', str(pdf_file))
        click_and_wait(page, '.rf-actions button[value="submit"]')

        # Not sent: the page comes back with the error at the top and at the cell, in Thai.
        assert "/receipt/" not in page.url
        summary = page.locator(".rf-error-summary").inner_text()
        assert "แถวที่ ๒" in summary and "วันที่ลงนาม" in summary
        cell = page.locator(keys.cell(1, keys.signed))
        assert cell.get_attribute("aria-invalid") == "true"
        assert cell.input_value() == "31/02/2566"  # kept as typed
        link = page.locator(".rf-error-summary a").first
        assert link.get_attribute("href") == f"#{cell.get_attribute('id')}"
        assert row_count(page, keys) == 2
        assert page.input_value(keys.cell(0, keys.service)) == FIRST_SERVICE
        assert page.input_value(keys.cell(0, keys.signed)) == "10/02/2564"
        assert page.input_value(keys.cell(1, keys.service)) == THIRD_SERVICE
        assert page.input_value(keys.field(keys.reporter)) == "นางสาวดวงใจ ใจงาม"
        assert PDF_NAME in page.locator(".rf-files").inner_text()
        assert_no_serious_axe_violations(page, axe_path, "the form with an error")

        # Corrected, it goes through with the file uploaded before the error.
        cell.fill("28/02/2566")
        click_and_wait(page, '.rf-actions button[value="submit"]')
        assert "/receipt/" in page.url
        assert page.locator(f'a:has-text("{PDF_NAME}")').count() == 1
    finally:
        context.close()

    response = Response.objects.get(form=survey)
    assert response.status == "submitted" and response.version == 1
    assert [row[keys.signed] for row in response.answers[keys.table]] == [
        "2021-02-10",
        "2023-02-28",
    ]
    assert response.files.count() == 1
