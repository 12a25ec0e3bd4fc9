"""Raw text of a Thai official letter -> interchange record (cms.circulars.importing.letter_text).

The fixture letters in tests/fixtures/letters/ are invented, one per shape seen in real letters
extracted from Word files; the real letters themselves (shared/seeds/) are checked when present.
"""

from pathlib import Path

import pytest
from django.utils import translation
from django.utils.functional import Promise

from cms.circulars.importing.letter_text import LetterParseError, parse_letter

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "letters"
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

ALWAYS_PRESENT = {
    "source_id",
    "doc_number",
    "urgency",
    "secrecy",
    "subject",
    "addressee",
    "references",
    "enclosures",
    "body",
    "closing",
    "salutation",
    "signatory",
    "owner_unit",
    "contact",
    "endorsements",
    "warnings",
}
OPTIONAL = {"issued_on", "response_deadline", "annex"}


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def letter(*lines: str) -> str:
    return "\n".join(lines)


# --- Fixture letters: every field asserted exactly -----------------------------------------

FIXTURE_EXPECTED = {
    "acting_annex.txt": {
        "doc_number": "มท ๐๔๑๔.๒/ว ๓๓๐๘",
        "issued_on": "2022-06-15",
        "urgency": "",
        "secrecy": "",
        "subject": "ขอให้รายงานผลการดำเนินงานกองทุนพัฒนาบทบาทสตรี",
        "addressee": "ผู้ว่าราชการจังหวัดทุกจังหวัด",
        "references": [],
        "enclosures": [
            {
                "title": "แบบรายงานผลการดำเนินงานกองทุนพัฒนาบทบาทสตรีระดับตำบล",
                "quantity": "๑ ฉบับ",
            },
        ],
        "body": (
            "ด้วยกรมการพัฒนาชุมชนมีภารกิจติดตามผลการดำเนินงานกองทุนพัฒนาบทบาท"
            "สตรีเพื่อนำข้อมูลไปใช้ในการวางแผนส่งเสริมอาชีพของสตรีในระดับตำบล"
            "\n"
            "\n"
            "เพื่อให้การติดตามเป็นไปด้วยความเรียบร้อย "
            "กรมการพัฒนาชุมชนจึงขอความร่วมมือจังหวัดแจ้งสำนักงานพัฒนาชุมชนจัง"
            "หวัดรายงานผลตามแบบรายงานที่ส่งมาด้วย ภายในเดือนกรกฎาคม ๒๕๖๕"
        ),
        "closing": "จึงเรียนมาเพื่อโปรดพิจารณาดำเนินการต่อไป",
        "salutation": "ขอแสดงความนับถือ",
        "signatory": {
            "name": "นางสาวจันทร์เพ็ญ มีสุข",
            "position": "รองอธิบดี ปฏิบัติราชการแทน อธิบดีกรมการพัฒนาชุมชน",
        },
        "owner_unit": "กองส่งเสริมทุนชุมชน / ส่วนส่งเสริมบทบาทสตรี",
        "contact": {
            "phone": "๐-๒๑๔๑-๖๑๗๔",
            "fax": "๐-๒๑๔๓-๘๙๔๕",
            "email": "",
            "coordinators": [
                "นางจิราพร บุญมา โทร. ๐๙๒-๕๕๔-๓๒๑๑",
            ],
        },
        "endorsements": [],
        "response_deadline": "2022-07-29",
        "annex": (
            "แบบรายงานผลการดำเนินงานกองทุนพัฒนาบทบาทสตรีระดับตำบล\n"
            "\n"
            "จังหวัด.....\n"
            "\n"
            "ลำดับ ตำบล จำนวนสมาชิก ผลการดำเนินงาน\n"
            "\n"
            "ผู้รายงาน.....\n"
            "\n"
            "กรุณาส่งแบบรายงานภายในวันที่ 29 กรกฎาคม 2565 ทาง\n"
            "E-mail : report@example.go.th"
        ),
        "warnings": [],
    },
    "blank_line_style.txt": {
        "doc_number": "กษ ๐๒๐๑.๔/ว ๑๕๘",
        "issued_on": "2022-03-03",
        "urgency": "ด่วนที่สุด",
        "secrecy": "",
        "subject": "การจัดทำแผนป้องกันภัยแล้งในพื้นที่เกษตรกรรม",
        "addressee": "ผู้ว่าราชการจังหวัด ทุกจังหวัด",
        "references": [],
        "enclosures": [
            {
                "title": "สำเนาประกาศกรมส่งเสริมการเกษตร ที่ ๑๒ /๒๕๖๕ ลงวันที่ ๑ มีนาคม ๒๕๖๕",
                "quantity": "๑ ชุด",
            },
            {
                "title": "แนวทางการจัดทำแผนป้องกันภัยแล้งระดับอำเภอ",
                "quantity": "๒ ฉบับ",
            },
        ],
        "body": (
            "ด้วยกรมส่งเสริมการเกษตรได้รับรายงานว่าปริมาณน้ำในแหล่งน้ำธรรมชา"
            "ติหลายพื้นที่ลดลงต่ำกว่าเกณฑ์เฉลี่ย "
            "ซึ่งอาจกระทบต่อการเพาะปลูกในฤดูแล้ง "
            "รายละเอียดตามสิ่งที่ส่งมาด้วย\n"
            "\n"
            "ในการนี้ กรมส่งเสริมการเกษตรขอความร่วมมือจังหวัดแจ้งเกษตรจังหวัด"
            " ดังนี้\n"
            "\n"
            "๑. จัดทำแผนป้องกันภัยแล้งระดับอำเภอให้แล้วเสร็จ\n"
            "\n"
            "๒. เผยแพร่แผนทางเว็บไซต์ www.farm-example.go.th หัวข้อ “ภัยแล้ง”"
        ),
        "closing": "จึงเรียนมาเพื่อโปรดพิจารณา",
        "salutation": "ขอแสดงความนับถือ",
        "signatory": {
            "name": "นางสาวพิมพ์ชนก ศรีวงศ์",
            "position": "อธิบดีกรมส่งเสริมการเกษตร",
        },
        "owner_unit": "กองแผนงาน",
        "contact": {
            "phone": "",
            "fax": "",
            "email": "",
            "coordinators": [],
        },
        "endorsements": [],
        "warnings": [],
    },
    "dense_tabs.txt": {
        "doc_number": "สธ ๐๒๑๑.๔/ว",
        "issued_on": "2022-11",
        "urgency": "",
        "secrecy": "",
        "subject": "การเฝ้าระวังโรคไข้เลือดออกในสถานศึกษา ประจำปี ๒๕๖5",
        "addressee": "นายแพทย์สาธารณสุขจังหวัด ทุกจังหวัด",
        "references": [],
        "enclosures": [
            {
                "title": "คู่มือการเฝ้าระวังโรคฯ",
                "quantity": "๑ ชุด",
            },
            {
                "title": "แบบรายงานผลการสำรวจลูกน้ำยุงลาย",
                "quantity": "๒ แผ่น",
            },
        ],
        "body": (
            "ด้วยกรมควบคุมโรคได้รับรายงานจากสำนักงานป้องกันควบคุมโรคที่ ๗ "
            "ว่าพบผู้ป่วยโรคไข้เลือดออกในกลุ่มนักเรียนระดับประถมศึกษาเพิ่มขึ้"
            "นอย่างต่อเนื่อง (Dengue Surveillance Report 2022) "
            "โดยเฉพาะในพื้นที่ที่มีฝนตกชุก "
            "ซึ่งเป็นช่วงที่ยุงลายขยายพันธุ์ได้รวดเร็ว\n"
            "\n"
            "กรมควบคุมโรคจึงขอความร่วมมือจังหวัดแจ้งสถานศึกษาในพื้นที่สำรวจแ"
            "ละกำจัดแหล่งเพาะพันธุ์ยุงลาย แล้วรายงานผลตามแบบรายงาน ส่งถึง "
            "“กองโรคติดต่อนำโดยแมลง กรมควบคุมโรค” ภายในวันพุธที่ 1๔ ธันวาคม "
            "๒๕๖5รายละเอียดปรากฏตามสิ่งที่ส่งมาด้วย"
        ),
        "closing": "จึงเรียนมาเพื่อโปรดพิจารณา",
        "salutation": "ขอแสดงความนับถือ",
        "signatory": {
            "name": "นายอนุชา พรหมมา",
            "position": "",
        },
        "owner_unit": "กองโรคติดต่อนำโดยแมลง / กลุ่มระบาดวิทยา",
        "contact": {
            "phone": "๐ ๒๕๙๐ ๓๑๘๓ ต่อ ๑๑๒",
            "fax": "",
            "email": "",
            "coordinators": [],
        },
        "endorsements": [],
        "response_deadline": "2022-12-14",
        "warnings": [
            "unfinished doc number",
            "no signatory position",
        ],
    },
    "draft_initials.txt": {
        "doc_number": "ศธ ๐๒๑๐.7/",
        "issued_on": "2023-08",
        "urgency": "",
        "secrecy": "",
        "subject": "การประกวดห้องสมุดมีชีวิต ประจำปี พ.ศ. ๒๕๖๖",
        "addressee": "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาทุกเขต",
        "references": [
            ("หนังสือสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน ด่วนที่สุด ที่ ศธ ๐๒๑๐.๗/ว ๑๔ ลงวันที่ ๙ มกราคม ๒๕๖๖"),
        ],
        "enclosures": [
            {
                "title": "เกณฑ์การประกวดห้องสมุดมีชีวิต",
                "quantity": "๑ ชุด",
            },
            {
                "title": "แบบเสนอผลงานห้องสมุดมีชีวิต",
                "quantity": "๑ ชุด",
            },
            {
                "title": "กำหนดการประชุมชี้แจง",
                "quantity": "๑ ชุด",
            },
        ],
        "body": (
            "ตามที่สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน "
            "ได้ขอความร่วมมือสำนักงานเขตพื้นที่การศึกษาส่งเสริมการอ่านในสถาน"
            "ศึกษา ให้เป็นไปอย่างต่อเนื่อง นั้น\n"
            "\n"
            "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน พิจารณาเห็นว่า "
            "เพื่อเป็นการยกย่องสถานศึกษาที่พัฒนาห้องสมุดได้ดีเด่น "
            "จึงกำหนดให้มีการประกวดห้องสมุดมีชีวิต ประจำปี พ.ศ. ๒๕๖๖ "
            "และขอเชิญผู้เกี่ยวข้องเข้าร่วมประชุมชี้แจงผ่านแอปพลิเคชัน Zoom "
            "ในวันอังคารที่ ๒๙ สิงหาคม ๒๕๖๖ เวลา ๐๙.๐๐ - ๑๒.๐๐ น. "
            "รายละเอียดปรากฏตามสิ่งที่ส่งมาด้วย"
        ),
        "closing": "จึงเรียนมาเพื่อโปรดพิจารณา",
        "salutation": "ขอแสดงความนับถือ",
        "signatory": {
            "name": "นางวิไลวรรณ ทองดี",
            "position": "เลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน",
        },
        "owner_unit": "กลุ่มนโยบายและแผน",
        "contact": {
            "phone": "๐ ๒๒๘๘ ๕๕๐๐ ต่อ 21๓",
            "fax": "",
            "email": "",
            "coordinators": [
                "นายสมพร ใจเย็น",
                "นางสาวปวีณา รักดี โทร. ๐๘๖-๑๑๒-๒๓๓๔",
            ],
        },
        "endorsements": [
            {
                "initials": "ผ.นผ.",
                "date": "ส.ค. ๖๖",
            },
            {
                "initials": "ผอ.กนผ.",
                "date": "ส.ค. ๖๖",
            },
            {
                "initials": "ชก.นผ.",
                "date": "ส.ค. ๖๖",
            },
        ],
        "warnings": [
            "unfinished doc number",
        ],
    },
    "no_name.txt": {
        "doc_number": "กษ 0201.3/",
        "issued_on": "2020-10",
        "urgency": "",
        "secrecy": "",
        "subject": (
            "ขอความร่วมมือประชาสัมพันธ์การตรวจรับรองแหล่งผลิตพืช "
            "“การปฏิบัติทางการเกษตรที่ดี” (Good Agricultural Practice : GAP)"
        ),
        "addressee": "ผู้ว่าราชการจังหวัด ทุกจังหวัด",
        "references": [],
        "enclosures": [
            {
                "title": ("สำเนาหนังสือกระทรวงเกษตรและสหกรณ์ ที่ กษ 0201.1/4455 ลงวันที่ 2 ตุลาคม 2563"),
                "quantity": "1 ชุด",
            },
        ],
        "body": (
            "ด้วยกรมวิชาการเกษตร ได้รับแจ้งจากกระทรวงเกษตรและสหกรณ์ว่ามีนโยบา"
            "ยยกระดับมาตรฐานสินค้าพืชเพื่อการส่งออก "
            "โดยส่งเสริมให้เกษตรกรขอรับรองแหล่งผลิตตามมาตรฐานการปฏิบัติทางการ"
            "เกษตรที่ดีและนำเทคโนโลยีดิจิทัลมาใช้ในการตรวจประเมิน\n"
            "\n"
            "กรมวิชาการเกษตรพิจารณาแล้ว "
            "จึงขอให้จังหวัดประชาสัมพันธ์ให้เกษตรกรในพื้นที่ทราบ "
            "และรวบรวมรายชื่อผู้ประสงค์ขอรับรองส่งถึงกรมวิชาการเกษตรภายในวัน"
            "ศุกร์ที่ 30 ตุลาคม 2563 ทั้งนี้ "
            "สามารถสอบถามรายละเอียดได้ที่นายวีระพงษ์ มั่นคง โทรศัพท์ 08 1234 "
            "5678"
        ),
        "closing": "จึงเรียนมาเพื่อโปรดพิจารณาดำเนินการต่อไป",
        "salutation": "ขอแสดงความนับถือ",
        "signatory": {
            "name": "",
            "position": "อธิบดีกรมวิชาการเกษตร",
        },
        "owner_unit": "กองพัฒนาระบบรับรองมาตรฐานสินค้าพืช / ส่วนรับรองแหล่งผลิต",
        "contact": {
            "phone": "0-2579-3600 ต่อ 11๒-๔",
            "fax": "0-2579-3601",
            "email": "",
            "coordinators": [
                "นายวีระพงษ์ มั่นคง โทร. 08-1234-5678",
            ],
        },
        "endorsements": [],
        "response_deadline": "2020-10-30",
        "warnings": [
            "unfinished doc number",
            "no signatory name",
        ],
    },
    "urgent_references.txt": {
        "doc_number": "กค ๐๔๐๗.๓/ว ๕๒",
        "issued_on": "2023-01-07",
        "urgency": "ด่วน",
        "secrecy": "ลับ",
        "subject": "การเบิกจ่ายเงินค่าตอบแทนกรรมการสอบสวนวินัย",
        "addressee": "อธิบดีทุกกรม",
        "references": [
            "หนังสือกรมบัญชีกลาง ที่ กค ๐๔๐๗.๓/ว ๑๑ ลงวันที่ ๓ มีนาคม ๒๕๖๕",
            "หนังสือกรมบัญชีกลาง ด่วนที่สุด ที่ กค ๐๔๐๗.๓/ว ๙๐ ลงวันที่ ๒๐ กันยายน ๒๕๖๕",
        ],
        "enclosures": [
            {
                "title": "แนวปฏิบัติการเบิกจ่ายค่าตอบแทน",
                "quantity": "๑ ชุด",
            },
        ],
        "body": (
            "ตามที่กรมบัญชีกลางได้แจ้งหลักเกณฑ์การเบิกจ่ายเงินค่าตอบแทนกรรมกา"
            "รสอบสวนวินัย ความละเอียดแจ้งแล้ว นั้น\n"
            "\n"
            "กรมบัญชีกลางพิจารณาแล้ว "
            "เห็นควรปรับปรุงแนวปฏิบัติให้สอดคล้องกับระเบียบที่แก้ไขใหม่ "
            "โดยให้ส่วนราชการถือปฏิบัติตั้งแต่วันที่ ๑ กุมภาพันธ์ ๒๕๖๖ "
            "เป็นต้นไป"
        ),
        "closing": "จึงเรียนมาเพื่อโปรดทราบและแจ้งเจ้าหน้าที่ที่เกี่ยวข้องถือปฏิบัติต่อไป",
        "salutation": "ขอแสดงความนับถือ",
        "signatory": {
            "name": "นางกมลทิพย์ วงศ์ไพศาล",
            "position": "อธิบดีกรมบัญชีกลาง",
        },
        "owner_unit": "กองการเงินการคลังภาครัฐ",
        "contact": {
            "phone": "๐ ๒๑๒๗ ๗๐๐๐ ต่อ ๔๕๕๑",
            "fax": "๐ ๒๑๒๗ ๗๐๐๐ ต่อ ๔๕๕๑",
            "email": "saraban@cgd-example.go.th",
            "coordinators": [
                "นางสาวอรุณี แก้วกาญจนา โทร. ๐๘๑-๒๓๔-๕๖๗๘",
                "นายธนพล ศรีสุข โทร. ๐๘๙-๘๗๖-๕๔๓๒",
            ],
        },
        "endorsements": [],
        "warnings": [],
    },
}


