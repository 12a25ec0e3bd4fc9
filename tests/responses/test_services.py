"""services: who answers, one response per organisation, drafts, submissions, versions, files."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from cms.organisations.models import LocalOrganisation, Province
from responses import services
from responses.models import LatePolicy, Response, ResponseFile, ResponseVersion
from responses.storage import private_storage
from tests.responses.conftest import (
    CHIANG_MAI,
    PDF,
    fresh,
    local_member,
    member,
    pdf,
    q,
    upload,
)
from workflows import roles as R
from workflows.services import fire

pytestmark = pytest.mark.django_db

ROW = {"ชื่อบริการสาธารณะ": "การจัดการขยะมูลฝอย", "วันที่ลงนาม": "๑๕/๐๓/๒๕๖๔", "คณะกรรมการ": "แต่งตั้งแล้ว"}
GOOD = {"ตารางความร่วมมือ": [ROW], "ชื่อผู้รายงาน": "นางสาวใจดี รายงานเร็ว", "โทรศัพท์": "053 112 233"}


# -- who ----------------------------------------------------------------------------------------


def test_a_province_officer_answers_for_an_addressed_province(small_form, officer, bangkok):
    assert services.respondent_for(officer, small_form) == bangkok


def test_who_may_not_answer(
    small_form, officer_songkhla, people, administrator_user, django_user_model
):
    with translation.override("th"):
        with pytest.raises(PermissionDenied) as refused:
            services.respondent_for(officer_songkhla, small_form)
        assert "จังหวัด" in str(refused.value)
        nobody = django_user_model.objects.create_user("nobody")
        with pytest.raises(PermissionDenied):
            services.respondent_for(nobody, small_form)
        from django.contrib.auth.models import AnonymousUser

        with pytest.raises(PermissionDenied):
            services.respondent_for(AnonymousUser(), small_form)
    # Staff and administrators read; they do not answer.
    assert services.respondent_for(fresh(people["drafter"]), small_form) is None
    assert services.respondent_for(administrator_user, small_form) is None


@pytest.fixture
def administrator_user(units):
    return member("admin-forms", R.ADMINISTRATOR, unit=units["0800"])


def test_a_province_member_without_the_officer_group_does_not_answer(
    small_form, bangkok, django_user_model
):
    from cms.organisations.models import Membership

    clerk = django_user_model.objects.create_user("clerk")
    Membership.objects.create(user=clerk, province=bangkok)
    with pytest.raises(PermissionDenied):
        services.respondent_for(clerk, small_form)


def test_local_organisations_answer_forms_meant_for_them(make_form, lao_user, officer_cmi):
    form = make_form([q("short_text", "ชื่อ")], respondents="local_organisations")
    organisation = services.respondent_for(lao_user, form)
    assert isinstance(organisation, LocalOrganisation)
    with pytest.raises(PermissionDenied):
        services.respondent_for(officer_cmi, form)  # the province follows, it does not answer
    province_form = make_form([q("short_text", "ชื่อ")])
    with pytest.raises(PermissionDenied):
        services.respondent_for(lao_user, province_form)


# -- one response per organisation ----------------------------------------------------------------


def test_the_database_refuses_a_second_response(small_form, bangkok):
    Response.objects.create(form=small_form, province=bangkok)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(form=small_form, province=bangkok)


def test_the_database_refuses_a_second_local_response(make_form, local_orgs):
    form = make_form([q("short_text", "ชื่อ")], respondents="local_organisations")
    organisation = local_orgs[0]
    Response.objects.create(
        form=form, local_organisation=organisation, province=organisation.province
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(form=form, local_organisation=organisation)


def test_services_never_make_a_second_response(small_form, officer, bangkok):
    for _ in range(3):
        services.save_draft(small_form, bangkok, {"ชื่อผู้รายงาน": "ก"}, {}, officer)
        services.submit(small_form, bangkok, GOOD, {}, officer)
    assert Response.objects.filter(form=small_form).count() == 1
    assert services.response_for(small_form, bangkok, create=True).pk == Response.objects.get().pk


def test_services_refuse_an_organisation_the_form_is_not_for(small_form, officer):
    songkhla = Province.objects.get(code=90)
    with pytest.raises(PermissionDenied):
        services.save_draft(small_form, songkhla, {}, {}, officer)


# -- drafts -------------------------------------------------------------------------------------


def test_a_draft_keeps_everything_typed_even_when_it_is_wrong(small_form, officer, bangkok):
    raw = {
        "ตารางความร่วมมือ": [ROW, {"ชื่อบริการสาธารณะ": "ประปา", "วันที่ลงนาม": "๓๑/๐๒/๒๕๖๔"}],
        "ชื่อผู้รายงาน": "",
        "โทรศัพท์": "โทรไม่ติด",
    }
    with translation.override("th"):
        outcome = services.save_draft(small_form, bangkok, raw, {}, officer)
    assert not outcome.submitted
    assert {(e.key, e.row, e.column) for e in outcome.errors} == {
        ("ตารางความร่วมมือ", 1, "วันที่ลงนาม"),
        ("โทรศัพท์", None, None),
    }
    response = Response.objects.get()
    assert response.status == "draft"
    assert response.invalid_input["โทรศัพท์"] == "โทรไม่ติด"
    assert response.invalid_input["ตารางความร่วมมือ"][1]["วันที่ลงนาม"] == "๓๑/๐๒/๒๕๖๔"
    assert response.answers["ชื่อผู้รายงาน"] == ""
    assert services.status_of(small_form, bangkok) == "draft"
    # Fixing one field keeps the other typed values.
    services.save_draft(small_form, bangkok, {"โทรศัพท์": "053-112-233"}, {}, officer)
    response.refresh_from_db()
    assert response.answers["โทรศัพท์"] == "053-112-233"
    assert "ตารางความร่วมมือ" in response.invalid_input


def test_saving_the_same_draft_twice_changes_nothing(small_form, officer, bangkok):
    first = services.save_draft(small_form, bangkok, GOOD, {}, officer).response.edit_token
    again = services.save_draft(small_form, bangkok, GOOD, {}, officer).response.edit_token
    assert first == again


# -- submitting ---------------------------------------------------------------------------------


def test_submit_checks_everything_and_keeps_the_input_when_it_fails(small_form, officer, bangkok):
    outcome = services.submit(small_form, bangkok, {"ชื่อผู้รายงาน": "นายก"}, {}, officer)
    assert not outcome.submitted and outcome.errors
    assert {e.key for e in outcome.errors} == {"ตารางความร่วมมือ"}
    response = Response.objects.get()
    assert response.status == "draft" and response.version == 0
    assert response.answers["ชื่อผู้รายงาน"] == "นายก"
    assert not ResponseVersion.objects.exists()


def test_submit_then_edit_and_resubmit_keeps_every_version(small_form, officer, bangkok):
    first = services.submit(small_form, bangkok, GOOD, {}, officer)
    assert first.submitted
    response = first.response
    assert response.version == 1 and response.reference == f"WF-{small_form.pk}-10-1"
    assert response.answers["ตารางความร่วมมือ"][0]["วันที่ลงนาม"] == "2021-03-15"
    assert services.status_of(small_form, bangkok) == "submitted"

    services.save_draft(small_form, bangkok, {"ชื่อผู้รายงาน": "นายแก้ไข ภายหลัง"}, {}, officer)
    response.refresh_from_db()
    assert response.status == "submitted" and response.has_unsent_changes
    assert response.latest_submission().answers["ชื่อผู้รายงาน"] == "นางสาวใจดี รายงานเร็ว"

    second = services.submit(small_form, bangkok, {}, {}, officer)
    response.refresh_from_db()
    assert second.submitted and response.version == 2
    assert response.reference.endswith("-2") and not response.has_unsent_changes
    versions = list(response.versions.filter(kind="submission").order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].answers["ชื่อผู้รายงาน"] == "นางสาวใจดี รายงานเร็ว"
    assert versions[1].answers["ชื่อผู้รายงาน"] == "นายแก้ไข ภายหลัง"
    assert [v.reference for v in versions] == [
        f"WF-{small_form.pk}-10-1",
        f"WF-{small_form.pk}-10-2",
    ]


def test_a_double_submit_sends_once(small_form, officer, bangkok):
    token = services.save_draft(small_form, bangkok, GOOD, {}, officer).response.edit_token
    first = services.submit(small_form, bangkok, GOOD, {}, officer, edit_token=token)
    second = services.submit(small_form, bangkok, GOOD, {}, officer, edit_token=token)
    assert first.submitted and not first.unchanged
    assert second.submitted and second.unchanged and second.stale
    assert second.kept_version is None
    assert Response.objects.get().version == 1
    assert ResponseVersion.objects.count() == 1


def test_a_stale_tab_never_loses_the_newer_input(small_form, officer, bangkok):
    token = services.save_draft(
        small_form, bangkok, {"ชื่อผู้รายงาน": "แท็บแรก"}, {}, officer
    ).response.edit_token
    # Tab B saves newer input...
    services.save_draft(small_form, bangkok, {"ชื่อผู้รายงาน": "แท็บสอง"}, {}, officer, edit_token=token)
    # ...then tab A, still holding the old token, saves over it.
    outcome = services.save_draft(
        small_form, bangkok, {"ชื่อผู้รายงาน": "แท็บแรกอีกครั้ง"}, {}, officer, edit_token=token
    )
    assert outcome.stale and outcome.kept_version is not None
    assert outcome.kept_version.kind == "overwritten"
    assert outcome.kept_version.answers["ชื่อผู้รายงาน"] == "แท็บสอง"
    assert Response.objects.get().answers["ชื่อผู้รายงาน"] == "แท็บแรกอีกครั้ง"


def test_two_tabs_opened_before_any_save_keep_each_others_input(small_form, officer, bangkok):
    """A tab opened before the first save holds token 0 (the form page renders it so): once
    the other tab has saved, its save is stale and the other tab's input is kept."""
    services.save_draft(small_form, bangkok, {"ชื่อผู้รายงาน": "แท็บสอง"}, {}, officer, edit_token=0)
    outcome = services.save_draft(
        small_form, bangkok, {"ชื่อผู้รายงาน": "แท็บแรก"}, {}, officer, edit_token=0
    )
    assert outcome.stale and outcome.kept_version.answers["ชื่อผู้รายงาน"] == "แท็บสอง"


