import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cms.circulars.models import CircularPage

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% scanned signed letter\n"


def _post_scan(client, circular):
    return client.post(
        f"/admin/wian/circulars/{circular.pk}/",
        {"attach_scan": "1", "scan": SimpleUploadedFile("signed.pdf", PDF, "application/pdf")},
    )


def test_registrar_attaches_the_scan_without_touching_the_signed_text(
    at_position, people, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    circular = at_position("distributed")
    fingerprint = circular.content_sha256
    client = Client()
    client.force_login(people["registrar"])
    assert _post_scan(client, circular).status_code == 302
    stored = CircularPage.objects.get(pk=circular.pk)
    assert stored.signed_scan is not None
    assert stored.content_sha256 == fingerprint and stored.state == "distributed"
    assert stored.history.order_by("-sequence").first().transition == "attach_scan"
    html = Client().get(stored.url).content.decode()
    assert stored.signed_scan.url in html


@pytest.mark.parametrize("username", ["drafter", "signatory", "officer-bkk"])
def test_only_the_registrar_may_attach(at_position, people, settings, tmp_path, username):
    settings.MEDIA_ROOT = tmp_path
    circular = at_position("signed")
    client = Client()
    client.force_login(people[username])
    response = _post_scan(client, circular)
    assert response.status_code in (403, 404)
    assert CircularPage.objects.get(pk=circular.pk).signed_scan is None


def test_no_scan_on_a_draft(at_position, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    circular = at_position("draft:endorsed")
    client = Client()
    client.force_login(people["registrar"])
    assert _post_scan(client, circular).status_code == 403
