"""The circulars API: reading through the permission table, moving through services.fire."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command

from cms.circulars.models import CircularPage
from tests.workflows.channel_fixtures import *  # noqa: F403
from workflows.models import Recipient

pytestmark = pytest.mark.django_db


def detail(circular) -> str:
    return f"/api/circulars/{circular.pk}/"


def fire_path(circular, name: str) -> str:
    return f"/api/circulars/{circular.pk}/transitions/{name}/"


def fresh(circular) -> CircularPage:
    return CircularPage.objects.get(pk=circular.pk)


def test_a_circular_walks_from_draft_to_closed_with_token_auth(api, org, draft_circular):
    circular = draft_circular()
    seen = api(org["drafter"], "get", detail(circular)).json()
    assert (seen["state"], seen["review_status"], seen["transitions"]) == (
        "draft",
        "editing",
        ["submit"],
    )

    answer = api(org["drafter"], "post", fire_path(circular, "submit"))
    assert answer.status_code == 200
    assert answer.json()["review_status"] == "in_review"
    assert answer.json()["transitions"] == ["retract"]

    assert api(org["head"], "get", detail(circular)).json()["transitions"] == [
        "endorse",
        "request_changes",
    ]
    answer = api(org["head"], "post", fire_path(circular, "endorse"), {"initials": "ส.ต."})
    assert answer.status_code == 200
    assert fresh(circular).endorsements.get().initials == "ส.ต."
    answer = api(org["deputy"], "post", fire_path(circular, "endorse"), {"comment": "ชอบแล้ว"})
    assert answer.json()["review_status"] == "endorsed"

    answer = api(org["signatory"], "post", fire_path(circular, "sign"))
    assert answer.status_code == 200
    assert answer.json()["state"] == "signed"
    signed = api(org["registrar"], "get", detail(circular)).json()
    assert signed["doc_number"] == "มท ๐๘๑๒/ว ๑"
    assert signed["verification_code"] == fresh(circular).verification_code != ""
    assert set(signed["transitions"]) == {"distribute", "schedule_distribution"}

    answer = api(org["registrar"], "post", fire_path(circular, "distribute"))
    assert answer.json() | {"transitions": None} == {
        "id": circular.pk,
        "transition": "distribute",
        "from": "signed",
        "to": "distributed",
        "state": "distributed",
        "review_status": "endorsed",
        "transitions": None,
    }
    assert fresh(circular).live
    assert api(None, "get", detail(circular)).status_code == 200

    answer = api(org["registrar"], "post", fire_path(circular, "close"))
    assert answer.json()["state"] == "closed"
    assert answer.json()["transitions"] == ["reopen"]
    assert fresh(circular).state == "closed"


def test_detail_carries_the_letter_and_the_history_by_audience(api, org, draft_circular, walk):
    circular = draft_circular(subject="การรายงานผลการดำเนินงานประจำไตรมาส")
    walk(circular, ["submit", "endorse", "endorse", "sign", "distribute"])
    staff = api(org["registrar"], "get", detail(circular)).json()
    assert staff["subject"] == "การรายงานผลการดำเนินงานประจำไตรมาส"
    assert staff["id"] == circular.pk and staff["url"].endswith(fresh(circular).url)
    assert [h["transition"] for h in staff["history"]] == [
        "submit",
        "endorse",
        "endorse",
        "sign",
        "distribute",
    ]
    assert staff["history"][3]["comment"] == "ลงนามแล้ว"
    assert staff["history"][3]["actor"] == "Signatory"
    assert staff["history"][0]["label"] == "Submit for endorsement"

    # The owner unit's staff (0812, and the department above it) see everything.
    for staff_member in (org["drafter"], org["signatory"]):
        assert api(staff_member, "get", detail(circular)).json()["history"] == staff["history"]
    for outsider in (None, org["officer"], org["outsider"]):
        public = api(outsider, "get", detail(circular)).json()
        assert [h["transition"] for h in public["history"]] == ["distribute"]
        assert "comment" not in public["history"][0] and "actor" not in public["history"][0]
        assert public["verification_code"] == staff["verification_code"]


def test_role_refusals_are_403_with_the_reason(api, org, draft_circular, walk):
    circular = draft_circular()
    answer = api(org["head"], "post", fire_path(circular, "submit"))
    assert answer.status_code == 403
    assert answer.json() == {
        "detail": "Your role does not allow “Submit for endorsement” on a circular that is Draft."
    }
    walk(circular, ["submit"])
    answer = api(org["deputy"], "post", fire_path(circular, "endorse"))
    assert answer.status_code == 403
    assert answer.json()["detail"] == "This step of the endorsement chain is for ผอ.กลุ่ม Head."
    walk(circular, ["endorse", "endorse"])
    answer = api(org["registrar"], "post", fire_path(circular, "sign"))
    assert answer.status_code == 403
    assert fresh(circular).state == "draft"
    walk(circular, ["sign", "distribute"])
    # A public circular: anyone may read it, nobody outside the table may move it.
    answer = api(None, "post", fire_path(circular, "close"))
    assert answer.status_code == 403
    assert answer.json()["detail"] == (
        "Your role does not allow “Close” on a circular that is Distributed."
    )
    answer = api(org["far_officer"], "post", fire_path(circular, "acknowledge"))
    assert answer.status_code == 403
    assert fresh(circular).state == "distributed"


def test_transitions_impossible_in_the_state_are_409(api, org, draft_circular, walk):
    circular = draft_circular()
    answer = api(org["registrar"], "post", fire_path(circular, "distribute"))
    assert answer.status_code == 409
    assert answer.json() == {
        "detail": "“Distribute” is not possible while the circular is Draft (Being drafted)."
    }
    answer = api(org["signatory"], "post", fire_path(circular, "sign"))
    assert answer.status_code == 409
    walk(circular, ["submit", "endorse", "endorse", "sign", "distribute", "close"])
    answer = api(org["registrar"], "post", fire_path(circular, "close"))
    assert answer.status_code == 409
    assert answer.json()["detail"] == "“Close” is not possible while the circular is Closed."
    answer = api(org["registrar"], "post", fire_path(circular, "no_such_thing"))
    assert answer.status_code == 409
    assert answer.json()["detail"] == "There is no transition “no_such_thing”."


def test_missing_comment_and_bad_input_are_400(api, org, draft_circular, walk):
    circular = draft_circular()
    walk(circular, ["submit"])
    answer = api(org["head"], "post", fire_path(circular, "request_changes"), {"comment": "  "})
    assert answer.status_code == 400
    assert answer.json() == {"detail": "A comment is required for “Request changes”."}
    assert fresh(circular).review_status == "in_review"

    answer = api(org["head"], "post", fire_path(circular, "endorse"), {"initals": "ส.ต."})
    assert answer.status_code == 400
    assert answer.json()["errors"] == {"initals": ["This transition does not take “initals”."]}
    assert not fresh(circular).endorsements.exists()

    walk(circular, ["endorse", "endorse", "sign"])
    answer = api(org["registrar"], "post", fire_path(circular, "schedule_distribution"))
    assert answer.status_code == 400
    assert "“at”" in answer.json()["detail"]
    answer = api(
        org["registrar"], "post", fire_path(circular, "schedule_distribution"), {"at": "soon"}
    )
    assert answer.status_code == 400 and "at" in answer.json()["errors"]
    assert fresh(circular).distribute_at is None
    answer = api(
        org["registrar"],
        "post",
        fire_path(circular, "schedule_distribution"),
        {"at": "2030-01-02T09:00:00+07:00"},
    )
    assert answer.status_code == 200
    assert fresh(circular).distribute_at == datetime.datetime(2030, 1, 2, 2, 0, tzinfo=datetime.UTC)

    walk(circular, ["distribute"])
    answer = api(org["signatory"], "post", fire_path(circular, "withdraw"))
    assert answer.status_code == 400
    assert answer.json()["detail"] == "A reason is required for “Withdraw”."
    answer = api(org["signatory"], "post", fire_path(circular, "withdraw"), {"comment": "ข้อมูลผิด"})
    assert answer.status_code == 200
    assert fresh(circular).withdrawal_reason == "ข้อมูลผิด"


def test_a_body_that_is_not_a_json_object_is_400(api, org, draft_circular, client):
    circular = draft_circular()
    headers = {"Authorization": f"Token {org['drafter'].token}"}
    answer = client.post(
        fire_path(circular, "submit"), "[1, 2]", content_type="application/json", headers=headers
    )
    assert answer.status_code == 400
    answer = client.post(
        fire_path(circular, "submit"), "{not json", content_type="application/json", headers=headers
    )
    assert answer.status_code == 400
    assert fresh(circular).review_status == "editing"


def test_acknowledge_records_the_receipt_of_an_addressed_province(api, org, draft_circular, walk):
    circular = draft_circular()
    walk(circular, ["submit", "endorse", "endorse", "sign", "distribute"])
    assert api(org["officer"], "get", detail(circular)).json()["transitions"] == ["acknowledge"]
    answer = api(
        org["officer"],
        "post",
        fire_path(circular, "acknowledge"),
        {"receive_number": "4567", "receive_date": "๒๔/๑๑/๒๕๖๙"},
    )
    assert answer.status_code == 200
    assert answer.json()["receipt"]["receive_number"] == "4567"
    recipient = Recipient.objects.get(circular=circular, province__code=ADDRESSED)  # noqa: F405
    assert recipient.receive_date == datetime.date(2026, 11, 24)
    assert recipient.acknowledged_by == org["officer"]
    answer = api(
        org["officer"],
        "post",
        fire_path(circular, "acknowledge"),
        {"receive_date": "31/02/2569"},
    )
    assert answer.status_code == 400 and "receive_date" in answer.json()["errors"]


def test_amend_starts_a_new_draft_that_the_api_links(api, org, draft_circular, walk):
    circular = draft_circular()
    walk(circular, ["submit", "endorse", "endorse", "sign", "distribute"])
    answer = api(org["drafter"], "post", fire_path(circular, "amend"))
    assert answer.status_code == 200
    new_id = answer.json()["draft"]["id"]
    amendment = CircularPage.objects.get(pk=new_id)
    assert amendment.state == "draft" and amendment.supersedes_id == circular.pk
    assert api(org["drafter"], "get", f"/api/circulars/{new_id}/").json()["amends"] == circular.pk
    assert api(None, "get", f"/api/circulars/{new_id}/").status_code == 404


def test_drafts_and_secrets_are_404_to_those_who_may_not_see_them(api, org, draft_circular, walk):
    draft = draft_circular()
    for user in (None, org["officer"], org["far_officer"], org["outsider"]):
        assert api(user, "get", detail(draft)).status_code == 404
        answer = api(user, "post", fire_path(draft, "submit"))
        assert answer.status_code == 404, "a refusal would reveal that the draft exists"
    assert (
        api(None, "get", "/api/circulars/999999/").json() == api(None, "get", detail(draft)).json()
    )

    secret = draft_circular(secrecy="ลับ", subject="เรื่องลับเฉพาะกรุงเทพมหานคร")
    walk(secret, ["submit", "endorse", "endorse", "sign", "distribute"])
    assert fresh(secret).live
    for user in (None, org["far_officer"], org["outsider"]):
        assert api(user, "get", detail(secret)).status_code == 404
    assert api(org["officer"], "get", detail(secret)).status_code == 200
    assert api(org["registrar"], "get", detail(secret)).status_code == 200


def test_listing_shows_what_each_user_may_see(api, org, draft_circular, walk, make_circular):
    draft = draft_circular(subject="ร่างที่ยังไม่ส่ง")
    secret = draft_circular(secrecy="ลับ", subject="หนังสือลับ")
    walk(secret, ["submit", "endorse", "endorse", "sign", "distribute"])
    public = make_circular(subject="หนังสือสาธารณะ")

    def ids(user) -> set[int]:
        answer = api(user, "get", "/api/circulars/")
        assert answer.status_code == 200
        return {row["id"] for row in answer.json()["results"]}

    assert ids(None) == {public.pk}
    assert ids(org["far_officer"]) == {public.pk}
    assert ids(org["officer"]) == {public.pk, secret.pk}
    assert ids(org["drafter"]) == {public.pk, secret.pk, draft.pk}
    assert ids(org["outsider"]) == {public.pk}


def test_listing_is_paginated(api, make_circular, org):
    for day in range(1, 23):
        make_circular(issued_on=datetime.date(2021, 1, day))
    first = api(None, "get", "/api/circulars/").json()
    assert first["count"] == 22 and len(first["results"]) == 20 and first["next"]
    assert first["results"][0]["issued_on"] == "2021-01-22"
    second = api(None, "get", "/api/circulars/?page=2").json()
    assert len(second["results"]) == 2


def test_drf_create_token_prints_a_token_that_authenticates(org, draft_circular, client):
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=org["drafter"]).delete()
    out = StringIO()
    call_command("drf_create_token", "drafter", stdout=out)
    key = Token.objects.get(user=org["drafter"]).key
    assert key in out.getvalue()
    draft = draft_circular()
    answer = client.get(detail(draft), headers={"Authorization": f"Token {key}"})
    assert answer.status_code == 200
    answer = client.get(detail(draft), headers={"Authorization": "Token not-a-real-token"})
    assert answer.status_code in (401, 403)


def test_session_authentication_works_too(client, org, draft_circular):
    draft = draft_circular()
    assert client.get(detail(draft)).status_code == 404
    client.force_login(org["drafter"])
    assert client.get(detail(draft)).status_code == 200
    answer = client.post(fire_path(draft, "submit"), "{}", content_type="application/json")
    assert answer.status_code == 200
    assert fresh(draft).review_status == "in_review"


def test_session_posts_need_the_csrf_token(org, draft_circular):
    from django.test import Client

    draft = draft_circular()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(org["drafter"])
    answer = browser.post(fire_path(draft, "submit"), "{}", content_type="application/json")
    assert answer.status_code == 403
    assert "CSRF" in answer.json()["detail"]
    assert fresh(draft).review_status == "editing"


def test_answers_are_json_even_for_a_browser(org, draft_circular, client):
    draft = draft_circular()
    answer = client.get(
        detail(draft),
        headers={
            "Authorization": f"Token {org['drafter'].token}",
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        },
    )
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json"
    assert json.loads(answer.content)["id"] == draft.pk


def test_messages_follow_the_language(api, org, draft_circular):
    from django.utils import translation

    draft = draft_circular()
    thai = api(org["head"], "post", fire_path(draft, "submit"), language="th").json()["detail"]
    with translation.override("th"):
        expected = translation.gettext(
            "Your role does not allow “%(transition)s” on a circular that is %(state)s."
        ) % {
            "transition": translation.gettext("Submit for endorsement"),
            "state": translation.gettext("Draft"),
        }
    assert thai == expected
    assert thai != api(org["head"], "post", fire_path(draft, "submit")).json()["detail"]
