"""Scheduled jobs: timed distribution and deadline closing move exactly the due circulars."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from cms.circulars.models import CircularPage
from tests.workflows.channel_fixtures import *  # noqa: F403
from workflows import scheduled
from workflows.services import fire

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)


def state_of(page) -> str:
    return CircularPage.objects.get(pk=page.pk).state


def run(command: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command(command, stdout=out)
    return out.getvalue()


@pytest.fixture
def signed(draft_circular, walk):
    def make(**fields):
        page = draft_circular(**fields)
        walk(page, ["submit", "endorse", "endorse", "sign"])
        return CircularPage.objects.get(pk=page.pk)

    return make


@pytest.fixture
def schedule(org):
    def at(page, when):
        return fire(page, "schedule_distribution", org["registrar"], at=when).circular

    return at


@pytest.fixture
def deadlines(make_circular, units):
    """Distributed circulars of 0812 around today's date, and others that must never close."""

    def make_circular(make=make_circular, **fields):
        return make(owner_unit=units["0812"], **fields)

    return {
        "overdue": make_circular(subject="เลยกำหนดแล้ว", response_deadline=YESTERDAY),
        "long_overdue": make_circular(
            subject="เลยกำหนดนานแล้ว", response_deadline=datetime.date(2021, 1, 31)
        ),
        "due_today": make_circular(subject="ครบกำหนดวันนี้", response_deadline=TODAY),
        "due_later": make_circular(subject="ยังไม่ถึงกำหนด", response_deadline=TOMORROW),
        "no_deadline": make_circular(subject="ไม่มีกำหนดตอบ"),
        "withdrawn": make_circular(
            subject="ถูกเพิกถอน", state="withdrawn", response_deadline=YESTERDAY
        ),
        "secret_overdue": make_circular(
            subject="ลับและเลยกำหนด", secrecy="ลับ", response_deadline=YESTERDAY
        ),
    }


def test_close_overdue_closes_exactly_the_overdue_distributed_circulars(deadlines):
    output = run("close_overdue")
    closed = {"overdue", "long_overdue", "secret_overdue"}
    for key, page in deadlines.items():
        expected = "closed" if key in closed else ("withdrawn" if key == "withdrawn" else None)
        assert state_of(page) == (expected or "distributed"), key
    for key in closed:
        assert deadlines[key].subject[:20] in output
    assert output.splitlines()[-1] == "3 closed, 0 failed."
    record = CircularPage.objects.get(pk=deadlines["overdue"].pk).history.get(transition="close")
    assert record.actor is None and record.actor_name == "system"
    assert record.public


def test_close_overdue_is_idempotent(deadlines):
    run("close_overdue")
    closed_at = CircularPage.objects.get(pk=deadlines["overdue"].pk).closed_at
    second = run("close_overdue")
    assert second == "0 closed, 0 failed.\n"
    assert CircularPage.objects.get(pk=deadlines["overdue"].pk).closed_at == closed_at
    assert deadlines["overdue"].history.filter(transition="close").count() == 1


def test_a_circular_reopened_after_its_deadline_stays_open(deadlines, org):
    run("close_overdue")
    fire(deadlines["overdue"], "reopen", org["registrar"], "รับรายงานเพิ่มเติม")
    assert state_of(deadlines["overdue"]) == "distributed"
    run("close_overdue")
    assert state_of(deadlines["overdue"]) == "distributed"


def test_run_scheduled_distributes_due_circulars_then_closes_overdue(
    signed, schedule, deadlines, draft_circular
):
    now = timezone.now()
    due = schedule(signed(subject="ถึงเวลาเวียนแล้ว"), now - datetime.timedelta(minutes=5))
    later = schedule(signed(subject="ยังไม่ถึงเวลาเวียน"), now + datetime.timedelta(hours=2))
    unscheduled = signed(subject="ลงนามแล้วแต่ไม่ได้ตั้งเวลา")
    draft = draft_circular(subject="ร่างที่ยังไม่ลงนาม")

    output = run("run_scheduled")

    assert state_of(due) == "distributed"
    due = CircularPage.objects.get(pk=due.pk)
    assert due.live and due.distribute_at is None and due.recipients.count() == 1
    assert due.history.last().actor_name == "system"
    assert state_of(later) == "signed"
    assert state_of(unscheduled) == "signed"
    assert state_of(draft) == "draft"
    assert state_of(deadlines["overdue"]) == "closed"
    assert state_of(deadlines["due_today"]) == "distributed"
    assert "ถึงเวลาเวียนแล้ว" in output and "ยังไม่ถึงเวลาเวียน" not in output
    assert output.splitlines()[-1] == "1 distributed, 3 closed, 0 failed."

    again = run("run_scheduled")
    assert again == "0 distributed, 0 closed, 0 failed.\n"
    assert due.history.filter(transition="distribute").count() == 1


def test_a_scheduled_circular_with_a_past_deadline_is_distributed_then_closed(signed, schedule):
    page = schedule(
        signed(subject="เวียนช้าจนเลยกำหนด", response_deadline=YESTERDAY),
        timezone.now() - datetime.timedelta(days=3),
    )
    report = scheduled.run_scheduled()
    assert [pk for pk, _name in report.distributed] == [page.pk]
    assert [pk for pk, _name in report.closed] == [page.pk]
    assert state_of(page) == "closed"


def test_the_same_job_as_a_django_task(signed, schedule, deadlines):
    from django_tasks import TaskResultStatus

    from workflows.tasks import run_scheduled_task

    due = schedule(signed(), timezone.now() - datetime.timedelta(seconds=1))
    result = run_scheduled_task.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    assert result.return_value["distributed"] == [due.pk]
    assert set(result.return_value["closed"]) == {
        deadlines["overdue"].pk,
        deadlines["long_overdue"].pk,
        deadlines["secret_overdue"].pk,
    }
    assert result.return_value["failed"] == []
    assert state_of(due) == "distributed"


def test_a_failure_is_reported_and_does_not_stop_the_others(deadlines, monkeypatch):
    from workflows import services

    real_fire = services.fire

    def flaky(circular, name, user, comment="", **kwargs):
        if circular.pk == deadlines["long_overdue"].pk:
            raise services.TransitionInvalid("broken on purpose")
        return real_fire(circular, name, user, comment, **kwargs)

    monkeypatch.setattr(services, "fire", flaky)
    from django.core.management.base import CommandError

    out = StringIO()
    with pytest.raises(CommandError), translation.override("en"):
        call_command("close_overdue", stdout=out)
    assert "broken on purpose" in out.getvalue()
    assert state_of(deadlines["overdue"]) == "closed"
    assert state_of(deadlines["long_overdue"]) == "distributed"
