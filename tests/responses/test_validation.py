"""clean_answers: every question type, valid and invalid, tables, drafts (partial)."""

import pytest
from django.utils import translation

from responses.schema import Question
from responses.validation import clean_answers


def one(kind, **fields):
    return Question(key="k", label="คำถาม", kind=kind, **fields)


@pytest.fixture(autouse=True)
def thai():
    with translation.override("th"):
        yield


@pytest.mark.parametrize(
    ("question", "typed", "stored"),
    [
        (one("short_text"), "  สำนักงาน   ส่งเสริม ", "สำนักงาน ส่งเสริม"),
        (one("long_text"), "บรรทัดแรก\r\nบรรทัดสอง  ", "บรรทัดแรก\nบรรทัดสอง"),
        (one("number"), "๑,๒๕๐", "1250"),
        (one("number"), "-3.75", "-3.75"),
        (one("number"), "12 500", "12500"),
        (one("date"), "10/02/2564", "2021-02-10"),
        (one("date"), "๑๐ ก.พ. ๒๕๖๔", "2021-02-10"),
        (one("date"), "2564-02-10", "2021-02-10"),
        (one("date"), "2021-02-10", "2021-02-10"),
        (one("single_choice", choices=["แต่งตั้งแล้ว", "ยังไม่แต่งตั้ง"]), "แต่งตั้งแล้ว", "แต่งตั้งแล้ว"),
        (
            one("multiple_choice", choices=["ขยะ", "น้ำ", "ถนน"]),
            ["ถนน", "ขยะ", "ขยะ"],
            ["ขยะ", "ถนน"],
        ),
        (one("yes_no"), "yes", "yes"),
        (one("yes_no"), "ไม่ใช่", "no"),
        (one("email"), "saraban@example.go.th", "saraban@example.go.th"),
        (one("phone"), "๐ ๒๒๔๑ ๙๐๐๐ ต่อ ๑๒๕๑", "0 2241 9000 ต่อ 1251"),
        (one("phone"), "081-234-5678, 02-241-9000", "081-234-5678, 02-241-9000"),
        (
            one("file"),
            ["6f1c1d2e-0000-4000-8000-000000000001"],
            ["6f1c1d2e-0000-4000-8000-000000000001"],
        ),
    ],
)
def test_valid_answers_are_normalised(question, typed, stored):
    answers, errors = clean_answers([question], {"k": typed})
    assert errors == []
    assert answers == {"k": stored}
    # Cleaning is idempotent: the stored form reads back as itself.
    assert clean_answers([question], answers) == (answers, [])


@pytest.mark.parametrize(
    ("question", "typed", "says"),
    [
        (one("short_text"), "ก" * 1001, "ยาวเกินไป"),
        (one("number"), "สิบ", "ไม่ใช่ตัวเลข"),
        (one("number"), "1,25", "ไม่ใช่ตัวเลข"),
        (one("date"), "31/02/2564", "วันที่ไม่ถูกต้อง"),
        (one("date"), "10/02/64", "วันที่ไม่ถูกต้อง"),
        (one("date"), "พรุ่งนี้", "วันที่ไม่ถูกต้อง"),
        (one("single_choice", choices=["ก", "ข"]), "ค", "ไม่ใช่ตัวเลือก"),
        (one("multiple_choice", choices=["ก", "ข"]), ["ก", "ง"], "ไม่ใช่ตัวเลือก"),
        (one("yes_no"), "อาจจะ", "ตอบว่าใช่หรือไม่ใช่"),
        (one("email"), "saraban-at-example", "ไม่ใช่ที่อยู่อีเมล"),
        (one("phone"), "โทรหาได้", "ไม่ใช่หมายเลขโทรศัพท์"),
        (one("phone"), "1234", "ไม่ใช่หมายเลขโทรศัพท์"),
    ],
)
def test_invalid_answers_say_what_and_where_in_thai(question, typed, says):
    answers, errors = clean_answers([question], {"k": typed})
    assert len(errors) == 1
    error = errors[0]
    assert (error.key, error.row, error.column) == ("k", None, None)
    assert error.message.startswith("คำถาม: ")
    assert says in error.message


@pytest.mark.parametrize(
    "kind", ["short_text", "long_text", "number", "date", "email", "phone", "yes_no"]
)
def test_required_questions(kind):
    question = one(kind, required=True)
    _answers, errors = clean_answers([question], {"k": "  "})
    assert [e.message for e in errors] == ["คำถาม: ต้องตอบข้อนี้"]
    # A draft may leave it empty.
    assert clean_answers([question], {"k": ""}, partial=True) == ({"k": ""}, [])


