"""The form page: schema, keys made once and frozen, deadline, open/closed with the circular."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cms.organisations.models import LocalOrganisation, Province
from responses import services
from responses.blocks import QuestionsBlock
from responses.models import LatePolicy, ResponseFormIndexPage, ResponseFormPage
from responses.schema import KINDS
from responses.site_setup import ensure_forms_index
from tests.responses.conftest import BANGKOK, CHIANG_MAI, q
from workflows.services import fire

pytestmark = pytest.mark.django_db


def test_the_forms_index_is_made_once_under_the_home_page(archive):
    index = ensure_forms_index()
    assert ensure_forms_index().pk == index.pk
    assert ResponseFormIndexPage.objects.count() == 1
    assert index.url == "/forms/"
    assert index.get_parent().specific_class.__name__ == "HomePage"


def test_every_kind_is_a_block():
    assert set(QuestionsBlock.base_blocks) == set(KINDS)


def test_schema_gives_plain_questions_with_readable_keys(small_form):
    schema = small_form.schema()
    assert [(x.key, x.kind) for x in schema] == [
        ("ตารางความร่วมมือ", "table"),
        ("ชื่อผู้รายงาน", "short_text"),
        ("โทรศัพท์", "phone"),
        ("สำเนาบันทึกข้อตกลง", "file"),
    ]
    table = schema[0]
    assert [c.key for c in table.columns] == [
        "ชื่อบริการสาธารณะ",
        "วันที่ลงนาม",
        "คณะกรรมการ",
        "เอกสารแนบของแถว",
    ]
    assert table.columns[2].choices == ["แต่งตั้งแล้ว", "ยังไม่แต่งตั้ง"]
    assert (table.min_rows, table.max_rows) == (1, 5)
    assert schema[1].required


def test_keys_are_stored_when_the_page_is_saved(small_form):
    stored = ResponseFormPage.objects.get(pk=small_form.pk)
    raw = stored.questions.raw_data
    assert raw[1]["value"]["key"] == "ชื่อผู้รายงาน"
    assert [c["value"]["key"] for c in raw[0]["value"]["columns"]][0] == "ชื่อบริการสาธารณะ"


def test_same_labels_get_different_keys(make_form):
    form = make_form([q("short_text", "ชื่อ"), q("short_text", "ชื่อ"), q("email", "ชื่อ")])
    assert [x.key for x in form.schema()] == ["ชื่อ", "ชื่อ_2", "ชื่อ_3"]


def _edit(form, mutate):
    """Change the stored questions the way an editor would, then clean and save."""
    page = ResponseFormPage.objects.get(pk=form.pk)
    mutate(page.questions)
    page.full_clean()
    page.save()
    return ResponseFormPage.objects.get(pk=form.pk)


def _answer(form, officer, raw):
    organisation = services.respondent_for(officer, form)
    return services.submit(form, organisation, raw, {}, officer)


def test_editing_a_label_keeps_the_key_and_the_answers(small_form, officer):
    outcome = _answer(
        small_form,
        officer,
        {"ชื่อผู้รายงาน": "นางสาวรายงาน ครบถ้วน", "ตารางความร่วมมือ": [{"ชื่อบริการสาธารณะ": "ขยะ"}]},
    )
    assert outcome.submitted

    def relabel(stream):
        stream[1].value["label"] = "ชื่อและนามสกุลของผู้รายงาน"
        stream[0].value["columns"][0].value["label"] = "บริการที่ทำร่วมกัน"

    form = _edit(small_form, relabel)
    schema = form.schema()
    assert schema[1].label == "ชื่อและนามสกุลของผู้รายงาน"
    assert schema[1].key == "ชื่อผู้รายงาน"
    assert schema[0].columns[0].key == "ชื่อบริการสาธารณะ"
    response = outcome.response
    response.refresh_from_db()
    from responses.presentation import answer_items

    items = answer_items(schema, response.answers, {})
    assert items[1].text == "นางสาวรายงาน ครบถ้วน"
    assert items[0].rows[0][0].text == "ขยะ"


def test_an_emptied_key_comes_back_as_it_was(small_form):
    def empty(stream):
        stream[1].value["key"] = ""
        stream[1].value["label"] = "ผู้รายงาน"

    form = _edit(small_form, empty)
    assert form.schema()[1].key == "ชื่อผู้รายงาน"


def test_a_key_with_answers_cannot_change_or_go(small_form, officer):
    _answer(
        small_form,
        officer,
        {"ชื่อผู้รายงาน": "นายทดสอบ", "ตารางความร่วมมือ": [{"ชื่อบริการสาธารณะ": "ขยะ"}]},
    )
    page = ResponseFormPage.objects.get(pk=small_form.pk)
    page.questions[1].value["key"] = "ผู้รายงาน"
    with translation.override("th"), pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert "ชื่อผู้รายงาน" in str(refused.value)
    assert "มีคำตอบแล้ว" in str(refused.value)

    page = ResponseFormPage.objects.get(pk=small_form.pk)
    del page.questions[1]
    with pytest.raises(ValidationError):
        page.full_clean()

    page = ResponseFormPage.objects.get(pk=small_form.pk)
    page.questions[0].value["columns"][0].value["key"] = "บริการ"
    with translation.override("th"), pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert "ชื่อบริการสาธารณะ" in str(refused.value)

    # A question nobody answered yet may still be renamed or removed.
    page = ResponseFormPage.objects.get(pk=small_form.pk)
    page.questions[2].value["key"] = "เบอร์โทร"
    page.full_clean()
    del page.questions[2]
    page.full_clean()


def test_two_questions_may_not_share_a_typed_key(make_form):
    form = make_form([q("short_text", "ก"), q("short_text", "ข")])
    page = ResponseFormPage.objects.get(pk=form.pk)
    page.questions[1].value["key"] = "ก"
    with pytest.raises(ValidationError):
        page.full_clean()


def test_effective_deadline_is_the_end_of_the_day_in_bangkok(small_form):
    deadline = small_form.circular.response_deadline
    expected = datetime.datetime.combine(
        deadline, datetime.time(23, 59, 59, 999999), tzinfo=ZoneInfo("Asia/Bangkok")
    )
    assert small_form.effective_deadline == expected
    small_form.deadline = datetime.date(2021, 3, 15)
    assert small_form.effective_deadline.isoformat().startswith("2021-03-15T23:59:59")
    small_form.deadline = None
    small_form.circular.response_deadline = None
    assert small_form.effective_deadline is None
    assert small_form.is_open()


def test_late_policy(small_form):
    after = small_form.effective_deadline + datetime.timedelta(minutes=1)
    before = small_form.effective_deadline - datetime.timedelta(minutes=1)
    assert small_form.is_open(before) and small_form.is_open(after) is False
    small_form.late_policy = LatePolicy.ACCEPT_FLAGGED
    assert small_form.is_open(after) and small_form.is_late(after)


def test_closing_the_circular_closes_its_forms_and_reopening_reopens_them(small_form, people):
    assert small_form.is_open()
    fire(small_form.circular, "close", people["registrar"])
    form = ResponseFormPage.objects.get(pk=small_form.pk)
    assert not form.is_open()
    with translation.override("th"):
        assert "ปิด" in form.closed_reason()
    fire(form.circular, "reopen", people["registrar"], "เปิดรับรายงานเพิ่มเติม")
    form = ResponseFormPage.objects.get(pk=small_form.pk)
    assert form.is_open()


def test_a_withdrawn_circular_takes_no_answers(small_form, people):
    fire(small_form.circular, "withdraw", people["signatory"], "มีฉบับใหม่แทน")
    assert not ResponseFormPage.objects.get(pk=small_form.pk).is_open()


def test_addressed_organisations(small_form, make_form, at_position, local_orgs):
    assert set(small_form.addressed_organisations().values_list("code", flat=True)) == {
        BANGKOK,
        CHIANG_MAI,
    }
    everyone = at_position("distributed")
    form = make_form([q("short_text", "ก")], on=everyone)
    assert form.addressed_organisations().count() == Province.objects.count() == 77
    local = make_form([q("short_text", "ก")], respondents="local_organisations")
    organisations = list(local.addressed_organisations())
    assert organisations and all(isinstance(o, LocalOrganisation) for o in organisations)
    assert {o.province.code for o in organisations} == {CHIANG_MAI}  # none in Bangkok


def _overdue_ids(today=None):
    from workflows.scheduled import overdue

    return set(overdue(today).values_list("pk", flat=True))


def test_nightly_close_spares_circulars_whose_forms_still_take_answers(make_form, circular):
    from cms.circulars.models import CircularPage

    today = datetime.date.today()
    yesterday = today - datetime.timedelta(days=1)
    CircularPage.objects.filter(pk=circular.pk).update(response_deadline=yesterday)
    form = make_form([q("short_text", "ชื่อ")])
    assert circular.pk in _overdue_ids(today)
    ResponseFormPage.objects.filter(pk=form.pk).update(late_policy=LatePolicy.ACCEPT_FLAGGED)
    assert circular.pk not in _overdue_ids(today)
    ResponseFormPage.objects.filter(pk=form.pk).update(
        late_policy=LatePolicy.REFUSE, deadline=today
    )
    assert circular.pk not in _overdue_ids(today)
    ResponseFormPage.objects.filter(pk=form.pk).update(deadline=yesterday)
    assert circular.pk in _overdue_ids(today)


def test_reopening_after_the_deadline_reopens_a_refusing_form(small_form, people):
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    ResponseFormPage.objects.filter(pk=small_form.pk).update(deadline=yesterday)
    form = ResponseFormPage.objects.get(pk=small_form.pk)
    assert not form.is_open()
    fire(form.circular, "close", people["registrar"])
    fire(form.circular, "reopen", people["registrar"], "เปิดรับรายงานเพิ่มเติม")
    form = ResponseFormPage.objects.get(pk=small_form.pk)
    assert form.is_open()


def test_a_table_may_not_need_more_rows_than_it_allows():
    from wagtail.blocks.struct_block import StructBlockValidationError

    from responses.blocks import TableQuestionBlock

    block = TableQuestionBlock()
    column = {"type": "short_text", "value": {"label": "รายการ", "key": "", "required": False}}

    def table(fewest, most):
        raw = {"label": "ตาราง", "key": "", "columns": [column]}
        return block.to_python({**raw, "min_rows": fewest, "max_rows": most})

    with translation.override("th"), pytest.raises(StructBlockValidationError) as refused:
        block.clean(table(5, 2))
    message = " ".join(refused.value.block_errors["max_rows"].messages)
    assert "ต้องไม่น้อยกว่า" in message
    assert block.clean(table(2, 2))["max_rows"] == 2
    assert block.clean(table(3, None))["min_rows"] == 3
