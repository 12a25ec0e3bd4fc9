import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from cms.circulars.importing.importer import CircularImporter
from cms.circulars.importing.sources import read_records
from cms.circulars.models import CircularPage, CircularReference

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SMALL = FIXTURES / "jsonl" / "small_archive.jsonl"
WITH_ERRORS = FIXTURES / "jsonl" / "with_errors.jsonl"


def run_import(*paths, **options):
    out, err = StringIO(), StringIO()
    try:
        with translation.override("en"):
            call_command(
                "import_circulars",
                *map(str, paths),
                "--no-progress",
                stdout=out,
                stderr=err,
                **options,
            )
    except CommandError as error:
        raise CommandError(f"{error}\n{err.getvalue()}") from error
    return out.getvalue(), err.getvalue()


def test_jsonl_import_fills_every_part(units):
    out, _err = run_import(SMALL)
    assert "created 3" in out
    page = CircularPage.objects.get(source_id="test:2563-0819-77")
    assert page.doc_number == "มท ๐๘๑๙/ว ๗๗"
    assert (page.doc_unit_code, page.doc_running) == ("0819", 77)
    assert page.owner_unit == units["0819"]
    assert page.issued_on == datetime.date(2020, 1, 15)
    assert page.urgency == "ด่วน"
    assert page.signatory_position == "รองอธิบดี"
    assert page.signatory_acting_for == "อธิบดีกรมส่งเสริมการปกครองท้องถิ่น"
    assert page.contact_email == "health@example.go.th"
    assert page.coordinator_list == ["นางสาวทดลอง ระบบ"]
    assert page.response_deadline == datetime.date(2020, 1, 30)
    assert [e.quantity for e in page.enclosures.all()] == ["๑ ชุด"]
    assert page.body.count("<p>") == 2
    assert [t.name for t in page.topics.all()] == ["สาธารณสุข"]
    assert page.extra == {"publisher_note": "kept as an unknown key"}
    assert page.state == "closed" and page.live


def test_reference_to_an_archived_letter_becomes_a_link(units):
    run_import(SMALL)
    later = CircularPage.objects.get(source_id="test:2564-0812-12")
    refs = list(later.references.order_by("sort_order"))
    assert refs[0].target.source_id == "test:2563-0819-77"
    assert refs[1].target is None  # another ministry's letter stays text


def test_reference_is_linked_when_the_earlier_letter_arrives_later(tmp_path):
    lines = SMALL.read_text(encoding="utf-8").splitlines()
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    second.write_text(lines[0] + "\n", encoding="utf-8")
    first.write_text(lines[1] + "\n", encoding="utf-8")
    run_import(first)
    assert CircularReference.objects.filter(target__isnull=False).count() == 0
    out, _ = run_import(second)
    assert CircularReference.objects.filter(target__isnull=False).count() == 1
    assert "references linked 1" in out


def test_import_is_idempotent():
    run_import(SMALL)
    ids = sorted(CircularPage.objects.values_list("pk", flat=True))
    out, _ = run_import(SMALL)
    assert "created 0" in out and "unchanged 3" in out
    assert sorted(CircularPage.objects.values_list("pk", flat=True)) == ids


def test_changed_record_updates_in_place(tmp_path):
    run_import(SMALL)
    record = json.loads(SMALL.read_text(encoding="utf-8").splitlines()[0])
    record["subject"] = "การเฝ้าระวังโรคไข้เลือดออกในฤดูฝน (แก้ไข)"
    record["enclosures"] = []
    changed = tmp_path / "changed.jsonl"
    changed.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    out, _ = run_import(changed)
    assert "updated 1" in out
    page = CircularPage.objects.get(source_id=record["source_id"])
    assert page.subject.endswith("(แก้ไข)")
    assert page.enclosures.count() == 0
    assert CircularPage.objects.filter(source_id=record["source_id"]).count() == 1


def test_default_states_follow_number_and_date():
    run_import(SMALL)
    assert CircularPage.objects.get(source_id="test:draft-1").state == "draft"
    assert not CircularPage.objects.get(source_id="test:draft-1").live


def test_bad_records_are_reported_and_never_stop_the_batch(tmp_path):
    report = tmp_path / "errors.jsonl"
    with pytest.raises(CommandError) as failure:
        run_import(WITH_ERRORS, errors=str(report))
    assert "4 record(s)" in str(failure.value)
    assert CircularPage.objects.filter(source_id="good:1").exists()
    failed = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert [f["origin"].rsplit(":", 1)[1] for f in failed] == ["1", "2", "4", "5"]
    assert all(f["raw"].strip() for f in failed)  # the record itself is kept to fix and retry


def test_buddhist_era_year_in_the_file_is_converted_with_a_warning():
    with pytest.raises(CommandError):
        _out, err = run_import(WITH_ERRORS)
    page = CircularPage.objects.get(source_id="be:1")
    assert page.issued_on == datetime.date(2021, 2, 10)


def test_dry_run_saves_nothing():
    out, _ = run_import(SMALL, dry_run=True)
    assert out.startswith("[dry run]") or "dry run" in out
    assert "created 3" in out
    assert CircularPage.objects.count() == 0


def test_export_round_trips(tmp_path, archive):
    run_import(SMALL)
    exported = tmp_path / "export.jsonl"
    call_command("export_circulars", output=str(exported), stderr=StringIO())
    original = {r["source_id"]: r for r in map(json.loads, SMALL.read_text("utf-8").splitlines())}
    written = {r["source_id"]: r for r in map(json.loads, exported.read_text("utf-8").splitlines())}
    assert written.keys() == original.keys()
    for source_id, record in original.items():
        for key, value in record.items():
            if value in ("", [], {}):
                continue
            if key == "state" or key == "addressee":
                continue
            assert written[source_id][key] == value, (source_id, key)
    # and importing the export changes nothing
    CircularPage.objects.all().update(source_hash="")
    out, _ = run_import(exported)
    assert "created 0" in out and "failed 0" in out


def test_export_to_stdout():
    run_import(SMALL)
    out = StringIO()
    call_command("export_circulars", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert {json.loads(line)["source_id"] for line in lines} == {
        "test:2563-0819-77",
        "test:2564-0812-12",
        "test:draft-1",
    }


def test_importer_api_counts(archive):
    summary = CircularImporter(archive).run(read_records([SMALL]))
    assert summary.counts["created"] == 3
    assert summary.failed == 0


def test_raw_letters_folder_imports(tmp_path):
    letters = FIXTURES / "letters"
    if not letters.is_dir() or not list(letters.glob("*.txt")):
        pytest.skip("no letter fixtures")
    out, _err = run_import(letters)
    count = len(list(letters.glob("*.txt")))
    assert f"read {count}" in out
    assert CircularPage.objects.count() == count


def test_seed_letters_import_and_link(shared_dir):
    seeds = shared_dir / "seeds"
    out, _err = run_import(seeds)
    assert "failed 0" in out
    later = CircularPage.objects.get(source_id__startswith="003_")
    earlier = CircularPage.objects.get(source_id__startswith="002_")
    assert later.references.get().target == earlier
    assert earlier.state == "distributed"
    assert later.state == "draft"


def test_command_speaks_thai_by_default():
    out = StringIO()
    call_command("import_circulars", str(SMALL), "--no-progress", stdout=out, stderr=StringIO())
    assert "สร้างใหม่ 3" in out.getvalue()
