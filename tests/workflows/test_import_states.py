import datetime
import json

import pytest
from django.core.management import call_command

from cms.circulars.models import CircularPage

pytestmark = pytest.mark.django_db


def _import(tmp_path, *records):
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")
    call_command(
        "import_circulars",
        str(path),
        "--no-progress",
        stdout=open("/dev/null", "w"),
        stderr=open("/dev/null", "w"),
    )


def test_import_honours_the_state_key_and_records_imported(tmp_path, archive):
    _import(
        tmp_path,
        {
            "source_id": "s:1",
            "subject": "ลงนามแล้วรอส่ง",
            "doc_number": "มท ๐๘๑๒/ว ๙",
            "issued_on": "2021-01-05",
            "state": "signed",
        },
    )
    page = CircularPage.objects.get(source_id="s:1")
    assert page.state == "signed" and not page.live
    first = page.history.get()
    assert (first.transition, first.target) == ("imported", "signed")


def test_without_a_state_numbered_and_dated_letters_are_distributed_or_closed(tmp_path, archive):
    past = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    _import(
        tmp_path,
        {
            "source_id": "n:1",
            "subject": "มีเลขมีวัน",
            "doc_number": "มท ๐๘๑๒/ว ๑",
            "issued_on": "2021-01-05",
            "response_deadline": future,
        },
        {
            "source_id": "n:2",
            "subject": "พ้นกำหนดแล้ว",
            "doc_number": "มท ๐๘๑๒/ว ๒",
            "issued_on": "2021-01-05",
            "response_deadline": past,
        },
        {
            "source_id": "n:3",
            "subject": "ยังไม่มีเลข",
            "doc_number": "มท ๐๘๑๒/ว",
            "issued_on": "2021-01",
        },
        {"source_id": "n:4", "subject": "ไม่มีอะไรเลย"},
    )
    states = dict(CircularPage.objects.values_list("source_id", "state"))
    assert states == {"n:1": "distributed", "n:2": "closed", "n:3": "draft", "n:4": "draft"}


def test_reimport_with_a_new_state_is_recorded(tmp_path, archive):
    record = {
        "source_id": "r:1",
        "subject": "เปลี่ยนสถานะ",
        "doc_number": "มท ๐๘๑๒/ว ๓",
        "issued_on": "2021-01-05",
        "state": "distributed",
    }
    _import(tmp_path, record)
    _import(tmp_path, {**record, "state": "closed"})
    page = CircularPage.objects.get(source_id="r:1")
    assert page.state == "closed"
    assert [h.target for h in page.history.order_by("sequence")] == ["distributed", "closed"]
