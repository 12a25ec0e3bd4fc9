"""The shortcut in front of pythainlp's normalisation must never change what it returns."""

import itertools
import random

import pytest
from pythainlp.util import normalize as pythainlp_normalize

from cms.thai.normalize import _classes, needs_normalizing, normalize_thai

# Two consonants (ฤ is the one lakkhangyao may follow), every mark and vowel pythainlp's rules
# name, whitespace, a zero-width space and a Latin letter.
MARKS = "".join(sorted(set(_classes()["dangling"] + _classes()["no_repeat"])))
ALPHABET = "กฤ" + MARKS + " \n\u200ba"


def reference(text: str) -> str:
    """pythainlp's normalisation of the text, whitespace made single spaces before and after."""
    return " ".join(pythainlp_normalize(" ".join(text.split())).split())


def test_every_short_string_over_the_marks_comes_out_as_pythainlp_makes_it():
    wrong = [
        text
        for size in (1, 2, 3)
        for text in map("".join, itertools.product(ALPHABET, repeat=size))
        if normalize_thai(text) != reference(text)
    ]
    assert wrong == []


def test_long_strings_of_many_words_come_out_as_pythainlp_makes_them():
    # Many short words: the windows that go through pythainlp meet, touch and stay apart.
    rnd = random.Random(4)
    letters = ALPHABET + "ขคมนา    "
    texts = ["".join(rnd.choice(letters) for _ in range(rnd.randint(4, 40))) for _ in range(4000)]
    wrong = [t for t in texts if normalize_thai(t) != reference(t)]
    assert wrong == []


@pytest.mark.parametrize(
    "text",
    ["กรมส่งเสริมการปกครองท้องถิ่น", "ผู้ว่าราชการจังหวัด ทุกจังหวัด", "น้ำท่วม", "ที่ มท ๐๘๑๒/ว ๒๗๑"],
)
def test_clean_text_needs_nothing(text):
    assert not needs_normalizing(text)
    assert normalize_thai(text) == reference(text) == text


def test_lakkhangyao_after_ru_stays():
    assert normalize_thai("ฤๅษี") == "ฤๅษี"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ตํ่า", "ต่ำ"),  # nikhahit + tone + sara aa
        ("เเปลก", "แปลก"),
        ("กๅร", "การ"),  # lakkhangyao typed for sara aa
        ("นา า", "นา"),  # a follow vowel repeated across a space
        ("ก ่า", "ก่า"),  # a space before a tone mark
        ("่ก", "ก"),  # a dangling mark at the start
    ],
)
def test_dirty_text_is_mended_in_a_long_letter_too(text, expected):
    assert needs_normalizing(text)
    assert normalize_thai(text) == expected
    padding = " ".join(["คำสั่งกรมส่งเสริมการปกครองท้องถิ่น"] * 50)
    letter = f"{padding} {text} {padding}"
    assert normalize_thai(letter) == reference(letter) != letter
