"""The public search page (/search/): hits, facets, filters, pages, sorting, highlighting,
escaping, did-you-mean and the backend's notice, in plain HTML without JavaScript."""

import datetime
import html as htmllib
import re

import pytest

from search.indexing import rebuild
from tests.search.archive import NEUTRAL_BODY, tax_circulars
from tests.workflows import conftest as wf

pytestmark = pytest.mark.django_db

people = wf.people
new_draft = wf.new_draft
at_position = wf.at_position

QUERY_BUDGET = 15  # a page of 20 hits costs about 10 queries; one per hit would pass 20


@pytest.fixture
def circulars(make_circular, units):
    return tax_circulars(make_circular, units)


def get_html(client, **params) -> str:
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def hit_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article aria-labelledby="hit-(\d+)">', html)]


def status(html: str) -> str:
    match = re.search(r'<p class="search-status" role="status">(.*?)</p>', html, re.S)
    assert match, "the result count must be in a role=status element"
    return htmllib.unescape(match.group(1))


def facet_links(html: str, name: str) -> dict[str, tuple[str, str]]:
    """label → (href, count) of one facet's links."""
    section = re.search(
        rf'<section class="facet" aria-labelledby="facet-{name}">(.*?)</section>', html, re.S
    )
    if not section:
        return {}
    links = re.findall(
        r'<a href="([^"]*)"[^>]*>([^<]*) <span class="facet__count">\((\d+)\)</span>',
        section.group(1),
    )
    return {label: (htmllib.unescape(href), int(count)) for href, label, count in links}


def pks(circulars, *keys) -> set[int]:
    return {circulars[key].pk for key in keys}


# -- finding and counting ----------------------------------------------------------------------


def test_a_thai_word_is_found_inside_compounds_and_counted(client, circulars):
    html = get_html(client, q="ภาษี")
    assert set(hit_ids(html)) == pks(circulars, "local_tax", "sign_tax", "land_tax")
    assert "3" in status(html) and "ภาษี" in status(html)
    # Each hit shows its number, Thai date, urgency, linked subject and owner unit.
    local = circulars["local_tax"]
    assert f'<a href="{local.url}">' in html
    assert "๑ มีนาคม ๒๕๖๔" in html
    assert '<span class="urgency">ด่วน</span>' in html
    assert local.doc_number in html
    assert "กลุ่มพัฒนาระบบบริหาร" in html


def test_the_page_has_a_labelled_search_field_and_landmarks(client, circulars):
    html = get_html(client, q="ภาษี")
    assert re.search(r'<form class="search-form" role="search"[^>]*method="get"', html)
    assert '<label for="search-q">' in html and 'id="search-q" name="q" value="ภาษี"' in html
    assert '<main id="main"' in html
    assert '<aside class="facets" aria-labelledby="facets-title">' in html
    assert '<nav class="search-sort"' in html


def test_an_empty_query_shows_the_form_only(client, circulars):
    html = get_html(client)
    assert hit_ids(html) == []
    assert 'id="search-q"' in html
    assert status(html)  # a prompt, still announced


def test_no_result_says_so(client, circulars):
    html = get_html(client, q="ไม่มีคำนี้ในคลังแน่นอน")
    assert hit_ids(html) == []
    assert status(html) == "พบหนังสือเวียน 0 ฉบับ สำหรับ “ไม่มีคำนี้ในคลังแน่นอน”"


# -- highlighting and escaping -------------------------------------------------------------------


def test_matches_are_marked_in_the_subject_and_the_snippet(client, circulars):
    html = get_html(client, q="ปกครอง")
    assert hit_ids(html) == [circulars["local_tax"].pk]
    title = re.search(r'<h3 id="hit-\d+" class="circular-list__title"><a [^>]*>(.*?)</a>', html)
    assert title.group(1) == "การส่งเสริมองค์กร<mark>ปกครอง</mark>ส่วนท้องถิ่นด้านการจัดเก็บภาษี"
    snippet = re.search(r'<p class="search-hit__snippet">(.*?)</p>', html).group(1)
    assert snippet == "ขอให้องค์กร<mark>ปกครอง</mark>ส่วนท้องถิ่นเร่งรัดการจัดเก็บภาษีที่ดินและสิ่งปลูกสร้าง"