@pytest.mark.parametrize("name", sorted(FIXTURE_EXPECTED))
def test_fixture_letter(name):
    record = parse_letter(read(FIXTURES / name), name)
    expected = {"source_id": name, **FIXTURE_EXPECTED[name]}
    for key, value in expected.items():
        assert record.get(key) == value, key
    assert set(record) == set(expected)


def test_every_fixture_letter_has_a_table():
    names = {path.name for path in FIXTURES.glob("*.txt")}
    assert names == set(FIXTURE_EXPECTED)
    assert len(names) >= 6


def _dense(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if line.strip())


def _spaced(text: str) -> str:
    return "\n\n".join(line for line in text.split("\n") if line.strip())


LAYOUT_INDEPENDENT = (
    "doc_number",
    "issued_on",
    "urgency",
    "secrecy",
    "subject",
    "addressee",
    "references",
    "enclosures",
    "closing",
    "salutation",
    "signatory",
    "owner_unit",
    "contact",
    "endorsements",
    "response_deadline",
)


@pytest.mark.parametrize("layout", [_dense, _spaced], ids=["no-blank-lines", "blank-everywhere"])
@pytest.mark.parametrize("name", sorted(FIXTURE_EXPECTED))
def test_fields_do_not_depend_on_blank_lines(name, layout):
    text = read(FIXTURES / name)
    record = parse_letter(layout(text), name)
    original = parse_letter(text, name)
    for key in LAYOUT_INDEPENDENT:
        assert record.get(key) == original.get(key), key


