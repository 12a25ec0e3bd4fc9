"""Every admin channel follows the permission table: explorer, search, chooser, edit, preview,
the action menu (never a Publish button on a circular), and the links to the workflow page."""

import pytest
from django.contrib.auth import get_user_model

from cms.circulars.models import CircularPage

pytestmark = pytest.mark.django_db

DENIED = (302, 403, 404)


@pytest.fixture
def circulars(at_position):
    """A draft, a signed circular and a distributed one of 0812, with distinct subjects."""
    return {
        "draft": at_position("draft:editing", subject="ร่างลับเฉพาะหน่วยงานเรื่องงบประมาณ"),
        "signed": at_position("signed", subject="หนังสือลงนามแล้วรอส่งเรื่องการประชุม"),
        "distributed": at_position("distributed", subject="หนังสือเวียนแล้วเรื่องการสำรวจข้อมูล"),
    }


def page_html(response) -> str:
    assert response.status_code == 200
    if response["Content-Type"].startswith("application/json"):
        return response.json()["html"]  # the choosers answer in JSON
    return response.content.decode()


def shown(client, path, circulars) -> set[str]:
    html = page_html(client.get(path))
    return {key for key, page in circulars.items() if page.subject in html}


def test_explorer_lists_only_the_circulars_the_user_may_view(
    client, archive, circulars, outsider, people
):
    explore = f"/admin/pages/{archive.pk}/"
    client.force_login(outsider)
    assert shown(client, explore, circulars) == {"distributed"}
    client.force_login(people["drafter"])
    assert shown(client, explore, circulars) == {"draft", "signed", "distributed"}


def test_admin_search_follows_the_table(client, circulars, outsider):
    client.force_login(outsider)
    for key, page in circulars.items():
        # The query is echoed in the search box: look for the result row's link instead.
        html = page_html(client.get("/admin/pages/search/", {"q": page.subject}))
        assert (f"/admin/wian/circulars/{page.pk}/" in html) == (key == "distributed"), key


def test_page_chooser_follows_the_table(client, archive, circulars, outsider, people):
    client.force_login(outsider)
    assert shown(client, f"/admin/choose-page/{archive.pk}/", circulars) == {"distributed"}
    for key, page in circulars.items():
        html = page_html(client.get("/admin/choose-page/search/", {"q": page.subject}))
        assert (f'data-id="{page.pk}"' in html) == (key == "distributed"), key
    client.force_login(people["drafter"])
    assert shown(client, f"/admin/choose-page/{archive.pk}/", circulars) == set(circulars)


def test_a_drafter_of_another_unit_may_not_edit_or_preview(client, circulars, outsider):
    client.force_login(outsider)
    draft = circulars["draft"]
    assert client.get(f"/admin/pages/{draft.pk}/edit/").status_code in DENIED
    assert client.post(f"/admin/pages/{draft.pk}/edit/", {}).status_code in DENIED
    assert client.get(f"/admin/pages/{draft.pk}/view_draft/").status_code in DENIED
    assert client.get(f"/admin/pages/{draft.pk}/revisions/").status_code in DENIED
    draft.refresh_from_db()
    assert draft.state == "draft" and draft.review_status == "editing"


def test_a_draft_under_review_is_not_editable_even_by_its_drafter(at_position, client, people):
    circular = at_position("draft:in_review")
    client.force_login(people["drafter"])
    assert client.get(f"/admin/pages/{circular.pk}/edit/").status_code in DENIED


def test_nobody_sees_publish_on_a_circular(client, archive, circulars, people, administrator):
    superuser = get_user_model().objects.create_superuser("root", "root@example.go.th", "pw")
    draft = circulars["draft"]
    for user in (people["drafter"], administrator, superuser):
        client.force_login(user)
        response = client.get(f"/admin/pages/{draft.pk}/edit/")
        assert response.status_code == 200, user
        html = response.content.decode()
        assert 'name="action-publish"' not in html, user
        assert "action-unpublish" not in html and 'name="action-submit"' not in html
        assert f"/admin/wian/circulars/{draft.pk}/" in html  # header button / action menu
    client.force_login(superuser)
    for key in ("signed", "distributed"):
        html = client.get(f"/admin/pages/{circulars[key].pk}/edit/").content.decode()
        assert 'name="action-publish"' not in html and "/unpublish/" not in html, key
    create = client.get(f"/admin/pages/add/circulars/circularpage/{archive.pk}/")
    assert create.status_code == 200
    assert 'name="action-publish"' not in create.content.decode()


def test_publishing_a_new_circular_by_hand_is_refused(client, archive, units):
    superuser = get_user_model().objects.create_superuser("root", "root@example.go.th", "pw")
    client.force_login(superuser)
    response = client.post(
        f"/admin/pages/add/circulars/circularpage/{archive.pk}/",
        {"subject": "ร่างที่พยายามเผยแพร่เอง", "action-publish": "action-publish"},
    )
    assert response.status_code in DENIED
    assert not CircularPage.objects.filter(subject="ร่างที่พยายามเผยแพร่เอง").exists()


def test_the_explorer_links_each_circular_to_its_workflow_page(client, archive, circulars, people):
    client.force_login(people["drafter"])
    html = client.get(f"/admin/pages/{archive.pk}/").content.decode()
    for page in circulars.values():
        assert f'href="/admin/wian/circulars/{page.pk}/"' in html
    # Not on pages that are not circulars (the archive's own header).
    home = archive.get_parent()
    html = client.get(f"/admin/pages/{home.pk}/").content.decode()
    assert f"/admin/wian/circulars/{archive.pk}/" not in html


def test_site_history_hides_the_audit_log_of_circulars_the_user_may_not_view(
    client, circulars, outsider, people
):
    client.force_login(outsider)
    response = client.get("/admin/reports/site-history/")
    assert response.status_code == 200
    html = response.content.decode()
    assert circulars["draft"].subject not in html
    assert circulars["signed"].subject not in html
    client.force_login(people["drafter"])
    html = client.get("/admin/reports/site-history/").content.decode()
    assert circulars["signed"].subject in html