def test_each_word_is_marked_when_the_words_are_found_apart(client, circulars):
    html = get_html(client, q="ภาษี ป้าย")
    assert hit_ids(html) == [circulars["sign_tax"].pk]
    assert 'class="search-partial"' in html  # not found as typed: every word, apart
    assert "แนวทางการจัดเก็บ<mark>ภาษี</mark><mark>ป้าย</mark>" in html


def test_a_quoted_phrase_is_found_and_marked_whole(client, circulars):
    html = get_html(client, q='"จัดเก็บภาษี"')
    assert set(hit_ids(html)) == pks(circulars, "local_tax", "sign_tax", "land_tax")
    assert 'class="search-partial"' not in html
    assert "แนวทางการ<mark>จัดเก็บภาษี</mark>ป้าย" in html


def test_a_number_typed_in_arabic_digits_finds_and_marks_thai_digits(client, make_circular, units):
    circular = make_circular(
        subject="การประชุมประจำปี ๒๕๖๖ ของจังหวัด", body=NEUTRAL_BODY, doc_number="มท ๐๘๐๘/ว ๙๙"
    )
    rebuild()
    html = get_html(client, q="2566")
    assert hit_ids(html) == [circular.pk]
    assert "การประชุมประจำปี <mark>๒๕๖๖</mark> ของจังหวัด" in html
    # No owner unit (as imported letters): the unit printed in the number is named.
    assert '<p class="circular-list__unit">กองคลัง</p>' in html


def test_all_text_is_escaped(client, make_circular):
    circular = make_circular(
        subject='ประกาศทดสอบ <script>alert("s")</script> & <b>ตัวหนา</b>',
        body="<p>เนื้อความ &lt;img src=x onerror=alert(1)&gt; ทดสอบการหลบอักขระ</p>",
    )
    rebuild()
    query = 'ทดสอบ"><img src=y onerror=alert(2)>'
    html = get_html(client, q="ทดสอบ")
    assert hit_ids(html) == [circular.pk]
    assert '<script>alert("s")' not in html and "<b>ตัวหนา" not in html
    assert "&lt;script&gt;alert(&quot;s&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    html = get_html(client, q=query)
    assert "<img src=y" not in html
    assert "&lt;img src=y onerror=alert(2)&gt;" in html


# -- facets and filters ------------------------------------------------------------------------


def test_facets_count_the_results_and_link_to_one_more_filter(client, circulars):
    html = get_html(client, q="ภาษี")
    years = facet_links(html, "be_year")
    assert {label: count for label, (_href, count) in years.items()} == {
        "๒๕๖๕": 1,
        "๒๕๖๔": 1,
        "๒๕๖๓": 1,
    }
    assert list(years) == ["๒๕๖๕", "๒๕๖๔", "๒๕๖๓"]  # newest year first
    assert years["๒๕๖๔"][0].endswith("year=2564")
    units = facet_links(html, "unit")
    assert {label: count for label, (_h, count) in units.items()} == {
        "กลุ่มพัฒนาระบบบริหาร": 2,
        "กองคลัง": 1,
    }
    urgency = facet_links(html, "urgency")
    assert {label: count for label, (_h, count) in urgency.items()} == {
        "ด่วน": 1,
        "ด่วนที่สุด": 1,
    }
    topics = facet_links(html, "topic")
    assert {label: count for label, (_h, count) in topics.items()} == {"ภาษี": 2}
    assert facet_links(html, "state") == {}  # the public never sees the state facet