def test_late_answers_refused_or_flagged(small_form, officer, bangkok, monkeypatch):
    late = small_form.effective_deadline + datetime.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: late)
    with translation.override("th"):
        refused = services.submit(small_form, bangkok, GOOD, {}, officer)
    assert refused.refused and "กำหนด" in refused.refused and not refused.submitted
    assert services.save_draft(small_form, bangkok, GOOD, {}, officer).refused

    small_form.late_policy = LatePolicy.ACCEPT_FLAGGED
    small_form.save_revision().publish()
    small_form.refresh_from_db()
    accepted = services.submit(small_form, bangkok, GOOD, {}, officer)
    assert accepted.submitted and accepted.response.is_late
    assert accepted.response.latest_submission().is_late
    assert services.status_of(small_form, bangkok) == "late"


def test_closing_the_circular_refuses_answers_and_reopening_takes_them_again(
    small_form, officer, bangkok, people
):
    fire(small_form.circular, "close", people["registrar"])
    outcome = services.submit(small_form, bangkok, GOOD, {}, officer)
    assert outcome.refused and not Response.objects.filter(status="submitted").exists()
    fire(small_form.circular, "reopen", people["registrar"], "ขยายเวลาให้จังหวัดที่ยังไม่ส่ง")
    assert services.submit(small_form, bangkok, GOOD, {}, officer).submitted


