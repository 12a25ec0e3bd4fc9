import dataclasses
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.functional import Promise

from cms.thai.dates import (
    BE_OFFSET,
    THAI_MONTHS,
    THAI_MONTHS_ABBR,
    THAI_WEEKDAYS,
    PartialDate,
    ThaiDateError,
    be_to_ce,
    ce_to_be,
    find_thai_dates,
    format_thai_date,
    normalize_year,
    parse_date_input,
    parse_thai_date,
)

PD = PartialDate
PROJECT_ROOT = Path(__file__).resolve().parents[2]

MONTHS = [
    (1, "มกราคม", "ม.ค."),
    (2, "กุมภาพันธ์", "ก.พ."),
    (3, "มีนาคม", "มี.ค."),
    (4, "เมษายน", "เม.ย."),
    (5, "พฤษภาคม", "พ.ค."),
    (6, "มิถุนายน", "มิ.ย."),
    (7, "กรกฎาคม", "ก.ค."),
    (8, "สิงหาคม", "ส.ค."),
    (9, "กันยายน", "ก.ย."),
    (10, "ตุลาคม", "ต.ค."),
    (11, "พฤศจิกายน", "พ.ย."),
    (12, "ธันวาคม", "ธ.ค."),
]


# --- Eras and constants ----------------------------------------------------------------------


def test_be_offset():
    assert BE_OFFSET == 543


@pytest.mark.parametrize(("be", "ce"), [(2564, 2021), (2543, 2000), (2500, 1957), (543, 0)])
def test_era_conversion(be, ce):
    assert be_to_ce(be) == ce
    assert ce_to_be(ce) == be


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2564, 2021), (2400, 1857), (2600, 2057), (2399, 2399), (2021, 2021), (1900, 1900), (5, 5)],
)
def test_normalize_year(year, expected):
    assert normalize_year(year) == expected


@pytest.mark.parametrize(("number", "full", "abbr"), MONTHS)
def test_month_names(number, full, abbr):
    assert len(THAI_MONTHS) == len(THAI_MONTHS_ABBR) == 12
    assert THAI_MONTHS[number - 1] == full
    assert THAI_MONTHS_ABBR[number - 1] == abbr


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2021, 2, 8), "จันทร์"),
        (date(2021, 2, 9), "อังคาร"),
        (date(2021, 2, 10), "พุธ"),
        (date(2021, 2, 11), "พฤหัสบดี"),
        (date(2021, 2, 12), "ศุกร์"),
        (date(2021, 2, 13), "เสาร์"),
        (date(2021, 2, 14), "อาทิตย์"),
    ],
)
def test_weekdays_follow_date_weekday(day, name):
    assert len(THAI_WEEKDAYS) == 7
    assert THAI_WEEKDAYS[day.weekday()] == name


# --- PartialDate -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("partial", "month_only", "as_date", "iso"),
    [
        (PD(2021, 2, 10), False, date(2021, 2, 10), "2021-02-10"),
        (PD(2021, 4, None), True, date(2021, 4, 1), "2021-04"),
        (PD(2021, 4), True, date(2021, 4, 1), "2021-04"),
        (PD(2020, 2, 29), False, date(2020, 2, 29), "2020-02-29"),
        (PD(2021, 12, 31), False, date(2021, 12, 31), "2021-12-31"),
        (PD(1, 1, 1), False, date(1, 1, 1), "0001-01-01"),
        (PD(9999, 12), True, date(9999, 12, 1), "9999-12"),
    ],
)
def test_partial_date(partial, month_only, as_date, iso):
    assert partial.is_month_only is month_only
    assert partial.to_date() == as_date
    assert partial.iso() == iso
    assert PD.from_iso(iso) == partial


def test_partial_date_is_frozen_and_comparable():
    partial = PD(2021, 4)
    assert partial == PD(2021, 4, None)
    assert partial != PD(2021, 4, 1)
    assert hash(partial) == hash(PD(2021, 4, None))
    with pytest.raises(dataclasses.FrozenInstanceError):
        partial.day = 1


