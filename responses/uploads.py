"""What respondents may upload, decided by the file's content, not its name or declared type.

``check_upload(file) -> Upload`` accepts PDF (``%PDF-``), PNG, JPEG, and DOCX / XLSX (a zip
holding ``[Content_Types].xml`` and ``word/`` or ``xl/``) up to
``settings.WIAN_RESPONSE_MAX_UPLOAD_MB`` (default 10) megabytes, or raises ``ValidationError``
with a Thai message. A name without one of the allowed extensions (.pdf, .docx, .xlsx, .jpg,
.jpeg, .png), or whose extension says another type than the content, is refused, and so is an
Office file holding macros (``word/vbaProject.bin`` or ``xl/vbaProject.bin``).
``download_name(name, kind)`` is the stored name's stem with the kind's canonical extension.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from responses.validation import number_text

PDF, DOCX, XLSX, JPEG, PNG = "pdf", "docx", "xlsx", "jpeg", "png"
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    JPEG: "image/jpeg",
    PNG: "image/png",
}
EXTENSIONS = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
}
CANONICAL_EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx", JPEG: ".jpg", PNG: ".png"}
MACRO_PARTS = {"word/vbaProject.bin", "xl/vbaProject.bin"}
ACCEPT = ",".join([*EXTENSIONS, *CONTENT_TYPES.values()])


@dataclass(frozen=True)
class Upload:
    kind: str
    content_type: str
    size: int
    sha256: str


def max_upload_bytes() -> int:
    return int(getattr(settings, "WIAN_RESPONSE_MAX_UPLOAD_MB", 10)) * 1024 * 1024


def sniff(file) -> str | None:
    """The kind the content shows (one of PDF, DOCX, XLSX, JPEG, PNG) or None."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            file.seek(0)
        if "[Content_Types].xml" not in names:
            return None
        if any(name.startswith("word/") for name in names):
            return DOCX
        if any(name.startswith("xl/") for name in names):
            return XLSX
    return None


def has_macros(file) -> bool:
    """Does this Office zip hold a VBA project (macros)?"""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = {name.strip("/").lower() for name in archive.namelist()}
    except (zipfile.BadZipFile, OSError, ValueError):
        return True
    finally:
        file.seek(0)
    return bool({part.lower() for part in MACRO_PARTS} & names)


def _digest(file) -> str:
    file.seek(0)
    digest = hashlib.sha256()
    if hasattr(file, "chunks"):
        for chunk in file.chunks():
            digest.update(chunk)
    else:
        for chunk in iter(lambda: file.read(1 << 16), b""):
            digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def check_upload(file) -> Upload:
    """Accept the upload or raise ValidationError saying why (in Thai)."""
    name = getattr(file, "name", "") or ""
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    if size == 0:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": name})
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            _("The file “%(name)s” is larger than %(limit)s MB.")
            % {"name": name, "limit": number_text(limit // (1024 * 1024))}
        )
    kind = sniff(file)
    if kind is None:
        raise ValidationError(
            _(
                "The file “%(name)s” is not a PDF, Word (.docx), Excel (.xlsx), JPG or PNG file "
                "(its content was checked, not only its name)."
            )
            % {"name": name}
        )
    extension = PurePath(name).suffix.lower()
    if extension not in EXTENSIONS:
        raise ValidationError(
            _(
                "The file “%(name)s” must be named .pdf, .docx, .xlsx, .jpg, .jpeg or .png "
                "(other kinds of file are not accepted)."
            )
            % {"name": name}
        )
    if EXTENSIONS[extension] != kind:
        raise ValidationError(
            _("The file “%(name)s” is named %(named)s but its content is %(actual)s.")
            % {"name": name, "named": extension.lstrip(".").upper(), "actual": kind.upper()}
        )
    if kind in (DOCX, XLSX) and has_macros(file):
        raise ValidationError(
            _("The file “%(name)s” contains macros; save it without macros and upload it again.")
            % {"name": name}
        )
    return Upload(kind=kind, content_type=CONTENT_TYPES[kind], size=size, sha256=_digest(file))


def download_name(name: str, content_type: str) -> str:
    """The name a stored file is served under: its stem and the canonical extension of its
    content type (never an extension the uploader chose)."""
    kind = next((k for k, t in CONTENT_TYPES.items() if t == content_type), None)
    stem = PurePath(name or "").stem or "file"
    return stem + CANONICAL_EXTENSIONS.get(kind, ".bin")
