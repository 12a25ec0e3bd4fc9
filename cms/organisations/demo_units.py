"""Demo units of the Department of Local Administration, for `make run` and the tests."""

from cms.organisations.models import Unit

DLA = "กรมส่งเสริมการปกครองท้องถิ่น"

# (code, name, kind, parent code, phone)
DEMO_UNITS = [
    ("0800", DLA, Unit.Kind.DEPARTMENT, None, "๐ ๒๒๔๑ ๙๐๐๐"),
    ("0808", "กองคลัง", Unit.Kind.DIVISION, "0800", "๐ ๒๒๔๑ ๙๐๐๐ ต่อ ๑๓๑๑"),
    ("0810", "กองพัฒนาและส่งเสริมการบริหารงานท้องถิ่น", Unit.Kind.DIVISION, "0800", "๐ ๒๒๔๑ ๙๐๐๐ ต่อ ๒๒๑๐"),
    ("0810.2", "ส่วนวิชาการและวิจัยเพื่อการพัฒนาท้องถิ่น", Unit.Kind.SECTION, "0810", "๐ ๒๒๔๑ ๙๐๐๐ ต่อ ๒๒๑๔"),
    ("0810.3", "ส่วนแผนพัฒนาท้องถิ่น", Unit.Kind.SECTION, "0810", "๐ ๒๒๔๑ ๙๐๐๐ ต่อ ๒๑๒๒"),
    ("0812", "กลุ่มพัฒนาระบบบริหาร", Unit.Kind.GROUP, "0800", "๐ ๒๒๔๑ ๙๐๐๐ ต่อ ๑๒๕๑"),
    (
        "0816",
        "กองส่งเสริมและพัฒนาการจัดการศึกษาท้องถิ่น",
        Unit.Kind.DIVISION,
        "0800",
        "๐ ๒๒๔๑ ๙๐๐๐ ต่อ ๕๓๑๒",
    ),
    ("0819", "กองสาธารณสุขท้องถิ่น", Unit.Kind.DIVISION, "0800", "๐ ๒๒๔๑ ๗๒๒๕"),
]


def ensure_demo_units() -> int:
    """Create or refresh the demo units; returns how many there are."""
    by_code: dict[str, Unit] = {}
    for code, name, kind, parent, phone in DEMO_UNITS:
        unit, _created = Unit.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "parent": by_code.get(parent) if parent else None,
                "phone": phone,
                "email": "saraban@example.go.th",
            },
        )
        by_code[code] = unit
    return len(by_code)