# --- Real letters (shared/seeds), when present: key fields ---------------------------------

DLA = "กรมส่งเสริมการปกครองท้องถิ่น"
SEED_EXPECTED = {
    "000_dd85173f93074015.txt": {
        "doc_number": "มท ๐๘๑๐.๒/ว",
        "issued_on": "2021-04",
        "urgency": "",
        "enclosures": 2,
        "references": [],
        "signatory": {"name": "นายประยูร รัตนเสนีย์", "position": ""},
        "owner_unit": ("กองพัฒนาและส่งเสริมการบริหารงานท้องถิ่น / กลุ่มงานวิชาการและวิจัยเพื่อการพัฒนาท้องถิ่น"),
        "phone": "๐ ๒๒๔๑ ๙๐๐๐ ต่อ ๒๒๑๒",
        "response_deadline": "2021-05-21",
    },
    "001_a4e78979fb988200.txt": {
        "doc_number": "มท 0810.3/",
        "issued_on": "2019-06",
        "urgency": "",
        "enclosures": 1,
        "references": [],
        "signatory": {"name": "", "position": f"อธิบดี{DLA}"},
        "owner_unit": "กองพัฒนาและส่งเสริมการบริหารงานท้องถิ่น / ส่วนแผนพัฒนาท้องถิ่น",
        "phone": "0-2241-9000 ต่อ 212๒-๔",
        "response_deadline": None,
    },
    "002_891ab497970aba7d.txt": {
        "doc_number": "มท ๐๘๑๒/ว ๒๗๑",
        "issued_on": "2021-02-10",
        "urgency": "ด่วนมาก",
        "enclosures": 3,
        "references": [],
        "signatory": {"name": "นายประยูร รัตนเสนีย์", "position": f"อธิบดี{DLA}"},
        "owner_unit": "กลุ่มพัฒนาระบบบริหาร",
        "phone": "",
        "response_deadline": None,
    },
    "003_a5606adfc99e477d.txt": {
        "doc_number": "มท ๐๘12/",
        "issued_on": "2021-07",
        "urgency": "",
        "enclosures": 6,
        "references": [
            f"หนังสือ{DLA} ด่วนมาก ที่ มท ๐๘๑๒/ว ๒๗๑ ลงวันที่ ๑๐ กุมภาพันธ์ ๒๕๖๔",
        ],
        "signatory": {"name": "นายประยูร รัตนเสนีย์", "position": f"อธิบดี{DLA}"},
        "owner_unit": "กลุ่มพัฒนาระบบบริหาร",
        "phone": "๐ ๒๒๔๑ ๙๐๐๐ ต่อ 1251-๒",
        "response_deadline": None,
    },
    "004_72b299d2e8a7ec9d.txt": {
        "doc_number": "มท ๐๘๑๐.๒/๖ ๓๓๗/๖",
        "issued_on": "2018-10-22",
        "urgency": "",
        "enclosures": 1,
        "references": [],
        "signatory": {
            "name": "นายทวี เสริมภักดีกุล",
            "position": f"รองอธิบดี ปฏิบัติราชการแทน อธิบดี{DLA}",
        },
        "owner_unit": ("กองพัฒนาและส่งเสริมการบริหารงานท้องถิ่น / ส่วนวิชาการและวิจัยเพื่อการพัฒนาท้องถิ่น"),
        "phone": "๐-๒๒๔๑-๙๐๐๐ ต่อ ๒๒๑๔",
        "response_deadline": "2018-12-14",
    },
}
SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


