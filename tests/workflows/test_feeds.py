"""The RSS feed and the sitemap show exactly what an anonymous visitor may see."""

import datetime
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from tests.workflows.channel_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def mixed(make_circular, draft_circular, walk):
    """One circular in every situation the public must or must not see."""
    walked = draft_circular(subject="หนังสือที่เวียนผ่านระบบ")
    walk(walked, ["submit", "endorse", "endorse", "sign", "distribute"])
    secret_walked = draft_circular(subject="หนังสือลับที่เวียนผ่านระบบ", secrecy="ลับ")
    walk(secret_walked, ["submit", "endorse", "endorse", "sign", "distribute"])
    signed_walked = draft_circular(subject="หนังสือที่ลงนามแล้วรอเวียน")
    walk(signed_walked, ["submit", "endorse", "endorse", "sign"])
    return {
        "public": make_circular(subject="หนังสือเผยแพร่ทั่วไป", issued_on=datetime.date(2022, 1, 5)),
        "closed": make_circular(subject="หนังสือที่ปิดแล้ว", state="closed"),
        "withdrawn": make_circular(subject="หนังสือที่ถูกเพิกถอน", state="withdrawn"),
        "walked": walked,
        "draft": draft_circular(subject="หนังสือร่างที่ยังไม่ส่ง"),
        "secret": make_circular(subject="หนังสือลับมาก", secrecy="ลับมาก"),
        "secret_walked": secret_walked,
        "signed_walked": signed_walked,
        # A signed or cancelled page that is live by mistake must still never be listed.
        "signed_live": make_circular(subject="หนังสือลงนามที่หลุดออกมา", state="signed", live=True),
        "cancelled_live": make_circular(
            subject="หนังสือยกเลิกที่หลุดออกมา", state="cancelled", live=True
        ),
    }


PUBLIC = {"public", "closed", "withdrawn", "walked"}
ANNOUNCED = PUBLIC - {"withdrawn"}  # the feed announces what is in force


def path_of(url: str) -> str:
    return urlsplit(url).path


def feed_items(client) -> list[ET.Element]:
    response = client.get("/circulars/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).findall("./channel/item")


def test_feed_lists_only_public_circulars(client, mixed):
    items = feed_items(client)
    links = {item.findtext("link") for item in items}
    assert links == {mixed[key].full_url for key in ANNOUNCED}
    text = client.get("/circulars/feed/").content.decode()
    for key in set(mixed) - ANNOUNCED:
        assert mixed[key].subject not in text, key


def test_feed_is_newest_first_with_canonical_links(client, make_circular):
    old = make_circular(subject="หนังสือเก่า", issued_on=datetime.date(2019, 3, 1))
    new = make_circular(subject="หนังสือใหม่", issued_on=datetime.date(2024, 3, 1))
    middle = make_circular(subject="หนังสือปีกลาง", issued_on=datetime.date(2021, 3, 1))
    make_circular(subject="หนังสือถูกเพิกถอน", state="withdrawn")
    items = feed_items(client)
    assert [item.findtext("link") for item in items] == [
        new.full_url,
        middle.full_url,
        old.full_url,
    ]
    assert new.full_url.startswith("http://localhost/")  # the site's address, not the request's
    assert items[0].findtext("title") == f"{new.doc_number} หนังสือใหม่"
    assert items[2].findtext("pubDate") == "Fri, 01 Mar 2019 00:00:00 +0700"


def test_feed_never_shows_a_secret_even_to_its_addressee(client, org, mixed):
    client.force_login(org["officer"])
    links = {path_of(item.findtext("link")) for item in feed_items(client)}
    assert links and mixed["secret_walked"].url not in links


def test_every_page_links_the_feed(client, make_circular):
    page = make_circular()
    for path in ("/", "/circulars/", page.url):
        html = client.get(path).content.decode()
        assert '<link rel="alternate" type="application/rss+xml"' in html
        assert 'href="/circulars/feed/"' in html


def sitemap_locations(client) -> set[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {path_of(loc.text) for loc in root.findall("./s:url/s:loc", SITEMAP_NS)}


def test_sitemap_lists_public_pages_and_never_hidden_circulars(client, mixed, archive):
    locations = sitemap_locations(client)
    for key in PUBLIC:
        assert mixed[key].url in locations, key
    for key in set(mixed) - PUBLIC:
        assert mixed[key].url not in locations, key
    assert archive.url in locations


def test_sitemap_is_the_same_for_a_signed_in_officer(client, org, mixed):
    anonymous = sitemap_locations(client)
    client.force_login(org["registrar"])
    assert sitemap_locations(client) == anonymous
