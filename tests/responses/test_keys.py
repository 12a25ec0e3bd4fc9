"""Readable keys from Thai labels."""

import pytest

from responses.keys import is_valid_key, readable_key, slug_key


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("ชื่อผู้รายงาน", "ชื่อผู้รายงาน"),
        ("ตำแหน่ง", "ตำแหน่ง"),
        ("อปท. เจ้าภาพ", "อปท_เจ้าภาพ"),
        ("วันที่ลงนาม (พ.ศ.)", "วันที่ลงนาม_พ_ศ"),
        ("สำเนาบันทึกข้อตกลง (MOU)", "สำเนาบันทึกข้อตกลง_mou"),
        ("จำนวนครั้งที่ ๒", "จำนวนครั้งที่_2"),
        ("  หมายเลข   โทรศัพท์ / โทรสาร  ", "หมายเลข_โทรศัพท์_โทรสาร"),
        ("ไปๆ มาๆ", "ไปๆ_มาๆ"),
        ("Reporter's e-mail", "reporter_s_e_mail"),
    ],
)
def test_keys_keep_thai_letters(label, key):
    assert readable_key(label, set()) == key
    assert is_valid_key(key)


def test_repeated_labels_get_numbered_keys():
    taken = set()
    keys = []
    for _ in range(3):
        key = readable_key("ชื่อ-สกุล", taken)
        taken.add(key)
        keys.append(key)
    assert keys == ["ชื่อ_สกุล", "ชื่อ_สกุล_2", "ชื่อ_สกุล_3"]


def test_a_label_without_letters_still_gets_a_key():
    assert readable_key("???", set()) == "q"
    assert readable_key("", {"q"}) == "q_2"


def test_long_labels_are_cut():
    key = slug_key("ปัญหาอุปสรรคในการดำเนินการ" * 5)
    assert 0 < len(key) <= 60


def test_keys_never_hold_characters_that_break_field_names():
    for label in ("ก.ข.ค", "a.b", "ก:ข", "ก/ข/ค", "ก ข"):
        key = readable_key(label, set())
        assert "." not in key and ":" not in key and " " not in key
