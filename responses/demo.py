"""Demo response forms for `make run`-style trials: `manage.py load_response_demo`.

Builds on the workflow demo (its distributed circular, officer-bkk and officer-cmi), adds
twelve synthetic อปท. in Chiang Mai with one user (``lao-cmi``, password as the other demo
users), and two forms: a cooperation survey with a table for provinces, and a short readiness
form for the อปท. of the addressed provinces. Safe to rerun. The texts are the team's own.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

DEMO_SURVEY_SLUG = "demo-cooperation-survey"
DEMO_LOCAL_SLUG = "demo-local-readiness"
LOCAL_DEMO_USER = "lao-cmi"


def _q(kind, label, required=False, **extra):
    value = {
        "label": label,
        "key": "",
        "help_text": extra.pop("help_text", ""),
        "required": required,
    }
    if "choices" in extra:
        value["choices"] = "\n".join(extra.pop("choices"))
    value.update(extra)
    return {"type": kind, "value": value}


SURVEY_QUESTIONS = [
    _q(
        "table",
        "ข้อมูลการจัดทำบริการสาธารณะร่วมกัน",
        required=True,
        help_text="หนึ่งแถวต่อหนึ่งบันทึกความร่วมมือ",
        min_rows=1,
        max_rows=None,
        columns=[
            _q("short_text", "ชื่อบริการสาธารณะ", required=True),
            _q("short_text", "อปท. เจ้าภาพ", required=True),
            _q("long_text", "อปท. ที่ร่วมลงนาม"),
            _q("date", "วันที่ลงนาม"),
            _q("single_choice", "การแต่งตั้งคณะกรรมการ", choices=["แต่งตั้งแล้ว", "ยังไม่ได้แต่งตั้ง"]),
            _q(
                "single_choice",
                "การจัดทำข้อตกลง",
                choices=["จัดทำแล้ว", "ยังไม่ได้จัดทำ", "จัดทำเป็นบันทึกข้อตกลง (MOU)"],
            ),
            _q("long_text", "วัตถุประสงค์"),
            _q("long_text", "ปัญหาและอุปสรรค"),
        ],
    ),
    _q("short_text", "ชื่อผู้รายงาน", required=True),
    _q("short_text", "ตำแหน่ง", required=True),
    _q("phone", "หมายเลขโทรศัพท์", required=True),
    _q("file", "สำเนาบันทึกข้อตกลง (MOU)", help_text="PDF, Word, Excel, JPG หรือ PNG"),
]

LOCAL_QUESTIONS = [
    _q("yes_no", "มีระบบรับส่งหนังสือราชการอิเล็กทรอนิกส์แล้ว", required=True),
    _q("number", "จำนวนเจ้าหน้าที่สารบรรณ"),
    _q("multiple_choice", "ช่องทางที่ใช้อยู่", choices=["อีเมล", "ระบบสารบรรณกลาง", "โทรสาร"]),
    _q("email", "อีเมลติดต่อ"),
]


@transaction.atomic
def ensure_demo_forms() -> dict:
    """Create (once) the demo อปท., their user and the two forms; returns what it found or made."""
    from cms.circulars.models import CircularPage
    from cms.circulars.site_setup import ensure_archive
    from cms.organisations.demo_units import ensure_demo_units
    from cms.organisations.local_organisations import generate_local_organisations
    from cms.organisations.models import Membership, Province
    from responses.models import ResponseFormPage
    from responses.site_setup import ensure_forms_index
    from workflows.demo import DEMO_PASSWORD, ensure_demo_people, ensure_workflow_circulars

    archive = ensure_archive()
    ensure_demo_units()
    people = ensure_demo_people()
    ensure_workflow_circulars(archive, people)
    index = ensure_forms_index()
    circular = CircularPage.objects.get(source_id="demo:wf-distributed")
    locals_ = generate_local_organisations(
        per_province=12, provinces=Province.objects.filter(code=50)
    )
    user, created = get_user_model().objects.get_or_create(
        username=LOCAL_DEMO_USER,
        defaults={"first_name": "สมศรี", "last_name": "ท้องถิ่น", "email": "lao-cmi@example.go.th"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    Membership.objects.update_or_create(
        user=user, defaults={"local_organisation": locals_[1], "unit": None, "province": None}
    )
    forms = {}
    for slug, title, questions, respondents in (
        (
            DEMO_SURVEY_SLUG,
            "แบบสำรวจการจัดทำบริการสาธารณะร่วมกันขององค์กรปกครองส่วนท้องถิ่น",
            SURVEY_QUESTIONS,
            "provinces",
        ),
        (
            DEMO_LOCAL_SLUG,
            "แบบสำรวจความพร้อมรับส่งหนังสือราชการทางอิเล็กทรอนิกส์ของ อปท.",
            LOCAL_QUESTIONS,
            "local_organisations",
        ),
    ):
        form = ResponseFormPage.objects.filter(slug=slug).first()
        if form is None:
            form = ResponseFormPage(
                title=title,
                slug=slug,
                circular=circular,
                intro="<p>โปรดกรอกข้อมูลให้ครบถ้วนและส่งภายในกำหนด</p>",
                questions=questions,
                respondents=respondents,
                late_policy="accept_flagged",
            )
            index.add_child(instance=form)
            form.save_revision().publish()
        forms[slug] = form
    return {"index": index, "forms": forms, "local_user": user, "local_organisation": locals_[1]}