@pytest.mark.parametrize(
    ("year", "month", "day", "code"),
    [
        (2021, 2, 29, "invalid_day"),
        (2020, 2, 30, "invalid_day"),
        (2021, 2, 31, "invalid_day"),
        (2021, 4, 31, "invalid_day"),
        (2021, 1, 0, "invalid_day"),
        (2021, 1, 32, "invalid_day"),
        (2021, 1, -1, "invalid_day"),
        (2021, 13, None, "invalid_month"),
        (2021, 0, 1, "invalid_month"),
        (2021, -1, None, "invalid_month"),
        (0, 1, 1, "year_out_of_range"),
        (10000, 1, None, "year_out_of_range"),
    ],
)
def test_partial_date_rejects_impossible_dates(year, month, day, code):
    with pytest.raises(ThaiDateError) as caught:
        PD(year, month, day)
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-02-10", PD(2021, 2, 10)),
        ("2021-02", PD(2021, 2)),
        (" 2021-02-10\n", PD(2021, 2, 10)),
        ("2564-02-10", PD(2564, 2, 10)),  # literal: the caller decides about B.E. years
        ("1957-01-01", PD(1957, 1, 1)),
    ],
)
def test_from_iso(text, expected):
    assert PD.from_iso(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "invalid"),
        ("2021-2-10", "invalid"),
        ("2021-02-1", "invalid"),
        ("21-02-10", "invalid"),
        ("2021/02/10", "invalid"),
        ("2021-02-10T00:00", "invalid"),
        ("10 กุมภาพันธ์ 2564", "invalid"),
        ("๒๐๒๑-๐๒-๑๐", "invalid"),
        ("2021", "invalid"),
        ("2021-13", "invalid_month"),
        ("2021-00-10", "invalid_month"),
        ("2021-02-30", "invalid_day"),
        ("0000-01", "year_out_of_range"),
    ],
)
def test_from_iso_rejects(text, code):
    with pytest.raises(ThaiDateError) as caught:
        PD.from_iso(text)
    assert caught.value.code == code


