"""Endorsement chains and delegations (administrators edit them), the register (read-only), the
admin menu group, and the audit log's labels for the workflow's transitions."""

import re

import pytest
from django.contrib.auth import get_user_model

from workflows import roles as R
from workflows.models import Delegation, EndorsementStep, RegisterEntry

from .conftest import member

pytestmark = pytest.mark.django_db

DENIED = (302, 403)
STEPS = "/admin/snippets/workflows/endorsementstep/"
DELEGATIONS = "/admin/snippets/workflows/delegation/"
REGISTER = "/admin/snippets/workflows/registerentry/"


def test_administrators_edit_endorsement_chains(client, administrator, people, units):
    client.force_login(administrator)
    assert client.get(STEPS).status_code == 200
    response = client.post(
        STEPS + "add/",
        {
            "unit": units["0810"].pk,
            "order": 1,
            "title": "ผอ.กอง",
            "endorser": "",
            "endorser_unit": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    step = EndorsementStep.objects.get(unit=units["0810"])
    assert step.title == "ผอ.กอง"
    client.force_login(people["drafter"])
    assert client.get(STEPS).status_code in DENIED
    assert client.get(f"{STEPS}edit/{step.pk}/").status_code in DENIED


def test_administrators_edit_delegations(client, administrator, people, units):
    client.force_login(administrator)
    response = client.post(
        DELEGATIONS + "add/",
        {
            "signatory": people["signatory"].pk,
            "delegate": people["deputy"].pk,
            "unit": units["0800"].pk,
            "position": "รองอธิบดี",
            "acting_for": "อธิบดีกรมส่งเสริมการปกครองท้องถิ่น",
            "valid_from": "2025-01-01",
            "valid_until": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert Delegation.objects.get().delegate == people["deputy"]
    client.force_login(people["signatory"])
    assert client.get(DELEGATIONS).status_code in DENIED


def test_the_register_is_read_only(client, administrator, at_position, people):
    signed = at_position("signed")
    cancelled = at_position("cancelled")
    entries = {e.circular_id: e for e in RegisterEntry.objects.all()}
    superuser = get_user_model().objects.create_superuser("root", "root@example.go.th", "pw")
    for user in (people["registrar"], administrator, superuser):
        client.force_login(user)
        response = client.get(REGISTER)
        assert response.status_code == 200, user
        html = response.content.decode()
        assert signed.subject[:30] in html and cancelled.subject[:30] in html
        entry = entries[signed.pk]
        assert client.get(f"{REGISTER}inspect/{entry.pk}/").status_code == 200
        assert client.get(REGISTER + "add/").status_code in DENIED
        assert client.get(f"{REGISTER}edit/{entry.pk}/").status_code in DENIED
        assert client.post(f"{REGISTER}delete/{entry.pk}/").status_code in DENIED + (404,)
        assert client.post(REGISTER + "add/", {"number": 99}).status_code in DENIED
    assert RegisterEntry.objects.count() == 2
    assert RegisterEntry.objects.get(circular=cancelled).cancelled
    client.force_login(people["drafter"])
    assert client.get(REGISTER).status_code in DENIED


def test_the_register_lists_only_circulars_the_user_may_view(client, at_position, units):
    signed = at_position("signed", subject="หนังสือลงนามแล้วรอส่งเรื่องการประชุม")
    distributed = at_position("distributed", subject="หนังสือเวียนแล้วเรื่องการสำรวจข้อมูล")
    registrar = member("registrar-0808", R.REGISTRAR, unit=units["0808"])
    client.force_login(registrar)
    html = client.get(REGISTER).content.decode()
    assert distributed.subject[:30] in html
    assert signed.subject[:30] not in html  # a signed letter is seen by its own unit only


def test_the_menu_has_the_workflow_group_and_the_inbox(client, administrator):
    client.force_login(administrator)
    html = client.get("/admin/").content.decode()
    for name in ("wian", "wian-inbox", "wian-workflow"):
        assert f'"name": "{name}"' in html, name


def test_the_audit_log_names_workflow_transitions(client, administrator, at_position):
    """Wagtail's page history needs edit rights (none once signed): the site history shows it."""
    circular = at_position("signed")
    client.force_login(administrator)
    response = client.get("/admin/reports/site-history/", {"action": "wian.sign"})
    assert response.status_code == 200
    html = re.sub(r"\s+", " ", response.content.decode())
    row = html.split(f'<td class="title"> {circular.subject} </td>')[1].split("</tr>")[0]
    assert "<td> ลงนาม </td>" in row  # the registered label, in Thai
    assert "Unknown" not in html  # what Wagtail prints for an unregistered action