def test_a_refused_save_creates_no_empty_draft(small_form, officer, bangkok, people):
    fire(small_form.circular, "close", people["registrar"])
    assert services.save_draft(small_form, bangkok, GOOD, {}, officer).refused
    assert services.submit(small_form, bangkok, GOOD, {}, officer).refused
    assert not Response.objects.exists()
    assert services.status_of(small_form, bangkok) == "not_started"


def test_a_late_correction_of_an_on_time_answer_stays_submitted(
    small_form, officer, bangkok, monkeypatch
):
    small_form.late_policy = LatePolicy.ACCEPT_FLAGGED
    small_form.save_revision().publish()
    small_form.refresh_from_db()
    first = services.submit(small_form, bangkok, GOOD, {}, officer).response
    assert not first.is_late
    late = small_form.effective_deadline + datetime.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: late)
    corrected = services.submit(
        small_form, bangkok, {**GOOD, "โทรศัพท์": "053 000 000"}, {}, officer
    ).response
    assert corrected.version == 2 and not corrected.is_late
    assert services.status_of(small_form, bangkok) == "submitted"
    flags = dict(corrected.versions.filter(kind="submission").values_list("version", "is_late"))
    assert flags == {1: False, 2: True}


# -- statuses and reading ---------------------------------------------------------------------