# --- parse_thai_date -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("๑๐ กุมภาพันธ์ ๒๕๖๔", PD(2021, 2, 10)),
        ("10 กุมภาพันธ์ 2564", PD(2021, 2, 10)),
        ("2๑ พฤษภาคม ๒๕๖4", PD(2021, 5, 21)),
        ("๐๑ มกราคม ๒๕๐๐", PD(1957, 1, 1)),
        ("วันศุกร์ที่ ๑๔ ธันวาคม ๒๕๖๑", PD(2018, 12, 14)),
        ("วันจันทร์ที่ ๑๙ กรกฎาคม ๒๕๖๔", PD(2021, 7, 19)),
        ("วันพฤหัสบดีที่ 1 เมษายน 2564", PD(2021, 4, 1)),
        ("วันพฤหัสที่ 1 เมษายน 2564", PD(2021, 4, 1)),
        ("วันเสาร์ 3 เมษายน 2564", PD(2021, 4, 3)),
        ("วันอาทิตย์ที่ 4 เมษายน 2564", PD(2021, 4, 4)),
        ("วันจันทร์ที่ 4 เมษายน 2564", PD(2021, 4, 4)),  # weekday is not checked
        ("วันที่ 10 กุมภาพันธ์ 2564", PD(2021, 2, 10)),
        ("ที่ 10 กุมภาพันธ์ 2564", PD(2021, 2, 10)),
        ("๑๐ กุมภาพันธ์ พ.ศ. ๒๕๖๔", PD(2021, 2, 10)),
        ("๑๐ กุมภาพันธ์ พ.ศ ๒๕๖๔", PD(2021, 2, 10)),
        ("๑๐ กุมภาพันธ์ พ.ศ.๒๕๖๔", PD(2021, 2, 10)),
        ("๑๐ กุมภาพันธ์ พศ ๒๕๖๔", PD(2021, 2, 10)),
        ("๑๐ ก.พ. ๒๕๖๔", PD(2021, 2, 10)),
        ("๑๐ ก.พ ๒๕๖๔", PD(2021, 2, 10)),
        ("๑๐ กพ ๒๕๖๔", PD(2021, 2, 10)),
        ("10ก.พ.64", PD(2021, 2, 10)),
        ("10กุมภาพันธ์2564", PD(2021, 2, 10)),
        ("๑ ม.ค. ๖๕", PD(2022, 1, 1)),
        ("ก.ค. ๖๔", PD(2021, 7)),
        ("กค 64", PD(2021, 7)),
        ("ก.ค. พ.ศ. ๖๔", PD(2021, 7)),
        ("เมษายน ๒๕๖4", PD(2021, 4)),
        ("กรกฎาคม 256๔", PD(2021, 7)),
        ("เดือนเมษายน ๒๕๖๔", PD(2021, 4)),
        ("  ๑๐\tกุมภาพันธ์ \t ๒๕๖๔  ", PD(2021, 2, 10)),
        ("10\u200bกุมภาพันธ์\u200b2564", PD(2021, 2, 10)),
        ("10\nกุมภาพันธ์\n2564", PD(2021, 2, 10)),
        ("29 กุมภาพันธ์ 2563", PD(2020, 2, 29)),
        ("31 ธันวาคม 2599", PD(2056, 12, 31)),
        ("1 มกราคม 2400", PD(1857, 1, 1)),
        ("10 กุมภาพันธ์ 2021", PD(2021, 2, 10)),  # a Gregorian year typed into Thai text
        ("2021-02-10", PD(2021, 2, 10)),
        ("2021-02", PD(2021, 2)),
        ("2021-2-1", PD(2021, 2, 1)),
        ("๒๐๒๑-๐๒-๑๐", PD(2021, 2, 10)),
        ("2564-02-10", PD(2021, 2, 10)),
        ("2564-02", PD(2021, 2)),
    ],
)
def test_parse_thai_date(text, expected):
    assert parse_thai_date(text) == expected


@pytest.mark.parametrize(("number", "full", "abbr"), MONTHS)
@pytest.mark.parametrize("template", ["๕ {} ๒๕๖๔", "5 {} 64", "{} 2564"])
def test_parse_thai_date_every_month_spelling(number, full, abbr, template):
    day = None if template.startswith("{}") else 5
    for name in (full, abbr, abbr.replace(".", "")):
        assert parse_thai_date(template.format(name)) == PD(2021, number, day), name


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        (" \t\n", "empty"),
        ("hello", "invalid"),
        ("10/2/2564", "invalid"),
        ("๑๐ ๒๕๖๔", "invalid"),
        ("กุมภาพันธ์", "invalid"),
        ("๑๐ กุมภาพันธ์", "invalid"),
        ("๑๐ กุมภา ๒๕๖๔", "invalid"),
        ("๑๐ กุมภาพันธ์ ๒๕๖", "invalid"),
        ("๑๐ กุมภาพันธ์ ๒๕๖๔๐", "invalid"),
        ("๑๐๐ กุมภาพันธ์ ๒๕๖๔", "invalid"),
        ("๑๐ กุมภาพันธ์ ๒๕๖๔ เวลา ๙.๐๐ น.", "invalid"),
        ("x กุมภาพันธ์ 2564", "invalid"),
        ("ลงวันที่ 10 กุมภาพันธ์ 2564", "invalid"),
        ("2021-02-10-01", "invalid"),
        ("๓๑ กุมภาพันธ์ ๒๕๖๔", "invalid_day"),
        ("29 กุมภาพันธ์ 2564", "invalid_day"),
        ("31 เมษายน 2564", "invalid_day"),
        ("0 มกราคม 2564", "invalid_day"),
        ("32 มกราคม 2564", "invalid_day"),
        ("2021-02-30", "invalid_day"),
        ("2021-13-01", "invalid_month"),
        ("2021-00", "invalid_month"),
        ("10 กุมภาพันธ์ 1800", "year_out_of_range"),
        ("1800-01-01", "year_out_of_range"),
        ("10 กุมภาพันธ์ พ.ศ. 2021", "not_be_year"),
    ],
)
def test_parse_thai_date_rejects(text, code):
    with pytest.raises(ThaiDateError) as caught:
        parse_thai_date(text)
    assert caught.value.code == code


