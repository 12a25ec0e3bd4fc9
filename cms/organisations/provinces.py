"""The 77 provincial-level units, read from maintained packages rather than typed by hand.

Codes and English names come from pycountry's ISO 3166-2:TH data (LGPL-2.1), which uses the
official two-digit province codes (10 = Bangkok ... 96 = Narathiwat). Thai names come from
pycountry's Thai translation, with PyThaiNLP's province list (Apache-2.0) for the few it lacks.
"""

import gettext
from dataclasses import dataclass

# pycountry spells Bangkok by its Thai romanisation; PyThaiNLP by its English name.
_ENGLISH_ALIASES = {"Krung Thep Maha Nakhon": "Bangkok"}


@dataclass(frozen=True)
class ProvinceRecord:
    code: int
    name_th: str
    name_en: str


def _squash(name: str) -> str:
    return "".join(name.lower().split())


def load_provinces() -> list[ProvinceRecord]:
    """Every province and Bangkok, ordered by code (Pattaya, a special city, is left out)."""
    import pycountry
    from pythainlp.corpus import provinces as pythainlp_provinces

    thai = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["th"])
    by_english = {_squash(p["name_en"]): p["name_th"] for p in pythainlp_provinces(details=True)}
    records = []
    for sub in pycountry.subdivisions.get(country_code="TH"):
        suffix = sub.code.split("-", 1)[1]
        if not suffix.isdigit():
            continue
        english = _ENGLISH_ALIASES.get(sub.name, sub.name)
        name_th = thai.gettext(sub.name)
        if name_th == sub.name:
            name_th = by_english[_squash(english)]
        records.append(ProvinceRecord(code=int(suffix), name_th=name_th, name_en=english))
    return sorted(records, key=lambda record: record.code)
