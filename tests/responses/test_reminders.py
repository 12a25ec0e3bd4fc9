"""Reminders reach only the organisations that have not submitted, through the workflow's inbox
and e-mail, are recorded in the audit log, and are not repeated within the hour unless forced."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from wagtail.models import PageLogEntry

from cms.organisations.models import LocalOrganisation, Membership, Province
from responses import reminders, services
from tests.responses import test_dashboard as dashboard
from tests.responses.conftest import fresh, local_member, member, q
from tests.responses.test_dashboard import CHONBURI, CMI, SKH, client_for
from workflows import roles as R
from workflows.models import Notification

pytestmark = pytest.mark.django_db

# Fixtures of test_dashboard: a form answered by four provinces in every state, 0812 staff.
answered = dashboard.answered
four = dashboard.four
staff = dashboard.staff


@pytest.fixture
def officers(people):
    """Officers of every addressed province, plus people who must never be reminded."""
    songkhla = Province.objects.get(code=SKH)
    chonburi = Province.objects.get(code=CHONBURI)
    found = {
        "bkk": fresh(people["officer-bkk"]),  # Bangkok submitted
        "cmi": fresh(people["officer-cmi"]),  # Chiang Mai submitted (late)
        "skh": member("officer-skh", R.PROVINCE_OFFICER, province=songkhla),  # a draft
        "chon": member("officer-chon", R.PROVINCE_OFFICER, province=chonburi),  # nothing
        "chon-2": member("officer-chon-2", R.PROVINCE_OFFICER, province=chonburi),
    }
    found["chon-2"].email = ""  # told in the inbox only
    found["chon-2"].save()
    gone = member("officer-chon-gone", R.PROVINCE_OFFICER, province=chonburi)
    gone.is_active = False
    gone.save()
    clerk = get_user_model().objects.create_user("clerk-skh", "clerk@example.go.th")
    Membership.objects.create(user=clerk, province=songkhla)  # not an officer: does not answer
    found["gone"], found["clerk"] = gone, clerk
    return found


def told(user) -> int:
    return Notification.objects.filter(user=user, verb=reminders.VERB).count()


def test_reminders_reach_only_organisations_that_have_not_submitted(
    answered, officers, staff, mailoutbox, django_capture_on_commit_callbacks
):
    with translation.override("th"), django_capture_on_commit_callbacks(execute=True):
        outcome = reminders.send_reminders(answered, staff)
    assert outcome.sent, outcome.message
    assert (outcome.organisations, outcome.users) == (2, 3)  # Songkhla and Chonburi
    assert {name: told(user) for name, user in officers.items()} == {
        "bkk": 0,
        "cmi": 0,
        "skh": 1,
        "chon": 1,
        "chon-2": 1,
        "gone": 0,
        "clerk": 0,
    }
    note = Notification.objects.get(user=officers["skh"])
    assert note.circular_id == answered.circular_id
    assert answered.title in note.message and "เตือน" in note.message
    # E-mail to those with an address (officer-chon-2 has none), with the form's link.
    assert sorted(m.to[0] for m in mailoutbox) == [
        "officer-chon@example.go.th",
        "officer-skh@example.go.th",
    ]
    assert answered.url in mailoutbox[0].body
    entry = PageLogEntry.objects.get(page=answered, action=reminders.ACTION)
    assert entry.user == staff
    assert entry.data == {"organisations": 2, "users": 3, "forced": False}


def test_reminders_are_not_repeated_within_the_hour_unless_forced(answered, officers, staff):
    now = timezone.now()
    assert reminders.send_reminders(answered, staff, now=now).sent
    with translation.override("th"):
        again = reminders.send_reminders(answered, staff, now=now + datetime.timedelta(minutes=30))
    assert not again.sent
    assert "ส่งการแจ้งเตือนไปแล้ว" in again.message
    assert told(officers["skh"]) == 1
    forced = reminders.send_reminders(
        answered, staff, force=True, now=now + datetime.timedelta(minutes=31)
    )
    assert forced.sent and told(officers["skh"]) == 2
    later = reminders.send_reminders(answered, staff, now=now + datetime.timedelta(minutes=92))
    assert later.sent and told(officers["skh"]) == 3
    entries = PageLogEntry.objects.filter(page=answered, action=reminders.ACTION)
    assert sorted(e.data["forced"] for e in entries) == [False, False, True]


def test_the_dashboard_button_sends_and_tells_what_happened(answered, officers, staff):
    client = client_for(staff)
    url = f"/admin/wian/forms/{answered.pk}/remind/"
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    html = response.content.decode()
    assert "ส่งการแจ้งเตือนถึงผู้ใช้ ๓ คน ของ ๒ หน่วยงานแล้ว" in html
    assert "แจ้งเตือนล่าสุด" in html  # recorded, shown on the dashboard
    assert 'name="force"' in html  # within the hour: sending again needs the tick
    assert told(officers["skh"]) == 1
    html = client.post(url, follow=True).content.decode()
    assert "ส่งการแจ้งเตือนไปแล้ว" in html and told(officers["skh"]) == 1
    client.post(url, {"force": "1"})
    assert told(officers["skh"]) == 2


def test_province_officers_may_not_send_reminders(answered, officers):
    response = client_for(officers["chon"]).post(f"/admin/wian/forms/{answered.pk}/remind/")
    assert response.status_code == 403
    assert not Notification.objects.filter(verb=reminders.VERB).exists()


def test_nobody_to_remind_when_everyone_has_submitted(make_form, officer, staff, bangkok, circular):
    form = make_form([q("short_text", "ชื่อ")], on=circular)
    services.submit(form, bangkok, {"ชื่อ": "ก"}, {}, None)
    services.submit(form, Province.objects.get(code=CMI), {"ชื่อ": "ข"}, {}, None)
    outcome = reminders.send_reminders(form, staff)
    assert not outcome.sent and outcome.organisations == 0
    assert not PageLogEntry.objects.filter(page=form, action=reminders.ACTION).exists()


def test_a_closed_form_is_not_reminded(answered, officers, staff, people):
    from workflows.services import fire

    fire(answered.circular, "close", people["registrar"], "")
    outcome = reminders.send_reminders(answered, staff)
    assert not outcome.sent
    assert not Notification.objects.filter(verb=reminders.VERB).exists()


def test_local_organisations_are_reminded_through_their_own_members(
    make_form, local_orgs, staff, circular, officer_cmi
):
    form = make_form([q("short_text", "ชื่อ")], respondents="local_organisations", on=circular)
    first, second, third = LocalOrganisation.objects.filter(province__code=CMI).order_by("code")
    done, waiting = local_member("lao-done", first), local_member("lao-waiting", second)
    elsewhere = local_member(
        "lao-skh", LocalOrganisation.objects.filter(province__code=SKH).first()
    )  # Songkhla is not addressed
    services.submit(form, first, {"ชื่อ": "ก"}, {}, None)
    outcome = reminders.send_reminders(form, staff)
    assert outcome.sent and (outcome.organisations, outcome.users) == (2, 1)
    assert [told(u) for u in (done, waiting, elsewhere, officer_cmi)] == [0, 1, 0, 0]


def test_reminders_are_in_thai_whatever_the_senders_language(answered, officers, staff):
    with translation.override("en"):
        assert reminders.send_reminders(answered, staff).sent
    message = Notification.objects.get(user=officers["skh"]).message
    assert "เตือน" in message and "Reminder" not in message


def test_reminder_mail_leaves_only_when_the_transaction_commits(
    answered, officers, staff, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert reminders.send_reminders(answered, staff).sent
    assert mailoutbox == [] and told(officers["skh"]) == 1
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 2


def test_after_the_deadline_a_late_accepting_form_is_not_asked_for_by_a_past_date(answered):
    from cms.thai.dates import format_thai_date

    past = format_thai_date(answered.deadline_date)
    late = reminders.reminder_message(answered)
    assert "พ้นกำหนด" in late and past in late and "ภายใน" not in late
    on_time = answered.effective_deadline - datetime.timedelta(hours=1)
    assert "ภายใน" in reminders.reminder_message(answered, on_time)