# --- find_thai_dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "ภายในวันศุกร์ที่ 2๑ พฤษภาคม ๒๕๖4รายละเอียดปรากฏตามสิ่งที่ส่งมาด้วย",
            [("วันศุกร์ที่ 2๑ พฤษภาคม ๒๕๖4", PD(2021, 5, 21))],
        ),
        ("ลงวันที่ ๑๐ กุมภาพันธ์ ๒๕๖๔", [("๑๐ กุมภาพันธ์ ๒๕๖๔", PD(2021, 2, 10))]),
        (
            "ตั้งแต่เดือนกันยายน ๒๕๖4 – กุมภาพันธ์ ๒๕๖5 โดย",
            [("กันยายน ๒๕๖4", PD(2021, 9)), ("กุมภาพันธ์ ๒๕๖5", PD(2022, 2))],
        ),
        ("กทม. ๑๐๓๐๐\n\tเมษายน ๒๕๖4\t\t\nเรื่อง", [("เมษายน ๒๕๖4", PD(2021, 4))]),
        ("กทม. 10300   \n      มิถุนายน  2562", [("มิถุนายน  2562", PD(2019, 6))]),
        ("ผอ.ก.พ.ร. ......../        ก.ค. ๖๔\n", [("ก.ค. ๖๔", PD(2021, 7))]),
        (
            "ในวันจันทร์ที่ ๑๙ กรกฎาคม ๒๕๖๔ \nเวลา ๑๓.๓๐ - ๑๖.๓๐ น.",
            [("วันจันทร์ที่ ๑๙ กรกฎาคม ๒๕๖๔", PD(2021, 7, 19))],
        ),
        (
            "ที่ ๕๕ /๒๕๖๔ ลงวันที่ ๑๐ กุมภาพันธ์ ๒๕๖๔ จำนวน ๑ ชุด",
            [("๑๐ กุมภาพันธ์ ๒๕๖๔", PD(2021, 2, 10))],
        ),
        (
            "ลงวันที่ 31 พฤษภาคม 2562  จำนวน 1 ชุด",
            [("31 พฤษภาคม 2562", PD(2019, 5, 31))],
        ),
        (
            "ระหว่าง ๑ ม.ค. ๖๔ ถึง ๓๑ ธ.ค. ๖๔",
            [("๑ ม.ค. ๖๔", PD(2021, 1, 1)), ("๓๑ ธ.ค. ๖๔", PD(2021, 12, 31))],
        ),
        ("๑๐ กุมภาพันธ์ พ.ศ. ๒๕๖๔", [("๑๐ กุมภาพันธ์ พ.ศ. ๒๕๖๔", PD(2021, 2, 10))]),
        (
            "เมื่อ ๓๑ กุมภาพันธ์ ๒๕๖๔ และ ๑ มีนาคม ๒๕๖๔",
            [("๑ มีนาคม ๒๕๖๔", PD(2021, 3, 1))],
        ),
        ("กทม. ๑๐๓๐๐ เมษายน ๒๕๖๔", [("เมษายน ๒๕๖๔", PD(2021, 4))]),  # not day 00
        ("รหัส 123 มกราคม 2564", [("มกราคม 2564", PD(2021, 1))]),  # not day 23
        ("ประจำปี พ.ศ. ๒๕๖๔ ผ่านแอปพลิเคชัน", []),
        ("จำนวน ๑๒ ชุด ปี ๒๕๖๔", []),
        ("โทร. ๐ ๒๒๔๑ ๙๐๐๐ ต่อ 1251-๒", []),
        ("ประชุม ๑๐ กุมภาพันธ์ ๒๕๖๔๑", []),
        ("ประชุม ๑๐ กุมภาพันธ์\n๒๕๖๔", []),
        ("ผอ.ก.พ. 64", []),
        ("ภายในเดือนมีนาคม", []),
        ("", []),
    ],
)
def test_find_thai_dates(text, expected):
    found = find_thai_dates(text)
    assert [(text[start:end], partial) for start, end, partial in found] == expected
    for start, end, partial in found:
        assert parse_thai_date(text[start:end]) == partial


