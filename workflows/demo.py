"""Demo people (one per role for unit 0812, officers of two provinces) and circulars in every
state, made by firing real transitions. Used by `load_demo` and by the tests."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from cms.organisations.models import Membership, Province, Unit
from workflows import roles as R

DEMO_PASSWORD = "wian-demo"

# username, first name, last name, role, unit code or province code
DEMO_PEOPLE = [
    ("drafter", "สมชาย", "ร่างดี", R.DRAFTER, "0812"),
    ("endorser", "สมหญิง", "ตรวจถี่", R.ENDORSER, "0812"),
    ("deputy", "วิชัย", "รองลงมา", R.ENDORSER, "0800"),
    ("signatory", "ประเสริฐ", "ลงนามไว", R.SIGNATORY, "0800"),
    ("registrar", "มาลี", "สารบรรณ", R.REGISTRAR, "0800"),
    ("officer-bkk", "นภา", "กรุงเทพ", R.PROVINCE_OFFICER, 10),
    ("officer-cmi", "ดวงใจ", "เชียงใหม่", R.PROVINCE_OFFICER, 50),
    ("drafter-0810", "ธนา", "กองพัฒนา", R.DRAFTER, "0810"),
]


def ensure_demo_people() -> dict:
    """Create (or refresh) the demo users, their groups and memberships, and 0812's chain."""
    from workflows.models import EndorsementStep

    User = get_user_model()
    people = {}
    for username, first, last, role, where in DEMO_PEOPLE:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.go.th"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=R.GROUPS[role]))
        if isinstance(where, int):
            place = {"province": Province.objects.get(code=where), "unit": None}
        else:
            place = {"unit": Unit.objects.get(code=where), "province": None}
        Membership.objects.update_or_create(user=user, defaults=place)
        people[username] = user
    unit = Unit.objects.get(code="0812")
    EndorsementStep.objects.update_or_create(
        unit=unit,
        order=1,
        defaults={"title": "ผอ.กลุ่มพัฒนาระบบบริหาร", "endorser": people["endorser"]},
    )
    EndorsementStep.objects.update_or_create(
        unit=unit, order=2, defaults={"title": "รองอธิบดี", "endorser": people["deputy"]}
    )
    return people


def ensure_workflow_circulars(archive, people: dict) -> int:
    """Circulars of 0812 taken through the machine into every state; returns how many are new."""
    from cms.circulars.models import CircularPage

    plans = [
        ("demo:wf-editing", "ร่างหนังสือแจ้งแนวทางการประเมินประสิทธิภาพองค์กรปกครองส่วนท้องถิ่น", []),
        ("demo:wf-review", "ร่างหนังสือขอความร่วมมือรายงานผลการใช้จ่ายงบประมาณ", ["submit", "endorse"]),
        ("demo:wf-endorsed", "ร่างหนังสือซักซ้อมการจัดทำแผนปฏิบัติราชการ", ["submit", "endorse", "endorse"]),
        (
            "demo:wf-signed",
            "การประชุมชี้แจงระบบสารบรรณอิเล็กทรอนิกส์",
            ["submit", "endorse", "endorse", "sign"],
        ),
        (
            "demo:wf-distributed",
            "การสำรวจความพร้อมการรับส่งหนังสือราชการทางอิเล็กทรอนิกส์",
            ["submit", "endorse", "endorse", "sign", "distribute"],
        ),
        (
            "demo:wf-closed",
            "การรายงานผลการจัดเก็บรายได้ไตรมาสที่ ๑",
            ["submit", "endorse", "endorse", "sign", "distribute", "close"],
        ),
        (
            "demo:wf-cancelled",
            "การอบรมเชิงปฏิบัติการที่เลื่อนออกไป",
            ["submit", "endorse", "endorse", "sign", "cancel"],
        ),
        (
            "demo:wf-withdrawn",
            "แนวทางการเบิกจ่ายที่ถูกเพิกถอน",
            ["submit", "endorse", "endorse", "sign", "distribute", "withdraw"],
        ),
    ]
    actor_of = {
        "submit": "drafter",
        "endorse": None,  # whoever the current step names
        "sign": "signatory",
        "distribute": "registrar",
        "close": "registrar",
        "cancel": "signatory",
        "withdraw": "signatory",
    }
    comments = {"cancel": "เลื่อนการจัดงานออกไปไม่มีกำหนด", "withdraw": "มีหนังสือฉบับใหม่แทน"}
    unit = Unit.objects.get(code="0812")
    created = 0
    for source_id, subject, steps in plans:
        if CircularPage.objects.filter(source_id=source_id).exists():
            continue
        with transaction.atomic():
            _make(archive, unit, people, source_id, subject, steps, actor_of, comments)
        created += 1
    return created


def _make(archive, unit, people, source_id, subject, steps, actor_of, comments) -> None:
    from cms.circulars.models import CircularPage
    from workflows.services import fire

    page = CircularPage(
        source_id=source_id,
        subject=subject,
        doc_number=unit.circular_number_prefix(),
        issued_on=timezone.localdate().replace(day=1),
        issued_on_month_only=True,
        owner=people["drafter"],
        owner_unit=unit,
        owner_unit_text=unit.name,
        body="<p>ด้วยกรมส่งเสริมการปกครองท้องถิ่นขอความร่วมมือจังหวัดแจ้งองค์กรปกครองส่วนท้องถิ่น"
        "ในพื้นที่ดำเนินการตามแนวทางที่กำหนด</p><p>ทั้งนี้ ขอให้รายงานผลการดำเนินการ"
        "ให้กรมส่งเสริมการปกครองท้องถิ่นทราบภายในกำหนด</p>",
        signatory_position="อธิบดีกรมส่งเสริมการปกครองท้องถิ่น",
        contact_phone="๐ ๒๒๔๑ ๙๐๐๐ ต่อ ๑๒๕๑",
        response_deadline=timezone.localdate() + datetime.timedelta(days=5),
        live=False,
    )
    archive.add_child(instance=page)
    for step in steps:
        if step == "endorse":
            who = page.current_endorsement_step().endorser
        else:
            who = people[actor_of[step]]
        page = fire(page, step, who, comments.get(step, "")).circular
