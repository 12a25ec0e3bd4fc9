import pytest
from django.utils import translation
from django.utils.functional import Promise

from cms.thai.digits import THAI_DIGITS, has_thai_digits, parse_int, to_arabic, to_thai


@pytest.mark.parametrize("value", range(10))
def test_thai_digits_constant_is_in_numeric_order(value):
    assert THAI_DIGITS[value] == chr(0x0E50 + value)
    assert len(THAI_DIGITS) == 10


@pytest.mark.parametrize("value", range(10))
def test_single_digits_round_trip(value):
    assert to_arabic(THAI_DIGITS[value]) == str(value)
    assert to_thai(str(value)) == THAI_DIGITS[value]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("๐๑๒๓๔๕๖๗๘๙", "0123456789"),
        ("มท ๐๘๑๒/ว ๒๗๑", "มท 0812/ว 271"),
        ("๐๘12", "0812"),
        ("2๑ พฤษภาคม ๒๕๖4", "21 พฤษภาคม 2564"),
        ("๔๕,๖๘๔.๕๐", "45,684.50"),
        ("no digits", "no digits"),
        ("0123456789", "0123456789"),
        ("", ""),
        ("٠١٢", "٠١٢"),  # Arabic-Indic digits are not Thai digits
    ],
)
def test_to_arabic(text, expected):
    assert to_arabic(text) == expected
    assert len(to_arabic(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0123456789", "๐๑๒๓๔๕๖๗๘๙"),
        ("มท 0812/ว 271", "มท ๐๘๑๒/ว ๒๗๑"),
        ("๐๘12", "๐๘๑๒"),
        ("10 ก.พ. 2564", "๑๐ ก.พ. ๒๕๖๔"),
        ("abc", "abc"),
        ("", ""),
        ("๐๑๒", "๐๑๒"),
    ],
)
def test_to_thai(text, expected):
    assert to_thai(text) == expected
    assert len(to_thai(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("๐", True),
        ("๙", True),
        ("มท ๐๘12", True),
        ("ปี ๒๕๖๔", True),
        ("0812", False),
        ("มท", False),
        ("", False),
        ("٣", False),
    ],
)
def test_has_thai_digits(text, expected):
    assert has_thai_digits(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("๐", 0),
        ("7", 7),
        ("๗", 7),
        ("๐๘12", 812),
        ("0812", 812),
        ("๒๗๑", 271),
        ("28707", 28707),
        ("๔๕,๖๘๔", 45684),
        ("45,684", 45684),
        ("๔5,6๘๔", 45684),
        ("1,234,567", 1234567),
        ("๑,๐๐๐", 1000),
        ("999", 999),
        (" ๑๒ ", 12),
        ("\t1,234\n", 1234),
        ("\u00a042\u00a0", 42),
    ],
)
def test_parse_int_accepts(text, expected):
    assert parse_int(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "-1",
        "+1",
        "1.5",
        "๑.๕",
        "1,2",
        "12,34",
        "1234,567",
        ",123",
        "123,",
        "1,,234",
        "1 234",
        "๑ ๒",
        "1_000",
        "abc",
        "๑๒a",
        "a12",
        "٣",
        "١٢",
        "½",
        "0x10",
        "1e3",
    ],
)
def test_parse_int_rejects(text):
    with pytest.raises(ValueError) as caught:
        parse_int(text)
    message = caught.value.args[0]
    assert isinstance(message, Promise)  # translatable
    with translation.override("en"):  # the msgid, whatever the project language
        assert str(message) == "Enter a whole number, in Thai or Arabic digits."