# --- format_thai_date ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "options", "expected"),
    [
        (date(2021, 2, 10), {}, "๑๐ กุมภาพันธ์ ๒๕๖๔"),
        (date(2021, 2, 10), {"digits": "arabic"}, "10 กุมภาพันธ์ 2564"),
        (date(2021, 2, 10), {"month": "abbr"}, "๑๐ ก.พ. ๒๕๖๔"),
        (date(2021, 2, 10), {"weekday": True}, "วันพุธที่ ๑๐ กุมภาพันธ์ ๒๕๖๔"),
        (date(2021, 2, 10), {"era": True}, "๑๐ กุมภาพันธ์ พ.ศ. ๒๕๖๔"),
        (
            date(2021, 2, 10),
            {"digits": "arabic", "month": "abbr", "weekday": True, "era": True},
            "วันพุธที่ 10 ก.พ. พ.ศ. 2564",
        ),
        (date(2021, 1, 1), {}, "๑ มกราคม ๒๕๖๔"),
        (date(1957, 1, 1), {"digits": "arabic"}, "1 มกราคม 2500"),
        (datetime(2021, 2, 10, 9, 30), {}, "๑๐ กุมภาพันธ์ ๒๕๖๔"),
        (PD(2018, 12, 14), {"weekday": True}, "วันศุกร์ที่ ๑๔ ธันวาคม ๒๕๖๑"),
        (PD(2021, 4), {}, "เมษายน ๒๕๖๔"),
        (PD(2021, 4), {"weekday": True}, "เมษายน ๒๕๖๔"),
        (PD(2021, 4), {"digits": "arabic", "month": "abbr", "era": True}, "เม.ย. พ.ศ. 2564"),
    ],
)
def test_format_thai_date(value, options, expected):
    assert format_thai_date(value, **options) == expected


@pytest.mark.parametrize("month", range(1, 13))
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"digits": "arabic"},
        {"month": "abbr"},
        {"weekday": True, "era": True},
        {"digits": "arabic", "month": "abbr", "weekday": True, "era": True},
    ],
)
def test_format_then_parse_round_trips(month, options):
    for partial in (PD(2021, month, 28), PD(2021, month)):
        assert parse_thai_date(format_thai_date(partial, **options)) == partial


@pytest.mark.parametrize(
    ("value", "options", "error"),
    [
        (date(2021, 2, 10), {"digits": "roman"}, ValueError),
        (date(2021, 2, 10), {"month": "short"}, ValueError),
        ("2021-02-10", {}, TypeError),
        (None, {}, TypeError),
    ],
)
def test_format_thai_date_rejects_bad_arguments(value, options, error):
    with pytest.raises(error):
        format_thai_date(value, **options)


# --- parse_date_input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10/2/2564", date(2021, 2, 10)),
        ("10/02/2564", date(2021, 2, 10)),
        ("๑๐/๒/๒๕๖๔", date(2021, 2, 10)),
        ("๑๐/๐๒/2564", date(2021, 2, 10)),
        ("10-2-2564", date(2021, 2, 10)),
        ("10.2.2564", date(2021, 2, 10)),
        (" 10 / 2 / 2564 ", date(2021, 2, 10)),
        ("29/2/2563", date(2020, 2, 29)),
        ("1/1/2400", date(1857, 1, 1)),
        ("10/2/2021", date(2021, 2, 10)),
        ("1/1/1900", date(1900, 1, 1)),
        ("31/12/2399", date(2399, 12, 31)),
        ("2021-02-10", date(2021, 2, 10)),
        ("2564-02-10", date(2021, 2, 10)),
        ("๒๕๖๔-๐๒-๑๐", date(2021, 2, 10)),
        ("10 กุมภาพันธ์ 2564", date(2021, 2, 10)),
        ("๑๐ กุมภาพันธ์ พ.ศ. ๒๕๖๔", date(2021, 2, 10)),
        ("วันพุธที่ ๑๐ ก.พ. ๖๔", date(2021, 2, 10)),
    ],
)
def test_parse_date_input(text, expected):
    assert parse_date_input(text) == expected


