"""Staff follow and export the demo survey in Chromium (issue 5 §5 and §8): Chiang Mai has
submitted (through responses.services, to keep the setup fast), Bangkok holds a draft, every
other addressed province has not started. The owner unit's drafter logs in, reaches the forms
from the admin menu, reads the statuses in Thai, filters by status, opens Chiang Mai's answers
and downloads the CSVs and the XLSX: the CSV starts with the BOM and is headed in Thai, the
table comes one row per table row with the responder's columns repeated. A province officer
gets the Thai refusal. axe finds nothing serious on the dashboard."""

from __future__ import annotations

import csv
import io

import pytest

from tests.responses.test_export import RESPONDER
from workflows.demo import DEMO_PASSWORD

from .conftest import DESKTOP, _new_page, assert_no_serious_axe_violations
from .test_response_form import Keys, click_and_wait, open_form_as

pytestmark = pytest.mark.django_db(transaction=True)

CMI, BKK, SKH = 50, 10, 90  # submitted, draft, not started
FIRST_SERVICE = "บริการรถพยาบาลฉุกเฉินร่วมกัน"
SECOND_SERVICE = "การจัดการขยะมูลฝอยร่วมกัน"
REPORTER = "นางสาวดวงใจ ใจงาม"
BKK_DRAFT_REPORTER = "ร่างของกรุงเทพมหานคร"
TABLE_COLUMNS = [
    "ชื่อบริการสาธารณะ",
    "อปท. เจ้าภาพ",
    "อปท. ที่ร่วมลงนาม",
    "วันที่ลงนาม",
    "การแต่งตั้งคณะกรรมการ",
    "การจัดทำข้อตกลง",
    "วัตถุประสงค์",
    "ปัญหาและอุปสรรค",
]
TABLE_LABEL = "ข้อมูลการจัดทำบริการสาธารณะร่วมกัน"
# Host, co-signers, then (after the date) committee, agreement, objective, problems.
COMMON_CELLS = [
    "เทศบาลนครเชียงใหม่",
    "องค์การบริหารส่วนตำบลสันผักหวาน",
    "แต่งตั้งแล้ว",
    "จัดทำเป็นบันทึกข้อตกลง (MOU)",
    "",
    "",
]
SUBMITTED_TH, NOT_STARTED_TH, DRAFT_TH = "ส่งแล้ว", "ยังไม่เริ่ม", "ร่าง"


@pytest.fixture
def survey(response_demo):
    """The demo survey with Chiang Mai's two-row submission and Bangkok's draft."""
    from cms.organisations.models import Province
    from responses import services
    from responses.demo import DEMO_SURVEY_SLUG
    from responses.models import ResponseFormPage

    form = ResponseFormPage.objects.get(slug=DEMO_SURVEY_SLUG)
    keys = Keys(form)

    def row(service: str, signed: str) -> dict:
        return {
            keys.service: service,
            keys.host: "เทศบาลนครเชียงใหม่",
            keys.partners: "องค์การบริหารส่วนตำบลสันผักหวาน",
            keys.signed: signed,
            keys.committee: "แต่งตั้งแล้ว",
            keys.agreement: "จัดทำเป็นบันทึกข้อตกลง (MOU)",
        }

    answers = {
        keys.table: [row(FIRST_SERVICE, "10/02/2564"), row(SECOND_SERVICE, "15/06/2566")],
        keys.reporter: REPORTER,
        keys.position: "นักวิเคราะห์นโยบายและแผนชำนาญการ",
        keys.phone: "053112345",
    }
    outcome = services.submit(form, Province.objects.get(code=CMI), answers, {}, None)
    assert outcome.submitted, outcome.errors
    outcome = services.save_draft(
        form, Province.objects.get(code=BKK), {keys.reporter: BKK_DRAFT_REPORTER}, {}, None
    )
    assert outcome.ok and not outcome.submitted, outcome.errors
    return form


def dashboard_rows(page) -> dict[str, str]:
    """Organisation code → status, as the dashboard's table lists them."""
    rows = page.locator("table.wian-responses tbody tr[data-organisation]")
    return {
        rows.nth(i).get_attribute("data-organisation"): rows.nth(i).get_attribute("data-status")
        for i in range(rows.count())
    }


def status_cell(page, code: int) -> str:
    return page.locator(f'tr[data-organisation="{code}"] .wian-response-status').inner_text()


def filter_by_status(page, label: str) -> None:
    page.select_option("#wian-filter-status", label=label)
    click_and_wait(page, '.wian-filters button[type="submit"]')