def test_statuses_of_every_addressed_organisation_in_a_few_queries(
    small_form, officer, officer_cmi, bangkok, chiang_mai
):
    assert services.statuses(small_form) == {bangkok: "not_started", chiang_mai: "not_started"}
    services.save_draft(small_form, bangkok, GOOD, {}, officer)
    services.submit(small_form, chiang_mai, GOOD, {}, officer_cmi)
    with CaptureQueriesContext(connection) as queries:
        found = services.statuses(small_form)
    assert found == {bangkok: "draft", chiang_mai: "submitted"}
    assert len(queries) <= 4
    assert services.status_counts(small_form) == {
        "not_started": 0,
        "draft": 1,
        "submitted": 1,
        "late": 0,
    }


def test_statuses_stay_constant_in_queries_for_all_provinces(make_form, at_position):
    form = make_form([q("short_text", "ก")], on=at_position("distributed"))
    for province in Province.objects.all()[:20]:
        services.save_draft(form, province, {"ก": "x"}, {}, None)
    with CaptureQueriesContext(connection) as queries:
        found = services.statuses(form)
    assert len(found) == 77 and list(found.values()).count("draft") == 20
    assert len(queries) <= 4


def test_nobody_reads_another_organisations_response(
    small_form,
    officer,
    officer_cmi,
    officer_songkhla,
    bangkok,
    people,
    administrator_user,
    outsider,
):
    response = services.submit(small_form, bangkok, GOOD, {}, officer).response
    assert services.can_read_response(officer, response)
    assert not services.can_read_response(officer_cmi, response)
    assert not services.can_read_response(officer_songkhla, response)
    assert not services.can_read_response(outsider, response)  # staff of another unit
    assert services.can_read_response(fresh(people["drafter"]), response)  # owner unit 0812
    assert services.can_read_response(fresh(people["registrar"]), response)  # the department
    assert services.can_read_response(administrator_user, response)


@pytest.fixture
def outsider(units):
    return member("outsider-forms", R.DRAFTER, unit=units["0808"])


def test_a_province_reads_its_own_local_organisations(
    make_form, local_orgs, officer_cmi, officer_songkhla
):
    form = make_form([q("short_text", "ชื่อโครงการ")], respondents="local_organisations")
    cmi = [o for o in local_orgs if o.province.code == CHIANG_MAI]
    user = local_member("lao-a", cmi[0])
    neighbour = local_member("lao-b", cmi[1])
    response = services.submit(form, cmi[0], {"ชื่อโครงการ": "ถนนสายหลัก"}, {}, user).response
    assert response.province.code == CHIANG_MAI
    assert services.can_read_response(user, response)
    assert services.can_read_response(officer_cmi, response)
    assert not services.can_read_response(neighbour, response)
    assert not services.can_read_response(officer_songkhla, response)
    progress = services.local_progress(form, officer_cmi.membership.province)
    assert list(progress.values()) == ["submitted", "not_started", "not_started"]
    assert services.local_progress(form, Province.objects.get(code=10)) == {}


def test_a_province_reads_only_what_its_local_organisations_sent(
    make_form, local_orgs, officer_cmi
):
    form = make_form(
        [q("short_text", "ชื่อโครงการ"), q("file", "หลักฐาน")], respondents="local_organisations"
    )
    lao = [o for o in local_orgs if o.province.code == CHIANG_MAI][0]
    user = local_member("lao-files", lao)
    draft = services.save_draft(
        form, lao, {"ชื่อโครงการ": "ร่าง"}, {"หลักฐาน": [pdf("ร่าง.pdf")]}, user
    ).response
    draft_file = ResponseFile.objects.get()
    assert services.can_read_response(user, draft) and services.can_read_file(user, draft_file)
    assert not services.can_read_response(officer_cmi, draft)
    assert not services.can_read_file(officer_cmi, draft_file)
    sent = services.submit(form, lao, {"ชื่อโครงการ": "ส่งแล้ว"}, {}, user).response
    assert services.can_read_response(officer_cmi, sent)
    assert services.can_read_file(officer_cmi, ResponseFile.objects.get(pk=draft_file.pk))
    # A file added to the draft after the submission stays the อปท.'s own until it is sent.
    services.save_draft(form, lao, {}, {"หลักฐาน": [pdf("ใหม่.pdf")]}, user)
    newer = ResponseFile.objects.get(original_name="ใหม่.pdf")
    assert services.can_read_file(user, newer)
    assert not services.can_read_file(officer_cmi, newer)


# -- files --------------------------------------------------------------------------------------