@pytest.mark.parametrize("text", ["2564-02-10", "10/2/2564", "10/02/2564", "๑๐/๒/๒๕๖๔"])
def test_parse_date_input_never_returns_a_buddhist_year_as_gregorian(text):
    assert parse_date_input(text).year == 2021


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("abc", "invalid"),
        ("10/2", "invalid"),
        ("10/2/564", "invalid"),
        ("10/2/25640", "invalid"),
        ("10//2/2564", "invalid"),
        ("10/2/2564 extra", "invalid"),
        ("10/2/64", "two_digit_year"),
        ("๑๐/๒/๖๔", "two_digit_year"),
        ("10/2/1899", "year_out_of_range"),
        ("10/2/0021", "year_out_of_range"),
        ("0210-02-10", "year_out_of_range"),
        ("29/2/2564", "invalid_day"),
        ("31/4/2564", "invalid_day"),
        ("0/1/2564", "invalid_day"),
        ("10/13/2564", "invalid_month"),
        ("10/0/2564", "invalid_month"),
        ("2021-02", "missing_day"),
        ("เมษายน 2564", "missing_day"),
        ("ก.ค. ๖๔", "missing_day"),
        ("10 กุมภาพันธ์ พ.ศ. 2021", "not_be_year"),
    ],
)
def test_parse_date_input_rejects(text, code):
    with pytest.raises(ThaiDateError) as caught:
        parse_date_input(text)
    assert caught.value.code == code


# --- Messages and import hygiene -------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "text", "message"),
    [
        (parse_date_input, "", "Enter a date."),
        (parse_date_input, "abc", "Enter a date as day/month/year, for example 10/2/2564."),
        (parse_date_input, "10/2/64", "Enter the year with four digits, for example 2564."),
        (
            parse_date_input,
            "10/2/1800",
            "The year 1800 is out of range; enter a Buddhist-era year such as 2564.",
        ),
        (parse_date_input, "31/4/2564", "Day 31 does not exist in that month."),
        (parse_date_input, "1/13/2564", "There is no month 13."),
        (parse_date_input, "2021-02", "Enter the day as well as the month and year."),
        (parse_thai_date, "hello", "“hello” is not a recognisable date."),
        (
            parse_thai_date,
            "1 มกราคม พ.ศ. 2021",
            "The year 2021 is marked B.E. but is too early for a Buddhist-era year.",
        ),
        (PD.from_iso, "2021/02", "“2021/02” is not a date in the form YYYY-MM-DD or YYYY-MM."),
    ],
)
def test_error_messages_are_lazy_and_rendered(call, text, message):
    with pytest.raises(ThaiDateError) as caught:
        call(text)
    assert isinstance(caught.value.message, Promise)
    with translation.override("en"):  # the msgid, whatever the project language
        assert str(caught.value) == message


def test_import_and_errors_need_no_django_settings():
    script = (
        "from django.conf import settings\n"
        "import cms.thai\n"
        "from cms.thai import parse_date_input, parse_doc_number, parse_int\n"
        "for call, arg in ((parse_date_input, 'x'), (parse_doc_number, 'x'), (parse_int, 'x')):\n"
        "    try:\n"
        "        call(arg)\n"
        "    except ValueError:\n"
        "        pass\n"
        "    else:\n"
        "        raise SystemExit('no error raised')\n"
        "assert not settings.configured\n"
        "print('ok')\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
