"""State × audience visibility, written out by hand, checked on every channel that shows
circulars: the permission table itself, querysets, the public page, the archive, the home page,
the API, the feed, the sitemap, and the admin's explorer and chooser."""

import json

import pytest
from django.test import Client

from cms.circulars.models import CircularPage
from workflows.permissions import can_view, visible_q

from .conftest import fresh

pytestmark = pytest.mark.django_db

AUDIENCES = ["anonymous", "other_province", "addressed_province", "other_unit", "owner_unit"]
USERNAME = {
    "other_province": "officer-cmi",
    "addressed_province": "officer-bkk",
    "other_unit": "drafter-0810",
    "owner_unit": "endorser",
}
EVERYONE = set(AUDIENCES)
STAFF_ONLY = {"owner_unit"}
SECRET_AUDIENCE = {"addressed_province", "owner_unit"}
# (position, secret) → who may see the circular
EXPECTED = {
    ("draft:editing", False): STAFF_ONLY,
    ("draft:in_review", False): STAFF_ONLY,
    ("signed", False): STAFF_ONLY,
    ("cancelled", False): STAFF_ONLY,
    ("distributed", False): EVERYONE,
    ("closed", False): EVERYONE,
    ("withdrawn", False): EVERYONE,
    ("draft:editing", True): STAFF_ONLY,
    ("signed", True): STAFF_ONLY,
    ("distributed", True): SECRET_AUDIENCE,
    ("closed", True): SECRET_AUDIENCE,
    ("withdrawn", True): SECRET_AUDIENCE,
}


def _client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def channel_table(user, circular, client) -> bool:
    return can_view(fresh(user), circular)


def channel_queryset(user, circular, client) -> bool:
    return CircularPage.objects.filter(visible_q(fresh(user)), pk=circular.pk).exists()


def channel_page(user, circular, client) -> bool:
    return client.get(circular.url or f"/circulars/{circular.slug}/").status_code == 200


def channel_archive(user, circular, client) -> bool:
    return f'id="c-{circular.pk}"' in client.get("/circulars/").content.decode()


def channel_home(user, circular, client) -> bool:
    return circular.subject in client.get("/").content.decode()


def channel_api(user, circular, client) -> bool:
    try:
        response = client.get(f"/api/circulars/{circular.pk}/")
    except Exception:  # pragma: no cover - the API not mounted
        pytest.skip("no API")
    if response.status_code == 404 and not client.get("/api/circulars/").status_code == 200:
        pytest.skip("no API")
    return response.status_code == 200


def channel_api_list(user, circular, client) -> bool:
    response = client.get("/api/circulars/", {"page_size": 200})
    if response.status_code != 200:
        pytest.skip("no API listing")
    text = response.content.decode()
    return f'"id": {circular.pk},' in text or f'"id":{circular.pk},' in text


def channel_feed(user, circular, client) -> bool:
    response = client.get("/circulars/feed/")
    if response.status_code != 200:
        pytest.skip("no feed")
    return circular.full_url in response.content.decode() if circular.full_url else False


def channel_sitemap(user, circular, client) -> bool:
    response = client.get("/sitemap.xml")
    if response.status_code != 200:
        pytest.skip("no sitemap")
    return f"/circulars/{circular.slug}/" in response.content.decode()


def channel_admin_explorer(user, circular, client) -> bool:
    if user is None:
        return False
    response = client.get(f"/admin/pages/{circular.get_parent().pk}/")
    if response.status_code != 200:
        return False
    return f"/admin/pages/{circular.pk}/" in response.content.decode()


def channel_admin_chooser(user, circular, client) -> bool:
    if user is None:
        return False
    response = client.get(f"/admin/choose-page/{circular.get_parent().pk}/")
    if response.status_code != 200:
        return False
    return circular.title in json.loads(response.content)["html"]


PUBLIC_CHANNELS = {
    "table": channel_table,
    "queryset": channel_queryset,
    "page": channel_page,
    "archive": channel_archive,
    "home": channel_home,
    "api": channel_api,
    "api_list": channel_api_list,
}
LIVE_ONLY = {"page", "archive", "home"}
# Channels that speak for the anonymous public only, whoever asks.
ANONYMOUS_CHANNELS = {"feed": channel_feed, "sitemap": channel_sitemap}
# The admin shows circulars to signed-in staff; provinces see published ones like the public.
ADMIN_CHANNELS = {"admin_explorer": channel_admin_explorer, "admin_chooser": channel_admin_chooser}


@pytest.fixture
def cases(at_position):
    made = {}
    for (position, secret), _who in EXPECTED.items():
        circular = at_position(
            position,
            addressed=[10],
            secrecy="ลับ" if secret else "",
            subject=f"หนังสือทดสอบการมองเห็น {position} {'ลับ' if secret else 'ปกติ'}",
        )
        made[(position, secret)] = CircularPage.objects.get(pk=circular.pk)
    return made


@pytest.mark.parametrize("channel", list(PUBLIC_CHANNELS))
def test_who_sees_what_on_public_channels(cases, people, channel):
    check = PUBLIC_CHANNELS[channel]
    wrong = []
    for audience in AUDIENCES:
        user = people.get(USERNAME.get(audience)) if audience != "anonymous" else None
        client = _client_for(user)
        for key, circular in cases.items():
            expected = audience in EXPECTED[key]
            if channel in LIVE_ONLY:
                # Public pages and listings serve published circulars; staff read drafts in
                # the admin (and its previews), never at the public URL.
                expected = expected and circular.live
            seen = check(user, circular, client)
            if seen != expected:
                wrong.append((audience, key, seen))
    assert not wrong, wrong


@pytest.mark.parametrize("channel", list(ANONYMOUS_CHANNELS))
def test_feed_and_sitemap_show_only_what_anyone_may_see(cases, people, channel):
    check = ANONYMOUS_CHANNELS[channel]
    client = Client()
    for key, circular in cases.items():
        expected = (
            EXPECTED[key] == EVERYONE
            and circular.state != "withdrawn"
            or (channel == "sitemap" and EXPECTED[key] == EVERYONE)
        )
        assert check(None, circular, client) == expected, key


@pytest.mark.parametrize("channel", list(ADMIN_CHANNELS))
def test_admin_listings_follow_the_table(cases, people, channel):
    check = ADMIN_CHANNELS[channel]
    for audience in ["other_unit", "owner_unit"]:
        user = people[USERNAME[audience]]
        client = _client_for(user)
        for key, circular in cases.items():
            assert check(user, circular, client) == (audience in EXPECTED[key]), (audience, key)
