"""Synthetic local administrative organisations (อปท.) for the demo, the tests and the benchmarks.

``generate_local_organisations(per_province=None, total=7850)`` makes a deterministic set: the
same arguments always give the same codes, names and kinds, and running it again changes
nothing (rows are matched by code). Names are built by the project from common Thai place-name
parts ("องค์การบริหารส่วนตำบลหนองโคกใหญ่"); they are not a list of real organisations.

Codes are seven digits: the kind's digit (1 อบจ., 2 เทศบาลนคร, 3 เทศบาลเมือง, 4 เทศบาลตำบล,
5 อบต.), the province's two-digit code and a four-digit running number within the province.
Bangkok (10) is itself a special local administration and gets none.
"""

from __future__ import annotations

from cms.organisations.models import LocalOrganisation, Province

K = LocalOrganisation.Kind

KIND_DIGIT = {
    K.PROVINCIAL: "1",
    K.CITY: "2",
    K.TOWN: "3",
    K.SUBDISTRICT_MUNICIPALITY: "4",
    K.SUBDISTRICT: "5",
}
KIND_PREFIX = {
    K.PROVINCIAL: "องค์การบริหารส่วนจังหวัด",
    K.CITY: "เทศบาลนคร",
    K.TOWN: "เทศบาลเมือง",
    K.SUBDISTRICT_MUNICIPALITY: "เทศบาลตำบล",
    K.SUBDISTRICT: "องค์การบริหารส่วนตำบล",
}
# Provinces without local organisations of their own in this model.
SKIPPED_PROVINCE_CODES = frozenset({10})

_FIRST = (
    "หนอง",
    "โคก",
    "ดอน",
    "นา",
    "ทุ่ง",
    "ห้วย",
    "ป่า",
    "วัง",
    "บึง",
    "สระ",
    "บ้าน",
    "หัว",
    "ท่า",
    "โนน",
    "คลอง",
    "บาง",
)
_SECOND = (
    "แก",
    "ไผ่",
    "ยาง",
    "ตะเคียน",
    "สำโรง",
    "มะม่วง",
    "กระทุ่ม",
    "ขาม",
    "บัว",
    "จาน",
    "ม่วง",
    "หว้า",
    "เต็ง",
    "ตาล",
    "ข่า",
    "กุง",
    "ทราย",
    "หิน",
    "แดง",
    "ทอง",
)
_THIRD = ("", "ใหญ่", "น้อย", "เหนือ", "ใต้", "งาม", "พัฒนา", "ใหม่", "เก่า", "สามัคคี")


def _place_name(n: int) -> str:
    """A made-up Thai place name, different for every n below 3,200."""
    first = _FIRST[n % len(_FIRST)]
    second = _SECOND[(n // len(_FIRST)) % len(_SECOND)]
    third = _THIRD[(n // (len(_FIRST) * len(_SECOND))) % len(_THIRD)]
    return f"{first}{second}{third}"


def _kind_for(index: int) -> str:
    """Kind of the index-th organisation of a province (0 is always the อบจ.)."""
    if index == 0:
        return K.PROVINCIAL
    if index % 250 == 1:
        return K.CITY
    if index % 40 == 2:
        return K.TOWN
    if index % 10 in (3, 6, 9):
        return K.SUBDISTRICT_MUNICIPALITY
    return K.SUBDISTRICT


def _counts(provinces: list[Province], per_province: int | None, total: int) -> list[int]:
    if per_province is not None:
        return [per_province] * len(provinces)
    base, extra = divmod(total, len(provinces))
    return [base + (1 if i < extra else 0) for i in range(len(provinces))]


def local_organisation_rows(
    per_province: int | None = None, total: int = 7850, provinces=None
) -> list[LocalOrganisation]:
    """The unsaved organisations that ``generate_local_organisations`` would create."""
    if provinces is None:
        provinces = Province.objects.exclude(code__in=SKIPPED_PROVINCE_CODES)
    provinces = sorted(provinces, key=lambda p: p.code)
    rows = []
    for province, count in zip(provinces, _counts(provinces, per_province, total), strict=True):
        if count > 9999:
            raise ValueError("at most 9,999 local organisations per province")
        for index in range(count):
            kind = _kind_for(index)
            if kind == K.PROVINCIAL:
                name = f"{KIND_PREFIX[kind]}{province.name_th}"
            else:
                name = f"{KIND_PREFIX[kind]}{_place_name(index * 7 + province.code)}"
            rows.append(
                LocalOrganisation(
                    code=f"{KIND_DIGIT[kind]}{province.code:02d}{index:04d}",
                    name=name,
                    kind=kind,
                    province=province,
                )
            )
    return rows


def generate_local_organisations(
    per_province: int | None = None, total: int = 7850, provinces=None
) -> list[LocalOrganisation]:
    """Create the synthetic organisations that are missing and return all of them (saved).

    ``per_province`` gives every province that many; otherwise ``total`` is spread evenly over
    the 76 provinces outside Bangkok (7,850 is about the real number of อปท.). ``provinces``
    limits the set (a queryset or list of Province).
    """
    rows = local_organisation_rows(per_province, total, provinces)
    LocalOrganisation.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    codes = [row.code for row in rows]
    found = {}
    for start in range(0, len(codes), 900):
        chunk = codes[start : start + 900]
        for organisation in LocalOrganisation.objects.filter(code__in=chunk).select_related(
            "province"
        ):
            found[organisation.code] = organisation
    return [found[code] for code in codes]
