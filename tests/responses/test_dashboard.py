"""Staff dashboard of a response form: who may see it, statuses, counts, filters, reading one
response. The fixtures here (a form answered by four provinces in every state) are shared by
test_export and test_reminders."""

import datetime
import re

import pytest
from django.test import Client

from cms.circulars.templatetags.thai_text import thai_date
from cms.organisations.models import LocalOrganisation, Province
from responses import services
from responses.models import LatePolicy, ResponseFormPage
from tests.responses.conftest import fresh, member, pdf, q
from workflows import roles as R

pytestmark = pytest.mark.django_db

CHONBURI = 20
BKK, CMI, SKH = 10, 50, 90

COLUMNS = [
    q("short_text", "ชื่อบริการสาธารณะ", required=True),
    q("date", "วันที่ลงนาม"),
    q("single_choice", "คณะกรรมการ", choices=["แต่งตั้งแล้ว", "ยังไม่แต่งตั้ง"]),
]
QUESTIONS = [
    q("table", "ตารางความร่วมมือ", columns=COLUMNS),
    q("short_text", "ชื่อผู้รายงาน", required=True),
    q("single_choice", "ผลการดำเนินงาน", choices=["ดำเนินการแล้ว", "ยังไม่ดำเนินการ"]),
    q("multiple_choice", "ประเภทบริการ", choices=["ขยะ", "น้ำประปา", "ถนน"]),
    q("yes_no", "มีงบประมาณสนับสนุน"),
    q("number", "จำนวนเงิน"),
    q("date", "วันที่รายงาน"),
    q("file", "สำเนาบันทึกข้อตกลง"),
]

BKK_ANSWERS = {
    "ตารางความร่วมมือ": [
        {"ชื่อบริการสาธารณะ": "การจัดการขยะมูลฝอย", "วันที่ลงนาม": "15/03/2564", "คณะกรรมการ": "แต่งตั้งแล้ว"},
        {"ชื่อบริการสาธารณะ": "ประปาหมู่บ้าน", "วันที่ลงนาม": "", "คณะกรรมการ": "ยังไม่แต่งตั้ง"},
    ],
    "ชื่อผู้รายงาน": "นางสาวใจดี รายงานเร็ว",
    "ผลการดำเนินงาน": "ดำเนินการแล้ว",
    "ประเภทบริการ": ["ขยะ", "ถนน"],
    "มีงบประมาณสนับสนุน": "yes",
    "จำนวนเงิน": "1,250.50",
    "วันที่รายงาน": "๑ เมษายน ๒๕๖๔",
}
CMI_ANSWERS = {
    "ตารางความร่วมมือ": [
        {"ชื่อบริการสาธารณะ": "ถนนเชื่อมตำบล", "วันที่ลงนาม": "1/6/2564", "คณะกรรมการ": "แต่งตั้งแล้ว"}
    ],
    "ชื่อผู้รายงาน": "นายสมศักดิ์ เชียงใหม่",
    "ผลการดำเนินงาน": "ดำเนินการแล้ว",
    "ประเภทบริการ": ["ขยะ"],
    "มีงบประมาณสนับสนุน": "no",
    "จำนวนเงิน": "300",
}


@pytest.fixture
def four(at_position):
    """A distributed circular of 0812 addressed to Bangkok, Chiang Mai, Songkhla, Chonburi."""
    return at_position("distributed", addressed=(BKK, CMI, SKH, CHONBURI))


@pytest.fixture
def answered(make_form, four):
    """Bangkok submitted on time (with a file), Chiang Mai late, Songkhla a draft, Chonburi
    nothing."""
    form = make_form(
        QUESTIONS,
        on=four,
        title="แบบสำรวจความร่วมมือ",
        late_policy=LatePolicy.ACCEPT_FLAGGED,
        deadline=datetime.date.today() + datetime.timedelta(days=3),
    )
    province = {code: Province.objects.get(code=code) for code in (BKK, CMI, SKH)}
    outcome = services.submit(form, province[BKK], BKK_ANSWERS, {"สำเนาบันทึกข้อตกลง": [pdf()]}, None)
    assert outcome.submitted, outcome.errors
    past = datetime.date.today() - datetime.timedelta(days=1)
    ResponseFormPage.objects.filter(pk=form.pk).update(deadline=past)
    form = ResponseFormPage.objects.get(pk=form.pk)
    outcome = services.submit(form, province[CMI], CMI_ANSWERS, {}, None)
    assert outcome.submitted and outcome.response.is_late, outcome.errors
    services.save_draft(form, province[SKH], {"ชื่อผู้รายงาน": "ร่างของสงขลา"}, {}, None)
    return form


@pytest.fixture
def administrator_user(units):
    return member("admin-dashboard", R.ADMINISTRATOR, unit=units["0800"])


@pytest.fixture
def staff(people):
    """A drafter of 0812, the circular's owner unit."""
    return fresh(people["drafter"])


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows_of(html: str) -> dict[str, str]:
    """organisation code → status, as the dashboard's table lists them."""
    return dict(re.findall(r'<tr data-organisation="([^"]+)" data-status="([^"]+)"', html))