def test_following_a_facet_link_narrows_and_the_filter_can_be_removed(client, circulars):
    html = get_html(client, q="ภาษี")
    href, _count = facet_links(html, "unit")["กลุ่มพัฒนาระบบบริหาร"]
    response = client.get(href)
    narrowed = response.content.decode()
    assert set(hit_ids(narrowed)) == pks(circulars, "local_tax", "land_tax")
    assert "2" in status(narrowed)
    # The chosen value is marked and links back to the wider search; so does the filter list.
    chosen = re.search(r'<a href="([^"]*)" aria-current="true" class="facet__chosen">', narrowed)
    assert htmllib.unescape(chosen.group(1)) == "/search/?q=%E0%B8%A0%E0%B8%B2%E0%B8%A9%E0%B8%B5"
    active = re.search(r'<section class="active-filters".*?</section>', narrowed, re.S).group(0)
    assert "ส่วนราชการ: กลุ่มพัฒนาระบบบริหาร" in active
    remove = htmllib.unescape(re.search(r'<li><a href="([^"]*)">', active).group(1))
    assert set(hit_ids(client.get(remove).content.decode())) == pks(
        circulars, "local_tax", "sign_tax", "land_tax"
    )
    # The search form keeps the filter for the next query.
    assert '<input type="hidden" name="unit" value="0812">' in narrowed


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2564"}, {"local_tax"}),
        ({"year": "๒๕๖๕"}, {"sign_tax"}),  # the Buddhist-era year, in either digits
        ({"urgency": "ด่วนที่สุด"}, {"sign_tax"}),
        ({"topic": "ภาษี"}, {"local_tax", "sign_tax"}),
        ({"unit": "0812", "year": "2563"}, {"land_tax"}),
        ({"unit": "0819"}, set()),
        ({"urgency": "ไม่มีชั้นนี้"}, {"local_tax", "sign_tax", "land_tax"}),  # unknown: ignored
        ({"state": "draft"}, {"local_tax", "sign_tax", "land_tax"}),  # the public may not
    ],
)
def test_filters_narrow_the_results(client, circulars, params, expected):
    html = get_html(client, q="ภาษี", **params)
    assert set(hit_ids(html)) == pks(circulars, *expected)


# -- sorting and pages -----------------------------------------------------------------------


def test_sort_by_date_puts_the_newest_first(client, circulars):
    html = get_html(client, q="ภาษี", sort="date")
    assert hit_ids(html) == [
        circulars["sign_tax"].pk,  # 2022
        circulars["local_tax"].pk,  # 2021
        circulars["land_tax"].pk,  # 2020
    ]
    assert re.search(r'<a href="[^"]*sort=date" aria-current="true">', html)


def test_relevance_puts_a_subject_match_above_a_body_match(client, circulars, make_circular):
    body_only = make_circular(
        subject="การรายงานผลการดำเนินงาน",
        body="<p>ให้รายงานเรื่องผู้สูงอายุ</p>",
        issued_on=datetime.date(2024, 1, 1),
    )
    rebuild()
    html = get_html(client, q="ผู้สูงอายุ")
    assert hit_ids(html) == [circulars["elderly"].pk, body_only.pk]
    by_date = get_html(client, q="ผู้สูงอายุ", sort="date")
    assert hit_ids(by_date) == [body_only.pk, circulars["elderly"].pk]


def test_results_come_in_pages_of_twenty(client, make_circular, django_assert_max_num_queries):
    made = [
        make_circular(
            subject=f"การฝึกอบรมบุคลากรท้องถิ่น รุ่นที่ {n}",
            body=NEUTRAL_BODY,
            issued_on=datetime.date(2021, 1, 1) + datetime.timedelta(days=n),
        )
        for n in range(25)
    ]
    rebuild()
    first = get_html(client, q="ฝึกอบรม", sort="date")
    assert "25" in status(first)
    first_ids = hit_ids(first)
    assert first_ids == [c.pk for c in reversed(made)][:20]
    nav = re.search(r'<nav class="pagination search-pagination".*?</nav>', first, re.S).group(0)
    assert 'aria-current="page"' in nav
    next_href = htmllib.unescape(re.search(r'<a rel="next" href="([^"]*)"', nav).group(1))
    assert "page=2" in next_href and "sort=date" in next_href
    second = client.get(next_href).content.decode()
    assert hit_ids(second) == [c.pk for c in reversed(made)][20:]
    assert '<ol class="circular-list search-hits" start="21">' in second
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert hit_ids(get_html(client, q="ฝึกอบรม", page="99")) == []
    with django_assert_max_num_queries(QUERY_BUDGET):  # not one query per hit
        assert len(hit_ids(get_html(client, q="ฝึกอบรม"))) == 20
    assert hit_ids(get_html(client, q="ฝึกอบรม", page="x", sort="date")) == first_ids