def download(page, selector: str, tmp_path, name: str):
    with page.expect_download() as info:
        page.click(selector)
    got = info.value
    assert got.failure() is None, got.failure()
    path = tmp_path / name
    got.save_as(path)
    return got.suggested_filename, path


def read_csv(path) -> list[list[str]]:
    content = path.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf"), content[:10]
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_staff_follow_filter_read_and_export_the_responses(
    browser, response_demo, survey, axe_path, tmp_path
):
    from openpyxl import load_workbook

    from responses.exporting import be_datetime
    from responses.models import Response

    keys = Keys(survey)
    chiang_mai = Response.objects.get(form=survey, province__code=CMI)
    addressed = survey.addressed_organisations().count()
    assert addressed > 3

    context, page = open_form_as(browser, response_demo.url, "drafter", "/admin/")
    try:
        # The admin menu leads to the forms this unit manages, with their counts.
        page.get_by_role("link", name="คำตอบแบบรายงาน").first.click()
        page.wait_for_url("**/admin/wian/forms/")
        row = page.locator(f'table.wian-forms tr[data-form="{survey.pk}"]')
        assert row.locator('[data-status="submitted"]').inner_text() == f"{SUBMITTED_TH}: ๑"
        assert row.locator('[data-status="draft"]').inner_text() == f"{DRAFT_TH}: ๑"
        click_and_wait(page, f'tr[data-form="{survey.pk}"] a:has-text("{survey.title}")')
        assert page.url.endswith(f"/admin/wian/forms/{survey.pk}/")

        # Every addressed province, each with its status in Thai.
        rows = dashboard_rows(page)
        assert len(rows) == addressed
        assert rows[str(CMI)] == "submitted" and status_cell(page, CMI) == SUBMITTED_TH
        assert rows[str(BKK)] == "draft" and status_cell(page, BKK) == DRAFT_TH
        assert rows[str(SKH)] == "not_started" and status_cell(page, SKH) == NOT_STARTED_TH
        counts = page.locator(".wian-status-counts")
        assert counts.locator('[data-status="submitted"]').get_attribute("data-count") == "1"
        assert counts.locator('[data-status="not_started"]').get_attribute("data-count") == str(
            addressed - 2
        )
        assert chiang_mai.reference in page.locator(f'tr[data-organisation="{CMI}"]').inner_text()
        assert_no_serious_axe_violations(page, axe_path, "the response dashboard")

        # Filters through the form on the page.
        filter_by_status(page, NOT_STARTED_TH)
        assert "status=not_started" in page.url
        rows = dashboard_rows(page)
        assert len(rows) == addressed - 2 and set(rows.values()) == {"not_started"}
        assert str(CMI) not in rows and str(BKK) not in rows
        filter_by_status(page, SUBMITTED_TH)
        assert dashboard_rows(page) == {str(CMI): "submitted"}
        assert page.locator(".wian-shown").get_attribute("data-shown") == "1"

        # Chiang Mai's answers.
        click_and_wait(page, f'tr[data-organisation="{CMI}"] a')
        assert page.url.endswith(f"/admin/wian/forms/{survey.pk}/responses/{chiang_mai.pk}/")
        status = page.locator("dd.wian-response-status")
        assert status.get_attribute("data-status") == "submitted"
        assert status.inner_text() == SUBMITTED_TH
        text = page.locator("#wian-response-sent-content").inner_text()
        assert FIRST_SERVICE in text and SECOND_SERVICE in text and REPORTER in text
        assert chiang_mai.reference in page.locator("main").inner_text()
        assert page.locator("#wian-response-draft-section").count() == 0  # nothing unsent
        click_and_wait(page, f'a[href="/admin/wian/forms/{survey.pk}/"]')

        # The downloads: the answers CSV, the table CSV, the workbook.
        answers_name, answers_csv = download(
            page, 'form.wian-export[action$="export.csv"] button[type=submit]', tmp_path, "a.csv"
        )
        page.select_option("#wian-export-table", value=keys.table)
        table_name, table_csv = download(
            page, 'form.wian-export[action$="export.csv"] button[type=submit]', tmp_path, "t.csv"
        )
        xlsx_name, xlsx = download(
            page, 'form.wian-export[action$="export.xlsx"] button[type=submit]', tmp_path, "w.xlsx"
        )
        assert page.url.endswith(f"/admin/wian/forms/{survey.pk}/")  # no navigation away
    finally:
        context.close()

    assert answers_name == f"wian-form-{survey.pk}-responses.csv"
    assert table_name == f"wian-form-{survey.pk}-responses-{keys.table}.csv"
    assert xlsx_name == f"wian-form-{survey.pk}-responses.xlsx"

    version = chiang_mai.latest_submission()
    responder = [
        "50",
        "เชียงใหม่",
        "เชียงใหม่",
        SUBMITTED_TH,
        chiang_mai.reference,
        "1",
        be_datetime(version.created_at),
        "ไม่ใช่",
    ]

    # Answers CSV: one row for Chiang Mai (Bangkok's draft is not exported), Thai headers.
    rows = read_csv(answers_csv)
    assert rows[0] == [
        *RESPONDER,
        "ชื่อผู้รายงาน",
        "ตำแหน่ง",
        "หมายเลขโทรศัพท์",
        "สำเนาบันทึกข้อตกลง (MOU)",
        f"จำนวนแถว: {TABLE_LABEL}",
    ]
    assert rows[1:] == [
        [
            *responder,
            REPORTER,
            "นักวิเคราะห์นโยบายและแผนชำนาญการ",
            chiang_mai.answers[keys.phone],
            "",
            "2",
        ]
    ]
    assert BKK_DRAFT_REPORTER not in answers_csv.read_text(encoding="utf-8-sig")

    # Table CSV: one row per table row, the responder's columns repeated.
    rows = read_csv(table_csv)
    assert rows[0] == [*RESPONDER, "แถว", *TABLE_COLUMNS]
    assert rows[1:] == [
        [*responder, "1", FIRST_SERVICE, *COMMON_CELLS[:2], "10 กุมภาพันธ์ 2564", *COMMON_CELLS[2:]],
        [*responder, "2", SECOND_SERVICE, *COMMON_CELLS[:2], "15 มิถุนายน 2566", *COMMON_CELLS[2:]],
    ]

    # The workbook: answers, the table sheet (same rows, typed), the counts per choice.
    book = load_workbook(xlsx, read_only=True)
    assert len(book.sheetnames) == 3
    main_sheet, table_sheet, summary_sheet = (book[name] for name in book.sheetnames)
    assert book.sheetnames[0] == "คำตอบแบบรายงาน" and book.sheetnames[2] == "สรุป"
    assert TABLE_LABEL.startswith(book.sheetnames[1])  # cut to Excel's 31 characters
    main_rows = [list(r) for r in main_sheet.iter_rows(values_only=True)]
    assert len(main_rows) == 2  # the header and Chiang Mai
    assert main_rows[1][:5] == responder[:5] and main_rows[1][-1] == 2
    table_rows = [list(r) for r in table_sheet.iter_rows(values_only=True)]
    assert table_rows[0] == [*RESPONDER, "แถว", *TABLE_COLUMNS]
    assert len(table_rows) == 1 + 2  # the header, then one row per table row
    typed_responder = [*responder[:5], 1, responder[6], "ไม่ใช่"]
    for number, (line, service) in enumerate(
        zip(table_rows[1:], (FIRST_SERVICE, SECOND_SERVICE), strict=True), start=1
    ):
        assert line[: len(RESPONDER)] == typed_responder
        assert line[len(RESPONDER)] == number
        assert line[len(RESPONDER) + 1] == service
    summary = [list(r) for r in summary_sheet.iter_rows(values_only=True)]
    assert ["การแต่งตั้งคณะกรรมการ", TABLE_LABEL, "แต่งตั้งแล้ว", 2, 100] in summary
    book.close()