def counts_of(html: str) -> dict[str, int]:
    found = re.findall(r'data-status="([a-z_]+)" data-count="(\d+)"', html)
    return {status: int(count) for status, count in found}


def dashboard_url(form, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/admin/wian/forms/{form.pk}/" + (f"?{query}" if query else "")


# -- who ----------------------------------------------------------------------------------------


def test_owner_unit_staff_and_administrators_see_the_dashboard(answered, staff, administrator_user):
    for user in (staff, administrator_user):
        client = client_for(user)
        assert client.get(dashboard_url(answered)).status_code == 200
        listing = client.get("/admin/wian/forms/")
        assert listing.status_code == 200
        assert f"/admin/wian/forms/{answered.pk}/" in listing.content.decode()


def test_province_officers_and_other_units_are_refused(answered, officer, outsider):
    response_id = answered.responses.get(province__code=BKK).pk
    for user in (officer, outsider):
        client = client_for(user)
        assert client.get(dashboard_url(answered)).status_code == 403
        assert (
            client.get(f"/admin/wian/forms/{answered.pk}/responses/{response_id}/").status_code
            == 403
        )
        assert client.get(f"/admin/wian/forms/{answered.pk}/export.csv").status_code == 403
        assert client.get(f"/admin/wian/forms/{answered.pk}/export.xlsx").status_code == 403
        assert client.post(f"/admin/wian/forms/{answered.pk}/remind/").status_code == 403
    # The officer may not even list forms; the other unit's drafter sees an empty list.
    assert client_for(officer).get("/admin/wian/forms/").status_code == 403
    listing = client_for(outsider).get("/admin/wian/forms/")
    assert listing.status_code == 200
    assert f"/admin/wian/forms/{answered.pk}/" not in listing.content.decode()


@pytest.fixture
def outsider(units):
    return member("outsider-forms", R.DRAFTER, unit=units["0808"])


def test_anonymous_users_go_to_the_login(answered):
    response = Client().get(dashboard_url(answered))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_unknown_form_is_404(staff, db):
    assert client_for(staff).get("/admin/wian/forms/999999/").status_code == 404


# -- statuses, counts, filters -----------------------------------------------------------------


def test_every_addressed_province_is_listed_with_its_status(answered, staff):
    html = client_for(staff).get(dashboard_url(answered)).content.decode()
    assert rows_of(html) == {"10": "submitted", "50": "late", "90": "draft", "20": "not_started"}
    assert counts_of(html) == {"not_started": 1, "draft": 1, "submitted": 1, "late": 1}
    # The reference, the submission time in the Buddhist era with Thai digits.
    bangkok = answered.responses.get(province__code=BKK)
    assert bangkok.reference in html
    assert (
        f"{bangkok.submitted_at.year + 543}".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
        in html
    )
    # The deadline (yesterday, see the fixture) in Thai, and that it has passed.
    deadline = html.split('class="wian-deadline"')[1].split("</dd>")[0]
    assert thai_date(answered.deadline) in deadline
    assert "เลยกำหนดส่งแล้ว" in deadline


def test_filters_by_status_and_province(answered, staff):
    client = client_for(staff)
    late = client.get(dashboard_url(answered, status="late")).content.decode()
    assert rows_of(late) == {"50": "late"}
    pending = client.get(dashboard_url(answered, status="pending")).content.decode()
    assert rows_of(pending) == {"90": "draft", "20": "not_started"}
    songkhla = client.get(dashboard_url(answered, province=SKH)).content.decode()
    assert rows_of(songkhla) == {"90": "draft"}
    assert counts_of(songkhla) == {"not_started": 0, "draft": 1, "submitted": 0, "late": 0}
    nothing = client.get(dashboard_url(answered, province=SKH, status="submitted")).content.decode()
    assert rows_of(nothing) == {}
    # Nonsense filters are ignored, not errors.
    everything = client.get(dashboard_url(answered, status="bogus", province="xx")).content.decode()
    assert len(rows_of(everything)) == 4


def test_dashboard_shows_deadline_reminders_exports_and_counts_per_choice(answered, staff):
    html = client_for(staff).get(dashboard_url(answered)).content.decode()
    assert f"/admin/wian/forms/{answered.pk}/remind/" in html
    assert f"/admin/wian/forms/{answered.pk}/export.xlsx" in html
    assert 'value="ตารางความร่วมมือ"' in html  # a CSV per table
    # Bangkok and Chiang Mai both answered ดำเนินการแล้ว; Songkhla's draft is not counted.
    block = html.split('data-question="ผลการดำเนินงาน"')[1].split("</table>")[0]
    assert 'data-choice="ดำเนินการแล้ว" data-count="2"' in block
    assert 'data-choice="ยังไม่ดำเนินการ" data-count="0"' in block
    committee = html.split('data-question="ตารางความร่วมมือ/คณะกรรมการ"')[1].split("</table>")[0]
    assert 'data-choice="แต่งตั้งแล้ว" data-count="2"' in committee
    assert 'data-choice="ยังไม่แต่งตั้ง" data-count="1"' in committee


def test_local_organisation_forms_list_every_อปท_with_its_province(
    make_form, local_orgs, staff, circular
):
    form = make_form([q("short_text", "ชื่อ")], respondents="local_organisations")
    in_chiang_mai = list(LocalOrganisation.objects.filter(province__code=CMI).order_by("code"))
    services.submit(form, in_chiang_mai[0], {"ชื่อ": "ก"}, {}, None)
    html = client_for(staff).get(dashboard_url(form)).content.decode()
    # The circular is addressed to Bangkok and Chiang Mai: only Chiang Mai has อปท. here.
    assert rows_of(html) == {
        in_chiang_mai[0].code: "submitted",
        in_chiang_mai[1].code: "not_started",
        in_chiang_mai[2].code: "not_started",
    }
    assert "เชียงใหม่" in html
    # The deadline comes from the circular (in ten days): shown in Thai with the time left.
    deadline = html.split('class="wian-deadline"')[1].split("</dd>")[0]
    assert thai_date(form.deadline_date, "weekday") in deadline
    assert "เหลืออีก ๙ วัน" in deadline or "เหลืออีก ๑๐ วัน" in deadline
    filtered = client_for(staff).get(dashboard_url(form, province=CMI, status="not_started"))
    assert set(rows_of(filtered.content.decode())) == {o.code for o in in_chiang_mai[1:]}


# -- reading one response -----------------------------------------------------------------------


def test_reading_a_submitted_response_with_its_table_files_and_history(answered, staff):
    bangkok = answered.responses.get(province__code=BKK)
    url = f"/admin/wian/forms/{answered.pk}/responses/{bangkok.pk}/"
    html = client_for(staff).get(url).content.decode()
    assert "นางสาวใจดี รายงานเร็ว" in html
    assert bangkok.reference in html
    # The table question as a table: both rows, the date in the Buddhist era.
    table = html.split('data-question="ตารางความร่วมมือ"')[1].split("</table>")[0]
    assert table.count("<tr>") == 3  # header + 2 rows
    assert "การจัดการขยะมูลฝอย" in table and "ประปาหมู่บ้าน" in table
    assert "๑๕ มีนาคม ๒๕๖๔" in table
    # The file is a link to the private download view, which lets staff have it.
    stored = bangkok.files.get()
    assert f"/forms/files/{stored.uuid}/" in html
    download = client_for(staff).get(f"/forms/files/{stored.uuid}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # No working draft: nothing changed since the submission.
    assert "wian-draft-flag" not in html
    assert len(re.findall(r"data-version-id=", html)) == 1


def test_a_draft_and_changes_after_submitting_are_flagged(answered, staff):
    bangkok = answered.responses.get(province__code=BKK)
    services.save_draft(answered, bangkok.province, {"ชื่อผู้รายงาน": "ชื่อที่แก้หลังส่ง"}, {}, None)
    client = client_for(staff)
    html = client.get(f"/admin/wian/forms/{answered.pk}/responses/{bangkok.pk}/").content.decode()
    sent, draft = html.split('id="wian-response-draft-section"', 1)
    assert "นางสาวใจดี รายงานเร็ว" in sent  # the submitted version
    assert "ชื่อที่แก้หลังส่ง" in draft and "wian-draft-flag" in draft
    songkhla = answered.responses.get(province__code=SKH)
    html = client.get(f"/admin/wian/forms/{answered.pk}/responses/{songkhla.pk}/").content.decode()
    assert "ร่างของสงขลา" in html and "wian-draft-flag" in html
    assert 'id="wian-response-sent-section"' not in html


def test_earlier_submissions_stay_readable(answered, staff):
    bangkok = answered.responses.get(province__code=BKK)
    changed = {**BKK_ANSWERS, "ชื่อผู้รายงาน": "ผู้รายงานคนใหม่"}
    assert services.submit(answered, bangkok.province, changed, {}, None).submitted
    client = client_for(staff)
    url = f"/admin/wian/forms/{answered.pk}/responses/{bangkok.pk}/"
    latest = client.get(url).content.decode()
    assert "ผู้รายงานคนใหม่" in latest and 'data-version="2"' in latest
    first = bangkok.versions.get(version=1, kind="submission")
    earlier = client.get(f"{url}?v={first.pk}").content.decode()
    assert "นางสาวใจดี รายงานเร็ว" in earlier and 'data-version="1"' in earlier
    other = answered.responses.get(province__code=CMI).versions.get()
    assert client.get(f"{url}?v={other.pk}").status_code == 404


def test_a_response_is_read_only_under_its_own_form(answered, make_form, staff, four):
    other = make_form([q("short_text", "ชื่อ")], on=four)
    bangkok = answered.responses.get(province__code=BKK)
    url = f"/admin/wian/forms/{other.pk}/responses/{bangkok.pk}/"
    assert client_for(staff).get(url).status_code == 404


def test_the_form_page_header_links_to_its_dashboard(answered, staff):
    html = client_for(staff).get(f"/admin/pages/{answered.pk}/edit/").content.decode()
    assert f"/admin/wian/forms/{answered.pk}/" in html
