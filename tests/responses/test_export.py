"""Export of every response: CSV (UTF-8 with BOM) and XLSX, tables one row per table row with
the responder's columns repeated, counts per choice, and a bounded number of queries."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from cms.organisations.models import LocalOrganisation
from responses import exporting, services
from responses.models import Response, ResponseFormPage
from tests.responses import test_dashboard as dashboard
from tests.responses.conftest import q
from tests.responses.test_dashboard import BKK, BKK_ANSWERS, CMI, SKH, client_for

pytestmark = pytest.mark.django_db

# Fixtures of test_dashboard: a form answered by four provinces in every state, 0812 staff.
answered = dashboard.answered
four = dashboard.four
staff = dashboard.staff

RESPONDER = [
    "รหัสหน่วยงาน",
    "หน่วยงาน",
    "จังหวัด",
    "สถานะ",
    "เลขที่อ้างอิง",
    "ครั้งที่ส่ง",
    "วันเวลาที่ส่ง",
    "ส่งช้า",
]
MAIN_HEADER = [
    *RESPONDER,
    "ชื่อผู้รายงาน",
    "ผลการดำเนินงาน",
    "ประเภทบริการ",
    "มีงบประมาณสนับสนุน",
    "จำนวนเงิน",
    "วันที่รายงาน",
    "สำเนาบันทึกข้อตกลง",
    "จำนวนแถว: ตารางความร่วมมือ",
]
TABLE_HEADER = [*RESPONDER, "แถว", "ชื่อบริการสาธารณะ", "วันที่ลงนาม", "คณะกรรมการ"]


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), content[:10]
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def get_csv(client, form, **params) -> bytes:
    response = client.get(f"/admin/wian/forms/{form.pk}/export.csv", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def be_datetime(dt) -> str:
    return exporting.be_datetime(dt)


def test_csv_has_a_bom_thai_headers_and_one_row_per_submitted_response(answered, staff):
    rows = csv_rows(get_csv(client_for(staff), answered))
    assert rows[0] == MAIN_HEADER
    bangkok = answered.responses.get(province__code=BKK)
    chiang_mai = answered.responses.get(province__code=CMI)
    # Provinces in Thai alphabetical order; Songkhla's draft and Chonburi are not exported.
    assert rows[1:] == [
        [
            "10",
            "กรุงเทพมหานคร",
            "กรุงเทพมหานคร",
            "ส่งแล้ว",
            bangkok.reference,
            "1",
            be_datetime(bangkok.submitted_at),
            "ไม่ใช่",
            "นางสาวใจดี รายงานเร็ว",
            "ดำเนินการแล้ว",
            "ขยะ; ถนน",
            "ใช่",
            "1250.50",
            "1 เมษายน 2564",
            "บันทึกข้อตกลง.pdf",
            "2",
        ],
        [
            "50",
            "เชียงใหม่",
            "เชียงใหม่",
            "ส่งช้า",
            chiang_mai.reference,
            "1",
            be_datetime(chiang_mai.submitted_at),
            "ใช่",
            "นายสมศักดิ์ เชียงใหม่",
            "ดำเนินการแล้ว",
            "ขยะ",
            "ไม่ใช่",
            "300",
            "",
            "",
            "1",
        ],
    ]
    year = bangkok.submitted_at.year + 543
    assert str(year) in rows[1][6]


def test_a_table_csv_has_one_row_per_table_row_with_the_responder_repeated(answered, staff):
    rows = csv_rows(get_csv(client_for(staff), answered, table="ตารางความร่วมมือ"))
    assert rows[0] == TABLE_HEADER
    assert len(rows) == 4  # Bangkok's two rows, Chiang Mai's one
    first, second, third = rows[1:]
    assert first[: len(RESPONDER)] == second[: len(RESPONDER)]
    assert first[0] == "10" and third[0] == "50"
    assert first[len(RESPONDER) :] == ["1", "การจัดการขยะมูลฝอย", "15 มีนาคม 2564", "แต่งตั้งแล้ว"]
    assert second[len(RESPONDER) :] == ["2", "ประปาหมู่บ้าน", "", "ยังไม่แต่งตั้ง"]
    assert third[len(RESPONDER) :] == ["1", "ถนนเชื่อมตำบล", "1 มิถุนายน 2564", "แต่งตั้งแล้ว"]


def test_unknown_tables_are_404(answered, staff):
    client = client_for(staff)
    for key in ("ไม่มีตารางนี้", "ชื่อผู้รายงาน"):
        url = f"/admin/wian/forms/{answered.pk}/export.csv"
        assert client.get(url, {"table": key}).status_code == 404


def test_drafts_are_exported_on_request_with_their_status(answered, staff):
    rows = csv_rows(get_csv(client_for(staff), answered, drafts="1"))
    by_code = {row[0]: row for row in rows[1:]}
    assert set(by_code) == {"10", "50", "90"}  # Chonburi never started: nothing to export
    songkhla = by_code["90"]
    assert songkhla[3] == "ร่าง" and songkhla[4:8] == ["", "", "", ""]
    assert songkhla[MAIN_HEADER.index("ชื่อผู้รายงาน")] == "ร่างของสงขลา"


def test_changes_after_submitting_are_not_exported_but_the_submitted_version_is(answered, staff):
    bangkok = answered.responses.get(province__code=BKK)
    services.save_draft(answered, bangkok.province, {"ชื่อผู้รายงาน": "ยังไม่ได้ส่ง"}, {}, None)
    rows = csv_rows(get_csv(client_for(staff), answered, drafts="1"))
    row = next(r for r in rows if r[0] == "10")
    assert row[MAIN_HEADER.index("ชื่อผู้รายงาน")] == "นางสาวใจดี รายงานเร็ว"


def test_the_xlsx_holds_the_answers_each_table_and_the_summary(answered, staff):
    response = client_for(staff).get(f"/admin/wian/forms/{answered.pk}/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["คำตอบแบบรายงาน", "ตารางความร่วมมือ", "สรุป"]
    main = [list(row) for row in book["คำตอบแบบรายงาน"].iter_rows(values_only=True)]
    assert main[0] == MAIN_HEADER
    assert [row[0] for row in main[1:]] == ["10", "50"]
    bangkok = main[1]
    assert bangkok[MAIN_HEADER.index("จำนวนเงิน")] == 1250.5  # a number, not text
    assert bangkok[MAIN_HEADER.index("ครั้งที่ส่ง")] == 1
    assert bangkok[MAIN_HEADER.index("วันที่รายงาน")] == "1 เมษายน 2564"
    assert bangkok[MAIN_HEADER.index("จำนวนแถว: ตารางความร่วมมือ")] == 2
    table = [list(row) for row in book["ตารางความร่วมมือ"].iter_rows(values_only=True)]
    assert table[0] == TABLE_HEADER
    assert [(row[0], row[len(RESPONDER)], row[-3]) for row in table[1:]] == [
        ("10", 1, "การจัดการขยะมูลฝอย"),
        ("10", 2, "ประปาหมู่บ้าน"),
        ("50", 1, "ถนนเชื่อมตำบล"),
    ]
    assert table[1][: len(RESPONDER)] == table[2][: len(RESPONDER)]
    summary = [list(row) for row in book["สรุป"].iter_rows(values_only=True)]
    assert summary[0] == ["คำถาม", "ตาราง", "ตัวเลือก", "จำนวน", "ร้อยละของผู้ตอบ"]
    assert ["ผลการดำเนินงาน", None, "ดำเนินการแล้ว", 2, 100] in summary
    assert ["ประเภทบริการ", None, "ถนน", 1, 50] in summary
    assert ["มีงบประมาณสนับสนุน", None, "ใช่", 1, 50] in summary
    assert ["คณะกรรมการ", "ตารางความร่วมมือ", "แต่งตั้งแล้ว", 2, 66.7] in summary
    assert ["ผลการดำเนินงาน", None, "ไม่ได้ตอบ", 0, None] in summary


def test_summary_counts_each_choice_of_the_latest_submissions(answered):
    bangkok = answered.responses.get(province__code=BKK)
    # Bangkok sends again with other choices: only its latest submission counts.
    again = {**BKK_ANSWERS, "ประเภทบริการ": ["น้ำประปา"], "ผลการดำเนินงาน": "ยังไม่ดำเนินการ"}
    assert services.submit(answered, bangkok.province, again, {}, None).submitted
    with translation.override("th"):
        summary = exporting.summarise(answered)
        items = {item.key: item for item in summary.items}
    assert summary.responses == 2
    assert set(items) == {
        "ผลการดำเนินงาน",
        "ประเภทบริการ",
        "มีงบประมาณสนับสนุน",
        "ตารางความร่วมมือ/คณะกรรมการ",
    }
    assert items["ผลการดำเนินงาน"].counts == [("ดำเนินการแล้ว", 1), ("ยังไม่ดำเนินการ", 1)]
    assert items["ประเภทบริการ"].counts == [("ขยะ", 1), ("น้ำประปา", 1), ("ถนน", 0)]
    assert items["มีงบประมาณสนับสนุน"].counts == [("ใช่", 1), ("ไม่ใช่", 1)]
    committee = items["ตารางความร่วมมือ/คณะกรรมการ"]
    assert (committee.total, committee.answered) == (3, 3)
    assert committee.counts == [("แต่งตั้งแล้ว", 2), ("ยังไม่แต่งตั้ง", 1)]
    # With the drafts: Songkhla's draft answered none of these.
    with translation.override("th"):
        drafts = exporting.summarise(answered, include_drafts=True)
    result = next(item for item in drafts.items if item.key == "ผลการดำเนินงาน")
    assert (result.total, result.answered, result.unanswered) == (3, 2, 1)


def test_latest_submissions_is_each_responses_latest_submission(answered):
    bangkok = answered.responses.get(province__code=BKK)
    services.submit(answered, bangkok.province, {**BKK_ANSWERS, "ชื่อผู้รายงาน": "ครั้งที่สอง"}, {}, None)
    bulk = {
        v.response_id: v.pk for v in exporting.latest_submissions().filter(response__form=answered)
    }
    one_by_one = {
        r.pk: r.latest_submission().pk
        for r in Response.objects.filter(form=answered)
        if r.is_submitted
    }
    assert bulk == one_by_one and len(bulk) == 2


def test_values_a_spreadsheet_would_run_are_kept_as_text(answered, staff):
    chiang_mai = answered.responses.get(province__code=CMI)
    formula = '=HYPERLINK("http://example.com","x")'
    services.submit(
        answered,
        chiang_mai.province,
        {"ชื่อผู้รายงาน": formula, "ตารางความร่วมมือ": [{"ชื่อบริการสาธารณะ": "@SUM(1)"}]},
        {},
        None,
    )
    client = client_for(staff)
    rows = csv_rows(get_csv(client, answered))
    row = next(r for r in rows if r[0] == "50")
    assert row[MAIN_HEADER.index("ชื่อผู้รายงาน")] == "'" + formula
    assert row[MAIN_HEADER.index("จำนวนเงิน")] == "300"
    table = csv_rows(get_csv(client, answered, table="ตารางความร่วมมือ"))
    assert next(r for r in table if r[0] == "50")[len(RESPONDER) + 1] == "'@SUM(1)"
    response = client.get(f"/admin/wian/forms/{answered.pk}/export.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cell = book["คำตอบแบบรายงาน"].cell(row=3, column=MAIN_HEADER.index("ชื่อผู้รายงาน") + 1)
    assert cell.value == formula and cell.data_type == "s"


def test_defuse_leaves_numbers_and_phones_alone():
    assert exporting.defuse("-5") == "-5"
    assert exporting.defuse("+66 53 112 233") == "+66 53 112 233"
    assert exporting.defuse("-x") == "'-x"
    assert exporting.defuse("=1+1") == "'=1+1"
    assert exporting.defuse(7) == 7


def test_sheet_titles_are_valid_and_unique():
    taken = set()
    long = "ตารางรายละเอียดความร่วมมือระหว่างองค์กรปกครองส่วนท้องถิ่น"
    first, second = exporting.sheet_title(long, taken), exporting.sheet_title(long, taken)
    assert len(first) == 31 and len(second) <= 31 and first != second
    assert exporting.sheet_title("ก/ข:ค", taken) == "ก ข ค"


def test_export_reads_in_a_fixed_number_of_queries(make_form, four, local_orgs):
    """The export streams: more responses, not more queries."""
    form = make_form(
        [q("table", "รายการ", columns=[q("short_text", "ชื่อ")]), q("short_text", "ผู้รายงาน")],
        on=four,
        respondents="local_organisations",
    )
    organisations = list(LocalOrganisation.objects.filter(province__code__in=[CMI, SKH]))
    assert len(organisations) == 6

    def answer(orgs):
        for n, organisation in enumerate(orgs):
            rows = [{"ชื่อ": f"รายการ {n}-{i}"} for i in range(3)]
            services.submit(form, organisation, {"รายการ": rows, "ผู้รายงาน": "ก"}, {}, None)

    def queries(include_drafts=False) -> tuple[int, int]:
        form_ = ResponseFormPage.objects.get(pk=form.pk)
        schema = form_.schema()  # not part of the streaming
        with CaptureQueriesContext(connection) as captured:
            records = list(exporting.records(form_, include_drafts))
            lines = list(exporting._csv_lines(form_, schema, schema[0], include_drafts))
        return len(captured.captured_queries), len(records), len(lines)

    answer(organisations[:2])
    few = queries()
    answer(organisations[2:])
    many = queries()
    assert few[1:] == (2, 1 + 2 * 3) and many[1:] == (6, 1 + 6 * 3)
    assert few[0] == many[0] <= 6
    assert queries(include_drafts=True)[0] <= 8
