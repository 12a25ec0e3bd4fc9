import dataclasses

import pytest
from django.utils import translation
from django.utils.functional import Promise

from cms.thai.docnumbers import (
    DocNumber,
    DocNumberError,
    find_doc_numbers,
    format_doc_number,
    normalize_doc_number,
    parse_doc_number,
)

CIRCULAR_271 = DocNumber(ministry="มท", unit="0812", circular=True, running=271)
DRAFT_0810_2 = DocNumber(ministry="มท", unit="0810.2", circular=True, running=None)
DRAFT_0810_3 = DocNumber(ministry="มท", unit="0810.3", circular=False, running=None)
DRAFT_0812 = DocNumber(ministry="มท", unit="0812", circular=False, running=None)
LETTER_28707 = DocNumber(ministry="มท", unit="0207.2", circular=False, running=28707)
WITH_YEAR = DocNumber(ministry="มท", unit="0812", circular=True, running=271, year=2564)

CIRCULAR_271_SPELLINGS = [
    "มท ๐๘๑๒/ว ๒๗๑",
    "มท0812/ว271",
    "มท ๐๘12/ว๒๗๑",
    "มท. 0812/ว 271",
    "มท.0812/ว271",
    "ที่ มท ๐๘๑๒/ว ๒๗๑",
    "ที่มท ๐๘๑๒/ว ๒๗๑",
    "ที่: มท 0812/ว 271",
    "  มท   0812 / ว   271  ",
    "มท\t๐๘๑๒/ว\t๒๗๑",
    "มท\u200b0812/ว\u200b271",
    "มท 0812/ว 0271",
]


@pytest.mark.parametrize("text", CIRCULAR_271_SPELLINGS)
def test_parse_every_spelling_of_the_same_circular(text):
    assert parse_doc_number(text) == CIRCULAR_271


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("มท ๐๘๑๐.๒/ว", DRAFT_0810_2),
        ("มท 0810.2/ว ", DRAFT_0810_2),
        ("มท 0810.3/", DRAFT_0810_3),
        ("มท ๐๘12/", DRAFT_0812),
        ("ที่ มท ๐๘12/ ", DRAFT_0812),
        ("มท 0207.2/28707", LETTER_28707),
        ("มท ๐๒๐๗.๒/๒๘๗๐๗", LETTER_28707),
        ("มท 0207.2/ 28707", LETTER_28707),
        ("มท 0812/ว 271/2564", WITH_YEAR),
        ("มท ๐๘๑๒/ว ๒๗๑/๒๕๖๔", WITH_YEAR),
        ("มท 0812/ว 271 / 2564", WITH_YEAR),
        ("กค 0402.5/ว 123", DocNumber("กค", "0402.5", True, 123)),
        ("นร 0505/ว 1", DocNumber("นร", "0505", True, 1)),
        ("ศธ 04002/ว 99", DocNumber("ศธ", "04002", True, 99)),
        ("สธ 0211.03/5", DocNumber("สธ", "0211.03", False, 5)),
        ("กทม 1.2.3/ว 4", DocNumber("กทม", "1.2.3", True, 4)),
        ("ก 12/3", DocNumber("ก", "12", False, 3)),
    ],
)
def test_parse_doc_number(text, expected):
    number = parse_doc_number(text)
    assert number == expected
    assert number.is_complete is (expected.running is not None)


@pytest.mark.parametrize(
    ("text", "default", "expected"),
    [
        ("0812/ว271", "มท", CIRCULAR_271),
        ("๐๘๑๒/ว ๒๗๑", "มท", CIRCULAR_271),
        ("ที่ 0812/ว 271", "มท", CIRCULAR_271),
        ("0810.2/ว", "มท", DRAFT_0810_2),
        ("นร 0505/ว 1", "มท", DocNumber("นร", "0505", True, 1)),  # a printed code wins
    ],
)
def test_parse_doc_number_with_default_ministry(text, default, expected):
    assert parse_doc_number(text, default_ministry=default) == expected


