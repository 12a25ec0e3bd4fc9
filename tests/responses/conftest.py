"""Fixtures for the response forms: a distributed circular, forms built from question specs,
the officers who answer, and files whose content is (or is not) what their name says."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cms.organisations.models import LocalOrganisation, Membership, Province
from tests.workflows import conftest as workflow_fixtures
from tests.workflows.conftest import fresh, member  # noqa: F401  (used by the tests here)
from workflows import roles as R

# The workflow tests' fixtures: demo people, and circulars brought to a position by transitions.
people = workflow_fixtures.people
new_draft = workflow_fixtures.new_draft
at_position = workflow_fixtures.at_position

BANGKOK, CHIANG_MAI, SONGKHLA = 10, 50, 90


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Uploaded answers go to a throw-away private folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def q(kind, label, *, required=False, key="", help_text="", choices=None, **extra):
    """Raw StreamField data of one question block."""
    value = {"label": label, "key": key, "help_text": help_text, "required": required}
    if choices is not None:
        value["choices"] = "\n".join(choices)
    if kind == "table":
        value["columns"] = extra.pop("columns")
        value["min_rows"] = extra.pop("min_rows", 0)
        value["max_rows"] = extra.pop("max_rows", None)
    return {"type": kind, "value": value}


@pytest.fixture
def forms_index(archive):
    from responses.site_setup import ensure_forms_index

    return ensure_forms_index()


@pytest.fixture
def circular(at_position):
    """A distributed circular of 0812 addressed to Bangkok and Chiang Mai."""
    return at_position("distributed", addressed=(BANGKOK, CHIANG_MAI))


@pytest.fixture
def make_form(forms_index, circular):
    from responses.models import ResponseFormPage

    counter = iter(range(1, 1000))

    def make(questions, *, on=None, **fields):
        n = next(counter)
        page = ResponseFormPage(
            title=fields.pop("title", f"แบบรายงานทดสอบ {n}"),
            slug=fields.pop("slug", f"form-{n}"),
            circular=on or circular,
            questions=questions,
            **fields,
        )
        forms_index.add_child(instance=page)
        page.save_revision().publish()
        return ResponseFormPage.objects.get(pk=page.pk)

    return make


SURVEY_COLUMNS = [
    q("short_text", "ชื่อบริการสาธารณะ", required=True),
    q("date", "วันที่ลงนาม"),
    q("single_choice", "คณะกรรมการ", choices=["แต่งตั้งแล้ว", "ยังไม่แต่งตั้ง"]),
    q("file", "เอกสารแนบของแถว"),
]


@pytest.fixture
def small_form(make_form):
    """A form with a table, a required name, a phone and a file."""
    return make_form(
        [
            q("table", "ตารางความร่วมมือ", columns=SURVEY_COLUMNS, min_rows=1, max_rows=5),
            q("short_text", "ชื่อผู้รายงาน", required=True),
            q("phone", "โทรศัพท์"),
            q("file", "สำเนาบันทึกข้อตกลง"),
        ]
    )


@pytest.fixture
def bangkok(db):
    return Province.objects.get(code=BANGKOK)


@pytest.fixture
def chiang_mai(db):
    return Province.objects.get(code=CHIANG_MAI)


@pytest.fixture
def officer(people):
    return fresh(people["officer-bkk"])


@pytest.fixture
def officer_cmi(people):
    return fresh(people["officer-cmi"])


@pytest.fixture
def officer_songkhla(people):
    return member(
        "officer-skh",
        R.PROVINCE_OFFICER,
        province=Province.objects.get(code=SONGKHLA),
        first_name="สงขลา",
    )


@pytest.fixture
def local_orgs(db):
    from cms.organisations.local_organisations import generate_local_organisations

    provinces = Province.objects.filter(code__in=[CHIANG_MAI, SONGKHLA])
    return generate_local_organisations(per_province=3, provinces=provinces)


def local_member(username, organisation):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username, f"{username}@example.go.th")
    Membership.objects.create(user=user, local_organisation=organisation)
    return user


@pytest.fixture
def lao_user(local_orgs):
    organisation = LocalOrganisation.objects.filter(province__code=CHIANG_MAI).order_by("code")[1]
    return local_member("lao-cmi", organisation)


# -- files ------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office_zip(folder: str, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<document/>")
        if macros:
            archive.writestr(f"{folder}/vbaProject.bin", b"\xd0\xcf\x11\xe0")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf(name="บันทึกข้อตกลง.pdf"):
    return upload(name, PDF, "application/pdf")
