"""The public archive in a real browser: navigation, filters, the letter, phones, keyboard, a11y."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.conftest import PHONE, assert_no_serious_axe_violations

BE_OFFSET = 543
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
THAI_SCRIPT = re.compile(r"[\u0E01-\u0E5B]")

LETTER_URL = "/circulars/2564-0812-1893/"
LETTER_SUBJECT = (
    "การติดตามผลการพัฒนาการให้บริการประชาชนผ่านระบบอิเล็กทรอนิกส์ (e-Service) ขององค์กรปกครองส่วนท้องถิ่น"
)
LETTER_DATE = "๖ กรกฎาคม ๒๕๖๔"
# The letter it cites (อ้างถึง): มท ๐๘๑๒/ว ๔๐๖ of 15 February 2021, marked ด่วนมาก.
CITED_URL = "/circulars/2564-0812-406/"
CITED_NUMBER = "มท ๐๘๑๒/ว ๔๐๖"


def thai(value) -> str:
    return str(value).translate(THAI_DIGITS)


def visible_circulars(year_be: int | None = None):
    from cms.circulars.models import CircularIndexPage

    circulars = CircularIndexPage.objects.get().visible_circulars()
    if year_be is not None:
        circulars = circulars.filter(issued_on__year=year_be - BE_OFFSET)
    return list(circulars)


def listed_titles(page) -> list[str]:
    return [t.strip() for t in page.locator(".circular-list__title a").all_inner_texts()]


def listed_dates(page) -> list[str]:
    return page.locator(".circular-list__item time").evaluate_all(
        "els => els.map(e => e.getAttribute('datetime'))"
    )


def no_horizontal_scroll(page) -> dict:
    return page.evaluate(
        """() => {
          const root = document.documentElement;
          const wide = [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1)
            .slice(0, 5)
            .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
          return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide};
        }"""
    )


# (a) ---------------------------------------------------------------------------------------


def test_home_links_to_the_archive_which_lists_the_circulars(page):
    response = page.goto("/")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.locator(".site-header__name").inner_text().strip()

    page.locator(".hero a.button").click()
    page.wait_for_url("**/circulars/")
    assert urlparse(page.url).path == "/circulars/"

    expected = visible_circulars()
    assert expected, "the demo data should publish circulars"
    assert listed_titles(page) == [c.subject for c in expected]
    count = page.locator(".archive__count").inner_text()
    assert str(len(expected)) in count
    assert page.locator(".circular-list__empty").count() == 0
    assert not page.network_log.errors()


# (b) ---------------------------------------------------------------------------------------


def test_filter_by_year_with_the_form(page):
    page.goto("/circulars/")
    everything = len(listed_titles(page))

    page.select_option("#f-year", "2564")
    page.locator(".archive-filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"year=2564"))

    assert parse_qs(urlparse(page.url).query)["year"] == ["2564"]
    expected = visible_circulars(2564)
    assert expected and len(expected) < everything
    listed = listed_titles(page)
    assert listed == [c.subject for c in expected], (
        f"{page.url} lists {len(listed)} circular(s), the year {2564} has {len(expected)}; "
        "the form also sends its blank unit and urgency fields, which must mean 'any'"
    )
    assert all(d.startswith("2021-") for d in listed_dates(page)), listed_dates(page)
    assert page.locator("#f-year").input_value() == "2564"
    assert thai(2564) in page.locator("h1").inner_text()


def test_filter_by_year_with_a_year_link(page):
    page.goto("/circulars/")
    page.locator(".year-links").get_by_role("link", name=thai(2563), exact=True).click()
    page.wait_for_url("**/circulars/2563/")

    assert urlparse(page.url).path == "/circulars/2563/"
    expected = visible_circulars(2563)
    assert expected
    assert listed_titles(page) == [c.subject for c in expected]
    assert all(d.startswith("2020-") for d in listed_dates(page)), listed_dates(page)
    current = page.locator(".year-links a[aria-current=page]")
    assert current.inner_text() == thai(2563)
    assert thai(2563) in page.locator("h1").inner_text()


# (c) ---------------------------------------------------------------------------------------


def test_letter_page_layout_font_and_references(page):
    response = page.goto(LETTER_URL)
    assert response.status == 200
    letter = page.locator("article.letter")

    assert letter.locator("h1.letter__subject").inner_text().strip() == LETTER_SUBJECT
    number = letter.locator(".letter__number")
    assert number.locator(".letter__label").inner_text().strip() == "ที่"
    assert re.fullmatch(r"ที่\s+มท ๐๘๑๒/ว 1893|ที่\s+มท ๐๘๑๒/ว ๑๘๙๓", number.inner_text().strip())
    date = letter.locator(".letter__date time")
    assert date.inner_text().strip() == LETTER_DATE
    assert date.get_attribute("datetime") == "2021-07-06"

    # The CSS and the Sarabun web font came from the live server and are in use.
    page.evaluate("() => document.fonts.ready")
    log = page.network_log
    assert 200 in log.status_of("/static/css/wian.css"), log.responses
    assert 200 in log.status_of("/static/fonts/sarabun/sarabun-thai-400-normal.woff2"), (
        log.responses
    )
    fonts = page.evaluate(
        """async () => {
          await document.fonts.ready;
          return {
            check: document.fonts.check('16px Sarabun', 'ก'),
            loaded: [...document.fonts]
              .filter(f => f.family.replace(/"/g, '') === 'Sarabun' && f.status === 'loaded')
              .map(f => f.weight),
          };
        }"""
    )
    assert fonts["check"] and fonts["loaded"], fonts
    family = letter.evaluate("e => getComputedStyle(e).fontFamily")
    assert family.replace('"', "").startswith("Sarabun"), family
    assert not log.errors()
    page.screenshot(path="/tmp/wian-letter.png", full_page=True)

    # Follow อ้างถึง to the earlier circular.
    reference_row = letter.locator(".letter__part", has=page.locator("dt", has_text="อ้างถึง"))
    reference = reference_row.locator("a.reference-link")
    assert reference.count() == 1
    reference.click()
    page.wait_for_url(f"**{CITED_URL}")
    assert CITED_NUMBER in page.locator(".letter__number").inner_text()

    # That letter is marked urgent in red.
    urgency = page.locator(".letter__urgency")
    assert urgency.inner_text().strip() == "ด่วนมาก"
    red, green, blue = map(
        int, re.findall(r"\d+", urgency.evaluate("e => getComputedStyle(e).color"))[:3]
    )
    assert red >= 150 and green <= 60 and blue <= 60, (red, green, blue)

    # ... and lists the later one under อ้างถึงโดย, linking back.
    cited_by = page.locator(".circular-meta h3", has_text="อ้างถึงโดย")
    assert cited_by.count() == 1
    back = page.locator(f".cited-by a[href$='{LETTER_URL}']")
    assert back.count() == 1
    back.click()
    page.wait_for_url(f"**{LETTER_URL}")
    assert page.locator("h1.letter__subject").inner_text().strip() == LETTER_SUBJECT


# (d) ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/circulars/", LETTER_URL])
def test_no_horizontal_scrolling_on_a_phone(phone_page, path):
    response = phone_page.goto(path)
    assert response.status == 200
    phone_page.evaluate("() => document.fonts.ready")
    assert phone_page.viewport_size == PHONE
    metrics = no_horizontal_scroll(phone_page)
    assert metrics["clientWidth"] == PHONE["width"]
    assert metrics["scrollWidth"] <= metrics["clientWidth"] + 1, metrics
    if path == "/circulars/":
        phone_page.screenshot(path="/tmp/wian-archive-phone.png", full_page=True)


# (e) ---------------------------------------------------------------------------------------


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page):
    page.goto("/circulars/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => {
          const e = document.activeElement, box = e.getBoundingClientRect();
          return {cls: e.className, href: e.getAttribute('href'),
                  visible: box.width > 0 && box.height > 0 && box.left >= 0 && box.top >= 0};
        }"""
    )
    assert focused["cls"] == "skip-link" and focused["href"] == "#main", focused
    assert focused["visible"], "the skip link must be visible when it has focus"

    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'main'")
    assert urlparse(page.url).fragment == "main"
    # The next Tab continues inside the content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.getElementById('main').contains(document.activeElement)")


# (f) ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/circulars/", LETTER_URL])
def test_no_serious_accessibility_violations(page, axe_path, path):
    response = page.goto(path)
    assert response.status == 200
    assert_no_serious_axe_violations(page, axe_path, path)


# (g) ---------------------------------------------------------------------------------------


def switch_language(page, code: str):
    page.select_option("#language-select", code)
    with page.expect_navigation():
        page.locator(".language-switch button[type=submit]").click()


def nav_texts(page) -> list[str]:
    return [t.strip() for t in page.locator(".site-nav a").all_inner_texts()]


def test_language_switch_changes_the_interface(page):
    page.goto("/circulars/")
    thai_nav = nav_texts(page)
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.locator("#language-select").input_value() == "th"

    switch_language(page, "en")
    assert urlparse(page.url).path == "/circulars/", "switching language keeps the page"
    assert page.locator("html").get_attribute("lang") == "en"
    assert nav_texts(page) == ["Home", "Circular archive", "Search"]
    assert nav_texts(page) != thai_nav
    assert page.locator("#f-year option").first.inner_text() == "All years"
    # The choice sticks (cookie) and the letter itself stays Thai.
    page.goto(LETTER_URL)
    assert page.locator("html").get_attribute("lang") == "en"
    assert nav_texts(page) == ["Home", "Circular archive", "Search"]
    assert page.locator("article.letter").get_attribute("lang") == "th"

    switch_language(page, "th")
    assert urlparse(page.url).path == LETTER_URL
    assert page.locator("html").get_attribute("lang") == "th"
    assert nav_texts(page) == thai_nav


def test_thai_interface_is_in_thai(page):
    """The default (Thai) interface must not fall back to the English source strings."""
    page.goto("/circulars/")
    assert page.locator("html").get_attribute("lang") == "th"
    texts = {
        "nav": nav_texts(page),
        "skip link": [page.locator(".skip-link").inner_text().strip()],
        "filter labels": [
            t.strip() for t in page.locator(".archive-filters label").all_inner_texts()
        ],
    }
    untranslated = {
        part: [t for t in values if not THAI_SCRIPT.search(t)] for part, values in texts.items()
    }
    untranslated = {part: values for part, values in untranslated.items() if values}
    assert not untranslated, f"English strings in the Thai interface: {untranslated}"