@pytest.mark.parametrize(
    ("text", "default", "code"),
    [
        ("", None, "empty"),
        ("   ", None, "empty"),
        ("ที่", None, "empty"),
        ("hello", None, "invalid"),
        ("มท", None, "missing_unit"),
        ("มท/ว", None, "missing_unit"),
        ("มท /ว 271", None, "missing_unit"),
        ("0812/ว271", None, "missing_ministry"),
        ("/ว 271", None, "missing_ministry"),
        ("กระทรวง 0812/ว 271", None, "bad_ministry"),
        ("มหาด 0812/ว 271", None, "bad_ministry"),
        ("มทสธ 0812/ว 271", None, "bad_ministry"),
        ("มทสธ 0812", None, "bad_ministry"),
        ("มท abc/ว 271", None, "unit_not_digits"),
        ("มท 08a12/ว 271", None, "unit_not_digits"),
        ("มท 0812./ว 271", None, "unit_not_digits"),
        ("มท 0812", None, "missing_slash"),
        ("มท 0812 ว 271", None, "missing_slash"),
        ("มท 0812/ค 271", None, "bad_tail"),
        ("มท 0812/วิ 271", None, "bad_tail"),
        ("มท 0812/วันที่ 5", None, "bad_tail"),
        ("มท 0812/ว 271 เรื่อง", None, "bad_tail"),
        ("มท 0812/ว 27 1", None, "bad_tail"),
        ("มท 0812/ว 271/", None, "bad_tail"),
        ("มท 0812/ว/2564", None, "bad_tail"),
        ("มท 0812/ว 271/64", None, "bad_year"),
        ("มท 0812/ว 271/2021", None, "bad_year"),
        ("มท 0812/ว 271/25640", None, "bad_year"),
        ("0812/ว271", "abcd", "bad_ministry"),
        ("0812/ว271", "", "bad_ministry"),
    ],
)
def test_parse_doc_number_rejects(text, default, code):
    with pytest.raises(DocNumberError) as caught:
        parse_doc_number(text, default_ministry=default)
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter a document number."),
        ("hello", "“hello” is not a document number; expected something like มท 0812/ว 271."),
        ("0812/ว271", "The ministry code is missing; start with Thai letters such as มท."),
        ("มหาด 0812/ว 1", "The ministry code must be 1 to 3 Thai letters, such as มท."),
        ("มท/ว", "The unit code is missing; it comes before the slash, as in มท 0812/ว 271."),
        (
            "มท 08a12/ว 1",
            "The unit code must be digits, optionally with a dotted part, e.g. 0810.2.",
        ),
        (
            "มท 0812",
            "Put a slash between the unit code and the running number, as in มท 0812/ว 271.",
        ),
        (
            "มท 0812/ค 1",
            "After the slash only the circular mark ว and a running number may follow, "
            "as in มท 0812/ว 271.",
        ),
        (
            "มท 0812/ว 1/2021",
            "The year 2021 after the running number must be a Buddhist-era year such as 2564.",
        ),
    ],
)
def test_error_messages_are_lazy_and_rendered(text, message):
    with pytest.raises(DocNumberError) as caught:
        parse_doc_number(text)
    assert isinstance(caught.value.message, Promise)
    with translation.override("en"):  # the msgid, whatever the project language
        assert str(caught.value) == message


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"ministry": "", "unit": "0812", "circular": True, "running": 1}, "bad_ministry"),
        ({"ministry": "MT", "unit": "0812", "circular": True, "running": 1}, "bad_ministry"),
        ({"ministry": "มหาด", "unit": "0812", "circular": True, "running": 1}, "bad_ministry"),
        ({"ministry": "มท", "unit": "๐๘๑๒", "circular": True, "running": 1}, "unit_not_digits"),
        ({"ministry": "มท", "unit": "", "circular": True, "running": 1}, "unit_not_digits"),
        ({"ministry": "มท", "unit": "08.", "circular": True, "running": 1}, "unit_not_digits"),
        ({"ministry": "มท", "unit": "0812", "circular": True, "running": -1}, "bad_running"),
        (
            {"ministry": "มท", "unit": "0812", "circular": True, "running": None, "year": 2564},
            "year_without_running",
        ),
        (
            {"ministry": "มท", "unit": "0812", "circular": True, "running": 1, "year": 2021},
            "bad_year",
        ),
    ],
)
def test_doc_number_validates_on_construction(fields, code):
    with pytest.raises(DocNumberError) as caught:
        DocNumber(**fields)
    assert caught.value.code == code


def test_doc_number_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        CIRCULAR_271.running = 272


@pytest.mark.parametrize(
    ("number", "thai", "arabic"),
    [
        (CIRCULAR_271, "มท ๐๘๑๒/ว ๒๗๑", "มท 0812/ว 271"),
        (DRAFT_0810_2, "มท ๐๘๑๐.๒/ว", "มท 0810.2/ว"),
        (DRAFT_0810_3, "มท ๐๘๑๐.๓/", "มท 0810.3/"),
        (LETTER_28707, "มท ๐๒๐๗.๒/๒๘๗๐๗", "มท 0207.2/28707"),
        (WITH_YEAR, "มท ๐๘๑๒/ว ๒๗๑/๒๕๖๔", "มท 0812/ว 271/2564"),
        (DocNumber("กค", "0402.5", True, 0), "กค ๐๔๐๒.๕/ว ๐", "กค 0402.5/ว 0"),
    ],
)
def test_format_doc_number(number, thai, arabic):
    assert format_doc_number(number) == thai
    assert format_doc_number(number, digits="thai") == thai
    assert format_doc_number(number, digits="arabic") == arabic
    assert parse_doc_number(thai) == number
    assert parse_doc_number(arabic) == number