# -- did you mean, the notice, the header box ---------------------------------------------------


def test_did_you_mean_corrects_a_dropped_tone_mark(client, circulars):
    html = get_html(client, q="ผูสูงอายุ")  # ผู้ without its ไม้โท
    assert hit_ids(html) == []
    link = re.search(r'<p class="did-you-mean">.*?<a href="([^"]*)">([^<]*)</a>', html, re.S)
    assert link, "a misspelt word must offer the corrected query"
    assert link.group(2) == "ผู้สูงอายุ"
    corrected = client.get(htmllib.unescape(link.group(1))).content.decode()
    assert hit_ids(corrected) == [circulars["elderly"].pk]


def test_the_backends_notice_is_shown(client, circulars, monkeypatch):
    from search import service

    real = service.get_backend()

    class Degraded:
        name = "degraded"

        def search(self, query):
            result = real.search(query)
            result.notice = "ระบบค้นหาหลักขัดข้อง <ผลจากดัชนีสำรอง>"
            return result

    monkeypatch.setattr(service, "get_backend", lambda: Degraded())
    html = get_html(client, q="ภาษี")
    assert len(hit_ids(html)) == 3
    assert '<p class="search-notice">ระบบค้นหาหลักขัดข้อง &lt;ผลจากดัชนีสำรอง&gt;</p>' in html
    monkeypatch.undo()
    assert 'class="search-notice"' not in get_html(client, q="ภาษี")


def test_every_public_page_has_a_search_box_and_a_search_link(client, archive):
    html = client.get(archive.url).content.decode()
    form = re.search(r'<form class="site-search" role="search"[^>]*>.*?</form>', html, re.S)
    assert form and 'action="/search/"' in form.group(0)
    assert '<label for="site-search-q"' in form.group(0)
    assert re.search(r'<nav class="site-nav".*?<a href="/search/">', html, re.S)
    # On the search page itself the header box gives way to the page's own form.
    search_page = get_html(client, q="")
    assert 'class="site-search"' not in search_page
    assert '<a href="/search/" aria-current="page">' in search_page


def test_the_interface_is_thai_by_default_and_english_on_request(client, circulars):
    html = get_html(client, q="ภาษี")
    assert '<h1 id="search-title">ค้นหาหนังสือเวียน</h1>' in html
    assert "พบหนังสือเวียน" in status(html)
    client.cookies["django_language"] = "en"
    html = get_html(client, q="ภาษี")
    assert '<h1 id="search-title">Search circulars</h1>' in html
    assert status(html) == "3 circulars found for “ภาษี”"


# -- staff ---------------------------------------------------------------------------------


def test_staff_see_the_state_facet_and_may_filter_by_state(client, at_position, people):
    draft = at_position("draft:editing", subject="ร่างหนังสือเรื่องการป้องกันอัคคีภัย", body=NEUTRAL_BODY)
    public = at_position("distributed", subject="หนังสือเรื่องการป้องกันอัคคีภัยในฤดูแล้ง", body=NEUTRAL_BODY)
    rebuild()
    assert set(hit_ids(get_html(client, q="อัคคีภัย"))) == {public.pk}
    client.force_login(people["drafter"])
    html = get_html(client, q="อัคคีภัย")
    assert set(hit_ids(html)) == {draft.pk, public.pk}
    states = facet_links(html, "state")
    assert {label: count for label, (_h, count) in states.items()} == {
        "ร่าง": 1,
        "เวียนแล้ว": 1,
    }
    only_drafts = get_html(client, q="อัคคีภัย", state="draft")
    assert hit_ids(only_drafts) == [draft.pk]
    # A draft is not served at its public URL: the staff's link goes to its workflow page.
    assert f'<a href="/admin/wian/circulars/{draft.pk}/">' in only_drafts