@pytest.mark.parametrize(
    "path", SEED_FILES or [None], ids=lambda path: path.name if path else "no-seeds"
)
def test_seed_letter(path):
    if path is None:
        pytest.skip(f"no seed letters at {SEEDS}")
    record = parse_letter(read(path), path.name)
    assert ALWAYS_PRESENT <= set(record) <= ALWAYS_PRESENT | OPTIONAL
    assert record["source_id"] == path.name
    assert record["subject"]
    assert record["body"]
    expected = SEED_EXPECTED.get(path.name)
    if expected is None:
        return
    for key in ("doc_number", "issued_on", "urgency", "references", "signatory", "owner_unit"):
        assert record[key] == expected[key], key
    assert len(record["enclosures"]) == expected["enclosures"]
    assert record["contact"]["phone"] == expected["phone"]
    assert record.get("response_deadline") == expected["response_deadline"]


def test_seed_with_reviewers_initials():
    path = SEEDS / "003_a5606adfc99e477d.txt"
    if not path.exists():
        pytest.skip(f"no seed letter {path}")
    record = parse_letter(read(path), path.name)
    assert record["endorsements"] == [
        {"initials": "ร.อสถ.", "date": "ก.ค. ๖๔"},
        {"initials": "ผอ.ก.พ.ร.", "date": "ก.ค. ๖๔"},
        {"initials": "นวผ.ชก.", "date": "ก.ค. ๖๔"},
        {"initials": "นวผ.ชก.", "date": "ก.ค. ๖๔"},
    ]
    assert record["contact"]["coordinators"] == ["นายกษิดิศ ครุฑางคะ", "นางสาวรวมพร อินทร์แก้ว"]