def test_files_are_kept_privately_and_follow_their_row(small_form, officer, bangkok, private_root):
    rows = [dict(ROW), {"ชื่อบริการสาธารณะ": "ประปาหมู่บ้าน"}]
    outcome = services.save_draft(
        small_form,
        bangkok,
        {"ตารางความร่วมมือ": rows},
        {"สำเนาบันทึกข้อตกลง": [pdf()], "ตารางความร่วมมือ.1.เอกสารแนบของแถว": [pdf("แนบแถวสอง.pdf")]},
        officer,
    )
    assert outcome.errors == []
    response = outcome.response
    stored = ResponseFile.objects.get(original_name="แนบแถวสอง.pdf")
    assert (stored.question_key, stored.row, stored.column_key) == (
        "ตารางความร่วมมือ",
        1,
        "เอกสารแนบของแถว",
    )
    assert response.answers["ตารางความร่วมมือ"][1]["เอกสารแนบของแถว"] == [str(stored.uuid)]
    path = private_storage.path(stored.file.name)
    assert path.startswith(str(private_root)) and "แนบ" not in path
    assert open(path, "rb").read() == PDF
    assert stored.sha256 and stored.size == len(PDF)
    with pytest.raises(ValueError):
        stored.file.url  # noqa: B018  (private files have no URL)

    # Removing the first row moves the file up; dropping a kept id removes the file.
    kept = [str(stored.uuid)]
    services.save_draft(
        small_form,
        bangkok,
        {"ตารางความร่วมมือ": [{**rows[1], "เอกสารแนบของแถว": kept}], "สำเนาบันทึกข้อตกลง": []},
        {},
        officer,
    )
    stored.refresh_from_db()
    assert stored.row == 0
    assert ResponseFile.objects.count() == 1


def test_a_refused_upload_is_reported_and_the_rest_is_saved(small_form, officer, bangkok):
    with translation.override("th"):
        outcome = services.save_draft(
            small_form,
            bangkok,
            {"ชื่อผู้รายงาน": "นายก"},
            {"สำเนาบันทึกข้อตกลง": [upload("ปลอม.pdf", b"just text")]},
            officer,
        )
    assert outcome.errors[0].key == "สำเนาบันทึกข้อตกลง"
    assert "ไม่ใช่ไฟล์ PDF" in outcome.errors[0].message
    assert ResponseFile.objects.count() == 0
    assert outcome.response.answers["ชื่อผู้รายงาน"] == "นายก"


def test_files_of_an_earlier_submission_are_never_lost(small_form, officer, bangkok):
    first = services.submit(
        small_form, bangkok, GOOD, {"สำเนาบันทึกข้อตกลง": [pdf("ฉบับแรก.pdf")]}, officer
    )
    old = ResponseFile.objects.get()
    second = services.submit(
        small_form,
        bangkok,
        {"สำเนาบันทึกข้อตกลง": []},
        {"สำเนาบันทึกข้อตกลง": [pdf("ฉบับใหม่.pdf")]},
        officer,
    )
    assert first.submitted and second.submitted
    assert ResponseFile.objects.filter(pk=old.pk).exists()
    v1, v2 = second.response.versions.filter(kind="submission").order_by("version")
    assert [f["original_name"] for f in v1.files] == ["ฉบับแรก.pdf"]
    assert [f["original_name"] for f in v2.files] == ["ฉบับใหม่.pdf"]


def test_a_double_submit_with_the_file_still_chosen_stores_it_once(small_form, officer, bangkok):
    first = services.submit(small_form, bangkok, GOOD, {"สำเนาบันทึกข้อตกลง": [pdf()]}, officer)
    kept = first.response.answers["สำเนาบันทึกข้อตกลง"]
    again = services.submit(
        small_form,
        bangkok,
        {**GOOD, "สำเนาบันทึกข้อตกลง": kept},
        {"สำเนาบันทึกข้อตกลง": [pdf()]},
        officer,
    )
    assert ResponseFile.objects.count() == 1
    assert again.response.answers["สำเนาบันทึกข้อตกลง"] == kept
    assert again.response.versions.filter(kind="submission").count() == 1


def test_a_file_id_of_another_response_is_ignored(
    small_form, officer, officer_cmi, bangkok, chiang_mai
):
    services.save_draft(small_form, chiang_mai, {}, {"สำเนาบันทึกข้อตกลง": [pdf()]}, officer_cmi)
    theirs = str(ResponseFile.objects.get().uuid)
    outcome = services.save_draft(
        small_form, bangkok, {"สำเนาบันทึกข้อตกลง": [theirs, "not-a-uuid"]}, {}, officer
    )
    assert outcome.response.answers["สำเนาบันทึกข้อตกลง"] == []