def test_a_required_file_asks_for_a_file():
    _answers, errors = clean_answers([one("file", required=True)], {"k": []})
    assert errors[0].message == "คำถาม: ต้องแนบไฟล์"


def test_unanswered_questions_are_blank_in_a_full_answer():
    schema = [one("short_text"), Question(key="m", label="ม", kind="multiple_choice")]
    assert clean_answers(schema, {}) == ({"k": "", "m": []}, [])


TABLE = Question(
    key="ตาราง",
    label="ตารางความร่วมมือ",
    kind="table",
    required=True,
    min_rows=1,
    max_rows=3,
    columns=[
        Question(key="บริการ", label="ชื่อบริการ", kind="short_text", required=True),
        Question(key="วันที่", label="วันที่ลงนาม", kind="date"),
        Question(
            key="ข้อตกลง",
            label="ข้อตกลง",
            kind="single_choice",
            choices=["จัดทำแล้ว", "ยังไม่จัดทำ", "MOU"],
        ),
    ],
)


def test_table_rows_are_checked_cell_by_cell():
    rows = [
        {"บริการ": "เก็บขยะ", "วันที่": "1/3/2564", "ข้อตกลง": "MOU"},
        {"บริการ": "ประปา", "วันที่": "31/2/2564", "ข้อตกลง": "อื่น ๆ"},
        {"บริการ": "", "วันที่": "2/3/2564", "ข้อตกลง": ""},
    ]
    answers, errors = clean_answers([TABLE], {"ตาราง": rows})
    where = [(e.row, e.column) for e in errors]
    assert where == [(1, "วันที่"), (1, "ข้อตกลง"), (2, "บริการ")]
    assert errors[0].message.startswith("ตารางความร่วมมือ แถวที่ ๒ คอลัมน์ ‘วันที่ลงนาม’: วันที่ไม่ถูกต้อง")
    assert errors[2].message == "ตารางความร่วมมือ แถวที่ ๓ คอลัมน์ ‘ชื่อบริการ’: ต้องตอบข้อนี้"


def test_blank_rows_are_dropped_from_a_full_answer_but_kept_in_a_draft():
    rows = [{"บริการ": "", "วันที่": "", "ข้อตกลง": ""}, {"บริการ": "ประปา"}]
    answers, errors = clean_answers([TABLE], {"ตาราง": rows})
    assert errors == []
    assert answers["ตาราง"] == [{"บริการ": "ประปา", "วันที่": "", "ข้อตกลง": ""}]
    draft, errors = clean_answers([TABLE], {"ตาราง": rows}, partial=True)
    assert errors == [] and len(draft["ตาราง"]) == 2


def test_row_counts():
    _a, errors = clean_answers([TABLE], {"ตาราง": []})
    assert errors[0].message == "ตารางความร่วมมือ: ต้องเพิ่มอย่างน้อยหนึ่งแถว"
    too_many = [{"บริการ": f"บริการ {n}"} for n in range(4)]
    _a, errors = clean_answers([TABLE], {"ตาราง": too_many})
    assert errors[0].message == "ตารางความร่วมมือ: เพิ่มได้ไม่เกิน ๓ แถว"
    two = Question(**{**TABLE.__dict__, "min_rows": 2})
    _a, errors = clean_answers([two], {"ตาราง": too_many[:1]})
    assert errors[0].message == "ตารางความร่วมมือ: ต้องมีอย่างน้อย ๒ แถว"
    # Drafts do not count rows.
    assert clean_answers([TABLE], {"ตาราง": []}, partial=True)[1] == []


def test_a_draft_leaves_out_what_failed_and_keeps_the_rest():
    schema = [one("date"), Question(key="n", label="ชื่อ", kind="short_text", required=True)]
    answers, errors = clean_answers(schema, {"k": "31/02/2564", "n": ""}, partial=True)
    assert answers == {"n": ""}
    assert [e.key for e in errors] == ["k"]


def test_english_messages_when_the_user_works_in_english():
    with translation.override("en"):
        _a, errors = clean_answers([TABLE], {"ตาราง": [{"บริการ": "ก", "วันที่": "x"}]})
    assert errors[0].message.startswith("ตารางความร่วมมือ row 1 column ‘วันที่ลงนาม’: invalid date")