# --- Single rules --------------------------------------------------------------------------


@pytest.fixture
def rendered_messages():
    """Lazy messages render without the project's settings (plain ``-p no:django`` runs)."""
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=False)


def test_text_without_subject_line_is_not_a_letter(rendered_messages):
    with pytest.raises(LetterParseError) as caught:
        parse_letter("ข่าวประชาสัมพันธ์\nเรื่องเล่าจากชุมชนริมน้ำ วันนี้ขอเล่า...", "news.txt")
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value.args[0], Promise)  # translatable, rendered when shown
    with translation.override("en"):
        assert str(caught.value) == "The text is not a letter: it has no subject line."


def test_empty_subject_is_a_letter_with_a_warning():
    record = parse_letter(letter("ที่ อว ๐๒๒๓/ว ๔", "เรื่อง", "เรียน อธิการบดี"), "x.txt")
    assert record["subject"] == ""
    assert "no subject" in record["warnings"]
    assert record["addressee"] == "อธิการบดี"


SHORT = (
    "ด่วนที่สุด ลับ",
    "ที่ มท ๐๒๑๑.๓/ว ๙๙  ศาลากลางจังหวัดพะเยา",
    "ถนนพหลโยธิน อำเภอเมือง จังหวัดพะเยา ๕๖๐๐๐",
    "๑ เมษายน ๒๕๖๗",
    "เรื่อง การตรวจติดตามโครงการ",
    "เรียน",
    "นายอำเภอทุกอำเภอ",
)