def test_format_doc_number_rejects_unknown_digits():
    with pytest.raises(ValueError):
        format_doc_number(CIRCULAR_271, digits="roman")


@pytest.mark.parametrize("text", CIRCULAR_271_SPELLINGS)
def test_normalize_is_equal_for_every_spelling(text):
    assert normalize_doc_number(text) == "มท0812/ว271"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("มท ๐๘๑๐.๒/ว", "มท0810.2/ว"),
        ("มท 0810.3/", "มท0810.3/"),
        ("มท ๐๘12/", "มท0812/"),
        ("ที่ มท 0207.2/28707", "มท0207.2/28707"),
        ("มท ๐๘๑๒/ว ๒๗๑/๒๕๖๔", "มท0812/ว271/2564"),
        # Unreadable text: digits mapped, whitespace removed, nothing else.
        ("0812/ว 271", "0812/ว271"),
        ("hello world", "helloworld"),
        ("ที่ ๕๕ /๒๕๖๔", "ที่55/2564"),
        ("", ""),
    ],
)
def test_normalize_doc_number(text, key):
    assert normalize_doc_number(text) == key


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("มท 0812/ว 271", "มท 0812/ว 272"),
        ("มท 0812/ว 271", "มท 0812/271"),
        ("มท 0812/ว 271", "มท 0813/ว 271"),
        ("มท 0812/ว 271", "กค 0812/ว 271"),
        ("มท 0810.2/ว", "มท 0810.3/ว"),
        ("มท 0812/ว 271", "มท 0812/ว 271/2564"),
    ],
)
def test_normalize_distinguishes_different_numbers(first, second):
    assert normalize_doc_number(first) != normalize_doc_number(second)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "หนังสือกรมส่งเสริมการปกครองท้องถิ่น ด่วนมาก ที่ มท ๐๘๑๒/ว ๒๗๑ ลงวันที่ ๑๐ กุมภาพันธ์ ๒๕๖๔",
            [("มท ๐๘๑๒/ว ๒๗๑", CIRCULAR_271)],
        ),
        (
            "สำเนาหนังสือกระทรวงมหาดไทย ที่ มท 0207.2/28707 ลงวันที่ 31 พฤษภาคม 2562  จำนวน 1 ชุด",
            [("มท 0207.2/28707", LETTER_28707)],
        ),
        ("ที่มท0812/ว271ลงวันที่", [("มท0812/ว271", CIRCULAR_271)]),
        ("อ้างถึง มท. 0812/ว 271 และ", [("มท. 0812/ว 271", CIRCULAR_271)]),
        (
            "ตามหนังสือ ที่ มท 0812/ว 271/2564 แล้ว",
            [("มท 0812/ว 271/2564", WITH_YEAR)],
        ),
        (
            "ที่ มท 0812/ว 271/2021 แล้ว",  # not a B.E. year: left out of the number
            [("มท 0812/ว 271", CIRCULAR_271)],
        ),
        (
            "ที่ มท ๐๘๑๒/ว ๒๗๑ และ ที่ กค 0402.5/ว 123",
            [
                ("มท ๐๘๑๒/ว ๒๗๑", CIRCULAR_271),
                ("กค 0402.5/ว 123", DocNumber("กค", "0402.5", True, 123)),
            ],
        ),
        # Drafts are not complete numbers.
        ("ที่ มท ๐๘๑๐.๒/ว\tกรมส่งเสริมการปกครองท้องถิ่น", []),
        ("ที่ มท 0810.3/ \tกรมส่งเสริมการปกครองท้องถิ่น", []),
        ("ที่ มท ๐๘12/\tกรมส่งเสริมการปกครองท้องถิ่น", []),
        # Things that are not document numbers.
        ("ที่ ๕๕ /๒๕๖๔ ลงวันที่ ๑๐ กุมภาพันธ์ ๒๕๖๔", []),
        ("กทม. ๑๐๓๐๐\n/ว ๑", []),
        ("หนังสือมท 0812/ว 271", []),  # glued to a word other than ที่: ambiguous
        ("ข้อ 5/2 และ 3.2/1", []),
        ("ที่ มท ๐๘๑๐.๒/๖ ๓๓๗/๖\n", []),  # garbled, not misread as running number 6
        ("", []),
    ],
)
def test_find_doc_numbers(text, expected):
    found = find_doc_numbers(text)
    assert [(text[start:end], number) for start, end, number in found] == expected
    for start, end, number in found:
        assert number.is_complete
        assert parse_doc_number(text[start:end]) == number
