"""Shared archive for the search page and API tests."""

import datetime

from search.indexing import rebuild

NEUTRAL_BODY = "<p>ขอให้จังหวัดแจ้งหน่วยงานในพื้นที่ทราบ</p>"


def tax_circulars(make_circular, units, *, sign_tax_topics=("ภาษี",)) -> dict:
    """Three tax circulars of two units and one on the elderly, indexed."""
    made = {
        "local_tax": make_circular(
            subject="การส่งเสริมองค์กรปกครองส่วนท้องถิ่นด้านการจัดเก็บภาษี",
            body="<p>ขอให้องค์กรปกครองส่วนท้องถิ่นเร่งรัดการจัดเก็บภาษีที่ดินและสิ่งปลูกสร้าง</p>",
            owner_unit=units["0812"],
            urgency="ด่วน",
            issued_on=datetime.date(2021, 3, 1),
            topics=("ภาษี",),
        ),
        "sign_tax": make_circular(
            subject="แนวทางการจัดเก็บภาษีป้าย",
            body=NEUTRAL_BODY,
            owner_unit=units["0808"],
            urgency="ด่วนที่สุด",
            issued_on=datetime.date(2022, 6, 15),
            topics=sign_tax_topics,
        ),
        "land_tax": make_circular(
            subject="การจัดเก็บภาษีที่ดินของเทศบาล",
            body=NEUTRAL_BODY,
            owner_unit=units["0812"],
            issued_on=datetime.date(2020, 1, 10),
        ),
        "elderly": make_circular(
            subject="การดูแลผู้สูงอายุในชุมชน",
            body="<p>ขอให้สำรวจจำนวนผู้สูงอายุในพื้นที่</p>",
            owner_unit=units["0819"],
            issued_on=datetime.date(2023, 2, 1),
        ),
    }
    rebuild()
    return made