def test_marks_addressee_alone_markdown_and_crlf():
    text = "\r\n".join(
        [
            *SHORT,
            "ด้วยจังหวัดจะตรวจติดตามโครงการ ดูรายละเอียดที่ [www.phayao-example.go.th]"
            "(https://www.phayao-example.go.th/a)",
            "จึงเรียนมาเพื่อทราบ",
            "ขอแสดงความนับถือ",
            "(นายสมชาย ใจกล้า)",
            "ผู้ว่าราชการจังหวัดพะเยา",
        ]
    )
    record = parse_letter(text, "x.txt")
    assert (record["urgency"], record["secrecy"]) == ("ด่วนที่สุด", "ลับ")
    assert record["doc_number"] == "มท ๐๒๑๑.๓/ว ๙๙"
    assert record["issued_on"] == "2024-04-01"
    assert record["addressee"] == "นายอำเภอทุกอำเภอ"
    assert record["body"] == ("ด้วยจังหวัดจะตรวจติดตามโครงการ ดูรายละเอียดที่ www.phayao-example.go.th")
    assert record["signatory"] == {"name": "นายสมชาย ใจกล้า", "position": "ผู้ว่าราชการจังหวัดพะเยา"}
    assert record["warnings"] == ["no owner unit"]


def test_soft_wraps_are_joined_by_the_thai_rule():
    record = parse_letter(
        letter(
            *SHORT,
            "ด้วยจังหวัดได้รับงบประมาณเพื่อพัฒนา",  # Thai | Thai: no space
            "แหล่งน้ำในพื้นที่ จำนวน 12 ",  # trailing space: keeps one space
            "แห่ง และโครงการ Smart",  # Latin | Latin: one space
            "Farm รวม ๓",  # digit | Thai: one space
            "โครงการ",
            "ในการนี้ ขอให้อำเภอรายงานผลภายในวันที่ ๓๐ เมษายน ๒๕๖๗",
            "จึงเรียนมาเพื่อโปรดพิจารณา",
        ),
        "x.txt",
    )
    assert record["body"] == (
        "ด้วยจังหวัดได้รับงบประมาณเพื่อพัฒนาแหล่งน้ำในพื้นที่ จำนวน 12 แห่ง และโครงการ Smart "
        "Farm รวม ๓ โครงการ\n\nในการนี้ ขอให้อำเภอรายงานผลภายในวันที่ ๓๐ เมษายน ๒๕๖๗"
    )
    assert record["response_deadline"] == "2024-04-30"
    assert record["closing"] == "จึงเรียนมาเพื่อโปรดพิจารณา"
    assert "no salutation" in record["warnings"]


