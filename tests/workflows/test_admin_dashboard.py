"""Dashboard panels (what waits for me) and the in-app inbox."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.utils import timezone

from workflows import admin_views
from workflows import roles as R
from workflows.models import Delegation, EndorsementStep, Notification
from workflows.services import fire

from .conftest import member

pytestmark = pytest.mark.django_db


def panel(client, user, name) -> list[int]:
    """Ids of the circulars listed in dashboard panel `name` for `user` ([] when not shown)."""
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    match = re.search(rf'id="{name}-section".*?</section>', html, re.S)
    if not match:
        return []
    return [int(pk) for pk in re.findall(r'data-circular="(\d+)"', match.group(0))]


def test_waiting_for_my_initials_follows_the_chain(client, at_position, people):
    circular = at_position("draft:in_review")
    editing = at_position("draft:editing")
    assert panel(client, people["endorser"], "wian-to-endorse") == [circular.pk]
    assert panel(client, people["deputy"], "wian-to-endorse") == []  # not their step yet
    fire(circular, "endorse", people["endorser"])
    assert panel(client, people["endorser"], "wian-to-endorse") == []
    assert panel(client, people["deputy"], "wian-to-endorse") == [circular.pk]
    assert editing.pk not in panel(client, people["deputy"], "wian-to-endorse")


def test_a_step_open_to_a_units_endorsers(client, new_draft, people, units):
    """A step without a named endorser accepts any endorser of its unit (not the drafter)."""
    EndorsementStep.objects.create(unit=units["0810"], order=1, title="ผอ.กอง")
    drafter = member("drafter-0810b", R.DRAFTER, unit=units["0810"])
    endorser = member("endorser-0810", R.ENDORSER, unit=units["0810"])
    circular = new_draft(owner=drafter, owner_unit=units["0810"])
    fire(circular, "submit", drafter)
    assert panel(client, endorser, "wian-to-endorse") == [circular.pk]
    assert panel(client, people["endorser"], "wian-to-endorse") == []  # 0812's endorser


def test_waiting_for_my_signature_includes_delegates(client, at_position, people, units):
    circular = at_position("draft:endorsed")
    assert panel(client, people["signatory"], "wian-to-sign") == [circular.pk]
    assert panel(client, people["drafter"], "wian-to-sign") == []
    deputy = member("acting", R.ENDORSER, unit=units["0816"])
    assert panel(client, deputy, "wian-to-sign") == []
    Delegation.objects.create(
        signatory=people["signatory"],
        delegate=deputy,
        unit=units["0800"],
        position="รองอธิบดี",
        acting_for="อธิบดีกรมส่งเสริมการปกครองท้องถิ่น",
        valid_from=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert panel(client, deputy, "wian-to-sign") == [circular.pk]


def test_ready_to_distribute_is_for_the_registrar(client, at_position, people):
    signed = at_position("signed")
    at_position("distributed")
    assert panel(client, people["registrar"], "wian-to-distribute") == [signed.pk]
    assert panel(client, people["signatory"], "wian-to-distribute") == []


def test_due_this_week_lists_the_units_distributed_circulars(client, at_position, people, units):
    today = timezone.localdate()
    soon = at_position("distributed", response_deadline=today + datetime.timedelta(days=5))
    at_position("distributed", response_deadline=today + datetime.timedelta(days=20))
    at_position("distributed", response_deadline=today - datetime.timedelta(days=1))
    assert panel(client, people["drafter"], "wian-due-this-week") == [soon.pk]
    outsider = member("outsider", R.DRAFTER, unit=units["0808"])
    assert panel(client, outsider, "wian-due-this-week") == []


def test_my_drafts(client, new_draft, people, units):
    mine = new_draft()
    other = member("drafter-0812b", R.DRAFTER, unit=units["0812"])
    new_draft(owner=other)
    assert panel(client, people["drafter"], "wian-my-drafts") == [mine.pk]


def test_each_panel_stays_within_a_few_queries(
    rf, at_position, people, django_assert_max_num_queries
):
    for _ in range(3):
        at_position("draft:in_review")
        at_position("draft:endorsed")
        at_position("signed")
    cases = [
        (admin_views.ToEndorsePanel, people["endorser"]),
        (admin_views.ToSignPanel, people["signatory"]),
        (admin_views.ToDistributePanel, people["registrar"]),
        (admin_views.DueThisWeekPanel, people["drafter"]),
        (admin_views.MyDraftsPanel, people["drafter"]),
    ]
    for panel_class, user in cases:
        user = get_user_model().objects.get(pk=user.pk)  # nothing cached from earlier
        request = rf.get("/admin/")
        request.user = user
        with django_assert_max_num_queries(20):
            html = panel_class(request).render_html({})
        assert html or panel_class is admin_views.DueThisWeekPanel


# -- the inbox -----------------------------------------------------------------------------------


@pytest.fixture
def notes(people, at_position):
    circular = at_position("draft:in_review")
    endorser = people["endorser"]
    made = [
        Notification.objects.create(
            user=endorser, circular=circular, verb="submit", message=f"ข้อความที่ {n}"
        )
        for n in range(3)
    ]
    other = Notification.objects.create(
        user=people["deputy"], circular=circular, verb="submit", message="ของคนอื่น"
    )
    return {"mine": made, "other": other, "circular": circular}


def test_inbox_lists_my_notifications_only(client, people, notes):
    client.force_login(people["endorser"])
    response = client.get("/admin/wian/inbox/")
    assert response.status_code == 200
    html = response.content.decode()
    assert all(n.message in html for n in notes["mine"])
    assert "ของคนอื่น" not in html
    assert 'data-unread="3"' in html
    assert f"/admin/wian/circulars/{notes['circular'].pk}/" in html


def test_mark_as_read(client, people, notes):
    client.force_login(people["endorser"])
    first = notes["mine"][0]
    response = client.post("/admin/wian/inbox/read/", {"ids": [first.pk, notes["other"].pk]})
    assert response.status_code == 302
    first.refresh_from_db()
    notes["other"].refresh_from_db()
    assert first.read_at is not None
    assert notes["other"].read_at is None  # somebody else's stays unread
    assert admin_views.unread_count(people["endorser"]) == 2
    client.post("/admin/wian/inbox/read/", {"all": "1"})
    assert admin_views.unread_count(people["endorser"]) == 0
    assert admin_views.unread_count(people["deputy"]) == 1
    assert client.get("/admin/wian/inbox/read/").status_code == 405


def test_the_menu_label_counts_unread_notifications(people, notes):
    from wagtail.admin.menu import admin_menu

    item = next(i for i in admin_menu.registered_menu_items if i.name == "wian-inbox")
    request = RequestFactory().get("/admin/")
    request.user = people["endorser"]
    assert "3" in str(item.render_component(request).label)
    request.user = people["signatory"]
    assert not re.search(r"\d", str(item.render_component(request).label))


def test_a_transition_lands_in_the_next_actors_inbox(
    client, at_position, people, django_capture_on_commit_callbacks
):
    circular = at_position("draft:editing")
    client.force_login(people["drafter"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/wian/circulars/{circular.pk}/", {"transition": "submit"})
    client.force_login(people["endorser"])
    html = client.get("/admin/wian/inbox/").content.decode()
    assert 'data-unread="1"' in html and circular.subject[:40] in html
