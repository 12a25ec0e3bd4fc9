import unicodedata

import pytest

from search.analysis import (
    document_number_forms,
    normalize,
    normalize_many,
    parse_query,
    snippet,
    term_pattern,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("๒๕๖๔", "2564"),
        ("ปี ๒๕64", "ปี 2564"),
        ("  หลาย   ช่อง\tว่าง\n", "หลาย ช่อง ว่าง"),
        ("ABC Def", "abc def"),
        ("คำ\u200bที่มีอักขระมองไม่เห็น", "คำที่มีอักขระมองไม่เห็น"),
        ("เเปลก", "แปลก"),  # two sara e are one sara ae
        ("นาาา", "นา"),  # repeated vowels
        ("ตํ่า", "ต่ำ"),  # nikhahit + sara aa is sara am
        ("", ""),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "texts",
    [
        ["เรื่อง ๑", "เเปลก  ใจ\n\nย่อหน้า", "", "ABC ๐๘๑๒"],
        ["ก ่", "่ข", "า", "า ๅ"],  # marks that pythainlp would join or drop across fields
        ["มี \u0e5b ในข้อความ", "ข"],  # the separator itself
    ],
)
def test_normalize_many_equals_normalize_one_by_one(texts):
    assert normalize_many(*texts) == [normalize(t) for t in texts]


def test_document_number_forms_cover_every_spelling():
    forms = document_number_forms("มท ๐๘๑๒/ว ๒๗๑")
    for typed in ["มท 0812/ว 271", "มท0812/ว271", "0812/ว271", "0812/ว 271"]:
        assert normalize(typed) in forms


def test_parse_query_keeps_quotes_whole():
    parsed = parse_query('"ปกครอง ส่วน" งบประมาณ ๒๕๖๔')
    assert parsed.phrases == ["ปกครอง ส่วน"]
    assert parsed.terms == ["ปกครอง ส่วน", "งบประมาณ", "2564"]
    assert parsed.text == "ปกครอง ส่วน งบประมาณ 2564"


def test_term_pattern_matches_any_digit_script_and_spacing():
    import re

    assert re.search(term_pattern("ว 271"), "มท ๐๘๑๒/ว  ๒๗๑")
    assert re.search(term_pattern("2564"), "ปี ๒๕๖๔")


def test_snippet_marks_matches():
    pieces = snippet("ด้วยกรมขอให้จังหวัดรายงานงบประมาณปี ๒๕๖๔ ภายในกำหนด", ["งบประมาณ", "2564"])
    marked = [text for text, is_match in pieces if is_match]
    assert marked == ["งบประมาณ", "๒๕๖๔"]


@pytest.mark.parametrize("width", range(5, 40))
def test_snippet_never_splits_a_grapheme_cluster(width):
    text = "ที่ผู้ว่าราชการจังหวัดน้ำท่วมที่ตั้งสำนักงาน" * 3
    pieces = snippet(text, ["น้ำ"], width=width)
    for piece, _is_match in pieces:
        piece = piece.strip(" …")
        if piece:
            assert unicodedata.category(piece[0]) not in {"Mn", "Mc"}, (width, piece)