def test_meeting_dates_are_not_reply_deadlines():
    record = parse_letter(
        letter(*SHORT, "ด้วยจังหวัดจะประชุมในวันพุธที่ ๑๐ เมษายน ๒๕๖๗ ณ ห้องประชุม"),
        "x.txt",
    )
    assert "response_deadline" not in record


def test_closing_glued_to_the_last_paragraph():
    record = parse_letter(
        letter(*SHORT, "ด้วยจังหวัดขอแจ้งกำหนดการ จึงเรียนมาเพื่อโปรดทราบ", "ขอแสดงความนับถือ"),
        "x.txt",
    )
    assert record["body"] == "ด้วยจังหวัดขอแจ้งกำหนดการ"
    assert record["closing"] == "จึงเรียนมาเพื่อโปรดทราบ"


def test_phone_and_fax_sharing_one_number_and_email():
    record = parse_letter(
        letter(
            *SHORT,
            "ด้วยจังหวัดขอแจ้งกำหนดการ",
            "ขอแสดงความนับถือ",
            "(นายสมชาย ใจกล้า)",
            "ผู้ว่าราชการจังหวัดพะเยา",
            "สำนักงานจังหวัด",
            "โทร./โทรสาร ๐ ๕๔๔๗ ๙๐๐๐",
            "E-mail: governor@phayao-example.go.th",
            "ผู้ประสานงาน นายก้องภพ ดีงาม โทร. ๐๘๑-๐๐๐-๑๑๑๑, นางอรทัย ชื่นใจ",
        ),
        "x.txt",
    )
    assert record["owner_unit"] == "สำนักงานจังหวัด"
    assert record["contact"] == {
        "phone": "๐ ๕๔๔๗ ๙๐๐๐",
        "fax": "๐ ๕๔๔๗ ๙๐๐๐",
        "email": "governor@phayao-example.go.th",
        "coordinators": ["นายก้องภพ ดีงาม โทร. ๐๘๑-๐๐๐-๑๑๑๑", "นางอรทัย ชื่นใจ"],
    }


def test_initials_glued_to_a_unit_split_at_a_word_boundary():
    record = parse_letter(
        letter(
            *SHORT,
            "ด้วยจังหวัดขอแจ้งกำหนดการ",
            "ขอแสดงความนับถือ",
            "",
            "รองผู้ว่าราชการจังหวัด",
            "",
            "รักษาราชการแทน",
            "",
            "ผู้ว่าราชการจังหวัดพะเยา",
            "",
            "กองคลังผอ.กค. ................/ เม.ย. ๖๗",
            "นิดา จนท.กค. ........./",
        ),
        "x.txt",
    )
    assert record["signatory"] == {
        "name": "",
        "position": "รองผู้ว่าราชการจังหวัด รักษาราชการแทน ผู้ว่าราชการจังหวัดพะเยา",
    }
    assert record["owner_unit"] == "กองคลัง"
    assert record["endorsements"] == [
        {"initials": "ผอ.กค.", "date": "เม.ย. ๖๗"},
        {"initials": "จนท.กค.", "date": ""},
    ]
