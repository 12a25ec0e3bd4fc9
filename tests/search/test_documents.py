"""What the index reads of a circular: loaded for many at once in a rebuild, it is what one
circular's own relations give, text inside attached DOCX and PDF files included."""

import io

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from responses.samples import minimal_pdf
from search.analysis import parse_query
from search.backends.base import Scope, SearchQuery
from search.documents import build_document
from search.indexing import build_documents, rebuild
from search.service import get_backend

pytestmark = pytest.mark.django_db


def docx_bytes(text: str) -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph(text)
    document.save(buffer)
    return buffer.getvalue()


def attached(page, title: str, name: str, content: bytes, order: int = 0):
    from cms.circulars.models import CircularEnclosure

    document = get_document_model().objects.create(
        title=title, file=ContentFile(content, name=name)
    )
    return CircularEnclosure.objects.create(
        page=page, title=title, quantity="๑ ชุด", document=document, sort_order=order
    )


@pytest.fixture
def circulars(make_circular):
    plain = make_circular(subject="หนังสือที่ไม่มีส่วนประกอบ")
    parts = make_circular(
        subject="หนังสือที่มีอ้างถึงและหัวข้อ",
        references=["หนังสือกรม ที่ มท ๐๘๑๒/ว ๑", "หนังสือกรม ที่ มท ๐๘๑๒/ว ๒"],
        topics=("งบประมาณ", "ภาษี"),
    )
    files = make_circular(subject="หนังสือที่มีไฟล์แนบ")
    attached(files, "แบบสำรวจ", "survey.docx", docx_bytes("แบบสำรวจข้อมูลสะพานแขวนในตำบล"))
    attached(files, "Budget form", "form.pdf", minimal_pdf("Annual culvert budget form"), 1)
    draft = make_circular(subject="ร่างหนังสือ", state="draft", references=["อ้างถึงเดิม"])
    draft.subject = "ร่างหนังสือฉบับแก้ไขในรุ่นล่าสุด"
    draft.save_revision()
    return [plain, parts, files, draft]


def test_documents_built_for_many_equal_those_built_one_by_one(circulars):
    from cms.circulars.models import CircularPage

    ids = [page.pk for page in circulars]
    one_by_one = [build_document(CircularPage.objects.get(pk=pk)) for pk in ids]
    assert [d.__dict__ for d in build_documents(ids)] == [d.__dict__ for d in one_by_one]
    parts, files, draft = one_by_one[1:]
    assert "0812/ว 1" in parts.extra and parts.extra.index("ว 1") < parts.extra.index("ว 2")
    assert sorted(parts.topics) == ["งบประมาณ", "ภาษี"]
    assert "สะพานแขวน" in files.extra and "culvert" in files.extra
    assert draft.subject == "ร่างหนังสือฉบับแก้ไขในรุ่นล่าสุด"


@pytest.mark.parametrize("words", ["สะพานแขวน", "culvert budget"])
def test_text_inside_attached_files_is_found(circulars, words):
    rebuild()
    result = get_backend().search(
        SearchQuery(parsed=parse_query(words), scope=Scope(everything=True))
    )
    assert [hit.page_id for hit in result.hits] == [circulars[2].pk]