def test_a_province_officer_is_refused_the_dashboard_in_thai(browser, response_demo, survey):
    url = f"/admin/wian/forms/{survey.pk}/"
    context, page = _new_page(browser, response_demo.url, DESKTOP)
    try:
        page.goto(f"/admin/login/?next={url}")
        page.fill("input[name=username]", "officer-bkk")
        page.fill("input[name=password]", DEMO_PASSWORD)
        with page.expect_response(lambda r: r.url.endswith(url)) as answer:
            page.click("button[type=submit]")
        assert answer.value.status == 403
        page.wait_for_load_state()
        assert page.url.endswith(url)
        assert page.locator(".wian-denied").inner_text() == (
            "หน้าติดตามคำตอบสำหรับเจ้าหน้าที่ของหน่วยงานเจ้าของหนังสือเวียนและผู้ดูแลระบบเท่านั้น"
        )
        assert "ไม่มีสิทธิ์" in page.title()
        main = page.locator("main").inner_text()
        assert "ส่งแล้ว" not in main and survey.title not in main
        # Nor the exports, nor a response (not even its own province's draft).
        bangkok = survey.responses.get(province__code=BKK)
        for path in ("export.csv", "export.xlsx", f"responses/{bangkok.pk}/", "../"):
            assert page.request.get(f"{url}{path}").status == 403, path
    finally:
        context.close()
